"""The full-text engines: the database's own (the one the suite runs on: FTS5 on SQLite, tsvector on PostgreSQL)
and a search backend of Wagtail's, the path a deployment takes to OpenSearch by settings (`SEARCH_ENGINE`), run
here on Wagtail's database backend as a stand-in: the same documents, results, facets and suggestions."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings

from participation.search.engine import PostgresEngine, SqliteEngine, WagtailEngine, search_engine
from participation.search.models import SearchDocument
from participation.search.selectors import site_search, suggestions
from participation.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db

CASES = [
    ("fr", "ecole", ["Une école ouverte au quartier"]),
    ("nl", "begroting", ["Burgerbegroting"]),
    ("fr", "Schaarbeek", ["Une école ouverte au quartier"]),
    ("nl", "budget participatif", ["Burgerbegroting", "Een open school voor de wijken"]),
    ("fr", "panel citoyen", ["Panel citoyen de Jette", "Un citoyen au panel du climat", "Délibération citoyenne"]),
]


def headings(language, query):
    return [hit.document.heading for hit in site_search(params=QueryDict(f"q={query}"), language=language).hits]


def test_the_database_engine_is_the_database_s_own(site):
    expected = PostgresEngine if connection.vendor == "postgresql" else SqliteEngine
    assert isinstance(search_engine(), expected)


def test_the_database_keeps_its_index_from_the_analysed_columns(site):
    """Whatever writes a document's analysed columns (here a plain UPDATE, no Python indexing), the engine follows:
    the results come from its index of those columns, and a deleted document is gone from it."""
    documents = SearchDocument.objects.filter(heading="Une école ouverte au quartier")
    documents.update(heading_terms=" passerelle ")
    assert headings("fr", "passerelle") == ["Une école ouverte au quartier"]
    documents.delete()
    assert headings("fr", "passerelle") == []
    assert headings("fr", "ecole") == []


STATISTICS = {
    "sqlite": "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'search_searchdocument'",
    "postgresql": "SELECT count(*) FROM pg_stats WHERE tablename = 'search_searchdocument' AND attname = 'language'",
}


def test_a_rebuild_keeps_the_index_and_leaves_fresh_planner_statistics(site):
    """The rebuild writes without SQLite's triggers and builds FTS5's index in one pass: the triggers are back
    afterwards (a later change is indexed), and the planner has statistics to choose the index's matches by id."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        else:
            cursor.execute("DELETE FROM pg_statistic WHERE starelid = 'search_searchdocument'::regclass")
    search_index_rebuild()
    assert headings("fr", "ecole") == ["Une école ouverte au quartier"]
    with connection.cursor() as cursor:
        cursor.execute(STATISTICS[connection.vendor])
        assert cursor.fetchone()[0] > 0
    SearchDocument.objects.filter(heading="Une école ouverte au quartier").update(heading_terms=" passerelle ")
    assert headings("fr", "passerelle") == ["Une école ouverte au quartier"]


@override_settings(SEARCH_ENGINE="wagtail")
def test_a_wagtail_backend_gives_the_same_results(site):
    assert isinstance(search_engine(), WagtailEngine)
    search_index_rebuild()
    for language, query, expected in CASES:
        assert sorted(headings(language, query)) == sorted(expected), query
    assert headings("fr", "panel citoyen")[:2] == ["Panel citoyen de Jette", "Un citoyen au panel du climat"]
    outcome = site_search(params=QueryDict("q=consultation&kind=initiative"), language="fr")
    assert [hit.document.heading for hit in outcome.hits] == ["Consultations sur la mobilité"]
    assert not outcome.capped
    assert [item["title"] for item in suggestions(query="Burgerbe", language="nl")] == ["Burgerbegroting"]


def test_pages_ranked_from_the_first_tier_follow_the_whole_ranking(site, monkeypatch):
    """A page within the documents whose heading holds every word is ranked among them alone (the engine's index
    finds them): page by page, the results are those of the whole ranking, in its order."""
    whole = headings("fr", "panel citoyen")
    assert whole[:2] == ["Panel citoyen de Jette", "Un citoyen au panel du climat"]
    monkeypatch.setattr("participation.search.selectors.PAGE_SIZE", 1)
    pages = [
        site_search(params=QueryDict(f"q=panel+citoyen&page={number}"), language="fr")
        for number in range(1, len(whole) + 1)
    ]
    assert [hit.document.heading for outcome in pages for hit in outcome.hits] == whole
    assert {outcome.total for outcome in pages} == {len(whole)}
    assert pages[-1].page.number == len(whole)
