"""The platform's open data described as a DCAT-AP 3.0.1 catalogue (Turtle and JSON-LD), for the portals that harvest
them (data.gov.be through DCAT-BE, the Region's open data store): one dataset per open dataset with its files in each
language, the read-only API as a data service, in French, Dutch and English
(docs/decisions/0021-open-data-exports-and-catalogue.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from participation.core.text import in_every_language
from participation.opendata.selectors import DatasetFacts, api_paths, open_datasets

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
EU = "http://publications.europa.eu/resource/authority/"
EU_LANGUAGE = Namespace(EU + "language/")
EU_THEME = Namespace(EU + "data-theme/")
EU_FILE_TYPE = Namespace(EU + "file-type/")
EU_FREQUENCY = Namespace(EU + "frequency/")
EU_ACCESS_RIGHT = Namespace(EU + "access-right/")
IANA_MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")

# The Brussels-Capital Region in the EU's NUTS classification (code BE1), as the EU vocabularies name it.
BRUSSELS_CAPITAL_REGION = URIRef("http://data.europa.eu/nuts/code/BE1")
LANGUAGES = {"fr": EU_LANGUAGE.FRA, "nl": EU_LANGUAGE.NLD, "en": EU_LANGUAGE.ENG}
# Format key → (EU file type, IANA media type).
FORMATS = {
    "csv": (EU_FILE_TYPE.CSV, "text/csv"),
    "geojson": (EU_FILE_TYPE.GEOJSON, "application/geo+json"),
    "ical": (EU_FILE_TYPE.ICS, "text/calendar"),
    "atom": (EU_FILE_TYPE.ATOM, "application/atom+xml"),
    "json": (EU_FILE_TYPE.JSON, "application/json"),
}
FORMAT_NAMES = {"csv": "CSV", "geojson": "GeoJSON", "ical": "iCalendar", "atom": "Atom", "json": "JSON"}
OPENAPI_3_1 = URIRef("https://spec.openapis.org/oas/v3.1.0")

# The labels of the EU's vocabularies' terms used, as those vocabularies give them (DCAT-AP asks for them).
EU_THEME_LABELS = {
    "GOVE": {
        "en": "Government and public sector",
        "fr": "Gouvernement et secteur public",
        "nl": "Overheid en publieke sector",
    },
    "SOCI": {"en": "Population and society", "fr": "Population et société", "nl": "Bevolking en samenleving"},
    "REGI": {"en": "Regions and cities", "fr": "Régions et villes", "nl": "Regio's en steden"},
    "EDUC": {
        "en": "Education, culture and sport",
        "fr": "Éducation, culture et sport",
        "nl": "Onderwijs, cultuur en sport",
    },
    "ECON": {"en": "Economy and finance", "fr": "Économie et finances", "nl": "Economie en financiën"},
}
REGIONAL_AUTHORITY_LABEL = "Regional authority"

CATALOGUE_TITLE = _("Open data of participation.brussels")
CATALOGUE_DESCRIPTION = _(
    "The open data of the Brussels-Capital Region's platform for citizen participation: participatory initiatives "
    "in Brussels, the toolbox's sheets on participation, the network's events, the purchasing centre's providers "
    "and the articles, as files and through a read-only API."
)
PUBLISHER_NAME = _("Participation service of the Brussels-Capital Region (perspective.brussels)")
API_TITLE = _("Read-only API of participation.brussels")
API_DESCRIPTION = _(
    "A JSON API (OpenAPI 3.1) over the initiatives, toolbox sheets, articles, events, providers and vocabularies, in "
    "French, Dutch and English, without key."
)

# Each dataset: title, description, keywords and EU data themes.
DATASETS: dict[str, dict[str, Any]] = {
    "initiatives": {
        "title": _("Participatory initiatives in Brussels"),
        "description": _(
            "Citizen participation processes run in the Brussels-Capital Region since 2019: place, organisers, "
            "themes, participation level, methods, audiences, dates, status and outcomes. The same records and "
            "filters as the platform's map."
        ),
        "keywords": [_("citizen participation"), _("participatory process"), _("Brussels"), _("map")],
        "themes": ["GOVE", "SOCI", "REGI"],
    },
    "toolbox-sheets": {
        "title": _("Toolbox sheets on participation"),
        "description": _(
            "The toolbox's sheets: types of participatory processes, their phases and methods, with their "
            "structured attributes (group size, time, budget, level) and Brussels examples."
        ),
        "keywords": [_("citizen participation"), _("participatory methods"), _("toolbox")],
        "themes": ["GOVE", "EDUC"],
    },
    "events": {
        "title": _("Events of the network of participation officers"),
        "description": _(
            "Trainings, workshops and meetings of the Brussels network of participation officers: dates, places "
            "or online addresses, and how to register."
        ),
        "keywords": [_("citizen participation"), _("training"), _("events")],
        "themes": ["GOVE", "EDUC"],
    },
    "providers": {
        "title": _("Providers of the purchasing centre for participation"),
        "description": _(
            "The providers pre-qualified by the Region's purchasing centre for participation, with their lots, the "
            "methods they master, their working languages and their professional contact."
        ),
        "keywords": [_("citizen participation"), _("public procurement"), _("purchasing centre")],
        "themes": ["GOVE", "ECON"],
    },
    "articles": {
        "title": _("Articles on participation in Brussels"),
        "description": _("The platform's thematic articles and news on citizen participation in Brussels."),
        "keywords": [_("citizen participation"), _("news")],
        "themes": ["GOVE", "SOCI"],
    },
}


def _texts(graph: Graph, subject: Any, predicate: URIRef, text: Any) -> None:
    for code, value in in_every_language(text).items():
        graph.add((subject, predicate, Literal(value, lang=code)))


def _document(graph: Graph, subject: Any, predicate: URIRef, url: str) -> None:
    """A web page, typed as DCAT-AP's ranges ask (foaf:Document)."""
    page = URIRef(url)
    graph.add((subject, predicate, page))
    graph.add((page, RDF.type, FOAF.Document))


def _datetime(value: Any) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def catalogue_graph(*, absolute: Callable[[str], str]) -> Graph:
    """The catalogue as an RDF graph; `absolute` makes a site address absolute (the request's host)."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS)):
        graph.bind(prefix, namespace)
    catalogue_url = absolute("/catalog")
    catalogue = URIRef(catalogue_url)
    licence = URIRef(settings.DATA_LICENCE["url"])
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))

    publisher = URIRef(catalogue_url + "#publisher")
    graph.add((publisher, RDF.type, FOAF.Agent))
    _texts(graph, publisher, FOAF.name, PUBLISHER_NAME)
    graph.add((publisher, DCTERMS.type, ADMS_PUBLISHER_TYPE.RegionalAuthority))
    _document(graph, publisher, FOAF.homepage, "https://perspective.brussels/")

    contact = URIRef(catalogue_url + "#contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    _texts(graph, contact, VCARD.fn, PUBLISHER_NAME)
    for email in dict.fromkeys(settings.PARTICIPATION_CONTACT_EMAILS.values()):
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))

    graph.add((BRUSSELS_CAPITAL_REGION, RDF.type, DCTERMS.Location))

    def common(subject: Any) -> None:
        graph.add((subject, DCTERMS.publisher, publisher))
        graph.add((subject, DCAT.contactPoint, contact))
        graph.add((subject, DCTERMS.spatial, BRUSSELS_CAPITAL_REGION))
        for language in LANGUAGES.values():
            graph.add((subject, DCTERMS.language, language))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _texts(graph, catalogue, DCTERMS.title, CATALOGUE_TITLE)
    _texts(graph, catalogue, DCTERMS.description, CATALOGUE_DESCRIPTION)
    _document(graph, catalogue, FOAF.homepage, absolute("/"))
    graph.add((catalogue, DCTERMS.license, licence))
    common(catalogue)
    _typed(graph)

    service = URIRef(catalogue_url + "#api")
    graph.add((service, RDF.type, DCAT.DataService))
    _texts(graph, service, DCTERMS.title, API_TITLE)
    _texts(graph, service, DCTERMS.description, API_DESCRIPTION)
    paths = api_paths()
    for predicate, path in ((DCAT.endpointURL, "endpoint"), (DCAT.endpointDescription, "description")):
        address = URIRef(absolute(paths[path]))
        graph.add((service, predicate, address))
        graph.add((address, RDF.type, RDFS.Resource))
    graph.add((service, DCTERMS.conformsTo, OPENAPI_3_1))
    graph.add((service, DCTERMS.license, licence))
    graph.add((service, DCTERMS.accessRights, EU_ACCESS_RIGHT.PUBLIC))
    common(service)
    graph.add((catalogue, DCAT.service, service))

    modified_dates = []
    for facts in open_datasets():
        dataset = _dataset(graph, facts=facts, catalogue_url=catalogue_url, absolute=absolute, licence=licence)
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((service, DCAT.servesDataset, dataset))
        common(dataset)
        _api_distribution(graph, dataset=dataset, facts=facts, service=service, licence=licence, absolute=absolute)
        if facts.modified:
            modified_dates.append(facts.modified)
    if modified_dates:
        graph.add((catalogue, DCTERMS.modified, _datetime(max(modified_dates))))
    return graph


def _dataset(
    graph: Graph, *, facts: DatasetFacts, catalogue_url: str, absolute: Callable[[str], str], licence: URIRef
) -> URIRef:
    about = DATASETS[facts.key]
    dataset = URIRef(f"{catalogue_url}#{facts.key}")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, about["title"])
    _texts(graph, dataset, DCTERMS.description, about["description"])
    graph.add((dataset, DCTERMS.identifier, Literal(f"{catalogue_url}#{facts.key}")))
    for keyword in about["keywords"]:
        _texts(graph, dataset, DCAT.keyword, keyword)
    for theme in about["themes"]:
        graph.add((dataset, DCAT.theme, EU_THEME[theme]))
    graph.add((dataset, DCTERMS.accrualPeriodicity, EU_FREQUENCY.CONT))
    graph.add((dataset, DCTERMS.accessRights, EU_ACCESS_RIGHT.PUBLIC))
    for url in facts.pages.values():
        _document(graph, dataset, DCAT.landingPage, absolute(url))
    if facts.modified:
        graph.add((dataset, DCTERMS.modified, _datetime(facts.modified)))
    for file in facts.files:
        distribution = URIRef(f"{catalogue_url}#{facts.key}-{file.format}-{file.language}")
        file_type, media_type = FORMATS[file.format]
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((dataset, DCAT.distribution, distribution))
        for code, value in in_every_language(about["title"]).items():
            graph.add((distribution, DCTERMS.title, Literal(f"{value} ({FORMAT_NAMES[file.format]})", lang=code)))
        url = URIRef(absolute(file.url))
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCTERMS.format, file_type))
        graph.add((distribution, DCAT.mediaType, IANA_MEDIA_TYPE[media_type]))
        graph.add((distribution, DCTERMS.language, LANGUAGES[file.language]))
        graph.add((distribution, DCTERMS.license, licence))
        if facts.modified:
            graph.add((distribution, DCTERMS.modified, _datetime(facts.modified)))
        if file.described_by:
            schema = URIRef(absolute(file.described_by))
            graph.add((schema, RDF.type, DCTERMS.Standard))
            graph.add((distribution, DCTERMS.conformsTo, schema))
    return dataset


def _api_distribution(
    graph: Graph,
    *,
    dataset: URIRef,
    facts: DatasetFacts,
    service: URIRef,
    licence: URIRef,
    absolute: Callable[[str], str],
) -> None:
    """The dataset through the API: a distribution whose access service is the API."""
    distribution = URIRef(f"{dataset!s}-api")
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((dataset, DCAT.distribution, distribution))
    for code, value in in_every_language(DATASETS[facts.key]["title"]).items():
        graph.add((distribution, DCTERMS.title, Literal(f"{value} (API)", lang=code)))
    graph.add((distribution, DCAT.accessURL, URIRef(absolute(api_paths()["endpoint"]))))
    graph.add((distribution, DCAT.accessService, service))
    graph.add((distribution, DCTERMS.format, FORMATS["json"][0]))
    graph.add((distribution, DCAT.mediaType, IANA_MEDIA_TYPE["application/json"]))
    graph.add((distribution, DCTERMS.license, licence))


def _typed(graph: Graph) -> None:
    """The classes of the controlled-vocabulary terms used (DCAT-AP's ranges)."""
    themes = {theme for about in DATASETS.values() for theme in about["themes"]}
    for theme in themes:
        graph.add((EU_THEME[theme], RDF.type, SKOS.Concept))
        graph.add((EU_THEME[theme], SKOS.inScheme, URIRef(EU + "data-theme")))
        for code, label in EU_THEME_LABELS[theme].items():
            graph.add((EU_THEME[theme], SKOS.prefLabel, Literal(label, lang=code)))
    graph.add((ADMS_PUBLISHER_TYPE.RegionalAuthority, RDF.type, SKOS.Concept))
    graph.add((ADMS_PUBLISHER_TYPE.RegionalAuthority, SKOS.prefLabel, Literal(REGIONAL_AUTHORITY_LABEL, lang="en")))
    for language in LANGUAGES.values():
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
    for file_type, media_type in FORMATS.values():
        graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        graph.add((IANA_MEDIA_TYPE[media_type], RDF.type, DCTERMS.MediaType))
    graph.add((EU_FREQUENCY.CONT, RDF.type, DCTERMS.Frequency))
    graph.add((EU_ACCESS_RIGHT.PUBLIC, RDF.type, DCTERMS.RightsStatement))
    graph.add((OPENAPI_3_1, RDF.type, DCTERMS.Standard))


JSON_LD_PREFIXES = {"dcat", "dct", "foaf", "vcard", "skos", "rdf", "xsd"}
SERIALISATIONS = {
    "turtle": ("text/turtle; charset=utf-8", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
}


def catalogue_document(*, absolute: Callable[[str], str], serialisation: str) -> tuple[str, str]:
    """(content type, text) of the catalogue in Turtle or JSON-LD."""
    content_type, rdflib_format = SERIALISATIONS[serialisation]
    graph = catalogue_graph(absolute=absolute)
    if rdflib_format == "json-ld":
        # Compact names (dcat:Dataset) with the catalogue's prefixes, as in the Turtle.
        context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix in JSON_LD_PREFIXES}
        return content_type, graph.serialize(format=rdflib_format, context=context, auto_compact=True)
    return content_type, graph.serialize(format=rdflib_format)
