"""The API's documentation page (in the site's layout, under each language prefix) and the problem document of an
address under /api/ that does not exist."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from participation.api.api import RESOURCES
from participation.api.http import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, Problem, problem_response
from participation.api.selectors import VOCABULARIES


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    root = request.build_absolute_uri(reverse("api-v1:root"))
    resources = [
        {"name": name, "url": request.build_absolute_uri(reverse(url_name)), "filters": sorted(filters.model_fields)}
        for name, url_name, filters in RESOURCES
        if filters is not None
    ]
    return render(
        request,
        "api/docs.html",
        {
            "root_url": root,
            "openapi_url": request.build_absolute_uri(reverse("api-v1:openapi-json")),
            "resources": resources,
            "vocabularies": sorted(VOCABULARIES),
            "page_size_default": PAGE_SIZE_DEFAULT,
            "page_size_max": PAGE_SIZE_MAX,
            "rate": settings.API_RATE_PER_ADDRESS,
            "cache_seconds": settings.API_CACHE_SECONDS,
            "data_licence": settings.DATA_LICENCE,
        },
    )


def api_not_found(request: HttpRequest) -> HttpResponse:
    problem = Problem(status=404, title=_("Not found"), detail=_("There is no such address in the API."))
    return problem_response(request, problem)
