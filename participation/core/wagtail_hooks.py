from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem, MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from participation.core import admin_views
from participation.core.admin_views import BackgroundJobsView, ExpiredAnnouncementsPanel, SecondFactorView
from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.translation_subjects import translation_subject_class
from participation.core.viewsets import TranslatableEditView, translate_buttons


def _vocabulary_viewset(model):
    return type(
        f"{model.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": model,
            "list_display": ["label", "key", "sort_order"],
            "search_fields": ["label"],
            "ordering": model._meta.ordering,
            "edit_view_class": TranslatableEditView,
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
        path("<slug:kind>/<int:pk>/<str:language>/", admin_views.translate, name="translate"),
    ]
    return [path("translations/", include((urls, "translations"), namespace="translations"))]


@hooks.register("register_admin_menu_item")
def register_translation_menu_item():
    return MenuItem(_("Translations"), reverse("translations:overview"), icon_name="globe", order=250)


def _translate_buttons(page, user, priority):
    if page.depth < 2 or not page.permissions_for_user(user).can_edit():
        return
    yield from translate_buttons(kind="page", pk=page.pk, language=page.locale.language_code, priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_translate_buttons(page, user, view_name, next_url=None):
    yield from _translate_buttons(page, user, 81)


@hooks.register("register_page_listing_more_buttons")
def page_listing_translate_buttons(page, user, next_url=None):
    yield from _translate_buttons(page, user, 61)


def _snippet_subject(snippet, user):
    subject_class = translation_subject_class(type(snippet))
    if subject_class is None:
        return None
    subject = subject_class(item=snippet, language="")
    return subject if subject.can_edit(user) else None


@hooks.register("register_snippet_listing_buttons")
def snippet_listing_translate_buttons(snippet, user, next_url=None):
    subject = _snippet_subject(snippet, user)
    if subject is not None:
        yield from translate_buttons(kind=subject.kind, pk=snippet.pk, language=subject.menu_language, priority=60)


@hooks.register("construct_snippet_listing_buttons")
def snippet_listing_without_copy_translation(buttons, snippet, user):
    """simple_translation's "Translate" copies a term into another language unchanged: the "Translate into …"
    screen replaces it (the translation is written, and its provenance recorded)."""
    if translation_subject_class(type(snippet)) is not None:
        buttons[:] = [button for button in buttons if "/translate/snippet/" not in (button.url or "")]


def _snippet_saved(request, instance):
    """A snippet edited in its editor: the provenance of each language, and the translations whose source changed
    become outdated. Items with drafts record this when they are published (their `published` signal)."""
    subject_class = translation_subject_class(type(instance))
    if subject_class is not None and not subject_class.keeps_drafts:
        subject_class(item=instance, language="").published()


hooks.register("after_create_snippet", _snippet_saved)
hooks.register("after_edit_snippet", _snippet_saved)


@hooks.register("before_convert_alias_page")
def convert_alias_is_translate(request, page):
    """Converting an alias would publish the source's text under the other language's address at once: the
    "Translate" screen starts the translation as a draft instead."""
    source = page.alias_of or page
    return redirect("translations:translate", "page", source.pk, page.locale.language_code)


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
