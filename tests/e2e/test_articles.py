"""Articles and newsletter in a browser, in FR, NL and EN: axe on the index (also filtered), an article and the
subscription form with errors."""

import pytest

from participation.core.content import content_read
from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations

pytestmark = pytest.mark.e2e
INDEX = content_read(ROOT / "participation/articles/content/index.yaml")["translations"]
ARTICLE = content_read(ROOT / "participation/articles/content/platform-launch.yaml")["translations"]


def index_url(server_url, language):
    return f"{server_url}/{language}/{INDEX[language]['slug']}/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["", "?theme=governance-public-services&year=2025", "?page=2", "themes/mobility/"])
def test_article_index_has_no_accessibility_violations(page, server_url, language, path):
    response = page.goto(index_url(server_url, language) + path)
    assert response.status == 200
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_has_no_accessibility_violations(page, server_url, language):
    response = page.goto(f"{index_url(server_url, language)}{ARTICLE[language]['slug']}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == ARTICLE[language]["title"]
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_newsletter_form_with_errors_has_no_accessibility_violations(page, server_url, language):
    page.goto(index_url(server_url, language) + "newsletter/")
    page.fill("#id_email", "not-an-address")
    page.locator("main form button[type=submit]").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.locator("#id_email").input_value() == "not-an-address"
    assert axe_violations(page) == []
    page.fill("#id_email", "reader@example.org")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".panel-confirmation").is_visible()
    assert axe_violations(page) == []
