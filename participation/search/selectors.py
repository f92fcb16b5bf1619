"""Searching the index: the results page (ranked, faceted, highlighted, corrected), the suggestions while typing,
and the keyword filter of every public list (`matching_ids`) — one engine for all.

Matching is the engine's (Wagtail's search framework: FTS5 on SQLite, full-text search on PostgreSQL) over the
analysed text of `participation.search.analysis`: every query word must be found, in any of its forms. The ranking
then puts, in order: documents in the page's language before those that exist only in another; a heading that is
the query itself (the sheet "Budget participatif" for "budget participatif"); the whole phrase in the heading; every
word in the heading; every word in the summary; every word in the item's terms (a theme, a method, a commune named
in any language); then the engine's own relevance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info, gettext_lazy
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, PlainText

from participation.core.selectors import FilterGroup, FilterOption
from participation.search import analysis
from participation.search.models import SearchDocument, SearchWord

PAGE_SIZE = 10
# The most relevant matches a results page ranks and counts facets over; a query matching more says so.
MAX_MATCHES = 5000
SUGGESTIONS = 8
SNIPPET_LENGTH = 240
CORRECTABLE_LENGTH = 5  # Words of five letters or more are corrected when nothing matches them.

KINDS = {
    "sheet": gettext_lazy("Toolbox sheets"),
    "initiative": gettext_lazy("Initiatives"),
    "article": gettext_lazy("Articles"),
    "event": gettext_lazy("Events"),
    "provider": gettext_lazy("Providers"),
    "lot": gettext_lazy("Purchasing-centre lots"),
    "page": gettext_lazy("Pages"),
}
MATCH_FIELDS = [
    "id",
    "site_language",
    "language",
    "kind",
    "heading",
    "summary",
    "tags",
    "themes",
    "communes",
    "level",
    "year",
]


def _engine_query(words: list[str]) -> Any:
    """Every word, in any of its forms (itself or its stem in French, Dutch or English)."""
    terms = [Or([PlainText(form) for form in analysis.word_forms(word)]) for word in words]
    return terms[0] if len(terms) == 1 else And(terms)


def _documents(*, language: str, members: bool) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.filter(site_language=language)
    return documents if members else documents.filter(members_only=False)


def _matching(words: list[str], documents: QuerySet[SearchDocument], limit: int) -> list[SearchDocument]:
    if not words:
        return []
    results = get_search_backend().search(_engine_query(words), documents, order_by_relevance=True)
    return list(results[:limit])


def _correction(words: list[str]) -> list[str]:
    """The query with each unknown word of five letters or more replaced by the most frequent indexed word one
    typing mistake away (a letter missing, added, changed, or two neighbours swapped), where there is one."""
    corrected = []
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    for word in words:
        if word in known or len(word) < CORRECTABLE_LENGTH:
            corrected.append(word)
            continue
        candidates = SearchWord.objects.filter(
            length__in=[len(word) - 1, len(word), len(word) + 1], word__startswith=word[0]
        ).values_list("word", "frequency")
        close = [(frequency, candidate) for candidate, frequency in candidates if _one_edit_apart(word, candidate)]
        corrected.append(max(close)[1] if close else word)
    return corrected


def _one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with one letter missing, added, changed, or two neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differences) == 1:
            return True
        first, *rest = differences
        return len(differences) == 2 and rest[0] == first + 1 and a[first] == b[first + 1] and a[first + 1] == b[first]
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _rank(documents: list[SearchDocument], words: list[str], phrase: str, language: str) -> list[SearchDocument]:
    def key(item: tuple[int, SearchDocument]) -> tuple[Any, ...]:
        position, document = item
        heading = analysis.words(document.heading)
        heading_words, summary_words = set(heading), set(analysis.words(document.summary))
        tag_words = set(analysis.words(document.tags))
        return (
            document.language != language,
            [word for word in heading if word not in analysis.STOP_WORDS] != words,
            phrase not in " ".join(heading),
            not all(_word_in(word, heading_words) for word in words),
            not all(_word_in(word, summary_words) for word in words),
            not all(_word_in(word, tag_words) for word in words),
            position,
        )

    return [document for _position, document in sorted(enumerate(documents), key=key)]


def _word_in(word: str, text_words: set[str]) -> bool:
    forms = set(analysis.word_forms(word))
    return any(
        text_word in forms or any(analysis.stem(text_word, code) in forms for code in analysis.STEMMERS)
        for text_word in text_words
    )


# Facets ----------------------------------------------------------------------------------------------------------


@dataclass
class Facets:
    """The facets of a results page, shaped like a public filter set for the shared filter panel."""

    groups: list[FilterGroup]
    query: str = ""
    searchable = True

    @property
    def active(self) -> list[FilterOption]:
        return [option for group in self.groups for option in group.options if option.checked]


def _facet_values(document: SearchDocument, name: str) -> list[str]:
    if name == "kind":
        return [document.kind]
    if name in ("theme", "commune"):
        keys = document.themes if name == "theme" else document.communes
        return [key for key in keys.split("|") if key]
    if name == "level":
        return [document.level] if document.level else []
    return [str(document.year)] if document.year else []


def _facet_labels(language: str) -> dict[str, tuple[str, dict[str, str]]]:
    from participation.core.models import Commune, ParticipationLevel, Theme

    return {
        "kind": (str(gettext_lazy("Kind")), {key: str(label) for key, label in KINDS.items()}),
        "theme": (str(gettext_lazy("Theme")), Theme.labels(language)),
        "commune": (str(gettext_lazy("Commune")), Commune.labels(language)),
        "level": (str(gettext_lazy("Participation level")), ParticipationLevel.labels(language)),
        "year": (str(gettext_lazy("Year")), {}),
    }


def _facets(
    documents: list[SearchDocument], selected: dict[str, list[str]], params: QueryDict, language: str
) -> tuple[Facets, list[SearchDocument]]:
    """Counts per value of each facet over the matches filtered by the other facets; the matches filtered by all."""

    def keep(document: SearchDocument, names: Iterable[str]) -> bool:
        return all(set(_facet_values(document, name)) & set(selected[name]) for name in names if name in selected)

    groups = []
    for name, (label, labels) in _facet_labels(language).items():
        others = [other for other in selected if other != name]
        counts: Counter[str] = Counter()
        for document in documents:
            if keep(document, others):
                counts.update(set(_facet_values(document, name)))
        order = sorted(counts, reverse=True) if name == "year" else [key for key in labels if key in counts]
        chosen = selected.get(name, [])
        group = FilterGroup(param=name, label=label)
        for key in order + [key for key in chosen if key not in counts]:
            remaining = params.copy()
            remaining.setlist(name, [value for value in chosen if value != key])
            remaining.pop("page", None)
            group.options.append(
                FilterOption(
                    param=name,
                    key=key,
                    label=labels.get(key, key),
                    checked=key in chosen,
                    remove_query=remaining.urlencode(),
                    count=counts.get(key, 0),
                )
            )
        if group.options:
            groups.append(group)
    kept = [document for document in documents if keep(document, selected)]
    return Facets(groups, query=_query_text(params.get("q", ""))), kept


# Snippets --------------------------------------------------------------------------------------------------------


def highlight(text: str, words: list[str], length: int | None = None) -> SafeString:
    """The text (around the first match when cut to `length`) with every word of the query, in any form or accent,
    in <mark>; escaped."""
    folded_chars = [analysis.fold(char) for char in text]
    folded = "".join(folded_chars)
    origins = [index for index, chars in enumerate(folded_chars) for _char in chars]  # folded position → text
    forms = {form for word in words for form in analysis.word_forms(word) if len(form) >= 2}
    spans = []
    for match in analysis.WORD.finditer(folded):
        token = match.group()
        hit = next((form for form in sorted(forms, key=len, reverse=True) if token.startswith(form)), None)
        if hit is not None or any(analysis.stem(token, code) in forms for code in analysis.STEMMERS):
            spans.append((origins[match.start()], origins[match.end() - 1] + 1))
    start, end = 0, len(text)
    if length is not None and len(text) > length:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - length // 3, len(text) - length))
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = text.rfind(" ", start, start + length) if start + length < len(text) else len(text)
        end = end if end > start else start + length
    pieces: list[str] = []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    snippet = "".join(pieces)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{snippet}{suffix}")  # every piece is escaped


# The results page ------------------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    document: SearchDocument
    title: SafeString
    snippet: SafeString
    kind_label: str
    language_name: str | None  # set when the text is not in the page's language


@dataclass
class SearchOutcome:
    query: str
    words: list[str]
    corrected_query: str | None = None
    total: int = 0
    capped: bool = False
    facets: Facets = field(default_factory=lambda: Facets([]))
    page: Page | None = None
    hits: list[SearchHit] = field(default_factory=list)
    filtered: bool = False
    query_string: str = ""  # the query and facets without the page number (for the pagination)


def _query_text(query: str) -> str:
    """The query as typed, within limits: no control characters, spaces collapsed, 200 characters at most."""
    printable = "".join(char if char.isprintable() else " " for char in query)
    return " ".join(printable.split())[:200]


def site_search(*, params: QueryDict, language: str, members: bool = False) -> SearchOutcome:
    """The results page of a query (`q`), its facets (`kind`, `theme`, `commune`, `level`, `year`) and page."""
    query = _query_text(params.get("q", ""))
    words = analysis.query_words(query)
    remaining = params.copy()
    remaining.pop("page", None)
    outcome = SearchOutcome(
        query=query, words=words, query_string=remaining.urlencode(), facets=Facets([], query=query)
    )
    if not words:
        return outcome
    documents = _documents(language=language, members=members).only(*MATCH_FIELDS)
    matches = _matching(words, documents, MAX_MATCHES + 1)
    if not matches:
        corrected = _correction(words)
        if corrected != words:
            matches = _matching(corrected, documents, MAX_MATCHES + 1)
            if matches:
                outcome.corrected_query, outcome.words = " ".join(corrected), corrected
    outcome.capped = len(matches) > MAX_MATCHES
    ranked = _rank(matches[:MAX_MATCHES], outcome.words, " ".join(outcome.words), language)
    names = ("kind", "theme", "commune", "level", "year")
    selected = {name: params.getlist(name) for name in names if params.getlist(name)}
    outcome.filtered = bool(selected)
    outcome.facets, chosen = _facets(ranked, selected, params, language)
    outcome.total = len(chosen)
    outcome.page = Paginator(chosen, PAGE_SIZE).get_page(params.get("page"))
    full = SearchDocument.objects.in_bulk([document.pk for document in outcome.page.object_list])
    for document in outcome.page.object_list:
        complete = full[document.pk]
        text = complete.summary or complete.body
        outcome.hits.append(
            SearchHit(
                document=complete,
                title=highlight(complete.heading, outcome.words),
                snippet=highlight(_body_snippet_source(complete, outcome.words, text), outcome.words, SNIPPET_LENGTH),
                kind_label=str(KINDS.get(complete.kind, complete.kind)),
                language_name=(
                    None if complete.language == language else str(get_language_info(complete.language)["name_local"])
                ),
            )
        )
    return outcome


def _body_snippet_source(document: SearchDocument, words: list[str], default: str) -> str:
    """The summary when it holds a word of the query, else the body's passage that does, else the summary."""
    for text in (document.summary, document.body):
        folded = set(analysis.words(text))
        if any(_word_in(word, folded) for word in words):
            return text
    return default


def suggestions(*, query: str, language: str, members: bool = False) -> list[dict[str, str]]:
    """Headings that start with what has been typed (each word a prefix), for the search box's list."""
    words = analysis.words(_query_text(query))[: analysis.QUERY_MAX_WORDS]
    if not words or len(" ".join(words)) < 2:
        return []
    results = get_search_backend().autocomplete(" ".join(words), _documents(language=language, members=members))
    found = []
    for document in results[: SUGGESTIONS * 2]:
        heading = analysis.words(document.heading)
        if all(any(heading_word.startswith(word) for heading_word in heading) for word in words):
            found.append(document)
    found.sort(key=lambda document: document.language != language)
    return [
        {
            "title": document.heading,
            "url": document.url,
            "kind": str(KINDS.get(document.kind, document.kind)),
            "lang": document.language,
        }
        for document in found[:SUGGESTIONS]
    ]


def _matching_sources(words: list[str], documents: QuerySet[SearchDocument]) -> QuerySet | list[int]:
    results = get_search_backend().search(_engine_query(words), documents, order_by_relevance=False)
    if hasattr(results, "get_queryset"):  # the database backends: a subquery, however many items match
        return results.get_queryset().order_by().values("source_id")
    return [document.source_id for document in results]  # a distributed engine: the ids themselves


def matching_ids(*, query: str, source_type: str, language: str, kind: str | None = None) -> QuerySet | list[int]:
    """The ids of the items of one source that a list's keyword (`q`) finds, through the same engine and analysis
    as the site search (a typing mistake corrected when nothing matches); for `pk__in`."""
    words = analysis.query_words(_query_text(query))
    if not words:
        return []
    documents = SearchDocument.objects.filter(site_language=language, source_type=source_type, members_only=False)
    if kind is not None:
        documents = documents.filter(kind=kind)
    matches = _matching_sources(words, documents)
    if matches.exists() if isinstance(matches, QuerySet) else matches:
        return matches
    corrected = _correction(words)
    return _matching_sources(corrected, documents) if corrected != words else matches
