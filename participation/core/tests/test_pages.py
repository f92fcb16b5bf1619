import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Site

from participation.core.services import page_create, page_publish, page_translation_save
from participation.core.tests.factories import StandardPageFactory
from participation.core.tests.html import elements
from participation.core.views import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return module_homes


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


def test_site_shell_is_read_once_until_a_page_changes(client, site_homes, django_assert_num_queries):
    """The navigation, the footer links and the home page's address are kept per language: a second page reads none
    of them from the database."""
    from participation.core import selectors

    page_create(parent=site_homes["fr"], page=StandardPageFactory(title="Réseau", slug="reseau", show_in_menus=True))
    first = selectors.navigation_items(language="fr", path="/fr/reseau/")
    footer = selectors.footer_links(language="fr")
    home = selectors.home_url(language="fr")
    with django_assert_num_queries(0):
        assert selectors.navigation_items(language="fr", path="/fr/reseau/") == first
        assert selectors.navigation_items(language="fr", path="/fr/")[0]["current"] is False
        assert selectors.footer_links(language="fr") == footer
        assert selectors.home_url(language="fr") == home == "/fr/"
    assert first == [{"title": "Réseau", "url": "/fr/reseau/", "current": True}]


def test_the_site_of_a_host_is_read_once_until_a_site_changes(client, site_homes, settings):
    """Wagtail's site for the request's host is kept (core.middleware.SiteMiddleware): a second page reads no site
    from the database; each host gets the site Wagtail would choose, and a site changed in the admin counts from the
    next page on."""
    settings.ALLOWED_HOSTS = ["testserver", "participatie.example"]
    default = Site.objects.get(is_default_site=True)
    client.get("/fr/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/")
    assert response.status_code == 200 and Site.find_for_request(response.wsgi_request) == default
    assert not [query for query in queries.captured_queries if '"wagtailcore_site"' in query["sql"]]

    def site_of(host):
        response = client.get("/nl/", headers={"host": host})
        assert response.status_code == 200
        return Site.find_for_request(response.wsgi_request)

    assert site_of("participatie.example") == default
    dutch = Site.objects.create(hostname="participatie.example", root_page=site_homes["nl"], site_name="NL")
    assert site_of("participatie.example") == dutch and site_of("testserver") == default
    dutch.hostname = "elders.example"
    dutch.save()
    assert site_of("participatie.example") == default


def test_kept_site_shell_follows_a_published_page_and_a_menu_change(client, site_homes):
    network = page_create(
        parent=site_homes["fr"], page=StandardPageFactory(title="Réseau", slug="reseau", show_in_menus=True)
    )
    html = client.get("/fr/").content.decode()
    assert elements(html, "a", href="/fr/reseau/") and 'href="/fr/vie-privee/"' not in html
    # A page published in the menu and the footer shows on the next page served.
    page_create(
        parent=site_homes["fr"],
        page=StandardPageFactory(title="Vie privée", slug="vie-privee", show_in_menus=True, show_in_footer=True),
    )
    html = client.get("/fr/").content.decode()
    assert len(elements(html, "a", href="/fr/vie-privee/")) == 2  # the main navigation and the footer
    # A menu change (taken out of the menu, another menu title) too.
    network.show_in_menus = False
    page_publish(network)
    privacy = site_homes["fr"].get_children().get(slug="vie-privee").specific
    privacy.menu_title = "Confidentialité"
    page_publish(privacy)
    html = client.get("/fr/").content.decode()
    navigation = html[html.index('<nav class="main-nav"') :]
    navigation = navigation[: navigation.index("</nav>")]
    assert [link["href"] for link in elements(navigation, "a")] == ["/fr/vie-privee/"]
    assert ">Confidentialité</a>" in navigation


def test_kept_language_switcher_follows_a_published_translation(client, site_homes):
    about = page_create(parent=site_homes["fr"], page=StandardPageFactory(title="À propos", slug="a-propos"))
    html = client.get("/fr/a-propos/?q=1").content.decode()
    assert not elements(html, "link", rel="alternate", hreflang="nl")
    page_translation_save(
        source=about, locale=Locale.objects.get(language_code="nl"), fields={"title": "Over", "slug": "over"}
    )
    html = client.get("/fr/a-propos/?q=1").content.decode()
    assert elements(html, "link", rel="alternate", hreflang="nl", href="http://testserver/nl/over/?q=1")


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_server_error_page_speaks_the_language_of_the_address(language):
    request = RequestFactory().get(f"/{language}/some/page/")
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert translation.gettext("Something went wrong") in html


def test_home_page_runs_a_constant_number_of_queries(client, site_homes):
    """The home page's sections (latest articles, next events, featured initiatives) cost the same whether they show
    one item each or are full."""
    import datetime

    from conftest import query_count
    from participation.articles.models import ArticleIndexPage, ArticlePage
    from participation.initiatives.tests.factories import initiative_create, map_page
    from participation.network.models import NetworkPage
    from participation.network.tests.factories import EventPageFactory

    articles = page_create(
        parent=site_homes["fr"], page=ArticleIndexPage(title="Articles", slug="articles", lead="Des articles.")
    )
    network = page_create(
        parent=site_homes["fr"], page=NetworkPage(title="Réseau", slug="reseau", lead="Le réseau.", body=[])
    )
    map_page(site_homes["fr"])

    def items_add(n):
        page_create(
            parent=articles,
            page=ArticlePage(
                title=f"Article {n}",
                slug=f"article-{n}",
                lead="Un article.",
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
                author="Service Participation",
                body=[("paragraph", "<p>Texte.</p>")],
            ),
        )
        page_create(parent=network, page=EventPageFactory(title=f"Atelier {n}", slug=f"atelier-{n}"))
        initiative_create(titles={"fr": f"Initiative {n}", "nl": f"Initiatief {n}"}, communes=("evere", "jette"))

    items_add(0)
    before = query_count(client, "/fr/")
    for n in range(1, 4):
        items_add(n)
    assert len(elements(client.get("/fr/").content.decode(), "article", class_="card")) == 9
    assert query_count(client, "/fr/") == before
