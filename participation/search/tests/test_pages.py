"""The search box of every page, the results page (facets, pagination, highlights, other languages, no results)
and the suggestions, in FR, NL and EN; bad input never hurts; the index follows every change."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from conftest import committed
from participation.core.models import Commune
from participation.core.services import page_translation_save
from participation.core.tests.html import elements
from participation.search.models import SearchDocument
from participation.search.selectors import site_search
from participation.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db
SEARCH = {"fr": "/fr/recherche/", "nl": "/nl/zoeken/", "en": "/en/search/"}


@pytest.mark.parametrize("language", SEARCH)
def test_every_page_has_a_search_box_leading_to_the_translated_results_page(client, site, language):
    with translation.override(language):
        assert reverse("search") == SEARCH[language]
    html = client.get(f"/{language}/").content.decode()
    (form,) = BeautifulSoup(html, "html.parser").select("header form[role=search]")
    assert form["action"] == SEARCH[language] and form.get("method") == "get"
    assert elements(html, "label", **{"for": "site-search-q"})
    assert elements(html, "input", id="site-search-q", name="q", type="search")


@pytest.mark.parametrize("language", SEARCH)
def test_results_page_lists_counts_and_highlights(client, site, language):
    response = client.get(SEARCH[language], {"q": "schaerbeek"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    (title,) = soup.select(".search-result__title")
    assert title.a["href"].startswith(f"/{language}/")
    assert soup.select_one("#results-heading").get_text(" ", strip=True).startswith("1 ")
    assert soup.select_one("#results-heading")["aria-live"] == "polite"
    assert soup.select("input[type=checkbox][name=kind][value=initiative]")
    assert soup.select_one("h1").get_text().count("schaerbeek") == 1


def test_other_language_results_carry_lang_and_a_visible_label(client, site):
    soup = BeautifulSoup(client.get("/fr/recherche/", {"q": "wijkbudget"}).content, "html.parser")
    (title,) = soup.select(".search-result__title")
    assert title["lang"] == "nl"
    assert soup.select_one(".search-result__snippet")["lang"] == "nl"
    assert soup.select_one(".tag--language span[lang=nl]").get_text(strip=True) == "Nederlands"


def test_facets_keep_the_query_and_narrow(client, site):
    soup = BeautifulSoup(client.get("/fr/recherche/", {"q": "consultation", "kind": "sheet"}).content, "html.parser")
    assert soup.select_one("input[name=kind][value=sheet]").has_attr("checked")
    assert not soup.select_one("input[name=kind][value=initiative]").has_attr("checked")
    assert soup.select_one("#filter-q")["value"] == "consultation"
    assert [title.get_text(strip=True) for title in soup.select(".search-result__title")] == ["Consultation"]
    assert soup.select_one("label[for=filter-kind-initiative] .filter-count").get_text() == "(1)"


def test_a_corrected_query_says_so(client, site):
    soup = BeautifulSoup(client.get("/fr/recherche/", {"q": "consultatoin"}).content, "html.parser")
    assert soup.select_one(".search-correction strong").get_text() == "consultation"


def test_no_results_offers_to_drop_filters_and_the_sections(client, site):
    Page.objects.filter(slug="outils").update(show_in_menus=True)
    html = client.get("/fr/recherche/", {"q": "zzzzyx", "kind": "sheet"}).content.decode()
    assert "Rien ne correspond à votre recherche." in html
    assert elements(html, "a", href="?q=zzzzyx")
    links = BeautifulSoup(html, "html.parser").select(".search-sections a")
    assert "/fr/outils/" in [link["href"] for link in links]


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {},
        {"q": "x" * 10_000},
        {"q": "!!! ??? ..."},
        {"q": '" * : & | ! ( ) -'},
        {"q": '"école'},
        {"q": "école AND NOT OR NEAR(a b)"},
        {"q": "'; DROP TABLE search_searchdocument; --"},
        {"q": "a\x00b"},
        {"q": "école", "kind": "nope", "theme": "<script>"},
        {"q": "école", "page": "999999"},
        {"q": "école", "page": "-3"},
        {"q": "école", "page": "abc"},
        {"q": "école", "year": "99999999999999999999"},
    ],
)
def test_bad_input_gives_a_calm_page(client, site, params):
    response = client.get("/fr/recherche/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]
    assert SearchDocument.objects.exists()
    suggestions = client.get("/fr/recherche/suggestions/", params)
    assert suggestions.status_code == 200 and "suggestions" in suggestions.json()


def test_suggestions_are_json_in_the_page_language(client, site):
    data = client.get("/nl/zoeken/suggesties/", {"q": "raadpl"}).json()
    assert data["suggestions"][0] == {
        "title": "Raadpleging",
        "url": Page.objects.get(slug="raadpleging").url,
        "kind": "Fiches van de toolbox",
        "lang": "nl",
    }


def test_results_page_queries_do_not_grow_with_the_results(client, site):
    def count(query):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/fr/recherche/", {"q": query}).status_code == 200
        return len(queries)

    count("warm-up")  # the vocabularies' labels, cached after the first page
    assert count("schaerbeek") == count("consultation")


def test_lists_search_their_keywords_through_the_same_engine(client, site):
    soup = BeautifulSoup(client.get("/fr/outils/", {"q": "deliberation"}).content, "html.parser")
    assert [title.get_text(strip=True) for title in soup.select(".card__title")] == ["Délibération citoyenne"]
    html = client.get("/fr/initiatives/", {"q": "Schaarbeek"}).content.decode()
    assert "Une école ouverte au quartier" in html and "Consultations sur la mobilité" not in html


def test_the_index_follows_publishing_unpublishing_translating_moving_and_deleting(site):
    def found(language, query):
        return list(
            SearchDocument.objects.filter(site_language=language, heading__icontains=query).values_list(
                "language", "url"
            )
        )

    sheet = site["deliberation"]
    alias = Page.objects.get(slug="deliberation", locale__language_code="nl")
    assert found("nl", "Délibération") == [("fr", alias.url)]
    with committed():
        page_translation_save(
            source=sheet,
            locale=Locale.objects.get(language_code="nl"),
            fields={"title": "Burgerberaad", "slug": "burgerberaad", "lead": "Een burgerpanel beraadslaagt."},
        )
    assert found("nl", "Burgerberaad") == [("nl", "/nl/outils/burgerberaad/")]
    assert found("nl", "Délibération") == []
    with committed():
        sheet.refresh_from_db()
        sheet.unpublish()
    assert found("fr", "Délibération") == []
    with committed():
        sheet.save_revision().publish()
    assert found("fr", "Délibération") == [("fr", "/fr/outils/deliberation/")]
    with committed():
        sheet.move(Page.objects.get(depth=2, locale__language_code="fr"), pos="last-child")
    assert found("fr", "Délibération") == [("fr", "/fr/deliberation/")]
    initiative = site["mobility"]
    with committed():
        initiative.delete()
    assert found("fr", "Consultations sur la mobilité") == []


def test_renaming_a_term_or_a_method_updates_what_is_tagged_with_it(site):
    assert search_count("fr", "Scharenbeek") == 0
    with committed():
        commune = Commune.objects.get(key="schaerbeek", locale__language_code="nl")
        commune.label = "Scharenbeek"
        commune.save()
    assert search_count("fr", "Scharenbeek") == 1
    with committed():
        budget = site["budget"]
        budget.title = "Budget citoyen"
        budget.save_revision().publish()
    assert SearchDocument.objects.filter(heading="Une école ouverte au quartier", tags__contains="Budget citoyen")


def search_count(language, query):
    return site_search(params=QueryDict(f"q={query}"), language=language).total


def test_a_rebuild_gives_the_same_index(site):
    before = sorted(SearchDocument.objects.values_list("source_type", "source_id", "site_language", "url"))
    assert search_index_rebuild() == len(before)
    after = sorted(SearchDocument.objects.values_list("source_type", "source_id", "site_language", "url"))
    assert after == before
