"""Writes on the page tree: the site's home pages in every language, new pages and their translations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_save
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Locale, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from participation.core.models import HomePage
from participation.core.page_cache import page_cache_paused
from participation.search.services import search_updates_paused

P = TypeVar("P", bound=Page)
Translations = dict[str, dict[str, Any]]  # language code → field values


class _WriteWatch:
    """Notes whether rows were written (inserted, updated or deleted), whichever way: `save()`, `QuerySet.update()`
    and bulk writes alike (signals see only the first). A statement that matched no row wrote nothing."""

    wrote = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        result = execute(sql, params, many, context)
        if not self.wrote and sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.wrote = context["cursor"].rowcount != 0
        return result


@contextmanager
def indexes_rebuilt_after() -> Iterator[None]:
    """Bulk writes (the demo content) without updating the search indexes, Wagtail's reference index and the page
    cache on every save, which would index each page several times over; all are rebuilt (or forgotten) once at the
    end, if anything was written (loading the demo content again into a site that has it writes nothing: rebuilding
    the indexes then took a third of the command's time)."""
    models = get_indexed_models()
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    watch = _WriteWatch()
    try:
        with (
            connection.execute_wrapper(watch),
            disable_reference_index_auto_update(),
            search_updates_paused(),
            page_cache_paused(),
        ):
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
    if watch.wrote:
        call_command("rebuild_references_index", verbosity=0)
        call_command("update_index", verbosity=0)
        call_command("rebuild_search_index", verbosity=0)


def locales_ensure() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}


def page_publish(page: P) -> P:
    page.save_revision().publish()
    return page


def page_aliases_ensure(*, page: Page) -> None:
    """Give a page an alias in every language that has no translation of it (what the admin does on creation)."""
    for locale in Locale.objects.exclude(pk=page.locale_id):
        if not page.has_translation(locale):
            page.copy_for_translation(locale, copy_parents=True, alias=True)


def page_create(*, parent: Page, page: P, translations: Translations | None = None) -> P:
    """Add a page under `parent` and publish it with its translations (see `page_release`)."""
    parent.add_child(instance=page)
    return page_release(page=page, translations=translations)


def page_release(*, page: P, translations: Translations | None = None) -> P:
    """Publish a page of the tree with its translations ({language code: fields}), published too; the languages
    without a translation get an alias of it, as the admin does on creation."""
    page_publish(page)
    for code, fields in (translations or {}).items():
        page_translation_save(source=page, locale=Locale.objects.get(language_code=code), fields=fields)
    page_aliases_ensure(page=page)
    return page


def page_translation_save(*, source: Page, locale: Locale, fields: dict[str, Any]) -> Page:
    """Create or update the translation of `source` in `locale` with translated `fields`, and publish it.

    An alias standing in for the missing translation is converted into an independent page first.
    """
    translation = source.get_translation_or_none(locale)
    if translation is None:
        translation = source.copy_for_translation(locale, copy_parents=True)
    translation = translation.specific
    if translation.alias_of_id:
        translation.alias_of = None
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return page_publish(translation)


@transaction.atomic
def site_homes_ensure(*, fields_by_language: Translations) -> dict[str, HomePage]:
    """The French home page as the default site's root, with its Dutch and English translations.

    Replaces Wagtail's placeholder welcome page on a fresh database; leaves existing home pages untouched.
    """
    locales = locales_ensure()
    default = settings.LANGUAGE_CODE
    home = HomePage.objects.filter(locale=locales[default]).first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(locale=locales[default], slug=f"home-{default}", **fields_by_language[default])
        root.add_child(instance=home)
        page_publish(home)
        site = Site.objects.filter(is_default_site=True).first()
        placeholder = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="participation")
        else:
            site.root_page = home
            site.save()
        if placeholder is not None and placeholder.specific_class is Page:
            placeholder.delete()
    homes = {default: home}
    for code, locale in locales.items():
        if code == default:
            continue
        existing = home.get_translation_or_none(locale)
        homes[code] = (
            existing.specific
            if existing
            else page_translation_save(
                source=home, locale=locale, fields={**fields_by_language[code], "slug": f"home-{code}"}
            )
        )
    return homes


def home_entry_point_ensure(*, home: HomePage, page: Page, position: int = 0) -> HomePage:
    """Show `page` among the home page's entry points (once), dropping entry points whose page was deleted."""
    home = HomePage.objects.get(pk=home.pk)
    entries = [
        ("entry_point", {"page": block.value["page"], "text": block.value["text"]})
        for block in home.entry_points
        if block.value["page"] is not None
    ]
    if any(value["page"].pk == page.pk for _type, value in entries):
        return home
    entries.insert(position, ("entry_point", {"page": page, "text": getattr(page, "lead", "")}))
    home.entry_points = entries
    return page_publish(home)


@transaction.atomic
def section_page_ensure(
    *, homes: dict[str, HomePage], model: type[P], fields_by_language: Translations, position: int
) -> dict[str, P]:
    """A section's page (toolbox, map…) under each language's home page, in the main navigation and among the
    home page's entry points, at `position` (0 = first).

    Databases set up before the section had its own page type hold a StandardPage at its address: it is replaced.
    """
    from participation.core.models import StandardPage

    default = settings.LANGUAGE_CODE
    home = homes[default]
    source = model.objects.child_of(home).first()
    if source is None:
        StandardPage.objects.child_of(home).filter(slug=fields_by_language[default]["slug"]).delete()
        source = model(**fields_by_language[default], show_in_menus=True)
        page_create(parent=home, page=source)
    pages = {default: model.objects.get(pk=source.pk)}
    for code, other_home in homes.items():
        if code == default:
            continue
        translation = source.get_translation_or_none(other_home.locale)
        if translation is None or translation.alias_of_id:
            StandardPage.objects.child_of(other_home).filter(slug=fields_by_language[code]["slug"]).delete()
            translation = page_translation_save(
                source=source, locale=other_home.locale, fields=fields_by_language[code]
            )
        pages[code] = translation.specific
    for code, page in pages.items():
        others = [sibling for sibling in homes[code].get_children().in_menu() if sibling.pk != page.pk]
        if position < len(others) and page.path > others[position].path:
            page.move(others[position], pos="left")
        home_entry_point_ensure(home=homes[code], page=page, position=position)
    return pages
