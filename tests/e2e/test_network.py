"""The network in a browser, in FR, NL and EN: axe on the network page, the calendar (also filtered and past), an
upcoming and a past event, the registration form with errors, the membership request and the members' sign-in;
a keyboard-only registration."""

import pytest
from django.urls import reverse
from django.utils import translation

from participation.core.content import content_read
from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations

pytestmark = pytest.mark.e2e
CONTENT = ROOT / "participation/network/content"
NETWORK = content_read(CONTENT / "network-page.yaml")["translations"]
EVENTS = {item["key"]: item["translations"] for item in content_read(CONTENT / "events.yaml")["events"]}


def sign_in_path(language):
    """The members' sign-in address in a language (its path is translated)."""
    with translation.override(language):
        return reverse("network_sign_in")


def network_url(server_url, language):
    return f"{server_url}/{language}/{NETWORK[language]['slug']}/"


def event_url(server_url, language, key):
    return network_url(server_url, language) + EVENTS[key][language]["slug"] + "/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path", ["", "events/", "events/?type=regional-training&format=face-to-face", "events/past/", "join/"]
)
def test_network_pages_have_no_accessibility_violations(page, server_url, language, path):
    response = page.goto(network_url(server_url, language) + path)
    assert response.status == 200
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", ["theory-participation-levels", "ateliers-module-4-facilitation"])
def test_event_pages_have_no_accessibility_violations(page, server_url, language, key):
    response = page.goto(event_url(server_url, language, key))
    assert response.status == 200
    assert page.locator("link[rel=alternate][type='text/calendar']").count() >= 2
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_form_with_errors_has_no_accessibility_violations(page, server_url, language):
    page.goto(event_url(server_url, language, "practical-cases-sortition") + "register/")
    page.fill("#id_name", "Ana Peeters")
    page.fill("#id_email", "not-an-address")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.locator("#id_name").input_value() == "Ana Peeters"
    assert axe_violations(page) == []
    summary.locator("a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_page_with_errors_has_no_accessibility_violations(page, server_url, language):
    response = page.goto(server_url + sign_in_path(language))
    assert response.status == 200
    assert axe_violations(page) == []
    page.fill("#id_username", "nobody@example.org")
    page.fill("#id_password", "wrong-password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    assert axe_violations(page) == []


def test_members_area_sends_visitors_to_the_sign_in_page(page, server_url):
    page.goto(network_url(server_url, "en") + "members/")
    assert sign_in_path("en") in page.url


def test_registration_with_the_keyboard_only(page, server_url):
    page.goto(event_url(server_url, "en", "field-visit-neighbourhood-contract") + "register/")
    page.locator("#id_name").focus()
    page.keyboard.type("Sam Peeters")
    page.keyboard.press("Tab")
    page.keyboard.type("sam.peeters@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("CPAS de Jette")
    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    assert page.locator("#id_organisation").input_value() == "CPAS de Jette"
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/registered/")
    assert page.locator(".panel-confirmation h1").is_visible()
    assert axe_violations(page) == []
