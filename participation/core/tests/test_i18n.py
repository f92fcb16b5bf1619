import pytest
from django.utils import translation
from wagtail.models import Locale

from participation.core.services import page_create, page_translation_save
from participation.core.tests.factories import StandardPageFactory
from participation.core.tests.html import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return module_homes


@pytest.fixture
def translated_page(site_homes):
    page = page_create(parent=site_homes["fr"], page=StandardPageFactory(title="Vie privée", slug="vie-privee"))
    page_translation_save(
        source=page,
        locale=Locale.objects.get(language_code="nl"),
        fields={"title": "Privacy", "slug": "privacyverklaring", "lead": "Over uw gegevens."},
    )
    return page


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("nl-BE,nl;q=0.9", "/nl/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("fr-BE", "/fr/"),
        ("de-DE,de;q=0.9", "/fr/"),
        ("", "/fr/"),
    ],
)
def test_root_redirects_by_accept_language(client, site_homes, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_unprefixed_address_redirects_to_language_prefix(client, translated_page):
    response = client.get("/vie-privee/", headers={"accept-language": "fr"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/vie-privee/"


def test_root_remembers_language_chosen_with_switcher(client, site_homes):
    response = client.get("/language/nl/", {"next": "/nl/"})
    assert response.status_code == 302
    assert response["Location"] == "/nl/"
    assert response.cookies["language"].value == "nl"
    assert client.get("/", headers={"accept-language": "en"})["Location"] == "/nl/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_language_switch_never_redirects_off_site(client, site_homes, next_url):
    response = client.get("/language/en/", {"next": next_url})
    assert response["Location"] == "/en/"


def test_language_switch_rejects_unknown_language(client, site_homes):
    response = client.get("/language/de/", {"next": "/fr/"}, follow=True)
    assert response.status_code == 404
    assert "language" not in response.cookies


def test_switcher_leads_to_the_same_page_in_each_language(client, translated_page):
    html = client.get("/fr/vie-privee/").content.decode()
    links = {link["hreflang"]: link["href"] for link in elements(html, "a") if "hreflang" in link}
    # No English translation yet: the switcher leads to the English alias of the original.
    assert links == {"nl": "/language/nl/?next=/nl/privacyverklaring/", "en": "/language/en/?next=/en/vie-privee/"}


def test_head_lists_existing_translations_as_hreflang_alternates(client, translated_page):
    html = client.get("/nl/privacyverklaring/").content.decode()
    alternates = {link["hreflang"]: link["href"] for link in elements(html, "link", rel="alternate")}
    assert alternates == {
        "fr": "http://testserver/fr/vie-privee/",
        "nl": "http://testserver/nl/privacyverklaring/",
        "x-default": "http://testserver/fr/vie-privee/",
    }


def test_untranslated_page_says_so_and_marks_the_original_language(client, translated_page):
    response = client.get("/en/vie-privee/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "This page does not exist in English yet. You are reading the French version." in html
    assert elements(html, "article", lang="fr")
    assert elements(html, "link", rel="canonical") == [{"rel": "canonical", "href": "http://testserver/fr/vie-privee/"}]


def test_translated_page_shows_no_fallback_notice(client, translated_page):
    html = client.get("/nl/privacyverklaring/").content.decode()
    assert not elements(html, "div", class_="notice notice--language")
    assert elements(html, "article", lang="nl")


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_not_found_page_speaks_the_requested_language(client, site_homes, language):
    response = client.get(f"/{language}/does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert translation.gettext("Page not found") in html
        if language != "en":
            assert translation.gettext("Page not found") != "Page not found"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_interface_strings_are_translated(client, site_homes, language):
    html = client.get(f"/{language}/").content.decode()
    for english in ("Skip to main content", "Main navigation", "Contact the Participation service"):
        assert english not in html
