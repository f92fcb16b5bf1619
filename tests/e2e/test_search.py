"""The site search in a browser, in FR, NL and EN, on the demo content: the header's box and its suggestions by
keyboard only (ARIA combobox), axe (WCAG 2.1 A/AA) on the results, on no results and with the suggestions open."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LANGUAGES, axe_violations

pytestmark = pytest.mark.e2e
SEARCH = {"fr": "recherche", "nl": "zoeken", "en": "search"}
QUERIES = {"fr": "budget participatif", "nl": "burgerbegroting", "en": "participatory budgeting"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_search_by_keyboard_reaches_results_without_accessibility_violations(page, server_url, language):
    page.goto(f"{server_url}/{language}/")
    box = page.locator("#site-search-q")
    box.focus()
    page.keyboard.type(QUERIES[language])
    page.keyboard.press("Enter")  # no suggestion chosen: Enter searches what was typed
    expect(page).to_have_url(re.compile(rf"/{language}/{SEARCH[language]}/\?q="))
    results = page.locator(".search-result")
    assert results.count() > 0
    expect(page.locator("#results-heading")).to_contain_text(re.compile(r"\d"))
    assert page.locator(".search-result mark").count() > 0
    assert axe_violations(page) == []
    # A facet, chosen with the keyboard, narrows the results and keeps the query.
    page.locator(".filter-group summary").first.focus()
    page.keyboard.press("Enter")
    page.locator(".filter-group input[type=checkbox]").first.check()
    page.locator(".filter-panel button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"kind="))
    assert page.locator("#filter-q").input_value() == QUERIES[language]
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_suggestions_by_keyboard_with_axe(page, server_url, language):
    page.goto(f"{server_url}/{language}/")
    box = page.locator("#site-search-q")
    box.focus()
    page.keyboard.type("budg")
    listbox = page.locator("#site-search-q-suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.locator("[role=option]")
    assert options.count() > 0
    expect(page.locator(".site-search__field [role=status]")).to_contain_text(re.compile(r"\d|1"))
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    target = options.first.get_attribute("data-url")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_results_page_without_accessibility_violations(page, server_url, language):
    response = page.goto(f"{server_url}/{language}/{SEARCH[language]}/?q=zzqxw&kind=sheet")
    assert response.status == 200
    assert page.locator(".search-result").count() == 0
    assert page.locator(".search-sections a").count() > 0
    assert axe_violations(page) == []


def test_the_search_works_without_javascript(new_context, server_url):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server_url}/fr/")
    page.locator("#site-search-q").fill("ecole")
    with page.expect_navigation():
        page.locator(".site-search__button").click()
    expect(page).to_have_url(re.compile(r"/fr/recherche/\?q=ecole"))
    assert page.locator(".search-result").count() > 0
    assert page.locator("#site-search-q").input_value() == "ecole"
    context.close()
