"""Reads shared by every domain: vocabularies, navigation, translations of a page."""

from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page

VOCABULARY_CACHE_TIMEOUT = 24 * 3600


def _vocabulary_cache_key(model, language):
    return f"vocabulary:{model._meta.label_lower}:{language}"


def vocabulary_labels(*, model, language):
    """Key → label for one vocabulary in one language, falling back to French for a term not yet translated."""
    key = _vocabulary_cache_key(model, language)
    labels = cache.get(key)
    if labels is None:
        rows = model.objects.filter(locale__language_code__in={language, settings.LANGUAGE_CODE}).values_list(
            "key", "label", "locale__language_code"
        )
        labels = {}
        for term_key, label, _code in sorted(rows, key=lambda row: row[2] == language):
            labels[term_key] = label
        cache.set(key, labels, VOCABULARY_CACHE_TIMEOUT)
    return labels


def vocabulary_labels_clear(*, model):
    cache.delete_many([_vocabulary_cache_key(model, code) for code, _name in settings.LANGUAGES])


def vocabulary_terms(*, model, language=None):
    """The terms of one vocabulary in the active language, in their editorial order."""
    return model.objects.filter(locale__language_code=language or get_language()).order_by(*model._meta.ordering)


def home_page_for_language(language=None):
    """The home page of a language's tree (None before the site is set up)."""
    from participation.core.models import HomePage

    return HomePage.objects.filter(locale__language_code=language or get_language()).first()


def navigation_pages(*, home):
    """The pages in the main navigation: the home page's children marked 'show in menus'."""
    if home is None:
        return Page.objects.none()
    return home.get_children().live().public().in_menu().specific()


def footer_pages(*, home):
    from participation.core.models import StandardPage

    if home is None:
        return StandardPage.objects.none()
    return StandardPage.objects.child_of(home).live().public().filter(show_in_footer=True)


def page_alternates(*, page=None, path=None):
    """The same page in each platform language, as a list of dicts: code, name, url, exists.

    For a Wagtail page, `exists` is false when the language only has an alias of the original (or nothing, in which
    case the url is that language's home page). For any other view, the path is translated through URL patterns.
    """
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    alternates = []
    if page is not None:
        translations = {
            p.locale_id: p for p in Page.objects.filter(translation_key=page.translation_key).select_related("locale")
        }
    for code, name in settings.LANGUAGES:
        exists = True
        if page is not None:
            translation = translations.get(locales[code].pk) if code in locales else None
            if translation is None or not translation.live:
                home = home_page_for_language(code)
                url = home.url if home else f"/{code}/"
                exists = False
            else:
                url = translation.url
                exists = translation.alias_of_id is None
        else:
            url = translate_url(path, code)
        alternates.append({"code": code, "name": name, "url": url, "exists": exists})
    return alternates


def pages_in_language(*, pages, locale):
    """The versions in `locale` (translations or aliases) of some pages, for relations kept on one language's pages."""
    keys = pages.values("translation_key")
    return Page.objects.filter(translation_key__in=keys, locale=locale).live().public().specific()
