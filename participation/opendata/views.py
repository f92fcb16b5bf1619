"""The open data's addresses: the DCAT-AP catalogue for machines (Turtle, JSON-LD, or either by content negotiation)
and the open-data page for people, in each language."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from participation.opendata import catalogue, selectors

CATALOGUE_BROWSER_SECONDS = 3600


def _catalogue_response(request: HttpRequest, serialisation: str) -> HttpResponse:
    content_type, text = catalogue.catalogue_document(absolute=request.build_absolute_uri, serialisation=serialisation)
    response = HttpResponse(text, content_type=content_type)
    patch_cache_control(response, public=True, max_age=CATALOGUE_BROWSER_SECONDS)
    return response


@require_safe
def catalogue_turtle(request: HttpRequest) -> HttpResponse:
    return _catalogue_response(request, "turtle")


@require_safe
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    return _catalogue_response(request, "jsonld")


@require_safe
def catalogue_negotiated(request: HttpRequest) -> HttpResponse:
    """`/catalog`: JSON-LD for clients that prefer it, Turtle otherwise (the harvesters' default)."""
    accepted = request.get_preferred_type(["text/turtle", "application/ld+json", "application/json"])
    response = _catalogue_response(
        request, "jsonld" if accepted in ("application/ld+json", "application/json") else "turtle"
    )
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """The page that explains the open data to people: datasets, files, column descriptions, licence, catalogue, API."""
    language = get_language()
    datasets = []
    for facts in selectors.open_datasets():
        about = catalogue.DATASETS[facts.key]
        datasets.append(
            {
                "key": facts.key,
                "title": about["title"],
                "description": about["description"],
                "page_url": facts.pages.get(language, ""),
                "files": [
                    {"name": catalogue.FORMAT_NAMES[file.format], "url": file.url, "described_by": file.described_by}
                    for file in facts.files
                    if file.language == language
                ],
                "modified": facts.modified,
            }
        )
    return render(
        request,
        "opendata/open_data.html",
        {
            "datasets": datasets,
            "api": selectors.api_paths(),
            "catalogue_urls": {
                "turtle": reverse("catalogue_turtle"),
                "jsonld": reverse("catalogue_jsonld"),
                "negotiated": reverse("catalogue"),
            },
            "data_licence": settings.DATA_LICENCE,
        },
    )
