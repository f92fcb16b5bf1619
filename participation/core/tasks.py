"""Background jobs: the one failure policy of every domain (docs/decisions/0018-reliability.md).

Every email and slow side effect is a task of Django's task framework (the django-tasks backport, stored in the
database by django-tasks-db and run by `manage.py db_worker`). A task is queued in the same transaction as what
triggered it, so it exists if and only if that was stored. An attempt that raises is tried again later
(TASKS_RETRY_DELAYS: one minute, then 5, 30 minutes, 2 and 12 hours); after the last attempt the job stays *failed*,
listed for administrators in the admin (*Background jobs*), who can queue it again once the cause is fixed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task, TaskResultStatus

logger = logging.getLogger(__name__)


class RetryScheduled(Exception):
    """This attempt failed and the next one is queued (the error is the cause of this one)."""


def retry_delay(attempt: int) -> timedelta | None:
    """How long to wait after the failed attempt number `attempt` (1 for the first); None after the last one."""
    delays = settings.TASKS_RETRY_DELAYS
    return timedelta(seconds=delays[attempt - 1]) if attempt <= len(delays) else None


def retried_task(function: Callable[..., Any]) -> Task:
    """A task run under the platform's failure policy: each failed attempt queues the next one after its delay
    (keyword `attempt`, counted from 1); the last failure leaves the job failed for an administrator."""

    @functools.wraps(function)
    def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Exception as error:
            delay = retry_delay(attempt)
            if delay is None:
                logger.error("Background job %s failed %d times: left for an administrator", job.name, attempt)
                raise
            # A backend that cannot defer (the immediate one of the tests) tries again at once.
            later = job.using(run_after=timezone.now() + delay) if job.get_backend().supports_defer else job
            later.enqueue(*args, attempt=attempt + 1, **kwargs)
            logger.warning("Background job %s failed (attempt %d): tried again in %s", job.name, attempt, delay)
            raise RetryScheduled(f"attempt {attempt} failed; attempt {attempt + 1} queued") from error

    job: Task = task()(run)
    return job


def failed_jobs() -> Any:
    """The jobs that failed their last attempt, newest first (the database backend's records)."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.failed()
        .exclude(exception_class_path=f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}")
        .order_by("-finished_at")
    )


def job_counts() -> dict[str, int]:
    """How many jobs wait to run (now or later, retries included) and how many failed for good."""
    from django_tasks_db.models import DBTaskResult

    return {
        "waiting": DBTaskResult.objects.filter(status=TaskResultStatus.READY).count(),
        "failed": failed_jobs().count(),
    }


def job_retry(*, job_id: str) -> bool:
    """Queue a failed job again, to run at once with a fresh series of attempts. False if it is not a failed job."""
    with transaction.atomic():
        try:
            job = failed_jobs().select_for_update().filter(pk=job_id).first()
        except ValidationError:  # not a job's number
            return False
        if job is None:
            return False
        job.args_kwargs["kwargs"]["attempt"] = 1
        job.status = TaskResultStatus.READY
        job.run_after = timezone.now()
        job.started_at = job.finished_at = None
        job.exception_class_path = job.traceback = ""
        job.save()
    logger.info("Background job %s queued again by an administrator", job.task_path)
    return True
