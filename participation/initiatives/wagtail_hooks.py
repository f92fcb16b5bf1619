from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from participation.initiatives import admin_views
from participation.initiatives.viewsets import InitiativeViewSet

register_snippet(InitiativeViewSet)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("initiatives/import/", admin_views.import_upload, name="initiatives_import"),
        path("initiatives/import/<int:pk>/", admin_views.import_confirm, name="initiatives_import_confirm"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import initiatives"), reverse("initiatives_import"), icon_name="download", order=201)
