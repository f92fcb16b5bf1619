"""The full-text engines under the site search: which documents hold the words of a query.

On the databases, the engine is the database's own full-text index over the documents' analysed columns, which the
database keeps by itself as documents are written: an FTS5 table kept by triggers on SQLite, a generated, weighted
`tsvector` column with GIN indexes (one per site language) on PostgreSQL. Each answers "the documents holding every
word, in one of its forms" with one indexed lookup, a condition that the ranking, the facets and the pages of
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

import operator
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import reduce
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


class Engine(Protocol):
    def documents_index(self, documents: Sequence[SearchDocument]) -> None: ...

    def documents_remove(self, ids: Iterable[int]) -> None: ...

    def clear(self) -> None: ...

    def rebuilding(self) -> AbstractContextManager[None]:
        """Around a rebuild (in its transaction): whatever lets the engine index every document at once."""
        ...

    def matching(self, groups: list[list[str]], within: QuerySet[SearchDocument]) -> Match:
        """The documents holding, for every group, one of its terms (a query word and its stems). `within` is where
        the caller looks: a distributed engine filters on it, the database engines leave that to the caller."""
        ...

    def completing(self, prefixes: list[str], within: QuerySet[SearchDocument]) -> Match:
        """The documents whose heading has a word starting with each prefix."""
        ...

    def heading_matching(self, groups: list[list[str]]) -> Q:
        """The documents whose heading holds, for every group, one of its terms: the first of the ranking's tiers
        (`selectors._ranked`), as a condition that the engine's index answers where it can. They match the groups
        (`matching`) on every engine: callers look for them without the matches' condition."""
        ...

    def facet_matching(self, name: str, keys: list[str]) -> Q | None:
        """The documents holding any of these keys of a facet (`kind`, `theme`, `commune`, `level`, `year`) as a
        condition that the engine's full-text index answers with the words, or None: the caller filters on the
        documents' facet columns."""
        ...


class DatabaseEngine:
    """The database keeps its index from the documents' analysed columns by itself (created by migration
    search/0002 from `schema`), whatever writes them: saving, bulk inserts, deletions, a test database's flush."""

    schema: list[str] = []
    unschema: list[str] = []

    def documents_index(self, documents: Sequence[SearchDocument]) -> None:
        """Nothing to do: the database indexed them as they were written."""

    def documents_remove(self, ids: Iterable[int]) -> None:
        """Nothing to do: the database forgets a document as it is deleted."""

    def clear(self) -> None:
        """Nothing to do: the index empties with the documents' table."""

    def facet_matching(self, name: str, keys: list[str]) -> Q | None:
        """None: the facets are columns of the documents (`PostgresEngine` has them in its index too)."""
        return None

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """The database indexes the documents as they arrive; then fresh planner statistics."""
        yield
        self.statistics_refresh()

    def statistics_refresh(self) -> None:
        """The planner's statistics of the documents, from which it chooses between the full-text index and the
        others: without them, SQLite scans every document of a language rather than look the index's matches up
        by id (decision 14). The vectors themselves keep none on PostgreSQL (`PostgresEngine`)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")


_SQLITE_COLUMNS = "heading_terms, summary_terms, tag_terms, body_terms"
_SQLITE_TRIGGERS = 3  # the first statements of `SqliteEngine.schema`
_SQLITE_OLD = "old.id, old.heading_terms, old.summary_terms, old.tag_terms, old.body_terms"
_SQLITE_NEW = "new.id, new.heading_terms, new.summary_terms, new.tag_terms, new.body_terms"


class SqliteEngine(DatabaseEngine):
    """SQLite's FTS5: an external-content table over the documents' analysed columns (rowid = the document's id),
    kept by triggers; prefixes of two to four letters indexed for the suggestions."""

    table = "search_fts"
    schema = [
        f"CREATE VIRTUAL TABLE {table} USING fts5({_SQLITE_COLUMNS}, content='search_searchdocument', "
        "content_rowid='id', tokenize='ascii', prefix='2 3 4')",
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON search_searchdocument BEGIN "
        f"INSERT INTO {table} (rowid, {_SQLITE_COLUMNS}) VALUES ({_SQLITE_NEW}); END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON search_searchdocument BEGIN "
        f"INSERT INTO {table} ({table}, rowid, {_SQLITE_COLUMNS}) VALUES ('delete', {_SQLITE_OLD}); END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE ON search_searchdocument BEGIN "
        f"INSERT INTO {table} ({table}, rowid, {_SQLITE_COLUMNS}) VALUES ('delete', {_SQLITE_OLD}); "
        f"INSERT INTO {table} (rowid, {_SQLITE_COLUMNS}) VALUES ({_SQLITE_NEW}); END",
        f"INSERT INTO {table} ({table}) VALUES ('rebuild')",  # the documents already there
    ]
    unschema = [
        f"DROP TRIGGER {table}_insert",
        f"DROP TRIGGER {table}_delete",
        f"DROP TRIGGER {table}_update",
        f"DROP TABLE {table}",
    ]

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Without the triggers while every document is deleted and written again (a deletion would read each old
        document's terms to take them out of the index), then the index built in one pass over the documents
        (FTS5's `rebuild`). In the rebuild's transaction: should it fail, the triggers are back."""
        with connection.cursor() as cursor:
            for statement in self.unschema[:_SQLITE_TRIGGERS]:
                cursor.execute(statement)
        yield
        with connection.cursor() as cursor:
            for statement in self.schema[1 : 1 + _SQLITE_TRIGGERS]:
                cursor.execute(statement)
            cursor.execute(self.schema[-1])  # 'rebuild'
        self.statistics_refresh()

    def _lookup(self, expression: str) -> Match:
        return Match(Q(pk__in=RawSQL(f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [expression])))

    def matching(self, groups: list[list[str]], within: QuerySet[SearchDocument]) -> Match:
        return self._lookup(" AND ".join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups))

    def completing(self, prefixes: list[str], within: QuerySet[SearchDocument]) -> Match:
        return self._lookup("{heading_terms} : (" + " AND ".join(f'"{prefix}"*' for prefix in prefixes) + ")")

    def heading_matching(self, groups: list[list[str]]) -> Q:
        terms = " AND ".join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups)
        return self._lookup("{heading_terms} : (" + terms + ")").condition


_POSTGRES_TABLE = "search_searchdocument"
# The documents' vector: the analysed columns, weighted, and each facet key of the document as a lexeme of its own
# (`kind=initiative`, `theme=…`, `commune=…`, `level=…` — `level=` when it has none — and `year=2024`), which no
# analysed word can be (a word has no `=`). A chosen facet is then one more term of the index's lookup
# (`PostgresEngine.facet_matching`): GIN intersects the words' and the keys' posting lists, where a facet column
# was tested row by row on every match until enough passed (80 ms for `mobilité` in Schaerbeek at 100,000
# initiatives; decision 14, third round).
_POSTGRES_SEARCH_VECTOR = (
    "setweight(to_tsvector('simple', heading_terms), 'A') || setweight(to_tsvector('simple', summary_terms), 'B')"
    " || setweight(to_tsvector('simple', tag_terms), 'C') || setweight(to_tsvector('simple', body_terms), 'D')"
    " || array_to_tsvector(array_remove(string_to_array("
    "'kind=' || kind"
    r" || '|' || regexp_replace(btrim(themes, '|'), '[^|]+', 'theme=\&', 'g')"
    r" || '|' || regexp_replace(btrim(communes, '|'), '[^|]+', 'commune=\&', 'g')"
    " || '|level=' || level"
    " || '|' || coalesce('year=' || year, ''), '|'), ''))"
)


class PostgresEngine(DatabaseEngine):
    """PostgreSQL's full-text search: a `tsvector` column generated from the analysed columns (weights A to D, in
    the `simple` configuration: the words arrive analysed) and one of the headings alone (for the suggestions and
    the headings' tier of the ranking), each with a GIN index per site language.

    The columns keep no planner statistics (`SET STATISTICS 0`): with them, PostgreSQL rightly estimates that a
    common word matches many documents, but not that testing a document row by row means reading its whole vector
    back from TOAST storage, so it chose to scan every document of the language instead of the index (250 ms at
    10,000 initiatives instead of 15 ms). Without them it estimates few matches and always answers from the index,
    whose answer is exact for words and prefixes: no vector is read back. docs/decisions/0014-site-search.md."""

    # The columns that the ranking compares a query with (`selectors._ranked`), kept in the document's row
    # (compressed if need be) rather than moved out to TOAST storage with the long texts and the vectors: ranking a
    # thousand matches then reads a thousand rows, not a TOAST lookup more per column and document (3,904 buffers
    # instead of 10,537 at 10,000 initiatives). Values written before keep their place until written again.
    ranked_in_row = f"ALTER TABLE {_POSTGRES_TABLE} " + ", ".join(
        f"ALTER COLUMN {column} SET STORAGE MAIN"
        for column in ["heading_words", "heading_key", "heading_terms", "summary_terms", "tag_terms"]
    )
    # One index per site language and vector: every search looks within one site's documents, so PostgreSQL reads
    # the matches of that language alone, instead of every language's and then ANDing them with the 100,000 rows of
    # the language's B-tree index (a third of the entries, and 105 ms less for a common word at 100,000 initiatives).
    # A language added to `LANGUAGES` gets its indexes from a migration that runs these statements again.
    indexes = [
        f"CREATE INDEX IF NOT EXISTS search_document_{column}_{code} ON {_POSTGRES_TABLE} USING gin ({column}) "
        f"WHERE site_language = '{code}'"
        for column in ["search_vector", "heading_vector"]
        for code, _name in settings.LANGUAGES
    ]
    search_vector_add = [
        f"ALTER TABLE {_POSTGRES_TABLE} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({_POSTGRES_SEARCH_VECTOR}) STORED",
        f"ALTER TABLE {_POSTGRES_TABLE} ALTER COLUMN search_vector SET STATISTICS 0",
    ]
    schema = [
        *search_vector_add,
        f"ALTER TABLE {_POSTGRES_TABLE} ADD COLUMN heading_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', heading_terms)) STORED",
        f"ALTER TABLE {_POSTGRES_TABLE} ALTER COLUMN heading_vector SET STATISTICS 0",
        ranked_in_row,
        *indexes,
        f"ANALYZE {_POSTGRES_TABLE}",
    ]
    # The documents' vector alone made again (its expression changed), with its indexes (dropped with it).
    search_vector_renew = [
        f"ALTER TABLE {_POSTGRES_TABLE} DROP COLUMN IF EXISTS search_vector",
        *search_vector_add,
        *[statement for statement in indexes if "(search_vector)" in statement],
        f"ANALYZE {_POSTGRES_TABLE}",
    ]
    unschema = [
        f"ALTER TABLE {_POSTGRES_TABLE} DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS heading_vector"
    ]

    def _lookup(self, column: str, tsquery: str, parse: str = "to_tsquery('simple', %s)") -> Match:
        # On the document's own row (not a subquery of ids), so that PostgreSQL combines the GIN index with the
        # other conditions; unqualified, so that it holds where Django gives the table another alias.
        condition = RawSQL(f"{column} @@ {parse}", [tsquery], output_field=BooleanField())
        return Match(Q(condition))

    def matching(self, groups: list[list[str]], within: QuerySet[SearchDocument]) -> Match:
        return self._lookup("search_vector", " & ".join("(" + " | ".join(group) + ")" for group in groups))

    def heading_matching(self, groups: list[list[str]]) -> Q:
        return self._lookup("heading_vector", " & ".join("(" + " | ".join(group) + ")" for group in groups)).condition

    def facet_matching(self, name: str, keys: list[str]) -> Q | None:
        # Quoted lexemes (a key is taken as it is, quotes and backslashes doubled), not `to_tsquery`'s parsing.
        lexemes = " | ".join("'" + f"{name}={key}".replace("\\", "\\\\").replace("'", "''") + "'" for key in keys)
        return self._lookup("search_vector", lexemes, parse="%s::tsquery").condition

    def completing(self, prefixes: list[str], within: QuerySet[SearchDocument]) -> Match:
        # Of the headings' own vector: a weight (`:*A` on the whole vector) would make PostgreSQL read every
        # candidate's whole vector again to check it.
        return self._lookup("heading_vector", " & ".join(f"{prefix}:*" for prefix in prefixes))


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

    def rebuilding(self) -> AbstractContextManager[None]:
        return nullcontext()

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

    def facet_matching(self, name: str, keys: list[str]) -> Q | None:
        return None

    def heading_matching(self, groups: list[list[str]]) -> Q:
        condition = Q()
        for group in groups:
            condition &= reduce(operator.or_, (Q(heading_terms__contains=f" {term} ") for term in group))
        return condition


DATABASE_ENGINES: dict[str, type[SqliteEngine] | type[PostgresEngine]] = {
    "sqlite": SqliteEngine,
    "postgresql": PostgresEngine,
}


def search_engine() -> Engine:
    """The engine of this deployment: a distributed one when `SEARCH_ENGINE` says so, else the database's."""
    if settings.SEARCH_ENGINE == "wagtail":
        return WagtailEngine()
    return DATABASE_ENGINES[connection.vendor]()
