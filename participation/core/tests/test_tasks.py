"""Background jobs under the one failure policy (core.tasks), on the database backend and its worker's code."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from participation.core import tasks
from participation.core.mail import mail_deliver, mail_send

pytestmark = pytest.mark.django_db


def _smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there


def _queue_message():
    mail_send(
        template="newsletter/email/confirm",
        recipient="sam@example.org",
        language="nl",
        context={"link": "https://example.org/confirm"},
    )


def _all_attempts_fail(settings, database_jobs):
    """Queue one message while the mail server is down and let every attempt run (as time passes)."""
    _smtp_down(settings)
    _queue_message()
    for _attempt in range(len(settings.TASKS_RETRY_DELAYS) + 1):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        assert database_jobs() == 1


def test_a_job_is_queued_with_what_triggered_it_and_rolled_back_with_it(database_jobs):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue_message()
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the write failed")
    assert DBTaskResult.objects.count() == 0, "no email about something that was not stored"
    _queue_message()
    assert database_jobs() == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert mail.outbox[0].extra_headers["Reply-To"] == "participatie@perspective.brussels"


def test_the_last_failure_is_kept_for_an_administrator_who_queues_it_again(settings, database_jobs, client):
    settings.TASKS_RETRY_DELAYS = [60, 300]
    _all_attempts_fail(settings, database_jobs)
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    [failed] = tasks.failed_jobs()
    assert failed.args_kwargs["kwargs"]["attempt"] == 3
    assert "ConnectionRefusedError" in failed.traceback
    assert not DBTaskResult.objects.ready().exists(), "nothing more is tried by itself"
    assert tasks.job_counts() == {"waiting": 0, "failed": 1}

    user = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-password-1")
    client.force_login(user)
    assert client.get(reverse("core_background_jobs")).status_code in (302, 403), "administrators only"
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-2")
    client.force_login(admin)
    page = client.get(reverse("core_background_jobs")).content.decode()
    assert "mail_deliver" in page and str(failed.pk) in page and "ConnectionRefusedError" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert client.post(reverse("core_background_jobs"), {"job": "not-a-job"}).status_code == 302
    response = client.post(reverse("core_background_jobs"), {"job": str(failed.pk)})
    assert response.status_code == 302
    assert database_jobs() == 1
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    assert not tasks.failed_jobs().exists()


def test_the_backoff_grows(settings):
    settings.TASKS_RETRY_DELAYS = [60, 300, 1800]
    delays = [tasks.retry_delay(attempt) for attempt in range(1, 5)]
    assert [delay.total_seconds() for delay in delays[:3]] == [60, 300, 1800]
    assert delays[3] is None


def test_the_immediate_backend_of_the_tests_tries_again_at_once(settings):
    settings.TASKS_RETRY_DELAYS = [60]
    _smtp_down(settings)
    result = mail_deliver.enqueue(
        subject="s", body="b", sender="a@example.org", recipient="b@example.org", headers={}, attachments=[]
    )
    assert result.status == "FAILED"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _queue_message()
    assert len(mail.outbox) == 1
