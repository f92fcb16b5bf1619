"""Moderation in the admin (the queue, the moderation page with Wagtail's preview and comparison, publish, decline,
trust, erase), updates through the signed link as revisions, the daily freshness question, and the privacy of
contact details."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from conftest import committed, fresh
from participation.initiatives.models import Initiative
from participation.submissions import services
from participation.submissions.models import Submission, SubmissionKind, SubmissionState, TrustedSubmitter
from participation.submissions.tests.conftest import fill

pytestmark = pytest.mark.django_db


def link_in(message, marker="token="):
    return next(
        re.search(r"http://[^/\s]+(\S+)", line).group(1) for line in message.body.splitlines() if marker in line
    )


QUEUE = "wagtailsnippets_submissions_submission:list"


def moderation_url(submission):
    return reverse("wagtailsnippets_submissions_submission:edit", args=[submission.pk])


def decide(client, submission, state, reason=""):
    """The moderator's decision, as the moderation page's form sends it."""
    return client.post(moderation_url(submission), {"state": state, "decline_reason": reason})


@pytest.fixture
def moderator(db):
    user = User.objects.create_user("moderator", "moderator@example.org", "a-long-password-123")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture(scope="module")
def module_index(module_homes):
    from participation.core.services import page_create
    from participation.initiatives.models import InitiativeIndexPage

    return page_create(
        parent=module_homes["fr"], page=InitiativeIndexPage(title="Carte", slug="carte", lead="La carte")
    )


@pytest.fixture
def index(module_index, db):
    return fresh(module_index)


@pytest.fixture(scope="module")
def module_pending(module_share, module_index):
    """A confirmed submission, waiting in the queue: sent through the form and confirmed by its e-mail's link, once
    for the module (each test's decisions are undone after it)."""
    client = Client()
    with override_settings(SUBMISSIONS_MIN_SECONDS=0):
        fill(client, module_share)
        with committed():
            client.post(module_share.route_url("step", step="review"))
        with committed():
            client.get(link_in(mail.outbox[-1]).replace("http://testserver", ""))
    mail.outbox.clear()
    return Submission.objects.get()


@pytest.fixture
def pending(module_pending, db):
    return fresh(module_pending)


def test_queue_lists_pending_submissions_newest_first_for_moderators_only(client, pending, moderator):
    older = Submission.objects.create(
        language="fr",
        state=SubmissionState.PENDING,
        submitted_at=timezone.now() - timedelta(days=2),
        data={"about": {"title": ["Une plus ancienne"]}},
    )
    Submission.objects.create(
        language="fr", state=SubmissionState.DECLINED, data={"about": {"title": ["Une demande écartée"]}}
    )
    client.force_login(moderator)
    html = client.get(reverse(QUEUE), {"state": "pending"}).content.decode()
    assert html.index("Jardin partagé du quartier") < html.index("Une plus ancienne")
    assert "Une demande écartée" not in html
    menu = client.get("/admin/").content.decode()
    assert "Initiatives partag\\u00e9es (2)" in menu, "the menu counts what waits (the sidebar is JSON)"
    editor = User.objects.create_user("editor", "e@example.org", "a-long-password-123")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(reverse(QUEUE)).status_code in (302, 403)
    assert client.get(moderation_url(older)).status_code in (302, 403)


def test_moderator_previews_the_page_before_it_is_published_with_wagtail(client, pending, moderator):
    client.force_login(moderator)
    page = client.get(moderation_url(pending)).content.decode()
    preview_url = reverse(
        "wagtailsnippets_initiatives_initiative:revisions_view",
        args=[pending.initiative_id, pending.initiative.latest_revision_id],
    )
    assert preview_url in page
    response = client.get(preview_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jardin partagé du quartier" in html
    assert "alex@example.org" not in html, "the contact is private even in the preview"
    public = client.get(f"/fr/carte/{pending.initiative_id}-jardin-partage-du-quartier-demo/")
    assert public.status_code == 404, "a pending initiative is not public"


def test_publish_tells_the_submitter_with_the_link_and_keeps_history(
    client, pending, moderator, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, pending, "published")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == SubmissionState.PUBLISHED
    assert pending.initiative.live
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alex@example.org"]
    assert f"/fr/carte/{pending.initiative_id}-jardin-partage-du-quartier-demo/" in mail.outbox[0].body
    assert client.get(f"/fr/carte/{pending.initiative_id}-jardin-partage-du-quartier-demo/").status_code == 200
    html = client.get(moderation_url(pending)).content.decode()
    assert "History" in html or "Historique" in html
    actions = set(ModelLogEntry.objects.filter(object_id=str(pending.pk)).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.publish"} <= actions


def test_publishing_in_the_initiative_editor_also_decides_the_submission(
    pending, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending.initiative.latest_revision.publish(user=moderator)
    pending.refresh_from_db()
    assert pending.state == SubmissionState.PUBLISHED and pending.decided_at is not None
    assert [message.to for message in mail.outbox] == [["alex@example.org"]]


def test_decline_needs_a_reason_and_sends_it(client, pending, moderator, django_capture_on_commit_callbacks):
    client.force_login(moderator)
    response = decide(client, pending, "declined")
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.state == SubmissionState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, pending, "declined", "Hors de la Région.")
    pending.refresh_from_db()
    assert pending.state == SubmissionState.DECLINED
    assert not pending.initiative.live
    assert "Hors de la Région." in mail.outbox[0].body
    # A decided submission cannot be published by replaying the form.
    assert decide(client, pending, "published").status_code == 200
    pending.refresh_from_db()
    assert pending.state == SubmissionState.DECLINED
    assert not Initiative.objects.get().live


def test_only_a_published_submitter_can_be_trusted_and_later_submissions_are_flagged(
    client, share, pending, moderator, settings, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    client.post(reverse("submissions_trust", args=[pending.pk]))
    assert not TrustedSubmitter.objects.exists()
    decide(client, pending, "published")
    client.post(reverse("submissions_trust", args=[pending.pk]))
    assert TrustedSubmitter.objects.filter(email="alex@example.org").exists()
    client.logout()
    settings.SUBMISSIONS_MIN_SECONDS = 0
    fill(client, share)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(share.route_url("step", step="review"))
    assert Submission.objects.exclude(pk=pending.pk).get().trusted


def test_erasing_the_contact_keeps_the_public_record(client, pending, moderator):
    client.force_login(moderator)
    decide(client, pending, "published")
    client.post(reverse("submissions_erase_contact", args=[pending.pk]))
    pending.refresh_from_db()
    initiative = Initiative.objects.get()
    assert (pending.contact_email, pending.contact_name, initiative.contact_email, initiative.contact_name) == ("",) * 4
    assert "contact" not in pending.data
    assert initiative.live
    assert initiative.text("fr").title == "Jardin partagé du quartier (démo)"


def test_moderators_get_one_message_for_a_burst_then_a_digest(pending, settings):
    settings.SUBMISSIONS_NOTIFY_EVERY_MINUTES = 15
    assert Submission.objects.get().moderators_notified_at is not None
    for number in range(20):
        Submission.objects.create(
            language="fr",
            state=SubmissionState.PENDING,
            submitted_at=timezone.now(),
            email_confirmed_at=timezone.now(),
            data={"about": {"title": [f"Initiative {number}"]}},
        )
        services.moderators_notify()
    assert mail.outbox == [], "within the quiet period, nothing more is sent"
    call_command("submissions_daily", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert "Initiative 0" in mail.outbox[0].body and "Initiative 19" in mail.outbox[0].body
    assert "20" in mail.outbox[0].subject


def test_update_through_the_signed_link_is_moderated_before_it_replaces_the_public_version(
    client, pending, moderator, django_capture_on_commit_callbacks, share
):
    client.force_login(moderator)
    decide(client, pending, "published")
    client.logout()
    initiative = Initiative.objects.get()
    token = services.update_token(initiative)
    url = f"{share.route_url('update')}?token={token}"
    html = client.get(url).content.decode()
    assert 'value="Jardin partagé du quartier (démo)"' in html, "the form shows the published answers"
    forms = services.initiative_answers(initiative=initiative, language="fr")
    data = {name: values for step in forms.values() for name, values in step.items()}
    data["title"] = ["Jardin partagé et potager (démo)"]
    data["token"] = token
    data["title"] = data["title"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    update = Submission.objects.get(kind=SubmissionKind.UPDATE)
    assert update.state == SubmissionState.PENDING
    initiative.refresh_from_db()
    assert initiative.text("fr").title == "Jardin partagé du quartier (démo)", "not applied before moderation"
    assert initiative.has_unpublished_changes and update.revision_id == initiative.latest_revision_id
    assert update.revision.as_object().text("fr").title == "Jardin partagé et potager (démo)"
    client.force_login(moderator)
    review = client.get(moderation_url(update)).content.decode()
    compare_url = reverse(
        "wagtailsnippets_initiatives_initiative:revisions_compare", args=[initiative.pk, "live", update.revision_id]
    )
    assert compare_url in review
    comparison = client.get(compare_url).content.decode()
    assert "du quartier" in comparison and "et potager" in comparison, "both versions, word by word"
    decide(client, update, "published")
    assert Initiative.objects.get().text("fr").title == "Jardin partagé et potager (démo)"
    assert Initiative.objects.count() == 1


def test_declining_an_update_keeps_the_published_version_as_the_latest(
    client, pending, moderator, share, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    decide(client, pending, "published")
    initiative = Initiative.objects.get()
    answers = services.initiative_answers(initiative=initiative, language="fr")
    answers["about"]["title"] = ["Un autre titre (démo)"]
    update = services.update_submit(initiative=initiative, answers=answers, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, update, "declined", "Ce titre ne correspond pas.")
    initiative.refresh_from_db()
    assert not initiative.has_unpublished_changes
    assert initiative.latest_revision_id == initiative.live_revision_id
    assert initiative.text("fr").title == "Jardin partagé du quartier (démo)"


def test_a_forged_update_link_is_refused(client, share):
    response = client.get(f"{share.route_url('update')}?token=1:forged")
    assert response.status_code == 400


def test_daily_command_asks_once_whether_an_old_initiative_is_still_up_to_date(client, pending, moderator, share):
    client.force_login(moderator)
    decide(client, pending, "published")
    client.logout()
    mail.outbox.clear()
    old = timezone.localdate() - timedelta(days=400)
    Initiative.objects.update(last_verified=old)
    call_command("submissions_daily", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex@example.org"]
    call_command("submissions_daily", stdout=io.StringIO())
    assert len(mail.outbox) == 1, "asked once, not every day"
    verify = link_in(message, share.route_url("verify"))
    assert client.get(verify).status_code == 200
    client.post(verify.split("?")[0], {"token": verify.split("token=")[1]})
    assert Initiative.objects.get().last_verified == timezone.localdate()


def test_contact_of_a_declined_submission_is_erased_a_year_after_the_decision(client, pending, moderator):
    client.force_login(moderator)
    decide(client, pending, "declined", "Hors de la Région.")
    call_command("submissions_daily", stdout=io.StringIO())
    pending.refresh_from_db()
    assert pending.contact_email == "alex@example.org", "kept during the year after our answer"
    Submission.objects.filter(pk=pending.pk).update(decided_at=timezone.now() - timedelta(days=366))
    call_command("submissions_daily", stdout=io.StringIO())
    pending.refresh_from_db()
    assert (pending.contact_email, pending.contact_name) == ("", "")
    assert Initiative.objects.get().contact_email == ""


def test_old_drafts_are_deleted(share):
    draft = Submission.objects.create(language="fr")
    Submission.objects.filter(pk=draft.pk).update(created_at=timezone.now() - timedelta(days=31))
    kept = Submission.objects.create(language="fr")
    # The module's confirmed submission, when a test before built it, stays too.
    others = set(Submission.objects.exclude(pk__in=[draft.pk, kept.pk]).values_list("pk", flat=True))
    call_command("submissions_daily", stdout=io.StringIO())
    assert set(Submission.objects.values_list("pk", flat=True)) == {kept.pk, *others}


# What people see (issue 16): likely duplicates flagged, and no initiative published without a location by accident.


def test_the_queue_and_the_moderation_page_flag_a_likely_duplicate(client, pending, moderator):
    from participation.initiatives.tests.factories import initiative_create

    same = initiative_create(titles={"fr": "Jardin  partagé du QUARTIER (démo)"})
    initiative_create(titles={"fr": "Tout autre chose"})
    client.force_login(moderator)
    queue = client.get(reverse(QUEUE)).content.decode()
    assert "1 doublon possible" in queue or "1 possible duplicate" in queue
    page = client.get(moderation_url(pending)).content.decode()
    assert reverse("wagtailsnippets_initiatives_initiative:edit", args=[same.pk]) in page


def test_the_queue_reads_duplicates_in_a_fixed_number_of_queries(client, pending, moderator, share):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(moderator)
    client.get(reverse(QUEUE))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse(QUEUE))
    for number in range(5):
        Submission.objects.create(
            state=SubmissionState.PENDING, language="fr", data={"about": {"title": [f"Autre {number}"]}}
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse(QUEUE))
    assert len(after.captured_queries) == len(before.captured_queries)


def test_an_initiative_without_coordinates_is_published_only_by_an_explicit_choice(
    client, share, index, moderator, settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    fill(client, share, overrides={"place": {"latitude": "", "longitude": "", "address": "Place Flagey"}})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(share.route_url("step", step="review"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(mail.outbox[0]).replace("http://testserver", ""))
    submission = Submission.objects.latest("pk")  # the module's pending submission may be there too
    client.force_login(moderator)
    page = client.get(moderation_url(submission)).content.decode()
    assert 'name="publish_without_location"' in page
    refused = decide(client, submission, "published")
    assert refused.status_code == 200
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(
            moderation_url(submission), {"state": "published", "decline_reason": "", "publish_without_location": "on"}
        )
    assert accepted.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PUBLISHED


def test_an_initiative_with_its_own_coordinates_needs_no_such_choice(
    client, pending, moderator, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, pending, "published").status_code == 302
