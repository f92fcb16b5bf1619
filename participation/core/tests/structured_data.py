"""Read a page's schema.org JSON-LD as a harvester does: every `application/ld+json` block of the HTML, parsed as RDF
by rdflib's JSON-LD parser, its terms checked against the schema.org vocabulary that rdflib ships (`SDO`)."""

import json
import warnings

from bs4 import BeautifulSoup
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SDO

SCHEMA = "https://schema.org/"
# The test's stand-in for the context at https://schema.org (no network here): the vocabulary, and the properties
# whose values are addresses or members of an enumeration, read as resources rather than text.
ADDRESS_PROPERTIES = ("url", "contentUrl", "sameAs", "eventStatus", "eventAttendanceMode", "availability")
CONTEXT = {"@vocab": SCHEMA, **{name: {"@type": "@id"} for name in ADDRESS_PROPERTIES}}
SCHEMA_TERMS = set(SDO.__annotations__)  # the names of schema.org's types and properties


def json_ld_documents(html: str) -> list[dict]:
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def page_graph(html: str) -> Graph:
    """The page's statements; each document must name schema.org as its context."""
    graph = Graph()
    for document in json_ld_documents(html):
        assert document["@context"] == "https://schema.org", document["@context"]
        with warnings.catch_warnings():  # rdflib's own parser still uses its ConjunctiveGraph, deprecated in 7.x
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=json.dumps({**document, "@context": CONTEXT}), format="json-ld")
    return graph


def unknown_terms(graph: Graph) -> set[str]:
    """Properties and types of the graph that schema.org does not define (a misspelt name says nothing)."""
    terms = set(graph.predicates()) - {RDF.type} | set(graph.objects(None, RDF.type))
    return {
        str(term) for term in terms if not str(term).startswith(SCHEMA) or str(term)[len(SCHEMA) :] not in SCHEMA_TERMS
    }


def main_thing(graph: Graph, type_name: str):
    """What the page is about: the one thing of the graph that has the page as `mainEntityOfPage`, of `type_name`."""
    (subject,) = graph.subjects(SDO.mainEntityOfPage, None)
    assert (subject, RDF.type, SDO[type_name]) in graph, list(graph.objects(subject, RDF.type))
    return subject


def value(graph: Graph, subject, *path: str):
    """The value at the end of a path of properties (`value(g, event, "offers", "price")`), or None."""
    node = subject
    for name in path:
        node = graph.value(node, SDO[name])
        if node is None:
            return None
    return node


def missing(graph: Graph, subject, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if graph.value(subject, SDO[name]) is None]


def enumeration(member: str) -> URIRef:
    return SDO[member]
