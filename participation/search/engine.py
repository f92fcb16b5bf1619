"""The full-text engines under the site search: which documents hold the words of a query.

On the databases, the engine is the database's own full-text index, written and queried directly: an FTS5 table on
SQLite, a weighted `tsvector` column with a GIN index on PostgreSQL. Each answers "the documents holding every word,
in one of its forms" with one indexed lookup, as a subquery that the ranking, the facets and the pages of
`selectors` filter on, however many documents match. (Wagtail's database backends, measured at 10,000 initiatives,
re-ran the match for every document they scored on SQLite and concatenated two vectors per row on PostgreSQL, which
no index serves: seconds per query. docs/decisions/0014-site-search.md has the figures.)

A large deployment moves to a distributed engine that Wagtail supports (OpenSearch, Elasticsearch) by settings:
`OPENSEARCH_URL` makes Wagtail's default backend OpenSearch and the site search then indexes and matches through it
(`WagtailEngine`), with the same analysis, ranking and facets.

Every engine receives analysed terms only (participation/search/analysis.py): lower-case ASCII words and stems, so
nothing a visitor types reaches an engine's query syntax.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from participation.search.models import SearchDocument

# The most documents a distributed engine gives for one query (the database engines have no such limit).
MAX_MATCHES = 5000


@dataclass(frozen=True)
class Match:
    """The documents holding the words: a condition on `SearchDocument`, and whether the engine cut the list."""

    condition: Q
    capped: bool = False


Row = tuple[int, str, str, str, str]


def _row(document: SearchDocument) -> Row:
    """What is indexed of a document, heaviest first: heading, summary, vocabulary labels, body."""
    return (document.pk, document.heading_terms, document.summary_terms, document.tag_terms, document.body_terms())


class Engine(Protocol):
    def documents_index(self, documents: Sequence[SearchDocument]) -> None: ...

    def documents_remove(self, ids: Iterable[int]) -> None: ...

    def clear(self) -> None: ...

    def matching(self, groups: list[list[str]], within: QuerySet[SearchDocument]) -> Match:
        """The documents holding, for every group, one of its terms (a query word and its stems). `within` is where
        the caller looks: a distributed engine filters on it, the database engines leave that to the caller."""
        ...

    def completing(self, prefixes: list[str], within: QuerySet[SearchDocument]) -> Match:
        """The documents whose heading has a word starting with each prefix."""
        ...


class SqliteEngine:
    """SQLite's FTS5: one row per document (rowid = the document's id), a column per weight of text."""

    table = "search_fts"
    # Created by migration search/0003; prefixes of two to four letters indexed for the suggestions.
    schema = [
        f"CREATE VIRTUAL TABLE {table} USING fts5(heading, summary, tags, body, tokenize='ascii', prefix='2 3 4')"
    ]
    unschema = [f"DROP TABLE {table}"]

    def documents_index(self, documents: Sequence[SearchDocument]) -> None:
        self.rows_index([_row(document) for document in documents])

    def rows_index(self, rows: Sequence[Row]) -> None:
        self.documents_remove([row[0] for row in rows])
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, heading, summary, tags, body) VALUES (%s, %s, %s, %s, %s)", rows
            )

    def documents_remove(self, ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def _lookup(self, expression: str) -> Match:
        return Match(Q(pk__in=RawSQL(f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [expression])))

    def matching(self, groups: list[list[str]], within: QuerySet[SearchDocument]) -> Match:
        return self._lookup(" AND ".join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups))

    def completing(self, prefixes: list[str], within: QuerySet[SearchDocument]) -> Match:
        return self._lookup("{heading} : (" + " AND ".join(f'"{prefix}"*' for prefix in prefixes) + ")")


class PostgresEngine:
    """PostgreSQL's full-text search: a `tsvector` column of the documents' table (weights A to D) with a GIN index,
    in the `simple` configuration (the words arrive analysed)."""

    schema = [
        "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
        "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    ]
    unschema = ["ALTER TABLE search_searchdocument DROP COLUMN search_vector"]
    vector = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
        "setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D')"
    )

    def documents_index(self, documents: Sequence[SearchDocument]) -> None:
        self.rows_index([_row(document) for document in documents])

    def rows_index(self, rows: Sequence[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE search_searchdocument SET search_vector = {self.vector} WHERE id = %s",
                [(*texts, pk) for pk, *texts in rows],
            )

    def documents_remove(self, ids: Iterable[int]) -> None:
        """Nothing to do: the vector goes with its document's row."""

    def clear(self) -> None:
        """Nothing to do: the vectors go with the documents' rows."""

    def _lookup(self, tsquery: str) -> Match:
        # On the document's own row (not a subquery of ids), so that PostgreSQL combines the GIN index with the
        # other conditions; unqualified, so that it holds where Django gives the table another alias.
        condition = RawSQL("search_vector @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField())
        return Match(Q(condition))

    def matching(self, groups: list[list[str]], within: QuerySet[SearchDocument]) -> Match:
        return self._lookup(" & ".join("(" + " | ".join(group) + ")" for group in groups))

    def completing(self, prefixes: list[str], within: QuerySet[SearchDocument]) -> Match:
        return self._lookup(" & ".join(f"{prefix}:*A" for prefix in prefixes))


class WagtailEngine:
    """A search backend of Wagtail's (OpenSearch, Elasticsearch) holding the documents' `search_fields`."""

    def __init__(self, backend_name: str = "default") -> None:
        from wagtail.search.backends import get_search_backend

        self.backend = get_search_backend(backend_name)

    def documents_index(self, documents: Sequence[SearchDocument]) -> None:
        self.backend.add_bulk(SearchDocument, list(documents))

    def documents_remove(self, ids: Iterable[int]) -> None:
        for document in SearchDocument.objects.filter(pk__in=list(ids)):
            self.backend.delete(document)

    def clear(self) -> None:
        index = self.backend.get_index_for_model(SearchDocument)
        if hasattr(index, "delete_stale_model_entries"):  # a database backend of Wagtail's
            index.delete_stale_model_entries(SearchDocument)
        else:
            index.reset()
            index.add_model(SearchDocument)

    def _ids(self, results: Any) -> Match:
        ids = [document.pk for document in results[: MAX_MATCHES + 1]]
        return Match(Q(pk__in=ids[:MAX_MATCHES]), capped=len(ids) > MAX_MATCHES)

    def matching(self, groups: list[list[str]], within: QuerySet[SearchDocument]) -> Match:
        from wagtail.search.query import And, Or, PlainText

        terms = [Or([PlainText(term) for term in group]) for group in groups]
        query = terms[0] if len(terms) == 1 else And(terms)
        return self._ids(self.backend.search(query, within, order_by_relevance=False))

    def completing(self, prefixes: list[str], within: QuerySet[SearchDocument]) -> Match:
        return self._ids(self.backend.autocomplete(" ".join(prefixes), within, order_by_relevance=False))


DATABASE_ENGINES: dict[str, type[SqliteEngine] | type[PostgresEngine]] = {
    "sqlite": SqliteEngine,
    "postgresql": PostgresEngine,
}


def search_engine() -> Engine:
    """The engine of this deployment: a distributed one when `SEARCH_ENGINE` says so, else the database's."""
    if settings.SEARCH_ENGINE == "wagtail":
        return WagtailEngine()
    return DATABASE_ENGINES[connection.vendor]()
