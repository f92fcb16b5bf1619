from django.conf import settings
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets
from wagtail.admin.menu import AdminOnlyMenuItem, MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from participation.core import admin_views
from participation.core.admin_views import BackgroundJobsView, ExpiredAnnouncementsPanel, SecondFactorView
from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.text import language_name_in_text


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
def register_translation_urls():
    urls = [
        path("", admin_views.translation_overview, name="overview"),
        path("page/<int:pk>/<str:language>/", admin_views.page_translate, name="page"),
    ]
    return [path("translations/", include((urls, "translations"), namespace="translations"))]


@hooks.register("register_admin_menu_item")
def register_translation_menu_item():
    return MenuItem(_("Translations"), reverse("translations:overview"), icon_name="globe", order=250)


def _translate_buttons(page, user, priority):
    if page.depth < 2 or not page.permissions_for_user(user).can_edit():
        return
    for code, _name in settings.LANGUAGES:
        if code != page.locale.language_code:
            yield widgets.Button(
                _("Translate into %(language)s") % {"language": language_name_in_text(code)},
                reverse("translations:page", args=[page.pk, code]),
                icon_name="globe",
                priority=priority,
            )


@hooks.register("register_page_header_buttons")
def page_header_translate_buttons(page, user, view_name, next_url=None):
    yield from _translate_buttons(page, user, 81)


@hooks.register("register_page_listing_more_buttons")
def page_listing_translate_buttons(page, user, next_url=None):
    yield from _translate_buttons(page, user, 61)


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
