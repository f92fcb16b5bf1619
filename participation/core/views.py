import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import (
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def language_switch(request, language):
    """Remember the language chosen with the switcher, then go to the page in that language."""
    if language not in dict(settings.LANGUAGES):
        return HttpResponseNotFound()
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = f"/{language}/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )
    return response


def favicon(request):
    """Browsers ask for /favicon.ico; the icon is an SVG among the (hashed) static files."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def page_not_found(request, exception=None):
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"request_path": request.path}, request))


def too_many_requests(request, exception=None):
    """A rate limit was hit (django-ratelimit): 429, with a page that says what happened and that nothing was sent."""
    return HttpResponse(loader.get_template("429.html").render({}, request), status=429)


def server_error(request):
    """Rendered without the database or context processors, which may be what failed."""
    language = get_language_from_path(request.path) or settings.LANGUAGE_CODE
    with override(language):
        body = loader.get_template("500.html").render({"LANGUAGE_CODE": language, "home_url": f"/{language}/"})
    return HttpResponseServerError(body)
