"""Filter panels driven by the query string (GET forms that work without JavaScript), shared by every list.

A `ListFilter` names a query parameter, a label, the queryset lookup it filters on, and where its choices come from
(a vocabulary, or fixed choices). Unknown parameters and values are ignored, never an error.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import get_language

from participation.core.selectors import vocabulary_terms


@dataclass(frozen=True)
class ListFilter:
    param: str
    label: str
    lookup: str
    vocabulary: type | None = None
    choices_function: Callable | None = None

    def choices(self):
        """(key, label) pairs in display order, in the active language."""
        if self.vocabulary is not None:
            return [(term.key, term.label) for term in vocabulary_terms(model=self.vocabulary, language=get_language())]
        return [(str(key), str(label)) for key, label in self.choices_function()]


@dataclass
class FilterState:
    selected: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)

    @property
    def active(self):
        return [item for group in self.groups for item in group["options"] if item["checked"]]

    def condition(self):
        """Any selected value of a filter, and every filter at once."""
        condition = Q()
        for list_filter, keys in self.selected.items():
            condition &= Q(**{f"{list_filter.lookup}__in": keys})
        return condition

    def apply(self, queryset):
        condition = self.condition()
        if not condition:
            return queryset
        return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


def filter_state(*, filters, params):
    """The panel's state from the query string: chosen values, and for each option the query that removes it."""
    state = FilterState()
    for list_filter in filters:
        choices = list_filter.choices()
        known = {key for key, _label in choices}
        chosen = [value for value in params.getlist(list_filter.param) if value in known]
        if chosen:
            state.selected[list_filter] = chosen
        items = []
        for key, label in choices:
            remaining = params.copy()
            remaining.setlist(list_filter.param, [value for value in chosen if value != key])
            remaining.pop("page", None)
            items.append(
                {
                    "param": list_filter.param,
                    "key": key,
                    "label": label,
                    "checked": key in chosen,
                    "remove_query": remaining.urlencode(),
                }
            )
        state.groups.append(
            {"param": list_filter.param, "label": list_filter.label, "options": items, "has_selection": bool(chosen)}
        )
    return state
