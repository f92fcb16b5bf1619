"""The API's documentation page in a browser, in FR, NL and EN: axe (WCAG 2.1 A/AA) on the page and after moving
through its examples by keyboard, no sideways scrolling at 320 px, and the API it documents answering at the addresses
it gives."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LANGUAGES, axe_violations, page_width

pytestmark = pytest.mark.e2e
DOCS = {"fr": "donnees-ouvertes/api", "nl": "open-data/api", "en": "open-data/api"}
HEADINGS = {"fr": "API des données ouvertes", "nl": "API voor open data", "en": "Open data API"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_docs_page_passes_axe_also_after_moving_through_its_examples(page, server_url, language):
    page.goto(f"{server_url}/{language}/{DOCS[language]}/")
    expect(page.locator("h1")).to_have_text(HEADINGS[language])
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    example = page.locator("main pre").first
    example.focus()
    page.keyboard.press("Tab")
    expect(page.locator("main pre").nth(1)).to_be_focused()
    assert axe_violations(page) == []


def test_the_docs_page_at_320_px_and_the_api_it_points_to(page, server_url):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{server_url}/nl/{DOCS['nl']}/")
    assert page_width(page) <= 320
    root = page.locator("main a").filter(has_text="/api/v1/").first.get_attribute("href")
    answer = page.request.get(root)
    assert answer.status == 200 and answer.headers["access-control-allow-origin"] == "*"
    resources = {resource["name"]: resource["url"] for resource in json.loads(answer.body())["resources"]}
    events = page.request.get(resources["events"] + "?lang=nl")
    assert events.status == 200 and json.loads(events.body())["lang"] == "nl"
