from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from participation.core.admin_views import BackgroundJobsView, ExpiredAnnouncementsPanel, SecondFactorView
from participation.core.models.vocabularies import VOCABULARY_MODELS


def _vocabulary_viewset(model):
    return type(
        f"{model.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": model,
            "list_display": ["label", "key", "sort_order"],
            "search_fields": ["label"],
            "ordering": model._meta.ordering,
        },
    )


class VocabularyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Vocabularies")
    menu_icon = "tag"
    menu_order = 300
    items = [_vocabulary_viewset(model) for model in VOCABULARY_MODELS]


register_snippet(VocabularyViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_expired_announcements_panel(request, panels):
    panels.append(ExpiredAnnouncementsPanel())


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("background-jobs/", BackgroundJobsView.as_view(), name="core_background_jobs"),
        path("second-factor/", SecondFactorView.as_view(), name="core_second_factor"),
    ]


@hooks.register("register_settings_menu_item")
def background_jobs_menu_item():
    return AdminOnlyMenuItem(
        _("Background jobs"), reverse("core_background_jobs"), icon_name="cogs", name="background-jobs", order=900
    )
