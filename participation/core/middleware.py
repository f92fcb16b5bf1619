import logging
import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

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
