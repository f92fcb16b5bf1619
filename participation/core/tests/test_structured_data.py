"""Every detail page describes its subject in schema.org JSON-LD, in French, Dutch and English: parsed as RDF, every
term is schema.org's, each type carries the properties search engines require or recommend (Google's checklists for
events and articles), the page says its address and the language of its text, and no personal data is in it.

The pages are those of the demo content, loaded once for the module."""

from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image as Picture
from wagtail.images.models import Image

from participation.articles.models import ArticlePage
from participation.core.models import Commune
from participation.core.tests.structured_data import (
    enumeration,
    json_ld_documents,
    main_thing,
    missing,
    page_graph,
    unknown_terms,
    value,
)
from participation.initiatives.models import Initiative, InitiativeIndexPage
from participation.network import selectors as network_selectors
from participation.network.models import EventPage, Registration, RegistrationStatus
from participation.providers.models import Provider, PurchasingCentrePage
from participation.toolbox.models import ToolboxSheetPage

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
LANGUAGES = ("fr", "nl", "en")
SERVER = "http://testserver"
EVENT_REQUIRED = ("name", "startDate", "location")
EVENT_RECOMMENDED = ("description", "endDate", "eventAttendanceMode", "eventStatus", "organizer", "url")


@pytest.fixture(scope="module")
def module_demo(module_demo_content):
    """The demo content, with a photograph as the hero image of one article (in its three languages)."""
    output = BytesIO()
    Picture.new("RGB", (1600, 1000), (90, 140, 200)).save(output, "JPEG")
    photo = Image.objects.create(title="Photo", file=ImageFile(output, name="photo.jpg"))
    article = ArticlePage.objects.filter(locale__language_code="fr").order_by("pk")[0]
    ArticlePage.objects.filter(translation_key=article.translation_key).update(
        hero_image=photo, hero_alt_text="Une photo"
    )


@pytest.fixture
def demo(module_demo, db):
    return None


def route(model, language, name, **kwargs):
    page = model.objects.live().get(locale__language_code=language)
    return page.route_url(name, **kwargs)


def in_language(page, language):
    """The page's version in `language` (its translation)."""
    return type(page).objects.live().get(translation_key=page.translation_key, locale__language_code=language)


def page_of(kind, language):
    """The address of a demo page of `kind` in `language`."""
    with translation.override(language):
        if kind == "sheet":
            return in_language(
                ToolboxSheetPage.objects.get(locale__language_code="fr", slug="world-cafe"), language
            ).url
        if kind == "article":
            article = ArticlePage.objects.filter(locale__language_code="fr", hero_image__isnull=False).order_by("pk")[0]
            return in_language(article, language).url
        if kind == "event":
            return upcoming_event(language).url
        if kind == "initiative":
            index = InitiativeIndexPage.objects.live().get(locale__language_code=language)
            return index.detail_url(Initiative.objects.published().order_by("pk").first(), language)
        if kind == "provider":
            return route(PurchasingCentrePage, language, "provider", slug=Provider.objects.order_by("slug")[0].slug)
        if kind == "lot":
            return route(PurchasingCentrePage, language, "lot", number=3)
        if kind == "commune":
            return route(InitiativeIndexPage, language, "commune", key="schaerbeek")
    raise AssertionError(kind)


def upcoming_event(language):
    """The last upcoming demo event with a place and limited seats, in `language`."""
    event = (
        EventPage.objects.live()
        .filter(locale__language_code="fr", registration_required=True, capacity__isnull=False)
        .exclude(venue_name="")
        .order_by("starts_at")
        .last()
    )
    return in_language(event, language)


def fetch(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


# page kind → (schema.org type of its subject, properties it must carry)
KINDS = {
    "sheet": ("LearningResource", ("name", "description", "url", "inLanguage", "learningResourceType", "publisher")),
    "article": ("Article", ("headline", "image", "datePublished", "dateModified", "author", "publisher", "inLanguage")),
    "event": ("Event", EVENT_REQUIRED + EVENT_RECOMMENDED + ("offers",)),
    "initiative": ("Event", EVENT_REQUIRED + EVENT_RECOMMENDED),
    "provider": ("Organization", ("name", "description", "knowsLanguage", "makesOffer")),
    "lot": ("Service", ("name", "serviceType", "provider", "broker", "areaServed", "url")),
    "commune": ("AdministrativeArea", ("name", "address", "geo", "containedInPlace")),
}


@pytest.mark.parametrize("kind", KINDS)
def test_detail_page_describes_its_subject_in_each_language(client, demo, kind):
    type_name, properties = KINDS[kind]
    addresses = {language: SERVER + page_of(kind, language) for language in LANGUAGES}
    for language, address in addresses.items():
        html = fetch(client, address)
        assert len(json_ld_documents(html)) == 1, address
        graph = page_graph(html)
        assert unknown_terms(graph) == set(), address
        subject = main_thing(graph, type_name)
        assert missing(graph, subject, properties) == [], (address, type_name)
        page = value(graph, subject, "mainEntityOfPage")
        assert str(value(graph, page, "url")) == address
        assert str(value(graph, page, "inLanguage")) == language, address
        translations = {str(item) for item in graph.objects(page, enumeration("workTranslation"))}
        assert translations == set(addresses.values()) - {address}, address
        if type_name in ("Article", "LearningResource", "Service", "Event"):
            assert str(value(graph, subject, "url")) == address


def test_event_offers_a_free_registration_whose_availability_follows_the_seats(client, demo):
    event = network_selectors.event_canonical(upcoming_event("fr"))
    event.capacity = 2
    event.save_revision().publish()
    address = upcoming_event("nl").url

    def offer():
        graph = page_graph(fetch(client, address))
        subject = main_thing(graph, "Event")
        offer = value(graph, subject, "offers")
        return graph, subject, offer

    graph, subject, first = offer()
    assert value(graph, first, "price").toPython() == 0 and str(value(graph, first, "priceCurrency")) == "EUR"
    assert value(graph, first, "availability") == enumeration("InStock")
    assert value(graph, subject, "remainingAttendeeCapacity").toPython() == 2
    assert str(value(graph, first, "url")).startswith(SERVER + address)
    assert missing(graph, first, ("validFrom", "validThrough", "url")) == []
    place = value(graph, subject, "location")
    assert missing(graph, place, ("name", "address")) == []
    assert missing(graph, value(graph, place, "address"), ("streetAddress", "postalCode", "addressCountry")) == []
    assert value(graph, subject, "eventStatus") == enumeration("EventScheduled")

    for number in (1, 2):
        Registration.objects.create(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            name=f"Registered Person {number}",
            email=f"registered{number}@example.org",
            organisation="Commune",
            language="fr",
        )
    html = fetch(client, address)
    graph, subject, full = offer()
    assert value(graph, full, "availability") == enumeration("SoldOut")
    assert value(graph, subject, "remainingAttendeeCapacity").toPython() == 0
    documents = str(json_ld_documents(html))
    assert "Registered Person" not in documents and "example.org" not in documents


def test_online_event_gives_its_public_link_or_its_page_as_virtual_location(client, demo):
    event = network_selectors.event_canonical(upcoming_event("fr"))
    event.venue_name = event.street_address = ""
    event.online_url = "https://meet.example.org/network"
    event.online_url_public = False
    event.save_revision().publish()
    address = SERVER + event.url
    graph = page_graph(fetch(client, address))
    subject = main_thing(graph, "Event")
    location = value(graph, subject, "location")
    assert graph.value(location, enumeration("address")) is None
    assert str(value(graph, location, "url")) == address
    assert "meet.example.org" not in str(json_ld_documents(fetch(client, address)))

    event.online_url_public = True
    event.save_revision().publish()
    graph = page_graph(fetch(client, address))
    subject = main_thing(graph, "Event")
    assert str(value(graph, value(graph, subject, "location"), "url")) == "https://meet.example.org/network"


def test_provider_description_leaves_out_its_contact_email(client, demo):
    provider = Provider.objects.exclude(email="").order_by("slug").first()
    html = fetch(client, route(PurchasingCentrePage, "fr", "provider", slug=provider.slug))
    assert provider.email in html
    assert provider.email not in str(json_ld_documents(html))


def test_lot_lists_its_providers_and_commune_its_postcodes(client, demo):
    graph = page_graph(fetch(client, route(PurchasingCentrePage, "nl", "lot", number=3)))
    service = main_thing(graph, "Service")
    names = {
        str(graph.value(provider, enumeration("name"))) for provider in graph.objects(service, enumeration("provider"))
    }
    assert names == set(Provider.objects.filter(lots__number=3).values_list("name", flat=True))
    commune = Commune.objects.get(key="schaerbeek", locale__language_code="nl")
    graph = page_graph(fetch(client, route(InitiativeIndexPage, "nl", "commune", key="schaerbeek")))
    area = main_thing(graph, "AdministrativeArea")
    assert str(value(graph, area, "name")) == commune.label
    postcodes = {
        str(graph.value(address, enumeration("postalCode"))) for address in graph.objects(area, enumeration("address"))
    }
    assert postcodes == {code.strip() for code in commune.postcodes.split(",")}


def test_routes_under_a_described_page_do_not_repeat_its_description(client, demo):
    event = upcoming_event("fr")
    assert json_ld_documents(fetch(client, event.route_url("register"))) == []
    assert len(json_ld_documents(fetch(client, event.url))) == 1
