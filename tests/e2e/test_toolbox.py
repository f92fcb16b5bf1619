"""The toolbox in a browser, in FR, NL and EN: axe on the index (unfiltered, filtered, empty) and on a method
sheet; every demo sheet reachable in the three languages."""

import re
import urllib.request
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from participation.core.content import content_read
from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations

pytestmark = pytest.mark.e2e
INDEX = content_read(ROOT / "participation/toolbox/content/index.yaml")["translations"]
WORLD_CAFE = content_read(ROOT / "participation/toolbox/content/sheets/world-cafe.yaml")["translations"]
SHEET_COUNT = len(list((ROOT / "participation/toolbox/content/sheets").glob("*.yaml")))


def index_url(server_url, language):
    return f"{server_url}/{language}/{INDEX[language]['slug']}/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query",
    ["", "?type=method&level=consultation&format=face-to-face", "?level=co-decision&time=hours&size=individuals"],
)
def test_toolbox_index_has_no_accessibility_violations(page, server_url, language, query):
    response = page.goto(index_url(server_url, language) + query)
    assert response.status == 200
    assert page.locator("#results-heading").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_filtering_without_javascript_keeps_state_in_the_address(new_context, server_url, language):
    context = new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    page.goto(index_url(server_url, language))
    all_count = page.locator(".card").count()
    page.locator(".filter-group summary").first.click()
    page.locator("#filter-type-method").check()
    with page.expect_navigation():
        page.locator(".filter-panel button[type=submit]").click()
    assert "type=method" in page.url
    methods = page.locator(".card").count()
    assert 20 <= methods < all_count
    assert page.locator("#filter-type-method").is_checked()
    page.go_back()
    assert page.locator(".card").count() == all_count
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_method_sheet_has_no_accessibility_violations(page, server_url, language):
    response = page.goto(f"{index_url(server_url, language)}{WORLD_CAFE[language]['slug']}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == WORLD_CAFE[language]["title"]
    assert page.locator("#method-profile").is_visible()
    assert axe_violations(page) == []
    third = page.locator(".toc a").nth(2)
    anchor = third.get_attribute("href")
    third.click()
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    expect(page.locator(anchor)).to_be_in_viewport()


def test_every_sheet_is_published_in_three_languages(server_url):
    with urllib.request.urlopen(f"{server_url}/sitemap.xml") as response:
        tree = ElementTree.fromstring(response.read())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    for language in LANGUAGES:
        prefix = index_url(server_url, language)
        sheets = [url for url in locations if url.startswith(prefix) and url != prefix]
        assert len(sheets) == SHEET_COUNT, language
