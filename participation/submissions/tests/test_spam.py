"""Spam and abuse: honeypot, minimum time, link limits, rate limits per address and per email, and a burst of
automated submissions that does not flood the moderators."""

import pytest
from django.core import mail
from django.test import Client

from participation.submissions.models import Submission, SubmissionState
from participation.submissions.tests.conftest import answers, fill

pytestmark = pytest.mark.django_db


def test_honeypot_filled_stops_the_form(client, share):
    fill(client, share, steps=["about", "place", "how", "story", "images"])
    response = client.post(share.route_url("step", step="contact"), {**answers()["contact"], "website": "http://spam"})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert client.post(share.route_url("step", step="review")).status_code == 302
    assert Submission.objects.get().state == SubmissionState.DRAFT


def test_honeypot_is_hidden_from_people_and_assistive_technology(client, share):
    fill(client, share, steps=["about", "place", "how", "story", "images"])
    html = client.get(share.route_url("step", step="contact")).content.decode()
    assert '<div class="trap" aria-hidden="true">' in html
    assert 'tabindex="-1"' in html


def test_a_form_sent_faster_than_a_person_can_type_is_held_back(client, share, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 3600
    fill(client, share)
    response = client.post(share.route_url("step", step="review"))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert Submission.objects.get().state == SubmissionState.DRAFT
    assert mail.outbox == []


def test_texts_full_of_links_are_refused(client, share):
    summary = "Voir https://a.example http://b.example www.c.example"
    response = client.post(share.route_url("step", step="about"), {**answers()["about"], "summary": summary})
    assert response.status_code == 200
    assert 'href="#id_summary"' in response.content.decode()


def test_more_than_five_links_are_refused(client, share):
    fill(client, share, steps=["about", "place", "how"])
    links = "\n".join(f"https://example.org/{n}" for n in range(6))
    response = client.post(share.route_url("step", step="story"), {**answers()["story"], "links": links})
    assert 'href="#id_links"' in response.content.decode()


def _ready_drafts(share, count, email="bot@example.org"):
    """`count` clients, each with a complete draft in its session (as a script would prepare them)."""
    template = Client()
    fill(template, share)
    source = Submission.objects.get()
    clients = []
    for _number in range(count):
        draft = Submission.objects.create(language="fr", data=source.data, contact_email=email)
        client = Client()
        session = client.session
        session["submission_draft"] = draft.token
        session.save()
        clients.append(client)
    source.delete()
    return clients


@pytest.mark.slow
def test_burst_of_100_submissions_is_rate_limited_per_address_and_spares_moderators(share, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    settings.SUBMISSIONS_RATE_PER_ADDRESS = "10/h"
    settings.SUBMISSIONS_RATE_PER_EMAIL = "1000/h"
    statuses = [
        client.post(share.route_url("step", step="review"), REMOTE_ADDR="203.0.113.9").status_code
        for client in _ready_drafts(share, 100)
    ]
    assert statuses.count(302) == 10
    assert statuses.count(429) == 90
    assert Submission.objects.filter(state=SubmissionState.UNCONFIRMED).count() == 10
    moderators = [m for m in mail.outbox if settings.SUBMISSIONS_MODERATORS_EMAIL in m.to]
    assert moderators == [], "unconfirmed submissions never reach the moderators"
    # Another visitor is not affected by the limit.
    other = Client()
    assert other.get(share.url, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert (
        other.post(share.route_url("step", step="about"), answers()["about"], REMOTE_ADDR="198.51.100.7").status_code
        == 302
    )


def test_rate_limit_per_email_whatever_the_address(share, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    settings.SUBMISSIONS_RATE_PER_EMAIL = "5/h"
    statuses = [
        client.post(share.route_url("step", step="review"), REMOTE_ADDR=f"203.0.113.{number}").status_code
        for number, client in enumerate(_ready_drafts(share, 8, email="alex@example.org"))
    ]
    assert statuses == [302] * 5 + [429] * 3


def test_rate_limited_page_is_a_translated_429(share, settings, client):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    settings.SUBMISSIONS_RATE_PER_ADDRESS = "1/h"
    first, second = _ready_drafts(share, 2)
    first.post(share.route_url("step", step="review"))
    response = second.post(share.route_url("step", step="review"))
    assert response.status_code == 429
    assert '<html lang="fr"' in response.content.decode()
