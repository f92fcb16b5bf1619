"""Support-request references under concurrency (issue 15): many requests at the same moment, on real commits and
threads (each with its own connection). The race is real on PostgreSQL (CI's second run). The test database of SQLite
lives in shared memory, where a second writer fails at once instead of waiting: there the threads take turns, as
SQLite's writers do on a file."""

import contextlib
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from conftest import at_the_same_moment
from participation.core.models import Counter
from participation.providers.services import _reference_next

THREADS = 12


def _race(function):
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def attempt(_number):
        with turns, transaction.atomic():
            return function()

    return at_the_same_moment(attempt, THREADS)


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_get_distinct_consecutive_references():
    results, errors = _race(_reference_next)
    assert errors == []
    prefix = f"CM-{timezone.localdate().year}-"
    assert sorted(results) == [f"{prefix}{number:04d}" for number in range(1, THREADS + 1)]


@pytest.mark.django_db(transaction=True)
def test_a_series_never_gives_a_number_twice():
    Counter.objects.next(key="other", start=41)
    results, errors = _race(lambda: Counter.objects.next(key="other"))
    assert errors == []
    assert sorted(results) == list(range(42, 42 + THREADS))
    assert Counter.objects.get(key="other").value == 41 + THREADS
