import logging
import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http.request import split_domain_port
from django.urls import reverse

from participation.core.page_cache import is_public_page_path
from participation.core.selectors import site_for_host

logger = logging.getLogger("participation.requests")


class RequestLogMiddleware:
    """One line per request: method, path, status and duration. No query string, address or user: no personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={"status_code": response.status_code, "duration_ms": round(duration_ms, 1)},
        )
        return response


class SiteMiddleware:
    """Gives each public page's request its Wagtail site from `site_for_host`, kept per host, before Wagtail looks for
    it: `Site.find_for_request` keeps the site it finds on the request (`_wagtail_site`) and looks no further once one
    is there. After CommonMiddleware, which refuses a host that ALLOWED_HOSTS does not name: only those hosts are kept.
    The other addresses (the health check, the admin, the API) let Wagtail look for the site itself, if they need it:
    the health check still answers with the cache or the database away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_public_page_path(request.path):
            hostname = split_domain_port(request.get_host())[0]
            request._wagtail_site = site_for_host(hostname=hostname, port=request.get_port())
        return self.get_response(request)


class AdminSecondFactorMiddleware:
    """With ADMIN_2FA_REQUIRED, an account that reaches the admin uses it only after proving its second factor
    (a TOTP code, django-otp) in this session: first it sets up its authenticator app, then it types a code at each
    sign-in. Sign-in and sign-out stay reachable. After django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_2FA_REQUIRED
            and request.path_info.startswith("/admin/")
            and request.user.is_authenticated
            and not request.user.is_verified()
            and request.user.has_perm("wagtailadmin.access_admin")
            and request.path_info not in {reverse(name) for name in self.open_urls}
        ):
            return redirect_to_login(request.get_full_path(), reverse("core_second_factor"))
        return self.get_response(request)

    open_urls = ("core_second_factor", "wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_javascript_catalog")
