"""Every page type of the site shell, in FR, NL and EN: zero axe-core WCAG 2.1 A/AA violations, keyboard use,
the language switcher and the fallback notice in a real browser."""

from pathlib import Path

import pytest

from participation.core.content import content_read
from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations, page_width

pytestmark = pytest.mark.e2e
PAGES_CONTENT = ROOT / "participation" / "core" / "content" / "pages"
SCREENSHOTS = ROOT / "var" / "screenshots"


def slug(key, language):
    return content_read(PAGES_CONTENT / f"{key}.yaml")["translations"][language]["slug"]


PAGE_TYPES = {
    "home": lambda lang: f"/{lang}/",
    "standard-page": lambda lang: f"/{lang}/{slug('accessibility', lang)}/",
    "not-found": lambda lang: f"/{lang}/this-page-does-not-exist/",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_accessibility_violations(page, server_url, page_type, language):
    path = PAGE_TYPES[page_type](language)
    response = page.goto(server_url + path)
    assert response.status == (404 if page_type == "not-found" else 200)
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_fallback_page_announces_its_language_and_passes_axe(page, server_url, language):
    page.goto(f"{server_url}/{language}/page-test-francais/")
    notice = page.locator(".notice--language")
    assert notice.is_visible()
    assert page.locator("article[lang=fr] h1").inner_text() == "Une page seulement en français"
    assert axe_violations(page) == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, server_url):
    page.goto(f"{server_url}/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_switcher_leads_to_the_same_page_and_is_remembered(page, server_url):
    page.goto(f"{server_url}/fr/{slug('privacy', 'fr')}/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Choisir une langue").get_by_role("link", name="Nederlands").click()
    assert page.url == f"{server_url}/nl/{slug('privacy', 'nl')}/"
    assert page.locator("html").get_attribute("lang") == "nl"
    page.goto(f"{server_url}/")
    assert page.url == f"{server_url}/nl/"


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_pages_fit_narrow_screens_without_horizontal_scrolling(page, server_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path in (PAGE_TYPES["home"]("nl"), PAGE_TYPES["standard-page"]("fr")):
        page.goto(server_url + path)
        assert page_width(page) <= width, path
        page.screenshot(path=str(SCREENSHOTS / f"{Path(path).name or 'home'}-{width}.png"), full_page=True)


def test_csp_allows_everything_the_pages_use(new_context, server_url):
    context = new_context()
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    for path in (PAGE_TYPES["home"]("fr"), PAGE_TYPES["standard-page"]("en")):
        response = page.goto(server_url + path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
    context.close()
    assert violations == []
