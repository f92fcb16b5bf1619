"""The public read-only API, version 1 (django-ninja; docs/decisions/0020-public-api.md).

Each list filters with the same filter set as the page that lists the same things on the site (the map's for the
initiatives), so that the API and the site always select the same records; the filters' parameters in the OpenAPI
document are made from those filter sets.
"""

import uuid
from typing import Any

import django_filters
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field, create_model

from participation.api import schemas, selectors
from participation.api.http import (
    LIST_PARAMETERS,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    PROBLEM_CONTENT_TYPE,
    Problem,
    Result,
    cursor_decode,
    next_url,
    not_found,
    operation,
    page_size,
    problem_response,
    values_check,
)
from participation.articles.models import ArticlePage
from participation.articles.selectors import ArticleFilterSet
from participation.initiatives.models import Initiative
from participation.initiatives.selectors import InitiativeFilterSet, initiative_selection
from participation.network.models import EventPage
from participation.network.selectors import EventFilterSet
from participation.providers.selectors import ProviderFilterSet, provider_selection
from participation.toolbox.models import ToolboxSheetPage
from participation.toolbox.selectors import SheetFilterSet

DESCRIPTION = """Open data of participation.brussels, the Brussels-Capital Region's platform for citizen
participation: initiatives, toolbox sheets, articles, events, the purchasing centre's providers and lots, communes and
the shared vocabularies. Read-only, no key. Texts in French, Dutch or English (`lang` or `Accept-Language`); every
item says which language its text is in and where it comes from. Lists are paged by cursor (`next`). Errors are
problem documents (RFC 9457). Licence of the data: see `license_url` at the API's root."""


def openapi_document(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as ninja makes it, with the media types of the answers that are not plain JSON:
    problem documents, GeoJSON, and 304 without a body."""
    for path_item in document.get("paths", {}).values():
        for operation_item in path_item.values():
            for status, response in operation_item.get("responses", {}).items():
                content = response.get("content", {})
                if str(status) == "304":
                    response.pop("content", None)
                    response["description"] = "Not Modified"
                elif str(status) in {str(code) for code in PROBLEM_STATUSES} and "application/json" in content:
                    content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                elif (
                    operation_item.get("operationId", "").endswith("initiatives_geojson")
                    and "application/json" in content
                ):
                    content["application/geo+json"] = content.pop("application/json")
    return document


class PublicApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return openapi_document(super().get_openapi_schema(**kwargs))


api = PublicApi(
    title="participation.brussels API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)

PROBLEM_STATUSES = (400, 404, 429)
LIST_RESPONSES: dict[int, Any] = {304: None, 400: schemas.Problem, 429: schemas.Problem}
DETAIL_RESPONSES: dict[int, Any] = {304: None, 400: schemas.Problem, 404: schemas.Problem, 429: schemas.Problem}


class Paging(Schema):
    lang: schemas.Language | None = Field(None, description="fr, nl or en (default: Accept-Language, then fr)")
    cursor: str | None = Field(None, description="The `next` cursor of the previous page", max_length=200)
    limit: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX, description="Items per page")


class Language(Schema):
    lang: schemas.Language | None = Field(None, description="fr, nl or en (default: Accept-Language, then fr)")


def filters_schema(name: str, filter_set: type[django_filters.FilterSet]) -> type[Schema]:
    """The query parameters of a list: its filter set's filters (any of several values), its keyword search."""
    fields: dict[str, Any] = {
        filter_name: (
            list[str] | None,
            Field(None, description=f"{filter_set.base_filters[filter_name].label}: keys, any of them"),
        )
        for filter_name in filter_set.base_filters
    }
    if getattr(filter_set, "keyword_source", None):
        fields["q"] = (str | None, Field(None, description="Keywords (the site search)", max_length=200))
    return create_model(name, __base__=Schema, **fields)


InitiativeFilters = filters_schema("InitiativeFilters", InitiativeFilterSet)
SheetFilters = filters_schema("SheetFilters", SheetFilterSet)
ArticleFilters = filters_schema("ArticleFilters", ArticleFilterSet)
EventFilters = filters_schema("EventFilters", EventFilterSet)
ProviderFilters = filters_schema("ProviderFilters", ProviderFilterSet)


def list_parameters(filters: type[Schema]) -> set[str]:
    return {*LIST_PARAMETERS, *filters.model_fields}


def _page(request: HttpRequest, page: selectors.ItemPage, *, limit: int, schema: type[Schema]) -> Result:
    following = next_url(request, after=page.after)
    data = {"lang": get_language(), "limit": limit, "next": following, "items": page.items}
    return Result(data=data, schema=schema, last_modified=page.last_modified, next_url=following)


def _detail(page: selectors.ItemPage, schema: type[Schema]) -> Result:
    if not page.items:
        raise not_found()
    return Result(data=page.items[0], schema=schema, last_modified=page.last_modified)


# Errors: problem documents.


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        errors.append({"parameter": location[0] if location else "", "message": str(error.get("msg", ""))})
    detail = "; ".join(f"{error['parameter']}: {error['message']}" for error in errors)
    problem = Problem(status=400, title=_("The request is not valid"), detail=detail, errors=errors)
    return problem_response(request, problem)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code if exc.status_code in PROBLEM_STATUSES else 400
    return problem_response(request, Problem(status=status, title=str(exc.message), detail=str(exc.message)))


# The root: what the API holds.


RESOURCES = [
    ("initiatives", "api-v1:initiatives", InitiativeFilters),
    ("initiatives-geojson", "api-v1:initiatives_geojson", InitiativeFilters),
    ("sheets", "api-v1:sheets", SheetFilters),
    ("articles", "api-v1:articles", ArticleFilters),
    ("events", "api-v1:events", EventFilters),
    ("providers", "api-v1:providers", ProviderFilters),
    ("lots", "api-v1:lots", None),
    ("communes", "api-v1:communes", None),
    ("vocabularies", "api-v1:vocabularies", None),
]


@api.get("/", response={200: schemas.Index, **LIST_RESPONSES}, url_name="root", summary="What the API holds")
@operation()
def root(request: HttpRequest, params: Query[Language]) -> Result:
    data = {
        "lang": get_language(),
        "documentation": request.build_absolute_uri(reverse("api-docs")),
        "openapi": request.build_absolute_uri(reverse("api-v1:openapi-json")),
        "license": settings.DATA_LICENCE["name"],
        "license_url": settings.DATA_LICENCE["url"],
        "resources": [
            {
                "name": name,
                "url": request.build_absolute_uri(reverse(url_name)),
                "filters": sorted(filters.model_fields) if filters else [],
            }
            for name, url_name, filters in RESOURCES
        ],
    }
    return Result(data=data, schema=schemas.Index)


# Initiatives: the map's filters.


def _initiatives(request: HttpRequest, paging: Paging) -> selectors.ItemPage:
    filters, _query, selection = initiative_selection(params=request.GET)
    values_check(params=request.GET, choices=filters.choices)
    return selectors.initiative_items(
        initiatives=selection,
        language=get_language(),
        after=cursor_decode(paging.cursor),
        limit=page_size(paging.limit),
        request=request,
    )


@api.get(
    "/initiatives",
    response={200: schemas.InitiativePage, **LIST_RESPONSES},
    url_name="initiatives",
    summary="Initiatives (the map's filters)",
)
@operation(parameters=list_parameters(InitiativeFilters))
def initiatives(request: HttpRequest, paging: Query[Paging], filters: Query[InitiativeFilters]) -> Result:
    return _page(request, _initiatives(request, paging), limit=paging.limit, schema=schemas.InitiativePage)


@api.get(
    "/initiatives.geojson",
    response={200: schemas.FeatureCollection, **LIST_RESPONSES},
    url_name="initiatives_geojson",
    summary="Initiatives as GeoJSON (the map's filters)",
)
@operation(parameters=list_parameters(InitiativeFilters))
def initiatives_geojson(request: HttpRequest, paging: Query[Paging], filters: Query[InitiativeFilters]) -> Result:
    page = _initiatives(request, paging)
    following = next_url(request, after=page.after)
    data = {
        "type": "FeatureCollection",
        "lang": get_language(),
        "limit": paging.limit,
        "next": following,
        "license": settings.DATA_LICENCE["name"],
        "license_url": settings.DATA_LICENCE["url"],
        "features": [
            {
                "type": "Feature",
                "id": item["id"],
                "geometry": {"type": "Point", "coordinates": [item["longitude"], item["latitude"]]},
                "properties": item,
            }
            for item in page.items
        ],
    }
    return Result(
        data=data,
        schema=schemas.FeatureCollection,
        last_modified=page.last_modified,
        next_url=following,
        content_type="application/geo+json",
    )


@api.get(
    "/initiatives/{initiative_id}",
    response={200: schemas.Initiative, **DETAIL_RESPONSES},
    url_name="initiative",
    summary="One initiative",
)
@operation()
def initiative(request: HttpRequest, initiative_id: int, params: Query[Language]) -> Result:
    if not 0 < initiative_id < 2**62:
        raise not_found()
    page = selectors.initiative_items(
        initiatives=Initiative.objects.published().filter(pk=initiative_id),
        language=get_language(),
        after=0,
        limit=1,
        request=request,
    )
    return _detail(page, schemas.Initiative)


# Pages: toolbox sheets, articles, events (the lists' filter sets on the site).


def _pages(request: HttpRequest, *, model: type[Any], filter_set: type[Any], key: uuid.UUID | None = None) -> Any:
    pages = selectors.public_pages(model, language=get_language())
    if key is not None:
        return pages.filter(translation_key=key)
    filters = filter_set(request.GET, queryset=pages)
    values_check(params=request.GET, choices=filters.choices)
    return filters.qs


@api.get("/sheets", response={200: schemas.SheetPage, **LIST_RESPONSES}, url_name="sheets", summary="Toolbox sheets")
@operation(parameters=list_parameters(SheetFilters))
def sheets(request: HttpRequest, paging: Query[Paging], filters: Query[SheetFilters]) -> Result:
    page = selectors.sheet_items(
        sheets=_pages(request, model=ToolboxSheetPage, filter_set=SheetFilterSet),
        after=cursor_decode(paging.cursor),
        limit=page_size(paging.limit),
        request=request,
    )
    return _page(request, page, limit=paging.limit, schema=schemas.SheetPage)


@api.get("/sheets/{key}", response={200: schemas.Sheet, **DETAIL_RESPONSES}, url_name="sheet", summary="One sheet")
@operation()
def sheet(request: HttpRequest, key: uuid.UUID, params: Query[Language]) -> Result:
    pages = _pages(request, model=ToolboxSheetPage, filter_set=SheetFilterSet, key=key)
    return _detail(selectors.sheet_items(sheets=pages, after=0, limit=1, request=request), schemas.Sheet)


@api.get("/articles", response={200: schemas.ArticlePage, **LIST_RESPONSES}, url_name="articles", summary="Articles")
@operation(parameters=list_parameters(ArticleFilters))
def articles(request: HttpRequest, paging: Query[Paging], filters: Query[ArticleFilters]) -> Result:
    page = selectors.article_items(
        articles=_pages(request, model=ArticlePage, filter_set=ArticleFilterSet),
        after=cursor_decode(paging.cursor),
        limit=page_size(paging.limit),
        request=request,
    )
    return _page(request, page, limit=paging.limit, schema=schemas.ArticlePage)


@api.get(
    "/articles/{key}", response={200: schemas.Article, **DETAIL_RESPONSES}, url_name="article", summary="One article"
)
@operation()
def article(request: HttpRequest, key: uuid.UUID, params: Query[Language]) -> Result:
    pages = _pages(request, model=ArticlePage, filter_set=ArticleFilterSet, key=key)
    return _detail(selectors.article_items(articles=pages, after=0, limit=1, request=request), schemas.Article)


@api.get(
    "/events", response={200: schemas.EventPage, **LIST_RESPONSES}, url_name="events", summary="Events and trainings"
)
@operation(parameters=list_parameters(EventFilters))
def events(request: HttpRequest, paging: Query[Paging], filters: Query[EventFilters]) -> Result:
    pages = _pages(request, model=EventPage, filter_set=EventFilterSet).exclude(starts_at=None)
    page = selectors.event_items(
        events=pages, after=cursor_decode(paging.cursor), limit=page_size(paging.limit), request=request
    )
    return _page(request, page, limit=paging.limit, schema=schemas.EventPage)


@api.get("/events/{key}", response={200: schemas.Event, **DETAIL_RESPONSES}, url_name="event", summary="One event")
@operation()
def event(request: HttpRequest, key: uuid.UUID, params: Query[Language]) -> Result:
    pages = _pages(request, model=EventPage, filter_set=EventFilterSet, key=key).exclude(starts_at=None)
    return _detail(selectors.event_items(events=pages, after=0, limit=1, request=request), schemas.Event)


# The purchasing centre.


@api.get(
    "/providers",
    response={200: schemas.ProviderPage, **LIST_RESPONSES},
    url_name="providers",
    summary="Providers of the purchasing centre",
)
@operation(parameters=list_parameters(ProviderFilters))
def providers(request: HttpRequest, paging: Query[Paging], filters: Query[ProviderFilters]) -> Result:
    state, selection = provider_selection(params=request.GET)
    values_check(params=request.GET, choices=state.choices)
    page = selectors.provider_items(
        providers=selection,
        language=get_language(),
        after=cursor_decode(paging.cursor),
        limit=page_size(paging.limit),
        request=request,
    )
    return _page(request, page, limit=paging.limit, schema=schemas.ProviderPage)


@api.get(
    "/providers/{provider_id}",
    response={200: schemas.Provider, **DETAIL_RESPONSES},
    url_name="provider",
    summary="One provider",
)
@operation()
def provider(request: HttpRequest, provider_id: int, params: Query[Language]) -> Result:
    if not 0 < provider_id < 2**62:
        raise not_found()
    _state, selection = provider_selection(params=QueryDict())
    page = selectors.provider_items(
        providers=selection.filter(pk=provider_id), language=get_language(), after=0, limit=1, request=request
    )
    return _detail(page, schemas.Provider)


@api.get("/lots", response={200: schemas.LotList, **LIST_RESPONSES}, url_name="lots", summary="Purchasing-centre lots")
@operation()
def lots(request: HttpRequest, params: Query[Language]) -> Result:
    data = {"lang": get_language(), "items": selectors.lot_items(language=get_language(), request=request)}
    return Result(data=data, schema=schemas.LotList)


# Communes and vocabularies.


@api.get(
    "/communes", response={200: schemas.CommuneList, **LIST_RESPONSES}, url_name="communes", summary="The 19 communes"
)
@operation()
def communes(request: HttpRequest, params: Query[Language]) -> Result:
    data = {"lang": get_language(), "items": selectors.commune_items(language=get_language(), request=request)}
    return Result(data=data, schema=schemas.CommuneList)


@api.get(
    "/vocabularies",
    response={200: schemas.VocabularyList, **LIST_RESPONSES},
    url_name="vocabularies",
    summary="Every shared vocabulary with its terms",
)
@operation()
def vocabularies(request: HttpRequest, params: Query[Language]) -> Result:
    data = {"lang": get_language(), "items": selectors.vocabulary_list(language=get_language())}
    return Result(data=data, schema=schemas.VocabularyList)


@api.get(
    "/vocabularies/{name}",
    response={200: schemas.Vocabulary, **DETAIL_RESPONSES},
    url_name="vocabulary",
    summary="One vocabulary",
)
@operation()
def vocabulary(request: HttpRequest, name: str, params: Query[Language]) -> Result:
    data = selectors.vocabulary_terms_of(name=name, language=get_language())
    if data is None:
        raise not_found()
    return Result(data=data, schema=schemas.Vocabulary)
