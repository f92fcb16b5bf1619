"""Reads shared by every domain: vocabularies, navigation, translations of a page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import translate_url
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from wagtail.models import Locale, Page, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.query import PageQuerySet

from participation.core.page_cache import page_cache_generation
from participation.core.translation_selectors import pending_page_sources

if TYPE_CHECKING:
    from participation.core.models import HomePage, VocabularyTerm

V = TypeVar("V", bound="VocabularyTerm")
P = TypeVar("P", bound=Page)
T = TypeVar("T")


VOCABULARY_CACHE_TIMEOUT = 24 * 3600


def _vocabulary_cache_key(model: type[VocabularyTerm], language: str) -> str:
    return f"vocabulary:{model._meta.label_lower}:{language}"


def vocabulary_labels(*, model: type[VocabularyTerm], language: str) -> dict[str, str]:
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


def vocabulary_labels_clear(*, model: type[VocabularyTerm]) -> None:
    cache.delete_many(
        [
            key
            for code, _name in settings.LANGUAGES
            for key in (_vocabulary_cache_key(model, code), _vocabulary_cache_key(model, code) + ":choices")
        ]
    )


def vocabulary_terms(*, model: type[V], language: str | None = None) -> QuerySet[V]:
    """The terms of one vocabulary in the active language, in their editorial order."""
    terms = model.objects.filter(locale__language_code=language or get_language())
    return terms.order_by(*(model._meta.ordering or ()))


def vocabulary_choices(*, model: type[VocabularyTerm], language: str) -> list[tuple[str, str]]:
    """(key, label) of one vocabulary's terms in `language`, in their editorial order: the options of a filter
    panel, cached as the labels are (every list page shows several vocabularies)."""
    key = _vocabulary_cache_key(model, language) + ":choices"
    choices = cache.get(key)
    if choices is None:
        choices = list(vocabulary_terms(model=model, language=language).values_list("key", "label"))
        cache.set(key, choices, VOCABULARY_CACHE_TIMEOUT)
    return choices


def term_slugs(*, model: type[VocabularyTerm], language: str) -> dict[str, str]:
    """Key → address of a vocabulary's terms in `language`: the label written as a slug (`schaarbeek`, `mobilite`),
    read from the cached labels."""
    return {key: slugify(label) or key for key, label in vocabulary_labels(model=model, language=language).items()}


def term_key_by_slug(*, model: type[VocabularyTerm], slug: str, language: str) -> tuple[str | None, bool]:
    """The key of the term whose address in `language` is `slug`, and True; or, for another language's address or
    the term's key (the addresses before they were translated), its key and False (the caller redirects); or None."""
    for key, own in term_slugs(model=model, language=language).items():
        if own == slug:
            return key, True
    for code, _name in settings.LANGUAGES:
        for key, other in term_slugs(model=model, language=code).items():
            if slug in (key, other):
                return key, False
    return None, False


# What every page of a language shows the same (the site shell's main navigation, footer links, home page's address,
# a page's versions in each language; a filter panel's options read from pages) is read once, then kept in the cache
# under the page cache's generation, which changes whenever a page or a record shown on the site changes
# (page_cache.page_cache_clear): a published page or a menu change shows at once. The timeout only bounds what a
# change made without signals leaves behind, as PAGE_CACHE_SECONDS does for kept pages.
UNTIL_CHANGE_SECONDS = 600


def cached_until_change(*, name: str, build: Callable[[], T]) -> T:
    """`build()`, kept until something shown on the site changes; `name` says what it is, for which language or
    page."""
    key = f"until-change:{page_cache_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, UNTIL_CHANGE_SECONDS)
    return value


def site_for_host(*, hostname: str, port: str) -> Site | None:
    """The Wagtail site that answers `hostname` on `port`, chosen as Wagtail chooses it (that host and port, that host
    as the default site, then the default site), kept until something shown on the site changes (a site is watched
    like a page). Wagtail looks it up with a query on every request, whose building alone took 3 of a page's 45 ms."""

    def build() -> Site | None:
        try:
            return get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None

    return cached_until_change(name=f"site:{hostname}:{port}", build=build)


def home_page_for_language(language: str | None = None) -> HomePage | None:
    """The home page of a language's tree (None before the site is set up)."""
    from participation.core.models import HomePage

    return HomePage.objects.filter(locale__language_code=language or get_language()).first()


# The privacy notice's address in each language (the site shell's footer page).
PRIVACY_SLUGS = {"fr": "vie-privee", "nl": "privacyverklaring", "en": "privacy-notice"}


def privacy_notice_url(language: str | None = None) -> str:
    """The privacy notice in the active language (every consent checkbox links to it)."""
    from participation.core.models import StandardPage

    language = language or get_language()
    page = StandardPage.objects.filter(locale__language_code=language, slug=PRIVACY_SLUGS.get(language)).first()
    return page.url if page else ""


def navigation_pages(*, home: Page | None) -> PageQuerySet:
    """The pages in the main navigation: the home page's children marked 'show in menus'."""
    if home is None:
        return Page.objects.none()
    return home.get_children().live().public().in_menu().specific()


def navigation_items(*, language: str, path: str = "") -> list[dict[str, Any]]:
    """The main navigation's links in `language` (title, url, current for the section `path` is in), kept until a
    page changes."""

    def build() -> list[tuple[str, str]]:
        pages = navigation_pages(home=home_page_for_language(language))
        return [(getattr(page, "menu_title", "") or page.title, page.url) for page in pages]

    links = cached_until_change(name=f"navigation:{language}", build=build)
    return [{"title": title, "url": url, "current": path.startswith(url)} for title, url in links]


def footer_pages(*, home: Page | None) -> PageQuerySet:
    from participation.core.models import StandardPage

    if home is None:
        return StandardPage.objects.none()
    return StandardPage.objects.child_of(home).live().public().filter(show_in_footer=True)


def footer_links(*, language: str) -> list[dict[str, str]]:
    """The footer's links to the platform's pages in `language` (title, url), kept until a page changes."""

    def build() -> list[dict[str, str]]:
        pages = footer_pages(home=home_page_for_language(language))
        return [{"title": page.menu_title or page.title, "url": page.url} for page in pages]

    return cached_until_change(name=f"footer:{language}", build=build)


def home_url(*, language: str) -> str:
    """The address of a language's home page, kept until a page changes."""

    def build() -> str:
        home = home_page_for_language(language)
        return home.url if home else f"/{language}/"

    return cached_until_change(name=f"home:{language}", build=build)


def page_alternates(*, page: Page | None = None, path: str | None = None) -> list[dict[str, Any]]:
    """The same page in each platform language, as a list of dicts: code, name, url, exists.

    For a Wagtail page, `exists` is false when the language only has an alias of the original or a translation not
    published yet (or nothing, in which
    case the url is that language's home page). For any other view, the path is translated through URL patterns.
    """
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    alternates = []
    translation = None
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
                pending = f"{translation.translation_key}:{translation.locale_id}" in pending_page_sources()
                exists = translation.alias_of_id is None and not pending
        else:
            url = translate_url(path or "/", code)
        alternates.append({"code": code, "name": name, "url": url, "exists": exists, "page": translation})
    return alternates


def hreflang_alternates(*, versions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The `hreflang` alternates of a page from its (language, address) versions, the same in its head and in the
    sitemap: every version plus `x-default` (the French one, or the first), or none when there is only one."""
    if len(versions) < 2:
        return []
    default = next((url for code, url in versions if code == settings.LANGUAGE_CODE), versions[0][1])
    return [*versions, ("x-default", default)]


def pages_in_language(*, pages: QuerySet[Page], locale: Locale) -> PageQuerySet:
    """The versions in `locale` (translations or aliases) of some pages, for relations kept on one language's pages."""
    keys = pages.values("translation_key")
    return Page.objects.filter(translation_key__in=keys, locale=locale).live().public().specific()


def page_in_default_language(*, page: P) -> P | None:
    """A page's version in the default language (French), which holds the relations edited on one language."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    return page.get_translation_or_none(Locale.objects.get(language_code=settings.LANGUAGE_CODE))


# The panel of a filtered list (components/filter_panel.html): groups of values, each with the query without it.
@dataclass
class FilterOption:
    param: str
    key: str
    label: str
    checked: bool
    remove_query: str
    count: int | None = None  # the number of results with this value, where a list counts them (the site search)


@dataclass
class FilterGroup:
    param: str
    label: str
    options: list[FilterOption] = field(default_factory=list)

    @property
    def has_selection(self) -> bool:
        return any(option.checked for option in self.options)


@dataclass
class RelatedLink:
    """One item of a "related" section (components/related_links.html): its address, title, the language of the
    title when it is not the page's, and whether it is demo content."""

    url: str
    title: str
    lang: str = ""
    is_demo: bool = False


def lot_name(*, number: int, label: str) -> str:
    """A purchasing-centre lot's name as its page's heading writes it."""
    return f"{gettext('Lot %(number)s') % {'number': number}}: {label}"


def page_links(*, pages: Iterable[Page]) -> list[RelatedLink]:
    """Related pages as links; a page shown in another language (an alias of an untranslated page) says which."""
    return [
        RelatedLink(
            url=page.url or "",
            title=page.title,
            lang=page.content_language if getattr(page, "is_fallback", False) else "",
            is_demo=getattr(page, "is_demo", False),
        )
        for page in pages
    ]


def announcements_expired(*, today: date | None = None) -> list[tuple[Page, date]]:
    """Pages whose body holds a dated announcement past its last day (the page already leaves it out): for editors,
    so that an announcement never goes stale silently. (page, last day) pairs, oldest first."""
    today = today or timezone.localdate()
    found = []
    for model in _models_with_body():
        for page in model.objects.live().filter(alias_of__isnull=True).select_related("locale"):
            for block in page.body:
                if block.block_type == "announcement" and block.value["show_until"] < today:
                    found.append((page, block.value["show_until"]))
    return sorted(found, key=lambda item: item[1])


def _models_with_body() -> list[type[Page]]:
    """Page models whose `body` is a stream that may hold dated announcements."""
    from wagtail.fields import StreamField
    from wagtail.models import get_page_models

    from participation.core.blocks import AnnouncementBlock

    models = []
    for model in get_page_models():
        field = next((f for f in model._meta.local_fields if f.name == "body"), None)
        if isinstance(field, StreamField) and any(
            isinstance(child, AnnouncementBlock) for child in field.stream_block.child_blocks.values()
        ):
            models.append(model)
    return models


# The home page's sections. Core imports no domain: each domain registers what it shows on the home page in its
# `home.py` (discovered when the apps are ready), and the home page asks them in their order.


@dataclass
class HomeSection:
    """A section of the home page: a heading, a few items drawn with the domain's own card (`card_template`, which
    receives `item`), and a link to the whole list."""

    key: str
    heading: str
    card_template: str
    items: list[Any]
    see_all_url: str = ""
    see_all_label: str = ""


HOME_SECTIONS: dict[str, tuple[int, Callable[[str], HomeSection | None]]] = {}


def home_section_register(*, key: str, order: int, build: Callable[[str], HomeSection | None]) -> None:
    """Add a section to the home page: `build(language)` returns it, or None when it has nothing to show."""
    HOME_SECTIONS[key] = (order, build)


def home_sections(*, language: str) -> list[HomeSection]:
    sections = []
    for _order, build in sorted(HOME_SECTIONS.values(), key=lambda entry: entry[0]):
        section = build(language)
        if section is not None and section.items:
            sections.append(section)
    return sections
