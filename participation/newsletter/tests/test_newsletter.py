"""The newsletter: double opt-in subscription, confirmation and one-click unsubscribe links (the addresses of the
links already sent, under the article index), the editors' CSV export, and the subscribers moved by migration."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.test import Client
from django.utils import translation
from wagtail.models import Locale

from conftest import fresh
from participation.articles.models import ArticleIndexPage
from participation.core.models import CANONICAL_TERMS, Theme
from participation.core.services import page_create, page_translation_save
from participation.core.tests.html import elements
from participation.newsletter.models import Subscriber
from participation.newsletter.services import CONFIRM_SALT, unsubscribe_token

pytestmark = pytest.mark.django_db
BASE = "/fr/articles/"


@pytest.fixture(scope="module")
def module_index(module_homes):
    return page_create(
        parent=module_homes["fr"], page=ArticleIndexPage(title="Articles", slug="articles", lead="Des articles.")
    )


@pytest.fixture
def index(module_index, db):
    return fresh(module_index)


def subscribe(client, email="lea@example.org", language="nl", themes=("mobility",)):
    themes_pks = [str(t.pk) for t in Theme.objects.filter(key__in=themes, **CANONICAL_TERMS)]
    return client.post(f"{BASE}lettre-d-information/", {"email": email, "language": language, "themes": themes_pks})


def test_subscription_lifecycle(client, index, django_capture_on_commit_callbacks):
    page_translation_save(source=index, locale=Locale.objects.get(language_code="nl"), fields={"slug": "artikels"})
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client)
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None and subscriber.language == "nl"
    (message,) = mail.outbox
    with translation.override("nl"):
        assert (
            translation.gettext("Confirm your subscription to the participation.brussels newsletter") == message.subject
        )
    link = next(line for line in message.body.splitlines() if "/nieuwsbrief/bevestigen/" in line)
    assert link.startswith("http://testserver/nl/artikels/nieuwsbrief/bevestigen/?token=")
    confirmation = client.get(link.replace("http://testserver", ""))
    assert confirmation.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None

    unsubscribe_url = f"{BASE}lettre-d-information/desinscription/?token={unsubscribe_token(subscriber)}"
    assert client.get(unsubscribe_url).status_code == 200
    assert Subscriber.objects.exists()  # a link preview does not unsubscribe
    assert client.post(unsubscribe_url).status_code == 200
    assert not Subscriber.objects.exists()


def test_expired_or_forged_confirmation_link_is_refused(client, index):
    subscribe(client)

    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    expired = SignedLongAgo(key=settings.SECRET_KEY, salt=CONFIRM_SALT).sign_object("lea@example.org", compress=True)
    assert client.get(f"{BASE}lettre-d-information/confirmer/", {"token": expired}).status_code == 400
    assert client.get(f"{BASE}lettre-d-information/confirmer/", {"token": "forged:token"}).status_code == 400
    assert Subscriber.objects.get().confirmed_at is None


def test_subscription_form_errors_keep_values_and_link_fields(client, index):
    response = client.post(f"{BASE}lettre-d-information/", {"email": "not-an-address", "language": "xx"})
    html = response.content.decode()
    assert [a["href"] for a in elements(html, "a") if a.get("href", "").startswith("#id_")] == [
        "#id_email",
        "#id_language_0",
    ]
    assert elements(html, "input", name="email", value="not-an-address")
    assert not Subscriber.objects.exists()


def test_editors_export_confirmed_subscribers_only_and_data_stays_private(
    client, index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "confirmed@example.org")
        subscribe(client, "pending@example.org")
    Subscriber.objects.filter(email="confirmed@example.org").update(
        confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    assert client.get("/admin/newsletter/subscribers.csv").status_code == 302  # anonymous: to the login
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    csv_text = client.get("/admin/newsletter/subscribers.csv").getvalue().decode()
    lines = csv_text.splitlines()
    assert lines[0] == "email,language,topics,confirmed_at,unsubscribe_url,list_unsubscribe_url"
    assert len(lines) == 2 and lines[1].startswith("confirmed@example.org,nl,mobility,")
    assert "/nieuwsbrief/uitschrijven/" in lines[1]  # in the subscriber's language
    assert "http://testserver/newsletter/one-click-unsubscribe/?token=" in lines[1].split(",")[-1]
    client.logout()
    for path in (BASE, f"{BASE}feed/", f"{BASE}lettre-d-information/", "/sitemap.xml"):
        assert "confirmed@example.org" not in client.get(path).content.decode()


def test_unsubscribe_button_works_with_csrf_checks(index):
    subscriber = Subscriber.objects.create(email="lea@example.org", language="fr")
    browser = Client(enforce_csrf_checks=True)
    unsubscribe_url = f"{BASE}lettre-d-information/desinscription/?token={unsubscribe_token(subscriber)}"
    (token,) = elements(browser.get(unsubscribe_url).content.decode(), "input", name="csrfmiddlewaretoken")
    assert browser.post(unsubscribe_url, {"csrfmiddlewaretoken": token["value"]}).status_code == 200
    assert not Subscriber.objects.exists()


def test_one_click_unsubscribe_from_a_mail_client_needs_no_csrf_token(index):
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the header's address, from outside the site."""
    subscriber = Subscriber.objects.create(email="lea@example.org", language="nl")
    mail_client = Client(enforce_csrf_checks=True)
    address = f"/newsletter/one-click-unsubscribe/?token={unsubscribe_token(subscriber)}"
    preview = mail_client.get(address, HTTP_ACCEPT_LANGUAGE="nl")
    assert preview.status_code == 302 and "/nieuwsbrief/uitschrijven/?token=" in preview["Location"]
    assert Subscriber.objects.exists()  # following the link or previewing it does not unsubscribe
    assert mail_client.post(address, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscriber.objects.exists()
    assert mail_client.post("/newsletter/one-click-unsubscribe/?token=forged", {}).status_code == 400
