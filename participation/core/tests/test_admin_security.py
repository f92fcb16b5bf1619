"""Admin security (issue 15): a second factor for accounts that reach the admin, a shorter admin session, a
throttled admin sign-in, the CSP's frame-ancestors and reports, security.txt."""

import json
import logging
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from participation.core.tests.test_processes import run_django

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-for-tests"


def _editor():
    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = get_user_model().objects.create_user("editor", "editor@example.org", PASSWORD)
    user.groups.add(group)
    return user


def test_an_editor_sets_up_then_uses_a_second_factor_when_it_is_required(client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    user = _editor()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/?next=/admin/")

    page = client.get("/admin/second-factor/?next=/admin/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in page.content.decode() and 'autocomplete="one-time-code"' in page.content.decode()
    wrong = client.post("/admin/second-factor/", {"code": "000000" if totp(device.bin_key) else "111111"})
    assert wrong.status_code == 200 and "code" in wrong.context["form"].errors
    assert client.get("/admin/").status_code == 302, "still locked"

    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None  # the throttle of the wrong code
    device.save()
    right = client.post("/admin/second-factor/", {"code": f"{totp(device.bin_key):06d}", "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/").status_code == 200

    client.logout()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302, "a new session asks for a code again"
    assert "Or type this key" not in client.get("/admin/second-factor/").content.decode(), "no new set-up"


def test_the_second_factor_is_required_in_production_and_optional_in_development(settings, client):
    result = run_django(
        "from django.conf import settings; print(settings.ADMIN_2FA_REQUIRED)",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP",
    )
    assert result.stdout.strip() == "True", result.stderr
    settings.ADMIN_2FA_REQUIRED = False
    client.force_login(_editor())
    assert client.get("/admin/").status_code == 200


def test_people_without_the_admin_are_not_asked_for_a_second_factor(client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    client.force_login(get_user_model().objects.create_user("member", "member@example.org", PASSWORD))
    response = client.get("/admin/")
    assert "second-factor" not in response.get("Location", "")


def test_the_admin_session_is_shorter(client, settings):
    _editor()
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expiry_age() == settings.ADMIN_SESSION_SECONDS < settings.SESSION_COOKIE_AGE


def test_the_admin_sign_in_is_throttled_per_account(client, settings):
    _editor()
    limit = int(settings.ADMIN_SIGN_IN_RATE_PER_USERNAME.split("/")[0])
    statuses = [
        client.post("/admin/login/", {"username": "Editor", "password": "wrong"}).status_code for _ in range(limit)
    ]
    assert set(statuses) == {200}
    blocked = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert blocked.status_code == 429, "even the right password waits"
    assert "_auth_user_id" not in client.session


def test_the_public_csp_allows_the_admin_preview_frame_and_no_inline_script(client, site_homes):
    csp = client.get("/fr/")["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script
    assert "report-uri /csp-report/" in csp


def test_the_page_preview_can_be_framed_by_the_admin(client, site_homes):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD))
    response = client.get(f"/admin/pages/{site_homes['fr'].pk}/edit/preview/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'none'" not in response.get("Content-Security-Policy", "")


def test_csp_violation_reports_are_logged_without_query_strings(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://participation.brussels/fr/?email=someone@example.org",
            "violated-directive": "script-src",
            "effective-directive": "script-src-elem",
            "blocked-uri": "https://evil.example/x.js?token=secret",
        }
    }
    with caplog.at_level(logging.WARNING, logger="participation.csp"):
        response = client.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
        assert client.post("/csp-report/", "{not json", content_type="application/csp-report").status_code == 204
        assert (
            client.post("/csp-report/", json.dumps([1, {"body": 3}]), content_type="application/json").status_code
            == 204
        )
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "participation.csp"]
    assert record.getMessage() == (
        "CSP violation: script-src-elem blocked https://evil.example/x.js on https://participation.brussels/fr/"
    )
    assert client.get("/csp-report/").status_code == 405


def test_security_txt(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"].startswith("mailto:")
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)
