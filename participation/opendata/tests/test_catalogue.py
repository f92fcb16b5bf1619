"""The DCAT-AP catalogue: valid against the official DCAT-AP 3.0.1 shapes, one dataset per open dataset with its files,
the API as a data service, texts in three languages, dates from the data; and the open-data page."""

import datetime
from pathlib import Path

import pytest
from django.db.models import Max
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from conftest import query_count
from participation.articles.models import ArticleIndexPage, ArticlePage
from participation.core.services import page_create
from participation.core.tests.html import elements
from participation.initiatives.models import Initiative
from participation.initiatives.tests.factories import initiative_create, map_page
from participation.network.tests.factories import EventPageFactory, NetworkPageFactory
from participation.providers.models import Provider, ProviderText, PurchasingCentrePage
from participation.toolbox.tests.factories import sheet_create, toolbox_index

pytestmark = pytest.mark.django_db
SHAPES = Path(__file__).parent / "data"
# The 3.0.1 release's shapes name five property shapes that neither file defines (pySHACL stops on them): they are
# left out, and only they.
UNDEFINED_PROPERTY_SHAPES = {
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DatasetShape/4918ff7a6c1c4b0eea6403dca4b992b87ee1f4ab",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DatasetShape/95c69c99a1e3ade043911b51b942f206dea0e68d",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DistributionShape/653804840386e33525b3d39d205c174780be414b",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DistributionShape/a07d6e7a0a1790b89a1ce7ff602cbbd9ea835282",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:RelationshipShape/b7aa98e1befa5130659568aa62e7f38575dc17c1",
}
BASE = "http://testserver"


@pytest.fixture(scope="module")
def module_site(module_homes):
    """One of each open dataset: an initiative on the map, a sheet, an event, a provider, an article."""
    home = module_homes["fr"]
    map_page(home)
    initiative_create(titles={"fr": "Une place pour tous", "nl": "Een plein voor iedereen"})
    sheet_create(toolbox_index(home), title="World café", slug="world-cafe")
    network = page_create(parent=home, page=NetworkPageFactory.build())
    page_create(parent=network, page=EventPageFactory.build())
    page_create(
        parent=home,
        page=PurchasingCentrePage(
            title="Centrale de marchés",
            slug="centrale-de-marches",
            lead="Des prestataires.",
            steps_heading="Comment commander",
            faq_heading="Questions",
        ),
    )
    provider = Provider(name="Callida", slug="callida")
    provider.texts = [ProviderText(language="fr", description="Animation.", services="Animation")]
    provider.save()
    provider.save_revision()
    articles = page_create(parent=home, page=ArticleIndexPage(title="Articles", slug="articles", lead="Des articles."))
    page_create(
        parent=articles,
        page=ArticlePage(
            title="Un article",
            slug="un-article",
            lead="Chapeau.",
            date=datetime.date(2026, 1, 5),
            author="Service Participation",
            body=[("paragraph", "<p>Texte.</p>")],
        ),
    )
    return home


@pytest.fixture
def site(module_site, db):
    return module_site


def catalogue(client, address="/catalog.ttl", data_format="turtle", **headers):
    response = client.get(address, headers=headers)
    assert response.status_code == 200
    return response, Graph().parse(data=response.content.decode(), format=data_format)


def dcat_ap_shapes():
    shapes = Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    undefined = [
        (shape, prop) for shape, prop in shapes.subject_objects(SH.property) if (prop, SH.path, None) not in shapes
    ]
    assert {str(prop) for _shape, prop in undefined} == UNDEFINED_PROPERTY_SHAPES
    for shape, prop in undefined:
        shapes.remove((shape, SH.property, prop))
    return shapes


def test_catalogue_conforms_to_the_dcat_ap_3_0_1_shapes(client, site):
    _response, graph = catalogue(client)
    conforms, report, text = validate(graph, shacl_graph=dcat_ap_shapes(), inference="none", allow_warnings=False)
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert conforms and results == [], text


def test_the_shapes_find_what_is_missing(client, site):
    """The validation can fail: a dataset without a description or a distribution without its address does."""
    _response, graph = catalogue(client)
    dataset = URIRef(f"{BASE}/catalog#initiatives")
    graph.remove((dataset, DCTERMS.description, None))
    distribution = URIRef(f"{BASE}/catalog#initiatives-csv-fr")
    graph.remove((distribution, DCAT.accessURL, None))
    conforms, report, _text = validate(graph, shacl_graph=dcat_ap_shapes(), inference="none")
    focus = {str(node) for node in report.objects(None, SH.focusNode)}
    assert not conforms and {str(dataset), str(distribution)} <= focus


def test_catalogue_describes_each_open_dataset_in_three_languages(client, site):
    _response, graph = catalogue(client, "/catalog.jsonld", "json-ld")
    catalog = URIRef(f"{BASE}/catalog")
    datasets = set(graph.objects(catalog, DCAT.dataset))
    keys = {"initiatives", "toolbox-sheets", "events", "providers", "articles"}
    assert datasets == {URIRef(f"{BASE}/catalog#{key}") for key in keys}
    for dataset in datasets:
        for predicate in (DCTERMS.title, DCTERMS.description, DCAT.keyword):
            languages = {literal.language for literal in graph.objects(dataset, predicate)}
            assert languages == {"fr", "nl", "en"}, (dataset, predicate)
        titles = {literal.language: str(literal) for literal in graph.objects(dataset, DCTERMS.title)}
        assert len(set(titles.values())) == 3, f"{dataset}: translated titles"
        assert graph.value(dataset, DCTERMS.spatial) == URIRef("http://data.europa.eu/nuts/code/BE1")
        assert graph.value(dataset, DCTERMS.publisher) == URIRef(f"{BASE}/catalog#publisher")
        assert graph.value(dataset, DCAT.contactPoint) is not None
        assert graph.value(dataset, DCTERMS.modified) is not None, f"{dataset}: a date from the data"
        assert set(graph.objects(dataset, DCAT.theme)), dataset

    # The initiatives: a CSV (with its column descriptions) and a GeoJSON file per language, and the API.
    initiatives = URIRef(f"{BASE}/catalog#initiatives")
    files = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(initiatives, DCAT.distribution)}
    assert {
        f"{BASE}/fr/initiatives/export/csv/",
        f"{BASE}/fr/initiatives/export/geojson/",
        f"{BASE}/nl/initiatives/export/csv/",
        f"{BASE}/en/initiatives/export/geojson/",
    } <= files
    csv_fr = URIRef(f"{BASE}/catalog#initiatives-csv-fr")
    assert graph.value(csv_fr, DCTERMS.conformsTo) == URIRef(f"{BASE}/fr/initiatives/export/csv/metadata/")
    assert client.get("/fr/initiatives/export/csv/metadata/").status_code == 200
    latest = Initiative.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    assert graph.value(initiatives, DCTERMS.modified).toPython() == latest.replace(microsecond=0)

    # Events as iCalendar and articles as Atom, per language; the feeds answer.
    formats = {
        key: {
            str(graph.value(d, DCTERMS.format)).rsplit("/", 1)[1]
            for d in graph.objects(URIRef(f"{BASE}/catalog#{key}"), DCAT.distribution)
        }
        for key in keys
    }
    assert formats["events"] == {"ICS", "JSON"} and formats["articles"] == {"ATOM", "JSON"}
    assert formats["toolbox-sheets"] == {"JSON"} and formats["providers"] == {"JSON"}
    for key in ("events", "articles"):
        for distribution in graph.objects(URIRef(f"{BASE}/catalog#{key}"), DCAT.distribution):
            address = graph.value(distribution, DCAT.downloadURL)
            if address is not None:
                assert client.get(str(address).removeprefix(BASE)).status_code == 200, address


def test_the_api_is_a_data_service_serving_every_dataset(client, site):
    _response, graph = catalogue(client)
    service = URIRef(f"{BASE}/catalog#api")
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{BASE}/api/v1/")
    assert graph.value(service, DCAT.endpointDescription) == URIRef(f"{BASE}/api/v1/openapi.json")
    assert len(set(graph.objects(service, DCAT.servesDataset))) == 5
    assert (URIRef(f"{BASE}/catalog"), DCAT.service, service) in graph
    api_distribution = URIRef(f"{BASE}/catalog#providers-api")
    assert graph.value(api_distribution, DCAT.accessService) == service
    assert {literal.language for literal in graph.objects(service, DCTERMS.title)} == {"fr", "nl", "en"}
    assert Literal("participation@perspective.brussels") not in set(graph.objects())


def test_catalogue_address_negotiates_turtle_or_json_ld(client, site):
    response = client.get("/catalog")
    assert response["Content-Type"] == "text/turtle; charset=utf-8" and "Accept" in response["Vary"]
    response = client.get("/catalog", headers={"accept": "application/ld+json"})
    assert response["Content-Type"] == "application/ld+json"
    _turtle, turtle = catalogue(client)
    assert len(Graph().parse(data=response.content.decode(), format="json-ld")) == len(turtle) > 400
    assert "public" in client.get("/catalog.ttl")["Cache-Control"]


def test_catalogue_runs_a_constant_number_of_queries(client, site):
    before = query_count(client, "/catalog.ttl")
    for n in range(5):
        initiative_create(titles={"fr": f"Encore {n}"})
    assert query_count(client, "/catalog.ttl") == before


@pytest.mark.parametrize(
    ("language", "address", "heading"),
    [
        ("fr", "/fr/donnees-ouvertes/", "Données ouvertes"),
        ("nl", "/nl/open-data/", "Open data"),
        ("en", "/en/open-data/", "Open data"),
    ],
)
def test_open_data_page_explains_datasets_files_catalogue_and_api_in_each_language(
    client, site, language, address, heading
):
    response = client.get(address)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert elements(html, "a", href="/catalog.ttl") and elements(html, "a", href="/catalog.jsonld")
    assert "/api/v1/openapi.json" in html and "/api/v1/" in html
    # The API's documentation page and this page lead to each other.
    assert elements(html, "a", href=f"{address}api/")
    assert elements(client.get(f"{address}api/").content.decode(), "a", href=address)
    map_address = {"fr": "/fr/initiatives/", "nl": "/nl/initiatives/", "en": "/en/initiatives/"}[language]
    assert elements(html, "a", href=f"{map_address}export/csv/")
    assert elements(html, "a", href=f"{map_address}export/csv/metadata/")
    assert elements(html, "a", href="https://creativecommons.org/licenses/by/4.0/", rel="license")
    # The footer of every page links to it.
    assert elements(client.get(f"/{language}/").content.decode(), "a", href=address)
