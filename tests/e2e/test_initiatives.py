"""The map of initiatives in a browser, in FR, NL and EN: axe on the map (unfiltered, filtered, with a popup open),
on a detail page, a commune page and the statistics; keyboard use of the markers; the list without JavaScript."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from participation.core.content import content_read
from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations

pytestmark = pytest.mark.e2e
INDEX = content_read(ROOT / "participation/initiatives/content/index.yaml")["translations"]


def map_url(server_url, language):
    return f"{server_url}/{language}/{INDEX[language]['slug']}/"


def wait_for_markers(page):
    page.wait_for_selector("#initiative-map.map--ready", timeout=15000)
    # The number of initiatives in the view, clustered on the server (markers and clusters together).
    return int(page.locator("#initiative-map").get_attribute("data-total"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["", "?theme=mobility&status=finished", "?commune=ixelles&q=zzzz-nothing"])
def test_map_page_has_no_accessibility_violations(page, server_url, language, query):
    response = page.goto(map_url(server_url, language) + query)
    assert response.status == 200
    count = wait_for_markers(page)
    heading = page.locator("#results-heading").inner_text()
    assert str(count) in heading
    assert axe_violations(page) == []


def test_map_shows_all_148_initiatives_without_tiles(page, server_url):
    page.goto(map_url(server_url, "fr"))
    assert wait_for_markers(page) == 148
    assert page.locator(".marker-cluster").count() > 0
    # A cluster opens by zooming in on it: the map asks for the new, smaller view only.
    page.locator(".marker-cluster").first.click()
    page.wait_for_function("document.getElementById('initiative-map').dataset.total !== '148'", timeout=15000)


@pytest.mark.parametrize("language", LANGUAGES)
def test_marker_opens_a_popup_with_the_keyboard(page, server_url, language):
    # A selection of one initiative: its marker stands alone, whatever the zoom.
    with urllib.request.urlopen(f"{map_url(server_url, language)}markers/?q=Bockstael") as response:
        (marker,) = json.loads(response.read())["markers"]
    title = marker[3]
    page.goto(f"{map_url(server_url, language)}?q=Bockstael")
    wait_for_markers(page)
    page.locator("#initiative-map").scroll_into_view_if_needed()
    # From the map, the Tab key reaches the marker.
    page.locator("#initiative-map").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('title')") == title
    page.keyboard.press("Enter")
    popup_link = page.locator(".leaflet-popup a.map-popup__link")
    popup_link.wait_for()
    assert page.evaluate("document.activeElement.className") == "map-popup__link"
    assert page.locator(".leaflet-popup .map-popup__title").inner_text() == title
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")
    assert page.evaluate("document.activeElement.getAttribute('title')") == title
    page.keyboard.press("Enter")
    with page.expect_navigation():
        popup_link.click()
    assert page.locator("h1").inner_text() == title


@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_page_has_no_accessibility_violations(page, server_url, language):
    page.goto(map_url(server_url, language) + "?q=Bockstael")
    with page.expect_navigation():
        page.locator(".card__title a").first.click()
    assert page.locator("h1").is_visible()
    assert page.locator(".facts").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_commune_and_statistics_pages_have_no_accessibility_violations(page, server_url, language):
    for path in ("communes/saint-gilles/", "statistics/"):
        response = page.goto(map_url(server_url, language) + path)
        assert response.status == 200
        assert axe_violations(page) == []


def test_filters_and_list_work_without_javascript(new_context, server_url):
    context = new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    page.goto(map_url(server_url, "nl"))
    assert page.locator(".map__fallback").is_visible()
    page.locator("summary", has_text="Gemeente").click()
    page.locator("#filter-commune-jette").check()
    page.locator("#filter-q").fill("")
    with page.expect_navigation():
        page.locator(".filter-panel button[type=submit]").click()
    assert "commune=jette" in page.url
    cards = page.locator(".card").count()
    assert 0 < cards < 50
    assert str(cards) in page.locator("#results-heading").inner_text()
    page.go_back()
    assert "commune=jette" not in page.url
    context.close()


def test_skip_the_map_link_moves_to_the_list(page, server_url):
    page.goto(map_url(server_url, "en"))
    page.locator(".skip-map").focus()
    page.keyboard.press("Enter")
    # A same-document navigation reaches page.url a moment after the key press: wait for it rather than race it.
    expect(page).to_have_url(re.compile(r"#initiative-list$"))
    expect(page.locator("#initiative-list")).to_be_focused()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_goes_from_page_to_page_by_keyboard(page, server_url, language):
    page.goto(map_url(server_url, language))
    titles = page.locator("#initiative-list .card__title a")
    first_page = titles.all_inner_texts()
    assert len(first_page) == 20
    # After the last initiative of the list, the Tab key reaches the next page (the first page has no previous one).
    titles.last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('rel')") == "next"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]after=\d{4}-\d\d-\d\d_\d+$"))
    second_page = titles.all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    assert axe_violations(page) == []
    titles.last.focus()
    page.keyboard.press("Tab")  # the first page
    page.keyboard.press("Tab")  # the previous page
    assert page.evaluate("document.activeElement.getAttribute('rel')") == "prev"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]before=\d{4}-\d\d-\d\d_\d+$"))
    assert titles.all_inner_texts() == first_page
    assert page.locator("#initiative-list a[rel=prev]").count() == 0
