"""Searching the index: the results page (ranked, faceted, highlighted, corrected), the suggestions while typing,
and the keyword filter of every public list (`matching_ids`) — one engine for all.

Matching is the engine's (Wagtail's search framework: FTS5 on SQLite, full-text search on PostgreSQL) over the
analysed text of `participation.search.analysis`: every query word must be found, in any of its forms. The ranking
then puts, in order: documents in the page's language before those that exist only in another; a heading that is
the query itself (the sheet "Budget participatif" for "budget participatif"); the whole phrase in the heading; every
word in the heading; every word in the summary; every word in the item's terms (a theme, a method, a commune named
in any language); then the newest. The engine only says which documents match (a condition its index answers);
the ranking, the facets' counts, the total and the page are SQL over the documents' stored columns, so a results
page is the same handful of queries whether ten or a hundred thousand documents match.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, StrIndex
from django.db.models.lookups import GreaterThan
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info, gettext_lazy

from participation.core.selectors import FilterGroup, FilterOption
from participation.search import analysis
from participation.search.engine import search_engine
from participation.search.models import SearchDocument, SearchWord

PAGE_SIZE = 10
SUGGESTIONS = 8
SNIPPET_LENGTH = 240
CORRECTABLE_LENGTH = 5  # Words of five letters or more are corrected when nothing matches them.
# The most matches a results page ranks and counts (and the suggestions sort): beyond, the page says "more than"
# and ranks the first ones the index finds, tier by tier (`_first_matches`), so that its cost does not grow with the
# number of matches (docs/decisions/0014-site-search.md).
MATCHES_AT_MOST = 1000

KINDS = {
    "sheet": gettext_lazy("Toolbox sheets"),
    "initiative": gettext_lazy("Initiatives"),
    "article": gettext_lazy("Articles"),
    "event": gettext_lazy("Events"),
    "provider": gettext_lazy("Providers"),
    "lot": gettext_lazy("Purchasing-centre lots"),
    "page": gettext_lazy("Pages"),
}


def _forms(words: list[str]) -> list[list[str]]:
    """Each query word with its stems in the three languages: any of them matches."""
    return [analysis.word_forms(word) for word in words]


def _documents(*, language: str, members: bool) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.filter(site_language=language)
    return documents if members else documents.filter(members_only=False)


def _matching(words: list[str], documents: QuerySet[SearchDocument]) -> tuple[Q, bool]:
    """The condition on the documents that holds every word, for the queries to rank, count and page in SQL, and
    whether the engine cut the list (a distributed engine gives its `engine.MAX_MATCHES` best; the database engines a
    condition that their index answers)."""
    match = search_engine().matching(_forms(words), documents)
    return match.condition, match.capped


def _first_ids(matches: QuerySet[SearchDocument]) -> list[int]:
    """The ids of the first matches, `MATCHES_AT_MOST` + 1 at most: whether anything matches, and whether more than
    the page ranks and counts. One read through the full-text index, never `exists()`: for `LIMIT 1`, PostgreSQL
    reckons that reading the documents in turn meets a match at once, and reads every document's vector when none
    does (8 s at 300,000 documents)."""
    return list(matches.values_list("pk", flat=True)[: MATCHES_AT_MOST + 1])


def _holds(column: str, text: str) -> Q:
    """The document's `column` holds `text`: a position in the text (`strpos`, SQLite's `instr`), not
    `LIKE '%…%'`: the ranking tests a dozen forms on each of a thousand matches, and PostgreSQL's `LIKE` on UTF-8
    text took 11 of the ranking's 15 ms (`espace public` at 100,000 initiatives). The analysed columns and what is
    looked for are lower-case ASCII, so both are the same test."""
    return Q(GreaterThan(StrIndex(column, Value(text)), 0))


def _every_word_in(column: str, words: list[str]) -> Q:
    """Every word of the query, in one of its forms, among a document's analysed terms (`column`)."""
    condition = Q()
    for word in words:
        any_form = Q()
        for form in analysis.word_forms(word):
            any_form |= _holds(column, f" {form} ")
        condition &= any_form
    return condition


# Qualified: where `_among` meets a join, a bare `id` would be ambiguous.
_ID = f"{connection.ops.quote_name(SearchDocument._meta.db_table)}.{connection.ops.quote_name('id')}"


def _among(ids: list[int]) -> Q:
    """The documents of these ids (the first matches, a thousand at most), which the facets, the count and the
    ranking read by primary key: on PostgreSQL as one array (`id = ANY(…)`), which costs less to send, parse and plan
    than `IN` with a parameter per id (a thousand ids: 14 to 24 ms → 6 to 7 ms at load 7); written as the array's
    text here, where psycopg would adapt the list item by item (1.6 → 1.2 ms a query with a thousand ids)."""
    if connection.vendor == "postgresql":
        array = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        return Q(RawSQL(f"{_ID} = ANY(%s::bigint[])", [array], output_field=BooleanField()))
    return Q(pk__in=ids)


def _first_matches(
    within: QuerySet[SearchDocument],
    condition: Q,
    words: list[str],
    language: str,
    found: list[int] | None = None,
) -> tuple[QuerySet[SearchDocument], bool]:
    """The matches among the documents `within` (the language's, filtered by facets), or, when there are more than
    `MATCHES_AT_MOST`, the first `MATCHES_AT_MOST` of the ranking's tiers that the indexes answer: a heading that is
    the query, then documents in the page's language whose heading holds every word, then the others as the index
    gives them; and whether they were cut. `found`: the first ids of the matches (`_first_ids`) when already read.

    Each tier is one query that stops at the limit, as a list of ids that the facets, the count and the ranking then
    read by primary key. The heading tiers look among the documents without the match's condition, through the
    headings' own indexes (a heading that holds every word holds them in the document): combined with the matches'
    condition, PostgreSQL would build the bitmap of every match of a common word again. The last tier takes the first
    matches already read, which always hold enough."""
    if found is None:
        found = _first_ids(within.filter(condition))
    if len(found) <= MATCHES_AT_MOST:
        return SearchDocument.objects.filter(_among(found)), False
    ids = dict.fromkeys(within.filter(heading_key=" ".join(words)).values_list("pk", flat=True)[:MATCHES_AT_MOST])
    if len(ids) < MATCHES_AT_MOST:
        in_heading = within.filter(Q(language=language), search_engine().heading_matching(_forms(words)))
        in_heading_ids = in_heading.exclude(_among(list(ids))).values_list("pk", flat=True)
        ids.update(dict.fromkeys(in_heading_ids[: MATCHES_AT_MOST - len(ids)]))
    for pk in found:
        if len(ids) >= MATCHES_AT_MOST:
            break
        ids.setdefault(pk)
    return SearchDocument.objects.filter(_among(list(ids))), True


def _first_when(condition: Q) -> Case:
    return Case(When(condition, then=Value(0)), default=Value(1))


def _ranked(matches: QuerySet[SearchDocument], words: list[str], language: str) -> QuerySet[SearchDocument]:
    """The matches in the order of the module's docstring, the newest first where nothing else tells them apart."""
    return matches.annotate(
        other_language=_first_when(Q(language=language)),
        heading_not_query=_first_when(Q(heading_key=" ".join(words))),
        phrase_not_in_heading=_first_when(_holds("heading_words", analysis.padded(words))),
        words_not_in_heading=_first_when(_every_word_in("heading_terms", words)),
        words_not_in_summary=_first_when(_every_word_in("summary_terms", words)),
        words_not_in_terms=_first_when(_every_word_in("tag_terms", words)),
    ).order_by(
        "other_language",
        "heading_not_query",
        "phrase_not_in_heading",
        "words_not_in_heading",
        "words_not_in_summary",
        "words_not_in_terms",
        F("year").desc(nulls_last=True),
        "heading",
        "pk",
    )


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


FACETS = ("kind", "theme", "commune", "level", "year")
# Facets whose documents hold several keys, as `|key|key|`.
MULTIPLE = {"theme": "themes", "commune": "communes"}


def _facet_keys(name: str, values: list[str]) -> list[str]:
    """The values of a facet that a document could hold: a year as the documents' years are written (four digits),
    a key without a NUL character (PostgreSQL refuses one in any text: such a value matches nothing, as any unknown
    value does)."""
    if name == "year":
        return [str(int(value)) for value in values if value.isascii() and value.isdigit() and len(value) == 4]
    return [value for value in values if "\x00" not in value]


def _facet_condition(name: str, values: list[str]) -> Q:
    """Documents with any of these values of the facet (an unknown value matches nothing), on their columns."""
    condition = Q(pk__in=[])
    for value in _facet_keys(name, values):
        if name in MULTIPLE:
            condition |= Q(**{f"{MULTIPLE[name]}__contains": f"|{value}|"})
        elif name == "year":
            condition |= Q(year=int(value))
        else:
            condition |= Q(**{name: value})
    return condition


def _facet_lookup(name: str, values: list[str]) -> Q:
    """The same documents as `_facet_condition`, for the lookup of the matches, where the engine's full-text index
    holds the facets' keys (PostgreSQL): the index then finds the documents holding the words and the value at once,
    where the column was tested on the row of every match until enough passed. Only there: without the words
    PostgreSQL would read the value's every document through the index (the heading tiers, 85 to 440 ms at 100,000
    initiatives), where the column costs nothing on the rows another index found. Nothing (`Q()`) elsewhere."""
    # A value longer than its column (a year: four digits) is no document's key, and `tsquery` refuses a word of
    # 2 KB: such a value is left to the column's condition, which matches nothing.
    longest = getattr(SearchDocument._meta.get_field(MULTIPLE.get(name, name)), "max_length", None) or 4
    keys = [key for key in _facet_keys(name, values) if len(key) <= longest]
    lookup = search_engine().facet_matching(name, keys) if keys else None
    return Q() if lookup is None else lookup


def _facet_counts(
    documents: QuerySet[SearchDocument], names: list[str], keys: dict[str, Iterable[str]], tier: Q | None
) -> tuple[dict[str, Counter[str]], int, int]:
    """How many of the documents hold each value of the facets `names` (`keys`: the possible values of the
    multi-valued ones), how many documents there are, and how many of them meet `tier` (the ranking's first tier;
    0 without it), in one query: the documents grouped by the facets' columns (a few hundred combinations however
    many documents match), the groups' keys added up here."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in names}
    columns = [MULTIPLE.get(name, name) for name in names]
    known = {name: set(keys[name]) for name in names if name in MULTIPLE}
    total = in_tier = 0
    counted = {"count": Count("pk")} | ({} if tier is None else {"in_tier": Count("pk", filter=tier)})
    for row in documents.order_by().values(*columns).annotate(**counted):
        total += row["count"]
        in_tier += row.get("in_tier", 0)
        for name, column in zip(names, columns, strict=True):
            if name in MULTIPLE:
                for key in row[column].split("|"):
                    if key in known[name]:
                        counts[name][key] += row["count"]
            elif row[column] not in ("", None):
                counts[name][str(row[column])] += row["count"]
    return counts, total, in_tier


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
    documents: QuerySet[SearchDocument],
    condition: Q,
    found: list[int],
    selected: dict[str, list[str]],
    params: QueryDict,
    words: list[str],
    language: str,
    tier: Q,
) -> tuple[Facets, QuerySet[SearchDocument], int | None, int | None, bool]:
    """Counts per value of each facet over the matches (`condition` among `documents`, `found` their first ids)
    filtered by the other facets (their first `MATCHES_AT_MOST` when there are more); the matches filtered by all
    (the same way), their number and how many of them meet `tier` when a facet was counted over them (`None` when
    every facet is chosen), and whether they were cut."""
    conditions = {name: _facet_condition(name, values) for name, values in selected.items()}
    lookups = {name: _facet_lookup(name, values) for name, values in selected.items()}
    facets = _facet_labels(language)
    # Each facet counts over the matches filtered by the other facets: facets filtered alike are counted together.
    alike: dict[frozenset[str], list[str]] = {}
    for name in facets:
        alike.setdefault(frozenset(other for other in conditions if other != name), []).append(name)
    counted: dict[str, Counter[str]] = {}
    total = in_tier = None

    def first(names: Iterable[str]) -> tuple[QuerySet[SearchDocument], bool]:
        within = documents.filter(*[conditions[name] for name in names])
        looked_up = condition
        for name in names:
            looked_up &= lookups[name]
        return _first_matches(within, looked_up, words, language, found=None if names else found)

    narrowed, cut = first(conditions)
    for others, names in alike.items():
        # The facets that are not chosen are counted over the chosen documents.
        over_narrowed = others == frozenset(conditions)
        counted_over = narrowed if over_narrowed else first(others)[0]
        by_facet, documents_count, documents_in_tier = _facet_counts(
            counted_over, names, {name: facets[name][1] for name in names}, tier if over_narrowed else None
        )
        counted.update(by_facet)
        if over_narrowed:
            total, in_tier = documents_count, documents_in_tier
    groups = []
    for name, (label, labels) in facets.items():
        counts = counted[name]
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
    return Facets(groups, query=_query_text(params.get("q", ""))), narrowed, total, in_tier, cut


# Snippets --------------------------------------------------------------------------------------------------------


def highlight(text: str, words: list[str], length: int | None = None) -> SafeString:
    """The text (around the first match when cut to `length`) with every word of the query, in any form or accent,
    in <mark>; escaped."""
    folded_chars = [analysis.fold_char(char) for char in text]
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
    capped: bool = False  # a distributed engine gave its best matches only
    more_than: int | None = None  # there were more matches than the page ranks and counts
    facets: Facets = field(default_factory=lambda: Facets([]))
    page: Page | None = None
    hits: list[SearchHit] = field(default_factory=list)
    filtered: bool = False
    query_string: str = ""  # the query and facets without the page number (for the pagination)


class _CountedPaginator(Paginator):
    """A paginator that takes the number of items when the facets have already counted them."""

    def __init__(self, object_list: QuerySet, per_page: int, *, count: int | None) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return super().count if self.known_count is None else self.known_count


def _page_number(value: str | None, paginator: Paginator) -> int:
    """The page asked for, the first when it is not a number and the last when it is past the end (as
    `Paginator.get_page`)."""
    try:
        return paginator.validate_number(value or 1)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


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
    documents = _documents(language=language, members=members)
    condition, outcome.capped = _matching(words, documents)
    found = _first_ids(documents.filter(condition))
    if not found:
        corrected = _correction(words)
        if corrected != words:
            corrected_condition, capped = _matching(corrected, documents)
            corrected_found = _first_ids(documents.filter(corrected_condition))
            if corrected_found:
                outcome.corrected_query, outcome.words = " ".join(corrected), corrected
                condition, outcome.capped, found = corrected_condition, capped, corrected_found
    selected = {name: params.getlist(name) for name in FACETS if params.getlist(name)}
    outcome.filtered = bool(selected)
    # The ranking's first tier: the documents in the page's language whose heading holds every word (below).
    tier = Q(language=language) & _every_word_in("heading_terms", outcome.words)
    outcome.facets, chosen, total, in_tier, cut = _facets(
        documents, condition, found, selected, params, outcome.words, language, tier
    )
    outcome.more_than = MATCHES_AT_MOST if cut else None
    paginator = _CountedPaginator(chosen.order_by("pk"), PAGE_SIZE, count=total)
    outcome.total = paginator.count
    number = _page_number(params.get("page"), paginator)
    # The ranking sorts ids only (the page's ten documents are read whole afterwards), and only the first of its
    # tiers when the page lies within it: the documents in the page's language whose heading holds every word, which
    # come before any other whatever the rest of the ranking (compared with their stored terms: they are a thousand
    # at most, read by id; counted with the facets, in the same query, unless every facet is chosen).
    first_tier = chosen.filter(tier)
    if number * PAGE_SIZE <= (first_tier.count() if in_tier is None else in_tier):
        chosen = first_tier
    ranked = _ranked(chosen, outcome.words, language).values_list("pk", flat=True)
    offset = (number - 1) * PAGE_SIZE
    outcome.page = Page(list(ranked[offset : offset + PAGE_SIZE]), number, paginator)
    on_page = SearchDocument.objects.in_bulk(list(outcome.page.object_list))
    for document in (on_page[pk] for pk in outcome.page.object_list):
        text = document.summary or document.body
        outcome.hits.append(
            SearchHit(
                document=document,
                title=highlight(document.heading, outcome.words),
                snippet=highlight(_body_snippet_source(document, outcome.words, text), outcome.words, SNIPPET_LENGTH),
                kind_label=str(KINDS.get(document.kind, document.kind)),
                language_name=(
                    None if document.language == language else str(get_language_info(document.language)["name_local"])
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
    documents = _documents(language=language, members=members)
    # The shortest headings among the first `MATCHES_AT_MOST` the index finds: sorting every heading that starts
    # with two common letters would grow with the catalogue.
    found_first = documents.filter(search_engine().completing(words, documents).condition).values_list("pk", flat=True)
    candidates = (
        SearchDocument.objects.filter(_among(list(found_first[:MATCHES_AT_MOST])))
        .only("heading", "url", "kind", "language")
        .order_by(_first_when(Q(language=language)), Length("heading"), "heading", "pk")
    )
    found = []
    for document in candidates[: SUGGESTIONS * 3]:
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


def matching_ids(*, query: str, source_type: str, language: str, kind: str | None = None) -> QuerySet | list[int]:
    """The ids of the items of one source that a list's keyword (`q`) finds, through the same engine and analysis
    as the site search (a typing mistake corrected when nothing matches); for `pk__in`."""
    words = analysis.query_words(_query_text(query))
    if not words:
        return []
    documents = SearchDocument.objects.filter(site_language=language, source_type=source_type, members_only=False)
    if kind is not None:
        documents = documents.filter(kind=kind)
    condition, _capped = _matching(words, documents)
    if not _first_ids(documents.filter(condition)):
        corrected = _correction(words)
        if corrected != words:
            condition, _capped = _matching(corrected, documents)
    return documents.filter(condition).values("source_id")
