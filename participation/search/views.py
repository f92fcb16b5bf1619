"""The site search's pages: the results (a plain GET form: the query and facets live in the address) and the
suggestions of the search box while typing (JSON, for static/js/search.js)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from participation.core.selectors import navigation_items
from participation.network.selectors import is_network_member
from participation.search.selectors import site_search, suggestions


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    language = get_language()
    outcome = site_search(params=request.GET, language=language, members=is_network_member(request.user))
    return render(
        request,
        "search/results.html",
        {
            "outcome": outcome,
            "filters": outcome.facets,
            "sections": navigation_items(language=language),
        },
    )


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    found = suggestions(
        query=request.GET.get("q", ""), language=get_language(), members=is_network_member(request.user)
    )
    return JsonResponse({"suggestions": found})
