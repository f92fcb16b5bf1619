"""Reads of the public API: one page of each resource in a fixed number of queries, as plain dicts (the shapes of
schemas.py).

Lists are read by keyset (`pk` after the cursor's, ascending): a stable order, and a page costs the same wherever it
is in the list. Only public facts are read: live pages that no view restriction hides, published initiatives, the
providers' public descriptions; never contacts, registrations, subscribers, requests or submissions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from wagtail.models import Page

from participation.articles.models import ArticlePage
from participation.core.models import Commune, PurchasingLot
from participation.core.models.translations import TranslationRecord
from participation.core.models.vocabularies import VOCABULARY_MODELS, VocabularyTerm
from participation.core.translation_selectors import provenance_records
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation
from participation.initiatives.selectors import initiative_export_rows
from participation.network.models import EventPage
from participation.providers.models import Provider, PurchasingCentrePage
from participation.toolbox.models import SheetKind, ToolboxSheetPage

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass
class ItemPage:
    """One page of a list: its items, the key after which the next page starts (None at the end), and the latest
    change among the items (Last-Modified)."""

    items: list[dict[str, Any]]
    after: int | None
    last_modified: datetime | None


def _keyset(queryset: QuerySet[Any], *, after: int, limit: int) -> tuple[list[Any], int | None]:
    """The rows after `after` in primary-key order, at most `limit`, and the key to continue from (or None)."""
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    if len(rows) > limit:
        return rows[:limit], rows[limit - 1].pk
    return rows, None


def _provenance(record: TranslationRecord | None) -> dict[str, Any] | None:
    if record is None or record.pending:
        return None
    date = timezone.localdate(record.translated_at) if record.translated_at else None  # the day in Brussels
    return {"kind": record.provenance, "date": date}


def _latest(values: list[datetime | None]) -> datetime | None:
    return max((value for value in values if value is not None), default=None)


# Pages (sheets, articles, events).


def _page_versions(*, pages: list[Page], request: HttpRequest) -> dict[tuple[str, str], str]:
    """(translation key, language) → the absolute address of that page's public version in the language (a
    translation or an alias of the original), in one query."""
    keys = [page.translation_key for page in pages]
    versions = (
        Page.objects.filter(translation_key__in=keys, locale__language_code__in=LANGUAGE_CODES)
        .live()
        .public()
        .select_related("locale")
    )
    return {
        (str(version.translation_key), version.locale.language_code): version.get_full_url(request) or ""
        for version in versions
    }


def _page_common(*, pages: list[Any], request: HttpRequest) -> tuple[Callable[[Any], dict[str, Any]], datetime | None]:
    """The fields every page item has (id, addresses, language of its text, provenance), as a function of a page."""
    urls = _page_versions(pages=pages, request=request)
    records: dict[tuple[str, str], TranslationRecord] = {}
    for model in {type(page) for page in pages}:
        records.update(
            provenance_records(model=model, object_keys=[str(p.translation_key) for p in pages if type(p) is model])
        )

    def common(page: Any) -> dict[str, Any]:
        key = str(page.translation_key)
        language = page.content_language
        return {
            "id": key,
            "url": urls.get((key, page.locale.language_code), ""),
            "html_urls": {code: urls.get((key, code)) for code in LANGUAGE_CODES},
            "text_language": language,
            "provenance": _provenance(records.get((key, language))),
            "last_published_at": page.last_published_at,
        }

    return common, _latest([page.last_published_at for page in pages])


def _keys(terms: Any) -> list[str]:
    return [term.key for term in terms.all()]


def _key(term: VocabularyTerm | None) -> str | None:
    return term.key if term is not None else None


def public_pages(model: type[Page], *, language: str) -> QuerySet[Any]:
    """The live pages of a type in a language's tree that anyone may see (no view restriction on them or above)."""
    return model.objects.live().public().filter(locale__language_code=language)


def sheet_items(*, sheets: QuerySet[ToolboxSheetPage], after: int, limit: int, request: HttpRequest) -> ItemPage:
    """Toolbox sheets with their place in the vocabularies and, for a method, its structured profile (keys)."""
    rows, next_after = _keyset(
        sheets.select_related("category", "time_needed", "facilitation", "locale", "alias_of__locale").prefetch_related(
            "levels", "phases", "group_sizes", "budget_bands", "formats", "complexity", "polarisation", "audiences"
        ),
        after=after,
        limit=limit,
    )
    common, latest = _page_common(pages=rows, request=request)
    items = []
    for sheet in rows:
        method = None
        if sheet.kind == SheetKind.METHOD:
            method = {
                "group_sizes": _keys(sheet.group_sizes),
                "time_needed": _key(sheet.time_needed),
                "budget_bands": _keys(sheet.budget_bands),
                "facilitation": _key(sheet.facilitation),
                "formats": _keys(sheet.formats),
                "complexity": _keys(sheet.complexity),
                "polarisation": _keys(sheet.polarisation),
                "audiences": _keys(sheet.audiences),
                "language_handling": sheet.language_handling or None,
            }
        items.append(
            {
                **common(sheet),
                "title": sheet.title,
                "lead": sheet.lead,
                "kind": sheet.kind,
                "category": sheet.category.key,
                "date": sheet.date,
                "reading_minutes": sheet.reading_minutes,
                "levels": _keys(sheet.levels),
                "phases": _keys(sheet.phases),
                "method": method,
            }
        )
    return ItemPage(items=items, after=next_after, last_modified=latest)


def article_items(*, articles: QuerySet[ArticlePage], after: int, limit: int, request: HttpRequest) -> ItemPage:
    rows, next_after = _keyset(
        articles.select_related("locale", "alias_of__locale").prefetch_related("themes"), after=after, limit=limit
    )
    common, latest = _page_common(pages=rows, request=request)
    items = [
        {
            **common(article),
            "title": article.title,
            "lead": article.lead,
            "date": article.date,
            "author": article.author,
            "themes": _keys(article.themes),
            "reading_minutes": article.reading_minutes,
            "is_demo": article.is_demo,
        }
        for article in rows
    ]
    return ItemPage(items=items, after=next_after, last_modified=latest)


def event_items(*, events: QuerySet[EventPage], after: int, limit: int, request: HttpRequest) -> ItemPage:
    """Events and trainings: dates, sessions, place or online address (when public), registration terms and the
    address of the event's calendar file. Never who registered."""
    rows, next_after = _keyset(
        events.select_related("format", "commune", "locale", "alias_of__locale").prefetch_related(
            "themes", "audiences", "sessions", "session_languages"
        ),
        after=after,
        limit=limit,
    )
    common, latest = _page_common(pages=rows, request=request)
    items = []
    for event in rows:
        place = None
        if event.venue_name or event.street_address:
            place = {
                "name": event.venue_name,
                "street_address": event.street_address,
                "postcode": event.postcode,
                "commune": _key(event.commune),
                "latitude": float(event.latitude) if event.latitude is not None else None,
                "longitude": float(event.longitude) if event.longitude is not None else None,
            }
        items.append(
            {
                **common(event),
                "title": event.title,
                "lead": event.lead,
                "event_type": event.event_type,
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
                "sessions": [
                    {"starts_at": session.starts_at, "ends_at": session.ends_at} for session in event.session_list()
                ],
                "format": event.format.key,
                "themes": _keys(event.themes),
                "audiences": _keys(event.audiences),
                "session_languages": sorted(locale.language_code for locale in event.session_languages.all()),
                "place": place,
                "online_url": event.online_url if event.online_url_public and event.online_url else None,
                "registration_required": event.registration_required,
                "registration_deadline": event.registration_deadline,
                "ical_url": request.build_absolute_uri(event.route_url("ics")),
                "is_demo": event.is_demo,
            }
        )
    return ItemPage(items=items, after=next_after, last_modified=latest)


# Initiatives: the map's selection, with the columns of the open exports.


def initiative_index_pages() -> dict[str, InitiativeIndexPage]:
    """The live map page of each language (the initiatives' pages are its routes)."""
    pages = {code: InitiativeIndexPage.for_language(code) for code in LANGUAGE_CODES}
    return {code: page for code, page in pages.items() if page is not None}


def initiative_items(
    *, initiatives: QuerySet[Initiative], language: str, after: int, limit: int, request: HttpRequest
) -> ItemPage:
    """Initiatives of a selection (initiatives.selectors.initiative_selection: the map's filters), with the columns
    of the open exports (initiative_export_rows) and their pages in every language. Without a map page there is no
    public initiative page: the list is empty."""
    rows, next_after = _keyset(initiatives.values_list("pk", "updated_at", named=True), after=after, limit=limit)
    indexes = initiative_index_pages()
    index = indexes.get(language) or next(iter(indexes.values()), None)
    if index is None:
        return ItemPage(items=[], after=None, last_modified=None)
    ids = [row.pk for row in rows]
    chosen = Initiative.objects.filter(pk__in=ids).order_by("pk")
    exported = initiative_export_rows(
        initiatives=chosen, language=language, index=index, absolute=request.build_absolute_uri
    )
    slugs = {
        (pk, code): slug
        for pk, code, slug in InitiativeTranslation.objects.filter(initiative_id__in=ids).values_list(
            "initiative_id", "language", "slug"
        )
    }
    items = []
    for row in exported:
        pk = row["id"]
        original = slugs.get((pk, row["original_language"]), "")
        html_urls = {
            code: request.build_absolute_uri(page.route_url("detail", pk=pk, slug=slugs.get((pk, code), original)))
            for code, page in indexes.items()
        }
        provenance = None
        if row["text_provenance"]:
            provenance = {"kind": row["text_provenance"], "date": row["text_provenance_date"] or None}
        items.append(
            {**row, "html_urls": {code: html_urls.get(code) for code in LANGUAGE_CODES}, "provenance": provenance}
        )
    return ItemPage(items=items, after=next_after, last_modified=_latest([row.updated_at for row in rows]))


# The purchasing centre.


def _centre_pages() -> dict[str, PurchasingCentrePage]:
    pages = PurchasingCentrePage.objects.live().public().filter(locale__language_code__in=LANGUAGE_CODES)
    return {page.locale.language_code: page for page in pages.select_related("locale")}


def provider_items(
    *, providers: QuerySet[Provider], language: str, after: int, limit: int, request: HttpRequest
) -> ItemPage:
    """Providers with their public description (in `language`, French or the one they wrote), lots, methods (the
    French slugs of the method sheets, the methods' keys) and working languages. Their contact address is left out:
    it is on their page."""
    rows, next_after = _keyset(
        providers.prefetch_related("texts", "lots", "methods", "working_languages"), after=after, limit=limit
    )
    centres = _centre_pages()
    records = provenance_records(model=Provider, object_keys=[str(provider.pk) for provider in rows])
    items = []
    for provider in rows:
        text = provider.text(language)
        urls = {
            code: request.build_absolute_uri(centre.route_url("provider", slug=provider.slug))
            for code, centre in centres.items()
        }
        text_language = text.language if text else language
        items.append(
            {
                "id": provider.pk,
                "slug": provider.slug,
                "url": urls.get(language, ""),
                "html_urls": {code: urls.get(code) for code in LANGUAGE_CODES},
                "text_language": text_language,
                "provenance": _provenance(records.get((str(provider.pk), text_language))),
                "name": provider.name,
                "description": text.description if text else "",
                "services": text.service_list() if text else [],
                "lots": [lot.key for lot in sorted(provider.lots.all(), key=lambda lot: lot.number)],
                "methods": sorted(sheet.slug for sheet in provider.methods.all()),
                "working_languages": sorted(locale.language_code for locale in provider.working_languages.all()),
                "website": provider.website or None,
                "is_demo": provider.is_demo,
            }
        )
    return ItemPage(items=items, after=next_after, last_modified=None)


# Vocabularies.


def vocabulary_name(model: type[VocabularyTerm]) -> str:
    """A vocabulary's name in the API's addresses: its model in kebab case (`participation-level`)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", model.__name__).lower()


VOCABULARIES: dict[str, type[VocabularyTerm]] = {
    vocabulary_name(model): model  # type: ignore[type-abstract]  # the concrete vocabularies
    for model in VOCABULARY_MODELS
}


def _terms(model: type[VocabularyTerm], *, language: str, fields: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The terms of a vocabulary in its editorial order, labelled in `language` (French where a term is not
    translated yet, which `text_language` says), in one query."""
    ordering = [str(name).lstrip("-") for name in model._meta.ordering or ["sort_order", "label"]]
    columns = {"key", "label", "description", "sort_order", "locale__language_code", *fields, *ordering}
    rows = model.objects.filter(locale__language_code__in={language, settings.LANGUAGE_CODE}).values(*columns)
    canonical: dict[str, dict[str, Any]] = {}
    translated: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["locale__language_code"] == settings.LANGUAGE_CODE:
            canonical[row["key"]] = row
        if row["locale__language_code"] == language:
            translated[row["key"]] = row
    terms = []
    for key, row in sorted(canonical.items(), key=lambda item: tuple(item[1][name] for name in ordering)):
        shown = translated.get(key, row)
        terms.append(
            {
                "key": key,
                "label": shown["label"],
                "description": shown["description"],
                "text_language": shown["locale__language_code"],
                "order": row["sort_order"],
                **{name: row[name] for name in fields},
            }
        )
    return terms


def vocabulary_list(*, language: str) -> list[dict[str, Any]]:
    """Every shared vocabulary with its terms (one query per vocabulary: a fixed number)."""
    return [
        {
            "name": name,
            "label": str(capfirst(model._meta.verbose_name_plural)),
            "terms": _terms(model, language=language),
        }
        for name, model in VOCABULARIES.items()
    ]


def vocabulary_terms_of(*, name: str, language: str) -> dict[str, Any] | None:
    model = VOCABULARIES.get(name)
    if model is None:
        return None
    return {
        "name": name,
        "label": str(capfirst(model._meta.verbose_name_plural)),
        "terms": _terms(model, language=language),
    }


def commune_items(*, language: str, request: HttpRequest) -> list[dict[str, Any]]:
    """The 19 communes with their postcodes, centre and page on the map in each language."""
    indexes = initiative_index_pages()
    counts = dict(
        Initiative.objects.published()
        .values("communes__key")
        .annotate(count=Count("pk", distinct=True))
        .values_list("communes__key", "count")
    )
    items = []
    for term in _terms(Commune, language=language, fields=("postcodes", "latitude", "longitude")):
        urls = {
            code: request.build_absolute_uri(page.route_url("commune", key=term["key"]))
            for code, page in indexes.items()
        }
        items.append(
            {
                "key": term["key"],
                "label": term["label"],
                "text_language": term["text_language"],
                "postcodes": [code.strip() for code in term["postcodes"].split(",") if code.strip()],
                "latitude": float(term["latitude"]),
                "longitude": float(term["longitude"]),
                "initiatives": counts.get(term["key"], 0),
                "url": urls.get(language),
                "html_urls": {code: urls.get(code) for code in LANGUAGE_CODES},
            }
        )
    return items


def lot_items(*, language: str, request: HttpRequest) -> list[dict[str, Any]]:
    """The six lots of the purchasing centre with their number of providers and page in each language."""
    centres = _centre_pages()
    counts = dict(
        PurchasingLot.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .annotate(count=Count("providers"))
        .values_list("key", "count")
    )
    items = []
    for term in _terms(PurchasingLot, language=language, fields=("number",)):
        urls = {
            code: request.build_absolute_uri(centre.route_url("lot", number=term["number"]))
            for code, centre in centres.items()
        }
        items.append(
            {
                "number": term["number"],
                "key": term["key"],
                "label": term["label"],
                "description": term["description"],
                "text_language": term["text_language"],
                "providers": counts.get(term["key"], 0),
                "url": urls.get(language),
                "html_urls": {code: urls.get(code) for code in LANGUAGE_CODES},
            }
        )
    return items
