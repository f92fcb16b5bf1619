"""Reads of the toolbox: the filtered list of sheets, a sheet's related sheets and its neighbours among the phases."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participation.core.models import (
    BudgetBand,
    FacilitationLevel,
    Format,
    GroupSize,
    IssueComplexity,
    ParticipationLevel,
    Phase,
    PolarisationLevel,
    SheetCategory,
    TimeNeeded,
)
from participation.core.selectors import vocabulary_labels, vocabulary_terms
from participation.toolbox.models import SheetKind, ToolboxSheetPage


@dataclass(frozen=True)
class SheetFilter:
    param: str
    label: str
    lookup: str
    vocabulary: type | None = None

    def choices(self):
        """(key, label) pairs in editorial order, in the active language."""
        if self.vocabulary is None:
            return [(str(value), str(label)) for value, label in SheetKind.choices]
        return [(term.key, term.label) for term in vocabulary_terms(model=self.vocabulary, language=get_language())]


SHEET_FILTERS = [
    SheetFilter("type", _("Type"), "kind"),
    SheetFilter("category", _("Category"), "category__key", SheetCategory),
    SheetFilter("level", _("Participation level"), "levels__key", ParticipationLevel),
    SheetFilter("phase", _("Phase"), "phases__key", Phase),
    SheetFilter("size", _("Group size"), "group_sizes__key", GroupSize),
    SheetFilter("budget", _("Budget"), "budget_bands__key", BudgetBand),
    SheetFilter("time", _("Time needed"), "time_needed__key", TimeNeeded),
    SheetFilter("format", _("Format"), "formats__key", Format),
]


@dataclass
class FilterOptions:
    selected: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)

    @property
    def active(self):
        """The selected values with their labels and the address that removes each one."""
        return [item for group in self.groups for item in group["options"] if item["checked"]]


def sheet_filter_options(*, params):
    """The filter panel's state from the query string. Unknown parameters and values are ignored."""
    options = FilterOptions()
    for sheet_filter in SHEET_FILTERS:
        choices = sheet_filter.choices()
        known = {key for key, _label in choices}
        chosen = [value for value in params.getlist(sheet_filter.param) if value in known]
        if chosen:
            options.selected[sheet_filter] = chosen
        items = []
        for key, label in choices:
            remaining = params.copy()
            remaining.setlist(sheet_filter.param, [v for v in chosen if v != key])
            items.append(
                {
                    "param": sheet_filter.param,
                    "key": key,
                    "label": label,
                    "checked": key in chosen,
                    "remove_query": remaining.urlencode(),
                }
            )
        options.groups.append(
            {"param": sheet_filter.param, "label": sheet_filter.label, "options": items, "has_selection": bool(chosen)}
        )
    return options


def sheets_filtered(*, index, selected):
    """Live sheets of a toolbox, matching any selected value of each filter and every filter at once."""
    condition = Q()
    for sheet_filter, keys in selected.items():
        condition &= Q(**{f"{sheet_filter.lookup}__in": keys})
    sheets = ToolboxSheetPage.objects.child_of(index).live().public()
    if condition:
        sheets = sheets.filter(pk__in=ToolboxSheetPage.objects.filter(condition).values("pk"))
    return sheets.select_related("category", "locale", "alias_of__locale").order_by("category__sort_order", "title")


def sheet_kind_label(kind):
    return dict(SheetKind.choices).get(kind, kind)


def related_sheets(*, sheet):
    """The sheet's related sheets, in the sheet's language (their translation, or their alias)."""
    keys = sheet.related_sheets.values("translation_key")
    return (
        ToolboxSheetPage.objects.filter(translation_key__in=keys, locale_id=sheet.locale_id)
        .live()
        .select_related("category", "locale", "alias_of__locale")
        .order_by("title")
    )


def phase_neighbours(*, sheet):
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


METHOD_PROFILE = [
    (_("Participation level"), ParticipationLevel, "levels"),
    (_("Phases"), Phase, "phases"),
    (_("Optimal group size"), GroupSize, "group_sizes"),
    (_("Time needed"), TimeNeeded, "time_needed"),
    (_("Budget"), BudgetBand, "budget_bands"),
    (_("Facilitation"), FacilitationLevel, "facilitation"),
    (_("Format"), Format, "formats"),
    (_("Suitable complexity of the issue"), IssueComplexity, "complexity"),
    (_("Suitable polarisation of the issue"), PolarisationLevel, "polarisation"),
]


def method_profile(*, sheet):
    """A method's structured attributes as (label, [values]) in the active language; empty ones left out."""
    if sheet.kind != SheetKind.METHOD:
        return []
    profile = []
    for label, model, attribute in METHOD_PROFILE:
        value = getattr(sheet, attribute)
        terms = [value] if isinstance(value, model) else list(value.all()) if value is not None else []
        if terms:
            labels = vocabulary_labels(model=model, language=get_language())
            profile.append((label, [labels.get(term.key, term.label) for term in terms]))
    return profile
