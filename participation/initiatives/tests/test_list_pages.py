"""The list beside the map, page by page from a cursor (keyset pagination, decision 0023): every initiative once, in
order, forwards and backwards, with ties on the start date and initiatives without one; the filters kept; a bad or
stale cursor gives the first page with a translated notice, never an error; constant queries at any depth."""

import datetime
import html
import re

import pytest

from conftest import query_count
from participation.core.tests.html import elements
from participation.initiatives import selectors
from participation.initiatives.models import Initiative
from participation.initiatives.models.records import NEWEST_FIRST
from participation.initiatives.tests.factories import initiative_create, map_page

pytestmark = pytest.mark.django_db
PAGE_SIZE = 3
TIED = datetime.date(2024, 5, 1)


@pytest.fixture(scope="module")
def module_catalogue(module_homes):
    """Eleven published initiatives: five share a start date, two have none; one waits for moderation. Built once for
    the module; what a test adds is rolled back after it."""
    map_page(module_homes["fr"])
    dates = [TIED] * 5 + [None, None, datetime.date(2025, 1, 1), datetime.date(2021, 6, 1), datetime.date(2023, 2, 1)]
    for number, start_date in enumerate(dates):
        initiative_create(
            titles={"fr": f"Initiative {number}", "nl": f"Initiatief {number}"},
            communes=("ixelles",) if number % 2 else ("jette",),
            start_date=start_date,
        )
    initiative_create(titles={"fr": "Ixelles tôt"}, communes=("ixelles",), start_date=datetime.date(2019, 1, 1))
    initiative_create(titles={"fr": "En attente"}, live=False)


@pytest.fixture
def catalogue(module_catalogue, monkeypatch):
    """The module's catalogue, listed by pages of three."""
    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", PAGE_SIZE)


def newest_first(**filters):
    return list(Initiative.objects.published().filter(**filters).order_by(*NEWEST_FIRST).values_list("pk", flat=True))


def read(client, url):
    """The ids listed, and the addresses of the first, previous and next pages (None when absent)."""
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    listed = [int(pk) for pk in re.findall(r'class="card__title"[^>]*>\s*<a href="/fr/initiatives/(\d+)-', text)]
    links = {}
    for name in ("next", "prev"):
        found = elements(text, "a", rel=name)
        links[name] = html.unescape(found[0]["href"]) if found else None
    return listed, links, text


def walk(client, url, direction):
    """(address, ids listed) of each page met following the `direction` links from `url`."""
    pages = []
    while url:
        listed, links, _text = read(client, url)
        pages.append((url, listed))
        url = "/fr/initiatives/" + links[direction] if links[direction] else None
    return pages


def test_next_pages_list_every_initiative_once_in_order_then_previous_pages_come_back(client, catalogue):
    forwards = walk(client, "/fr/initiatives/", "next")
    assert [pk for _url, listed in forwards for pk in listed] == newest_first()
    assert len(forwards) > 2
    assert all(len(listed) == PAGE_SIZE for _url, listed in forwards[:-1])
    # From the last page back: the same pages in reverse, down to the first one (which has no previous page).
    backwards = walk(client, forwards[-1][0], "prev")
    assert [listed for _url, listed in backwards] == [listed for _url, listed in reversed(forwards)]


def test_a_page_stays_the_same_when_newer_initiatives_are_added(client, catalogue):
    _listed, links, _text = read(client, "/fr/initiatives/")
    second, _links, _text = read(client, "/fr/initiatives/" + links["next"])
    initiative_create(titles={"fr": "Toute nouvelle"}, start_date=datetime.date(2026, 1, 1))
    initiative_create(titles={"fr": "Même jour"}, start_date=TIED)
    assert read(client, "/fr/initiatives/" + links["next"])[0] == second


def test_the_pages_keep_the_filters(client, catalogue):
    expected = newest_first(communes__key="ixelles")
    assert len(expected) > PAGE_SIZE
    url = "/fr/initiatives/?commune=ixelles"
    seen = []
    while url:
        listed, links, text = read(client, url)
        seen += listed
        assert "checked" in elements(text, "input", name="commune", value="ixelles")[0]
        assert f"{len(expected)} initiatives" in text.split('id="results-heading"')[1].split("</h2>")[0]
        if links["prev"]:
            assert links["prev"].startswith("?commune=ixelles&before=")
            first = [a for a in elements(text, "a") if a.get("href") == "/fr/initiatives/?commune=ixelles"]
            assert first, "a link back to the first page of the same selection"
        url = "/fr/initiatives/" + links["next"] if links["next"] else None
    assert seen == expected
    # Removing a filter starts the list again, and so do the exports of the selection.
    _listed, links, text = read(client, "/fr/initiatives/?commune=ixelles&after=" + links_after(client))
    chips = [a["href"] for a in elements(text, "a") if "tag--removable" in a.get("class", "")]
    assert chips and all("after=" not in href for href in chips)
    exports = [link["href"] for link in elements(text, "link", rel="alternate") if "type" in link]
    assert exports and all("after=" not in href for href in exports)


def links_after(client):
    return read(client, "/fr/initiatives/?commune=ixelles")[1]["next"].split("after=")[1]


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        "2024-13-01_5",
        "none_x",
        "_",
        "2024-05-01_",
        "9" * 40,
        "<script>",
        "2024-05-01_-3",
        "2024-05-01",
        "none_²",
        "none_٣",
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_bad_cursor_gives_the_first_page_with_a_notice(client, catalogue, cursor, direction):
    listed, links, text = read(client, f"/fr/initiatives/?commune=ixelles&{direction}={cursor}")
    assert listed == newest_first(communes__key="ixelles")[:PAGE_SIZE]
    assert links["prev"] is None
    assert "Cette page de la liste n’existe plus" in text


@pytest.mark.parametrize(("direction", "cursor"), [("after", "none_1"), ("before", "2999-01-01_1")])
def test_a_cursor_that_leads_nowhere_gives_the_first_page_with_a_notice(client, catalogue, direction, cursor):
    listed, links, text = read(client, f"/fr/initiatives/?commune=ixelles&{direction}={cursor}")
    assert listed == newest_first(communes__key="ixelles")[:PAGE_SIZE]
    assert links["prev"] is None
    assert "Cette page de la liste n’existe plus" in text


def test_the_notice_is_translated(client, catalogue):
    text = client.get("/nl/initiatives/?after=nothing").content.decode()
    assert "Deze pagina van de lijst bestaat niet meer" in text


@pytest.mark.parametrize(
    "query", ["", "?commune=ixelles", "?after=2024-05-01_999999", "?before=2019-01-01_1", "?after=none_1"]
)
def test_every_page_of_the_list_runs_the_same_queries_whatever_the_number_of_initiatives(client, catalogue, query):
    before = query_count(client, f"/fr/initiatives/{query}")
    for number in range(6):
        initiative_create(titles={"fr": f"Encore {number}"}, communes=("ixelles",), start_date=TIED)
    assert query_count(client, f"/fr/initiatives/{query}") == before


def test_the_selection_count_is_read_once_for_every_page_of_a_list_and_follows_a_change(client, catalogue):
    """The count and bounds of a selection (one aggregate over it) are shared by its pages until an initiative
    changes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def summary_queries(url):
        with CaptureQueriesContext(connection) as queries:
            text = client.get(url).content.decode()
        return sum('COUNT("initiatives_initiative"."id")' in query["sql"] for query in queries.captured_queries), text

    ixelles = len(newest_first(communes__key="ixelles"))
    counted, _text = summary_queries("/fr/initiatives/?commune=ixelles")
    assert counted == 1
    _listed, links, _text = read(client, "/fr/initiatives/?commune=ixelles")
    next_page = f"/fr/initiatives/{links['next']}"
    counted, text = summary_queries(next_page)
    assert counted == 0 and f"{ixelles} initiatives" in text
    initiative_create(titles={"fr": "Une de plus"}, communes=("ixelles",))
    counted, text = summary_queries(next_page)
    assert counted == 1 and f"{ixelles + 1} initiatives" in text
