"""The cache of anonymous pages (core.page_cache): what is kept, what never is, and what forgets it."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings

from participation.core.models import Commune, PurchasingLot
from participation.core.page_cache import GENERATION_KEY, page_cache, page_cache_paused
from participation.core.services import page_create, page_publish
from participation.core.tests.factories import StandardPageFactory
from participation.initiatives.tests.factories import initiative_create, map_page
from participation.network import services as network_services
from participation.network.tests.conftest import person
from participation.network.tests.factories import EventPageFactory, NetworkPageFactory
from participation.providers.models import Provider, PurchasingCentrePage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return module_homes


@pytest.fixture
def page_cache_on():
    page_cache().clear()
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield
    page_cache().clear()


@pytest.fixture
def about(site_homes):
    return page_create(parent=site_homes["fr"], page=StandardPageFactory(title="À propos", slug="a-propos"))


def served(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.get("X-Page-Cache")


def test_anonymous_page_is_kept_with_validators_and_public_headers(client, about):
    first, state = served(client, about.url)
    assert (first.status_code, state) == (200, "miss")
    second, state = served(client, about.url)
    assert state == "hit" and second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]
    assert "public" in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]
    assert second["Vary"] == "Accept-Encoding"
    assert second["Content-Type"].startswith("text/html") and second["Content-Language"] == "fr"
    not_modified = client.get(about.url, headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304 and not not_modified.content


def test_kept_per_language_and_query_string_in_any_order(client, about, site_homes):
    assert served(client, "/fr/")[1] == "miss"
    assert served(client, "/nl/")[1] == "miss"
    assert served(client, "/fr/")[1] == "hit"
    assert served(client, "/fr/?a=1&b=2")[1] == "miss"
    assert served(client, "/fr/?b=2&a=1")[1] == "hit"
    assert served(client, "/fr/?a=2&b=2")[1] == "miss"


def test_signed_in_people_are_never_served_a_kept_page(client, about):
    served(client, about.url)
    editor = User.objects.create_user("editor", password="a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response, state = served(client, about.url)
    assert state is None and "private" in response["Cache-Control"]


def test_an_editor_and_visitors_see_a_change_right_after_it_is_published(client, about):
    served(client, about.url)
    assert served(client, about.url)[1] == "hit"
    revision = about.save_revision()
    about.title = "À propos de nous"
    about.save_revision().publish()
    assert revision.pk
    response, state = served(client, about.url)
    assert state == "miss" and "À propos de nous" in response.content.decode()
    editor = User.objects.create_superuser("admin", password="a-long-password-1")
    client.force_login(editor)
    assert "À propos de nous" in served(client, about.url)[0].content.decode()


def test_unpublished_and_moved_pages_are_forgotten(client, about, site_homes):
    other = page_create(parent=site_homes["fr"], page=StandardPageFactory(title="Autre", slug="autre"))
    served(client, about.url)
    about.unpublish()
    assert client.get(about.url).status_code == 404
    served(client, other.url)
    other.move(about, pos="last-child")
    assert client.get("/fr/autre/").status_code == 301, "the old address now redirects to the new one"


def test_a_page_translated_is_shown_at_once(client, about):
    from wagtail.models import Page

    dutch = Page.objects.get(translation_key=about.translation_key, locale__language_code="nl").specific
    before = served(client, dutch.url)[0].content.decode()
    assert "Over ons" not in before
    dutch.alias_of = None
    dutch.title = "Over ons"
    dutch.save_revision().publish()
    assert "Over ons" in served(client, dutch.url)[0].content.decode()


def test_form_pages_keep_their_csrf_token_and_are_never_kept(site_homes):
    network = page_create(parent=site_homes["fr"], page=NetworkPageFactory())
    event = page_create(parent=network, page=EventPageFactory())
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        response, state = served(visitor, event.route_url("register"))
        assert state is None and "private" in response["Cache-Control"]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1])
    assert tokens[0] != tokens[1]
    posted = visitors[1].post(event.route_url("register"), {"csrfmiddlewaretoken": tokens[1], "name": ""})
    assert posted.status_code == 200, "the token of the page shown is accepted"


def seats_left(response):
    return re.search(r"· (\d+) restantes?", " ".join(response.content.decode().split()))[1]


def test_the_seats_left_are_never_stale(client, site_homes, django_capture_on_commit_callbacks):
    network = page_create(parent=site_homes["fr"], page=NetworkPageFactory())
    event = page_create(parent=network, page=EventPageFactory(capacity=1))
    page = served(client, event.url)[0]
    assert served(client, event.url)[1] == "hit"
    assert seats_left(page) == "1"
    assert "est complet" not in served(client, event.route_url("register"))[0].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        network_services.registration_create(event=event, data=person(1), language="fr", site_url="http://testserver")
    response, state = served(client, event.url)
    assert state == "miss" and seats_left(response) == "0"
    registering = served(client, event.route_url("register"))[0]
    assert "est complet" in registering.content.decode()


@pytest.mark.parametrize("change", ["initiative", "vocabulary"])
def test_map_and_its_data_forget_a_changed_initiative_or_term(client, site_homes, change):
    index = map_page(site_homes["fr"])
    initiative = initiative_create(titles={"fr": "Une place pour tous"})
    initiative.save_revision().publish()
    markers = index.route_url("markers")
    served(client, index.url)
    served(client, markers)
    assert served(client, index.url)[1] == "hit" and served(client, markers)[1] == "hit"
    if change == "initiative":
        text = initiative.translations.get(language="fr")
        text.title = "Une place pour chacun"
        text.save()
        expected = "Une place pour chacun"
    else:
        commune = Commune.objects.get(key="ixelles", locale__language_code="fr")
        commune.label = "Ixelles (commune)"
        commune.save()
        expected = "Ixelles (commune)"
    page, state = served(client, index.url)
    assert state == "miss" and expected in page.content.decode()
    assert served(client, markers)[1] == "miss"


def test_provider_pages_forget_a_changed_provider(client, site_homes):
    centre = page_create(
        parent=site_homes["fr"],
        page=PurchasingCentrePage(
            title="Centrale", slug="centrale", lead="Des prestataires.", steps_heading="Étapes", faq_heading="Questions"
        ),
    )
    provider = Provider(name="Callida", slug="callida")
    provider.save()
    provider.lots.set(PurchasingLot.objects.filter(number=3, locale__language_code="fr"))
    provider.save()
    directory = centre.route_url("directory")
    served(client, directory)
    assert served(client, directory)[1] == "hit"
    provider.name = "Callida Conseil"
    provider.save()
    response, state = served(client, directory)
    assert state == "miss" and "Callida Conseil" in response.content.decode()


def test_links_with_a_secret_token_and_other_addresses_are_never_kept(client, about):
    assert served(client, f"{about.url}?token=abc")[1] is None
    assert served(client, f"{about.url}?token=abc")[1] is None
    assert served(client, "/healthz")[1] is None
    response, state = served(client, "/fr/page-qui-n-existe-pas/")
    assert response.status_code == 404 and state is None


def test_a_visitor_with_a_session_or_messages_is_not_served_a_kept_page(client, about):
    served(client, about.url)
    client.cookies["sessionid"] = "something"
    assert served(client, about.url)[1] is None
    client.cookies.pop("sessionid")
    client.cookies["messages"] = "something"
    assert served(client, about.url)[1] is None


def test_off_when_the_setting_says_zero(client, about):
    with override_settings(PAGE_CACHE_SECONDS=0):
        served(client, about.url)
        assert served(client, about.url)[1] is None


def test_bulk_writes_forget_the_kept_pages_once_at_the_end(client, about):
    served(client, about.url)
    generation = page_cache().get(GENERATION_KEY)
    with page_cache_paused():
        about.title = "À propos de nous"
        page_publish(about)
        assert page_cache().get(GENERATION_KEY) == generation
        assert served(client, about.url)[1] == "hit"
    assert page_cache().get(GENERATION_KEY) != generation
    response, state = served(client, about.url)
    assert state == "miss" and "À propos de nous" in response.text
