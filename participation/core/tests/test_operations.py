import logging
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.mark.django_db
def test_healthz_answers_200_when_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_each_request_is_logged_without_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="participation.requests"):
        client.get("/healthz?email=someone@example.org")
    record = next(r for r in caplog.records if r.name == "participation.requests")
    assert record.getMessage().startswith("GET /healthz 200 ")
    assert "example.org" not in record.getMessage()


@pytest.mark.django_db
def test_public_pages_send_security_headers(client, site_homes):
    response = client.get("/fr/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_sitemap_lists_every_page_in_every_language_with_alternates(client, site_homes):
    from participation.core.services import page_create, page_translation_save
    from participation.core.tests.factories import StandardPageFactory

    page = page_create(parent=site_homes["fr"], page=StandardPageFactory(slug="accessibilite"))
    for code, slug in (("nl", "toegankelijkheid"), ("en", "accessibility")):
        page_translation_save(source=page, locale=site_homes[code].locale, fields={"slug": slug})

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    locations = {url.findtext("s:loc", namespaces=SITEMAP_NS): url for url in tree.findall("s:url", SITEMAP_NS)}
    expected = {
        "http://testserver/fr/",
        "http://testserver/nl/",
        "http://testserver/en/",
        "http://testserver/fr/accessibilite/",
        "http://testserver/nl/toegankelijkheid/",
        "http://testserver/en/accessibility/",
    }
    assert set(locations) == expected
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in locations["http://testserver/nl/toegankelijkheid/"].findall("x:link", SITEMAP_NS)
    }
    assert alternates == {
        "fr": "http://testserver/fr/accessibilite/",
        "nl": "http://testserver/nl/toegankelijkheid/",
        "en": "http://testserver/en/accessibility/",
        "x-default": "http://testserver/fr/accessibilite/",
    }


@pytest.mark.django_db
def test_sitemap_leaves_out_aliases_of_untranslated_pages(client, site_homes):
    from participation.core.services import page_create
    from participation.core.tests.factories import StandardPageFactory

    page_create(parent=site_homes["fr"], page=StandardPageFactory(slug="seulement-en-francais"))
    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/fr/seulement-en-francais/" in body
    assert "/nl/seulement-en-francais/" not in body


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


@pytest.mark.django_db
def test_tests_run_on_the_database_named_by_database_url():
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
