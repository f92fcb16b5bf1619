"""Reads of the toolbox: the filtered list of sheets, a sheet's related sheets and its neighbours among the phases."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F, Min, Q
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.query import PageQuerySet

from participation.core.filters import ChoicesFilter, PublicFilterSet
from participation.core.models import (
    Audience,
    BudgetBand,
    FacilitationLevel,
    Format,
    GroupSize,
    IssueComplexity,
    ParticipationLevel,
    Phase,
    PolarisationLevel,
    PurchasingLot,
    SheetCategory,
    TimeNeeded,
)
from participation.core.selectors import (
    RelatedLink,
    page_in_default_language,
    page_links,
    pages_in_language,
    vocabulary_labels,
)
from participation.core.structured_data import StructuredData, moment, platform
from participation.toolbox.models import SheetKind, ToolboxSheetPage


class SheetFilterSet(PublicFilterSet):
    keyword_source = ("page", "sheet")
    type = ChoicesFilter(field_name="kind", label=_("Type"), choices_function=lambda: SheetKind.choices)
    category = ChoicesFilter(field_name="category__key", label=_("Category"), vocabulary=SheetCategory)
    level = ChoicesFilter(field_name="levels__key", label=_("Participation level"), vocabulary=ParticipationLevel)
    phase = ChoicesFilter(field_name="phases__key", label=_("Phase"), vocabulary=Phase)
    size = ChoicesFilter(field_name="group_sizes__key", label=_("Group size"), vocabulary=GroupSize)
    budget = ChoicesFilter(field_name="budget_bands__key", label=_("Budget"), vocabulary=BudgetBand)
    time = ChoicesFilter(field_name="time_needed__key", label=_("Time needed"), vocabulary=TimeNeeded)
    format = ChoicesFilter(field_name="formats__key", label=_("Format"), vocabulary=Format)

    class Meta:
        model = ToolboxSheetPage
        fields: list[str] = []


def sheets_filtered(*, index: Page, params: QueryDict) -> tuple[SheetFilterSet, PageQuerySet]:
    """The filters, and the live sheets of a toolbox matching them, in category order."""
    filters = SheetFilterSet(params, queryset=ToolboxSheetPage.objects.child_of(index).live().public())
    sheets = filters.qs.select_related("category", "locale", "alias_of__locale")
    # Phase sheets in the order of a process (the phases' order), not alphabetically.
    phase_order = Min("phases__sort_order", filter=Q(kind=SheetKind.PHASE))
    return filters, sheets.annotate(phase_order=phase_order).order_by(
        "category__sort_order", F("phase_order").asc(nulls_first=True), "title"
    )


def related_sheets(*, sheet: ToolboxSheetPage) -> PageQuerySet:
    """The sheet's related sheets, in the sheet's language (their translation, or their alias)."""
    keys = sheet.related_sheets.values("translation_key")
    return (
        ToolboxSheetPage.objects.filter(translation_key__in=keys, locale_id=sheet.locale_id)
        .live()
        .select_related("category", "locale", "alias_of__locale")
        .order_by("title")
    )


def phase_neighbours(*, sheet: ToolboxSheetPage) -> tuple[ToolboxSheetPage | None, ToolboxSheetPage | None]:
    """The previous and next phase sheets in the order of the phases, for a phase sheet (else None, None)."""
    if sheet.kind != SheetKind.PHASE:
        return None, None
    phases = list(
        ToolboxSheetPage.objects.sibling_of(sheet)
        .live()
        .filter(kind=SheetKind.PHASE)
        .exclude(phases=None)
        .order_by("phases__sort_order")
    )
    position = next((i for i, page in enumerate(phases) if page.pk == sheet.pk), None)
    if position is None:
        return None, None
    previous = phases[position - 1] if position > 0 else None
    following = phases[position + 1] if position + 1 < len(phases) else None
    return previous, following


StrOrPromise = str | Promise

METHOD_PROFILE: list[tuple[StrOrPromise, Any, str]] = [  # label, vocabulary, attribute of the sheet
    (_("Participation level"), ParticipationLevel, "levels"),
    (_("Phases"), Phase, "phases"),
    (_("Optimal group size"), GroupSize, "group_sizes"),
    (_("Time needed"), TimeNeeded, "time_needed"),
    (_("Budget"), BudgetBand, "budget_bands"),
    (_("Facilitation"), FacilitationLevel, "facilitation"),
    (_("Format"), Format, "formats"),
    (_("Suitable complexity of the issue"), IssueComplexity, "complexity"),
    (_("Suitable polarisation of the issue"), PolarisationLevel, "polarisation"),
    (_("Audiences it suits"), Audience, "audiences"),
]


def method_profile(*, sheet: ToolboxSheetPage) -> list[tuple[StrOrPromise, list[str]]]:
    """A method's structured attributes as (label, [values]) in the active language; empty ones left out."""
    if sheet.kind != SheetKind.METHOD:
        return []
    profile: list[tuple[StrOrPromise, list[str]]] = []
    for label, model, attribute in METHOD_PROFILE:
        value = getattr(sheet, attribute)
        terms = [value] if isinstance(value, model) else list(value.all()) if value is not None else []
        if terms:
            labels = vocabulary_labels(model=model, language=get_language())
            profile.append((label, [labels.get(term.key, term.label) for term in terms]))
    if sheet.language_handling:
        profile.append((_("Several languages"), [sheet.get_language_handling_display()]))
    return profile


EXAMPLES_SHOWN = 6


def sheet_articles(*, sheet: ToolboxSheetPage) -> list[RelatedLink]:
    """Articles that link this sheet, in the sheet's language (through the reverse relation `articles`)."""
    related = getattr(page_in_default_language(page=sheet), "articles", None)
    if related is None:
        return []
    return page_links(pages=pages_in_language(pages=related.all(), locale=sheet.locale))


def sheet_examples(*, sheet: ToolboxSheetPage) -> tuple[list[RelatedLink], str]:
    """Published initiatives that illustrate a sheet (those that used a method, or ran at a process type's level),
    most recent first, and the address of the map showing all of them (empty when there is none).

    Read through the reverse relations (`initiatives`) so that the toolbox does not depend on the initiatives app.
    """
    related, query = None, {}
    if sheet.kind == SheetKind.METHOD:
        canonical = page_in_default_language(page=sheet)
        related, query = getattr(canonical, "initiatives", None), {"method": canonical.slug if canonical else ""}
    elif sheet.kind == SheetKind.PROCESS_TYPE:
        level = sheet.levels.first()
        related, query = getattr(level, "initiatives", None), {"level": level.key if level else ""}
    map_page = related.model.map_page() if related is not None else None
    if related is None or map_page is None:
        return [], ""
    language = get_language()
    initiatives = (
        related.published()
        .prefetch_related("translations")
        .order_by(F("start_date").desc(nulls_last=True), "-pk")[:EXAMPLES_SHOWN]
    )
    links = [initiative.related_link(map_page, language) for initiative in initiatives]
    return links, f"{map_page.url}?{urlencode(query)}" if links else ""


PROVIDERS_SHOWN = 6


def sheet_providers(*, sheet: ToolboxSheetPage) -> tuple[list[RelatedLink], str, list[RelatedLink]]:
    """For a method sheet: the purchasing centre's providers who master the method (through the reverse relation
    `providers`, so that the toolbox does not depend on the providers app), the directory filtered by the method, and
    the lots that deliver the phases the method belongs to (through `Phase.lots`)."""
    canonical = page_in_default_language(page=sheet) if sheet.kind == SheetKind.METHOD else None
    related = getattr(canonical, "providers", None)
    if canonical is None or related is None:
        return [], "", []
    centre = related.model.centre_page(get_language())
    if centre is None:
        return [], "", []
    providers = [provider.related_link(centre) for provider in related.order_by("name")[:PROVIDERS_SHOWN]]
    directory = f"{centre.route_url('directory')}?{urlencode({'method': canonical.slug})}" if providers else ""
    labels = vocabulary_labels(model=PurchasingLot, language=get_language())
    lots = [
        RelatedLink(
            url=centre.route_url("lot", number=lot.number), title=f"{lot.number}. {labels.get(lot.key, lot.label)}"
        )
        for lot in PurchasingLot.objects.filter(phases__in=canonical.phases.all()).distinct().order_by("number")
    ]
    return providers, directory, lots


def sheet_events(*, sheet: ToolboxSheetPage) -> list[RelatedLink]:
    """Upcoming events and trainings about a sheet, in the sheet's language, soonest first (through the reverse
    relation `events` of the events' sheets, so that the toolbox does not depend on the network app)."""
    related = getattr(page_in_default_language(page=sheet), "events", None)
    if related is None:
        return []
    upcoming = related.filter(ends_at__gte=timezone.now()).values("translation_key")
    pages = related.model.objects.filter(translation_key__in=upcoming, locale=sheet.locale).live().public()
    return page_links(pages=pages.select_related("locale", "alias_of__locale").order_by("starts_at"))


KIN_SHOWN = 8


def sheet_kin(*, sheet: ToolboxSheetPage) -> list[tuple[str, StrOrPromise, list[RelatedLink], str]]:
    """The sheets a sheet belongs with, both ways, as (anchor, heading, links, "see all" address): a process type's
    methods (those supporting its level), a phase's methods, a method's process types and phases. Most shared terms
    first (levels and phases in common), capped, with the toolbox filtered accordingly."""
    canonical = page_in_default_language(page=sheet)
    if canonical is None:
        return []
    levels = {term.pk for term in canonical.levels.all()}
    phases = {term.pk for term in canonical.phases.all()}
    siblings = (
        ToolboxSheetPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .live()
        .exclude(pk=canonical.pk)
        .prefetch_related("levels", "phases")
    )
    index = sheet.get_parent()

    def ranked(kind: str, by_levels: bool, by_phases: bool) -> list[ToolboxSheetPage]:
        found = []
        for other in siblings:
            if other.kind != kind:
                continue
            shared = (len(levels & {t.pk for t in other.levels.all()}) if by_levels else 0) + (
                len(phases & {t.pk for t in other.phases.all()}) if by_phases else 0
            )
            if shared:
                found.append((shared, other))

        def order(item: tuple[int, ToolboxSheetPage]) -> tuple[int, int, str]:
            shared, other = item
            # Phases in the process's order (the phases' order), never alphabetically.
            position = min((t.sort_order for t in other.phases.all()), default=0) if kind == SheetKind.PHASE else 0
            return (-shared, position, other.title)

        return [other for _shared, other in sorted(found, key=order)]

    def links(pages: list[ToolboxSheetPage]) -> list[RelatedLink]:
        keys = [page.translation_key for page in pages[:KIN_SHOWN]]
        local = {
            page.translation_key: page
            for page in ToolboxSheetPage.objects.filter(translation_key__in=keys, locale=sheet.locale)
            .live()
            .select_related("locale", "alias_of__locale")
        }
        return page_links(pages=[local[key] for key in keys if key in local])

    def see_all(param: str, keys: list[str]) -> str:
        return f"{index.url}?{urlencode([('type', SheetKind.METHOD), *((param, key) for key in keys)])}"

    level_keys = [term.key for term in canonical.levels.all()]
    phase_keys = [term.key for term in canonical.phases.all()]
    if sheet.kind == SheetKind.PROCESS_TYPE and levels:
        methods = ranked(SheetKind.METHOD, True, False)
        return [("methods", _("Methods for this type of process"), links(methods), see_all("level", level_keys))]
    if sheet.kind == SheetKind.PHASE and phases:
        methods = ranked(SheetKind.METHOD, False, True)
        return [("methods", _("Methods for this phase"), links(methods), see_all("phase", phase_keys))]
    if sheet.kind == SheetKind.METHOD:
        return [
            ("process-types", _("Types of process it serves"), links(ranked(SheetKind.PROCESS_TYPE, True, False)), ""),
            ("phases", _("Phases where it is used"), links(ranked(SheetKind.PHASE, False, True)), ""),
        ]
    return []


def sheet_structured_data(
    *, sheet: ToolboxSheetPage, toolbox: Page, profile: list[tuple[StrOrPromise, list[str]]], request: HttpRequest
) -> StructuredData:
    """A sheet as a schema.org LearningResource of the toolbox (a method sheet's profile as its keywords)."""
    url = request.build_absolute_uri(sheet.url)
    thing: dict[str, Any] = {
        "@type": "LearningResource",
        "name": sheet.title,
        "headline": sheet.title,
        "description": sheet.lead,
        "url": url,
        "inLanguage": sheet.content_language,
        "learningResourceType": sheet.category.display_label,
        "datePublished": moment(sheet.date),
        "dateModified": moment(sheet.last_published_at or timezone.now()),
        "timeRequired": f"PT{sheet.reading_minutes}M",
        "isAccessibleForFree": True,
        "publisher": platform(request=request),
        "isPartOf": {"@type": "Collection", "name": toolbox.title, "url": request.build_absolute_uri(toolbox.url)},
    }
    keywords = [value for _label, values in profile for value in values]
    if keywords:
        thing["keywords"] = keywords
    return StructuredData(thing=thing, url=url, title=sheet.title, language=sheet.content_language)
