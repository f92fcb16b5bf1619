"""The open-data page in a browser, in FR, NL and EN, on the demo content: axe (WCAG 2.1 A/AA), reached from the
footer, no sideways scrolling at 320 px, and its screenshots at 375 and 1280 px (kept in var/screenshots/)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations, page_width

pytestmark = pytest.mark.e2e
ADDRESSES = {"fr": "/fr/donnees-ouvertes/", "nl": "/nl/open-data/", "en": "/en/open-data/"}
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.mark.parametrize("language", LANGUAGES)
def test_open_data_page_from_the_footer_without_accessibility_violations(page, server_url, language):
    page.goto(f"{server_url}/{language}/")
    page.locator(f'footer a[href="{ADDRESSES[language]}"]').click()
    expect(page).to_have_url(re.compile(re.escape(ADDRESSES[language]) + "$"))
    expect(page.locator("h1")).to_have_count(1)
    assert page.locator("main a[href$='/export/csv/metadata/']").count() == 1
    assert page.locator("main a[href='/catalog.ttl']").count() == 1
    assert axe_violations(page) == []
    # The column descriptions it links to answer, in the three languages.
    with page.expect_navigation():
        page.locator("main a[href$='/export/csv/metadata/']").click()
    assert '"@language": "nl"' in page.content()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_open_data_page_fits_the_screen(page, server_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    for language in LANGUAGES:
        page.goto(f"{server_url}{ADDRESSES[language]}")
        assert page_width(page) <= width, language
        if width != 320:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SCREENSHOTS) / f"open-data-{language}-{width}.png"), full_page=True)
