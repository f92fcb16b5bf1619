import pytest
from django.test import RequestFactory
from django.utils import translation

from participation.core.services import page_create
from participation.core.tests.factories import StandardPageFactory
from participation.core.tests.html import elements
from participation.core.views import server_error

pytestmark = pytest.mark.django_db


def test_shell_has_skip_link_landmarks_and_navigation(client, site_homes):
    page_create(
        parent=site_homes["fr"], page=StandardPageFactory(title="Boîte à outils", slug="outils", show_in_menus=True)
    )
    html = client.get("/fr/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main"' in html and "<footer" in html
    assert '<nav class="main-nav"' in html and 'href="/fr/outils/"' in html
    assert "participation@perspective.brussels" in html and "participatie@perspective.brussels" in html


def test_current_section_is_marked_in_navigation(client, site_homes):
    page_create(parent=site_homes["fr"], page=StandardPageFactory(title="Réseau", slug="reseau", show_in_menus=True))
    html = client.get("/fr/reseau/").content.decode()
    assert elements(html, "a", href="/fr/reseau/", **{"aria-current": "page"})


def test_footer_lists_footer_pages_of_the_current_language(client, site_homes):
    page_create(
        parent=site_homes["fr"], page=StandardPageFactory(title="Vie privée", slug="vie-privee", show_in_footer=True)
    )
    assert 'href="/fr/vie-privee/"' in client.get("/fr/").content.decode()


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_server_error_page_speaks_the_language_of_the_address(language):
    request = RequestFactory().get(f"/{language}/some/page/")
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert translation.gettext("Something went wrong") in html
