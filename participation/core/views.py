import json
import logging
import sys
from datetime import UTC, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path, override
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit
from wagtail.admin.views.account import LoginView as WagtailLoginView

from participation.core.signals import admin_session_shorten

logger = logging.getLogger(__name__)
csp_logger = logging.getLogger("participation.csp")
CSP_REPORT_MAX_BYTES = 16 * 1024


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
    """Rendered without the database or context processors, which may be what failed. When the database is away
    (restarting, failing over), a 503 that says nothing was recorded and asks to try again: the platform answers
    again as soon as it is back (every request opens or checks its connection)."""
    language = get_language_from_path(request.path) or settings.LANGUAGE_CODE
    database_away = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    context = {"LANGUAGE_CODE": language, "home_url": f"/{language}/", "request_path": request.path}
    with override(language):
        body = loader.get_template("503.html" if database_away else "500.html").render(context)
    if database_away:
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
    return HttpResponseServerError(body)


def sign_in_username_key(group, request):
    """The rate limits of a sign-in form count the attempts per account name too (django-ratelimit key)."""
    return request.POST.get("username", "").strip().lower() or "-"


class AdminSignInView(WagtailLoginView):
    """Wagtail's sign-in, throttled per address and per account like the members' one (429 page over the limit)."""

    @method_decorator(ratelimit(key="ip", rate=settings.ADMIN_SIGN_IN_RATE_PER_ADDRESS, method="POST", block=True))
    @method_decorator(
        ratelimit(key=sign_in_username_key, rate=settings.ADMIN_SIGN_IN_RATE_PER_USERNAME, method="POST", block=True)
    )
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # Wagtail sets the session's length by its "remember me" box
        admin_session_shorten(request=self.request, user=form.get_user())
        return response


@require_GET
def security_txt(request):
    """/.well-known/security.txt (RFC 9116): where to report a vulnerability."""
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, nl, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
@ratelimit(key="ip", rate="60/m", block=False)
def csp_report(request):
    """Browsers report here what the Content-Security-Policy blocked (report-uri): one warning line per report, with
    the page's and the blocked resource's addresses without their query strings (no personal data). 204 always."""
    if getattr(request, "limited", False) or len(request.body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=204)
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        return HttpResponse(status=204)
    reports = payload if isinstance(payload, list) else [payload]
    for report in reports:
        if not isinstance(report, dict):
            continue
        body = report.get("csp-report") or report.get("body")
        if not isinstance(body, dict):
            continue

        def field(*names, body=body):
            value = next((body[name] for name in names if isinstance(body.get(name), str)), "")
            return value.split("?", 1)[0][:300]

        csp_logger.warning(
            "CSP violation: %s blocked %s on %s",
            field("effective-directive", "effectiveDirective", "violated-directive"),
            field("blocked-uri", "blockedURL") or "inline",
            field("document-uri", "documentURL"),
        )
    return HttpResponse(status=204)
