"""The purchasing centre in a browser, in FR, NL and EN: axe on the explainer, the directory (also filtered), a
provider page, the eligibility check with its answer and the request form with errors; a keyboard-only request."""

import pytest

from participation.core.content import content_read
from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations

pytestmark = pytest.mark.e2e
CENTRE = content_read(ROOT / "participation/providers/content/centre.yaml")["translations"]


def centre_url(server_url, language):
    return f"{server_url}/{language}/{CENTRE[language]['slug']}/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    ["", "providers/", "providers/?lot=facilitation&language=nl", "providers/callida/", "lots/3/", "eligibility/"],
)
def test_purchasing_centre_pages_have_no_accessibility_violations(page, server_url, language, path):
    response = page.goto(centre_url(server_url, language) + path)
    assert response.status == 200
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_eligibility_answer_has_no_accessibility_violations(page, server_url, language):
    page.goto(centre_url(server_url, language) + "eligibility/")
    page.locator("#id_organisation_type_4").check()
    page.locator("#id_in_region_0").check()
    page.locator("#id_purpose_0").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".outcome").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_form_with_errors_has_no_accessibility_violations(page, server_url, language):
    page.goto(centre_url(server_url, language) + "request/")
    page.fill("#id_organisation", "Commune de Forest")
    page.fill("#id_email", "not-an-address")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.locator("#id_organisation").input_value() == "Commune de Forest"
    assert axe_violations(page) == []
    summary.locator("a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"


def test_request_can_be_sent_with_the_keyboard_only(page, server_url):
    page.goto(centre_url(server_url, "en") + "request/")
    page.locator("#id_organisation").focus()
    page.keyboard.type("CPAS de Jette")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # radio group: the first arrow press selects the second option
    page.keyboard.press("Tab")
    page.keyboard.type("Sam Peeters")
    page.keyboard.press("Tab")
    page.keyboard.type("sam.peeters@example.org")
    page.locator("#id_project_summary").focus()
    page.keyboard.type("A citizen panel about a new park.")
    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".reference").inner_text().startswith("CM-")
    assert axe_violations(page) == []
