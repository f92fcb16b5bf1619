"""The filters of the public lists, on django-filter like the admin's (WagtailFilterSet): one filter system.

A public filter set is a GET form that works without JavaScript: each filter is a group of checkboxes whose chosen
values widen the results (any of them), while the groups narrow them (all at once). Choices come from a vocabulary
(its terms in the active language, by stable key) or from a function, read when the filter set is made. Unknown
parameters and values are ignored, never an error. On top of the form, the panel's groups and the "chips" of the
active values, each with the query string that removes it. Keywords go through the site search (one engine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import get_language

from participation.core.selectors import FilterGroup, FilterOption, vocabulary_choices
from participation.search.selectors import matching_ids

# The parameters that say where a list is (a page number, or the cursors of a list paged by keyset): a change of
# filters starts the list again.
LIST_POSITION_PARAMS = ("page", "after", "before")


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """One group of checkboxes: the query parameter is the filter's name, `field_name` the lookup it filters on."""

    def __init__(
        self,
        *args: Any,
        vocabulary: Any = None,
        choices_function: Callable[[], Iterable[tuple[Any, Any]]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.vocabulary = vocabulary
        self.choices_function = choices_function
        super().__init__(*args, choices=(), **kwargs)

    def current_choices(self) -> list[tuple[str, str]]:
        """(key, label) pairs in display order, in the active language."""
        if self.vocabulary is not None:
            return vocabulary_choices(model=self.vocabulary, language=get_language())
        assert self.choices_function is not None, "a filter has a vocabulary or a choices function"
        return [(str(key), str(label)) for key, label in self.choices_function()]


class PublicFilterSet(django_filters.FilterSet):
    """A public list's filters: the form, the groups of the panel and the active values (see the module).

    A list whose items the site search indexes sets `keyword_source` (the search source, and a kind within it):
    its keyword field (`q`) then finds items through the site search's engine, combined with the other filters."""

    keyword_source: tuple[str, str | None] | None = None

    def __init__(self, data: QueryDict | None = None, queryset: QuerySet | None = None, **kwargs: Any) -> None:
        params = data if data is not None else QueryDict()
        self.params = params
        self.choices: dict[str, list[tuple[str, str]]] = {}
        known = QueryDict(mutable=True)
        for name, choices_filter in self.base_filters.items():
            self.choices[name] = choices_filter.current_choices()
            keys = {key for key, _label in self.choices[name]}
            chosen = [value for value in params.getlist(name) if value in keys]
            if chosen:
                known.setlist(name, chosen)
        super().__init__(known, queryset=queryset, **kwargs)
        for name, choices in self.choices.items():
            self.filters[name].extra["choices"] = choices
            self.form.fields[name].choices = choices

    @property
    def searchable(self) -> bool:
        return self.keyword_source is not None

    @cached_property
    def query(self) -> str:
        """The keywords as typed (spaces collapsed, 200 characters at most)."""
        return " ".join(self.params.get("q", "").split())[:200] if self.searchable else ""

    @cached_property
    def selected(self) -> dict[str, list[str]]:
        return {name: self.data.getlist(name) for name in self.filters if self.data.getlist(name)}

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Any chosen value of a group, and every group at once; through the primary key, so that filtering on a
        many-to-many relation neither repeats nor multiplies rows."""
        condition = Q()
        for name, values in self.selected.items():
            condition &= Q(**{f"{self.filters[name].field_name}__in": values})
        if condition:
            queryset = queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))
        if self.keyword_source is not None and self.query:
            source_type, kind = self.keyword_source
            found = matching_ids(query=self.query, source_type=source_type, language=get_language(), kind=kind)
            queryset = queryset.filter(pk__in=found)
        return queryset

    @cached_property
    def groups(self) -> list[FilterGroup]:
        selected = self.selected
        groups = []
        for name, choices_filter in self.filters.items():
            chosen = selected.get(name, [])
            group = FilterGroup(param=name, label=str(choices_filter.label))
            for key, label in self.choices[name]:
                remaining = self.params.copy()
                remaining.setlist(name, [value for value in chosen if value != key])
                for position in LIST_POSITION_PARAMS:
                    remaining.pop(position, None)
                group.options.append(
                    FilterOption(
                        param=name, key=key, label=label, checked=key in chosen, remove_query=remaining.urlencode()
                    )
                )
            groups.append(group)
        return groups

    @property
    def active(self) -> list[FilterOption]:
        return [option for group in self.groups for option in group.options if option.checked]
