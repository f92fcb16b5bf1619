"""Pinned relevance cases of the site search in FR, NL and EN, on the database the suite runs on (CI runs it on
SQLite and on PostgreSQL): accents, stemming, typing mistakes, Dutch compounds, communes in both languages,
vocabularies across languages, phrases, ranking, and what must never be found."""

import pytest
from django.http import QueryDict

from participation.search.selectors import site_search, suggestions

pytestmark = pytest.mark.django_db


def search(language, query, member=False, **facets):
    params = QueryDict(mutable=True)
    params["q"] = query
    for name, value in facets.items():
        params.setlist(name, [value])
    return site_search(params=params, language=language, members=member)


def headings(language, query, **kwargs):
    return [hit.document.heading for hit in search(language, query, **kwargs).hits]


CASES = [
    # Case and accents: the same results, whichever way a word is typed.
    ("fr", "ecole", ["Une école ouverte au quartier"]),
    ("fr", "école", ["Une école ouverte au quartier"]),
    ("fr", "ÉCOLE", ["Une école ouverte au quartier"]),
    ("fr", "deliberation", ["Délibération citoyenne"]),
    ("fr", "DÉLIBÉRATION", ["Délibération citoyenne"]),
    # Stemming in each item's language: plural and singular.
    ("fr", "consultations", ["Consultation", "Consultations sur la mobilité"]),
    ("fr", "délibère", ["Délibération citoyenne"]),
    ("nl", "wijk", ["Een open school voor de wijken"]),
    ("nl", "raadplegingen", ["Raadpleging", "Consultations sur la mobilité"]),
    ("en", "votes", ["Participatory budgeting"]),
    # Dutch compounds by their parts.
    ("nl", "begroting", ["Burgerbegroting"]),
    ("nl", "budget", ["Wijkbudget voor de jeugd", "Een open school voor de wijken", "Burgerbegroting"]),
    # Communes in French and in Dutch, on every site.
    ("fr", "schaerbeek", ["Une école ouverte au quartier"]),
    ("fr", "Schaarbeek", ["Une école ouverte au quartier"]),
    ("nl", "Schaerbeek", ["Een open school voor de wijken"]),
    ("nl", "Elsene", ["Consultations sur la mobilité"]),
    ("en", "schaarbeek", ["Une école ouverte au quartier"]),
    # Shared vocabularies across languages: a method, a theme, a level named in another language.
    ("nl", "budget participatif", ["Burgerbegroting", "Een open school voor de wijken"]),
    ("en", "burgerbegroting", ["Participatory budgeting", "Une école ouverte au quartier"]),
    ("fr", "mobiliteit", ["Consultations sur la mobilité"]),
    ("fr", "raadpleging", ["Consultation", "Consultations sur la mobilité"]),
    # Words too common to narrow a search are left out; every other word must be found.
    ("fr", "la consultation des habitants", ["Consultation"]),
    ("en", "the opinion of residents", ["Consultation"]),
    ("fr", "école mobilité", []),
]


@pytest.mark.parametrize(("language", "query", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_pinned_results(site, language, query, expected):
    assert sorted(headings(language, query)) == sorted(expected)


@pytest.mark.parametrize(
    ("language", "query", "corrected", "expected"),
    [
        ("fr", "consultatoin", "consultation", "Consultation"),
        ("fr", "deliberatoin", "deliberation", "Délibération citoyenne"),
        ("en", "partcipation", "participation", "Consultation"),
        ("nl", "burgerbegrotnig", "burgerbegroting", "Burgerbegroting"),
    ],
)
def test_one_typing_mistake_is_corrected_and_said(site, language, query, corrected, expected):
    outcome = search(language, query)
    assert outcome.corrected_query == corrected
    assert expected in [hit.document.heading for hit in outcome.hits]


def test_a_correct_word_is_not_corrected(site):
    outcome = search("fr", "consultation")
    assert outcome.corrected_query is None


def test_short_words_are_not_corrected(site):
    assert search("fr", "ecol").hits == [] or search("fr", "ecol").corrected_query is None


def test_the_whole_phrase_in_the_heading_comes_first(site):
    found = headings("fr", "panel citoyen")
    assert found[:2] == ["Panel citoyen de Jette", "Un citoyen au panel du climat"]
    assert "Délibération citoyenne" in found[2:]  # "Un panel … délibère" in its lead only


def test_a_heading_that_is_the_query_comes_first(site):
    assert headings("fr", "consultation")[0] == "Consultation"
    assert headings("nl", "burgerbegroting")[0] == "Burgerbegroting"


def test_a_word_in_the_heading_ranks_above_a_word_in_the_text(site):
    found = headings("fr", "mobilité")
    assert found[0] == "Consultations sur la mobilité"


def test_texts_only_in_another_language_follow_and_say_their_language(site):
    outcome = search("fr", "wijkbudget")
    assert [hit.document.heading for hit in outcome.hits] == ["Wijkbudget voor de jeugd"]
    assert outcome.hits[0].document.language == "nl"
    assert outcome.hits[0].language_name == "Nederlands"
    mixed = search("fr", "budget")
    languages = [hit.document.language for hit in mixed.hits]
    assert languages == sorted(languages, key=lambda code: code != "fr")
    assert "nl" in languages and "fr" in languages


def test_drafts_are_never_found(site):
    assert headings("fr", "brouillon") == []
    assert headings("fr", "secret") == []


def test_personal_data_is_never_found(site):
    # Every initiative of the factories carries a private contact (participation/initiatives/tests/factories.py).
    assert site["school"].contact_email == "private.person@example.org"
    for query in ("Private Person", "private.person@example.org", "Private Organisation"):
        assert search("fr", query).total == 0


def test_members_only_pages_are_found_by_members_only(site):
    assert headings("fr", "compte rendu confidentiel") == []
    outcome = search("fr", "compte rendu confidentiel", member=True)
    assert [hit.document.heading for hit in outcome.hits] == ["Compte rendu réservé"]
    assert outcome.hits[0].document.members_only


def test_facets_count_and_narrow(site):
    outcome = search("fr", "consultation")
    kinds = {option.key: option.count for option in outcome.facets.groups[0].options}
    assert outcome.facets.groups[0].param == "kind"
    assert kinds == {"sheet": 1, "initiative": 1}
    narrowed = search("fr", "consultation", kind="initiative")
    assert [hit.document.heading for hit in narrowed.hits] == ["Consultations sur la mobilité"]
    communes = next(group for group in narrowed.facets.groups if group.param == "commune")
    assert [(option.key, option.count, option.label) for option in communes.options] == [("ixelles", 1, "Ixelles")]
    # The kind facet still counts the other kinds, so that one can switch.
    kinds = {option.key: option.count for option in narrowed.facets.groups[0].options}
    assert kinds == {"sheet": 1, "initiative": 1}


def test_snippets_highlight_every_form_of_the_words(site):
    outcome = search("fr", "ecole")
    assert str(outcome.hits[0].title) == "Une <mark>école</mark> ouverte au quartier"
    outcome = search("fr", "consultations", kind="sheet")
    assert "<mark>consultation</mark>" in str(outcome.hits[0].snippet)


def test_suggestions_complete_the_words_being_typed(site):
    found = [item["title"] for item in suggestions(query="consul", language="fr")]
    assert found == ["Consultation", "Consultations sur la mobilité"] or sorted(found) == sorted(
        ["Consultation", "Consultations sur la mobilité"]
    )
    assert [item["title"] for item in suggestions(query="Ecol", language="fr")] == ["Une école ouverte au quartier"]
    assert [item["title"] for item in suggestions(query="Burgerbe", language="nl")] == ["Burgerbegroting"]
    assert suggestions(query="brouil", language="fr") == []
    assert suggestions(query="c", language="fr") == []
