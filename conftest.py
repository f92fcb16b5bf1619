"""Fixtures shared by every test.

Data that many tests of a module read is built once for the module (`module_transaction`): the module runs inside
one transaction, each test inside a savepoint of it, so what a test changes is undone after it and the shared data
is undone after the module. Tests read the shared records anew (`fresh`), so a change a test makes in memory stays
its own. A test that needs real commits (`django_db(transaction=True)`, threads) lives in a module of its own.
"""

import datetime
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.db import connection, models, transaction
from django.test import TestCase
from django.utils import translation

from config.garbage_collection import collect_less_often
from tests.snapshots import Snapshot, process_env

ROOT = Path(__file__).resolve().parent

LANGUAGE_CODES = ("fr", "nl", "en")
# An instant when the date in Brussels (the site's time zone) is already the next day's: dates shown to people are
# the Region's, which a test at any hour checks with it (a UTC date passed such tests by day and failed near midnight).
LATE_EVENING_UTC = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
# Playwright's synchronous API keeps an event loop in the worker's main thread; the unit tests that a worker runs
# after browser tests are still synchronous code (Playwright's documented setting for Django).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Each worker runs Python's cycle collector as manage.py's commands do (a full pass over the worker's objects was 7 % of
# its CPU).
collect_less_often()


def home_fields():
    return {
        code: {
            "title": f"Home {code}",
            "intro": f"<p>Intro {code}</p>",
            "entry_points_heading": f"Start {code}",
            "featured_heading": f"Featured {code}",
        }
        for code in LANGUAGE_CODES
    }


def committed():
    """Runs what waits for a commit (the search index's updates) at the end of the block, as the commit would:
    for data built inside a test's or a module's transaction, which never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def query_count(client, url):
    """The queries a second request of `url` runs (the first warms the caches of site root paths and labels)."""
    from django.test.utils import CaptureQueriesContext

    def read(response):
        assert response.status_code == 200
        if response.streaming:  # a streamed file reads the database while it is written
            b"".join(response.streaming_content)

    read(client.get(url))
    with CaptureQueriesContext(connection) as queries:
        read(client.get(url))
    return len(queries.captured_queries)


def at_the_same_moment(attempt, count):
    """Run `attempt(number)` for numbers 0 to count - 1, each in a thread of its own with its own database connection
    (closed after), all released together; return what they returned and the errors they raised. For tests on real
    commits (`django_db(transaction=True)`)."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(number):
        try:
            barrier.wait()
            results.append(attempt(number))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def fresh(value):
    """Model instances (in dicts, lists and tuples too) read anew from the database."""
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fresh(item) for item in value)
    if isinstance(value, models.Model):
        return type(value)._default_manager.get(pk=value.pk)
    return value


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with empty caches: vocabulary labels and page addresses, and the rate limits' counters."""
    cache.clear()
    caches[django_settings.RATELIMIT_USE_CACHE].clear()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language, as a new process would: a request through the test client
    leaves its page's language active in the thread (the locale middleware activates it, nothing deactivates it), and
    a test after it built its French addresses in English (the crawl of every form, when it followed an English page's
    test on its worker)."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_commits_inside_a_module_transaction(request):
    """A test that commits cannot run inside a module's transaction: say so instead of failing obscurely."""
    if _commits(request.node) and ("module_transaction" in request.fixturenames or connection.in_atomic_block):
        pytest.fail("A transactional test cannot run inside a module's transaction: give it a module of its own.")


@pytest.fixture
def database_jobs(settings):
    """Background jobs stored in the database, as in production (django-tasks-db). Calling the fixture runs the
    worker's own code on every job ready now, in this process and transaction, and returns how many ran."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run():
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        )
        ran = 0
        while (job := DBTaskResult.objects.ready().first()) is not None:
            job.claim(worker.worker_id)
            worker.run_task(job)
            ran += 1
        return ran

    return run


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """One transaction around the module, rolled back at its end (see the module docstring). Module-scoped fixtures
    that depend on it may use the database."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Each worker's test database is a copy of the run's migrated snapshot (tests/snapshots.py) instead of running
    the migrations again: named as Django names a test database (in memory for SQLite, `test_…` with the worker's
    suffix on PostgreSQL), and removed by Django at the end."""
    with django_db_blocker.unblock():
        configured_name = connection.settings_dict["NAME"]
        test_name = connection.creation._get_test_db_name()
        connection.close()
        django_settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = test_name
        Snapshot("migrated").test_database_create(connection)
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(configured_name, verbosity=0)


def snapshot_rows_write(stage):
    """The rows of one of the run's snapshots (tests/snapshots.py) in place of the database's, in the current
    transaction: about a second, where building them again would take a minute."""
    from django.contrib.contenttypes.models import ContentType

    Snapshot(stage).rows_write(connection)
    ContentType.objects.clear_cache()
    cache.clear()


@pytest.fixture(scope="module")
def module_demo_content(module_transaction):
    """The whole demo content, as `manage.py load_demo_content` wrote it in a migrated database, for every test of
    the module."""
    snapshot_rows_write("demo")


@pytest.fixture
def demo_content(db):
    """The whole demo content, for one test."""
    snapshot_rows_write("demo")


@pytest.fixture(scope="module")
def module_homes(module_transaction):
    """The French, Dutch and English home pages, built once for the module."""
    from participation.core.services import site_homes_ensure

    return site_homes_ensure(fields_by_language=home_fields())


@pytest.fixture
def site_homes(db):
    """The French, Dutch and English home pages, set up as `load_demo_content` does, without the demo texts (the
    module's when it has them)."""
    from participation.core.services import site_homes_ensure

    return site_homes_ensure(fields_by_language=home_fields())


def _commits(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """The rows a module-scoped fixture writes in its module's transaction have their foreign keys checked at once,
    there. On PostgreSQL, Django checks the deferred constraints at the end of each test, inside the test's savepoint:
    the checks of the module's rows ran there and were undone with the savepoint, to run again after the next test
    (a module reading the demo content checked all of it after each of its tests: 0.13 s each, 7 s a run). SQLite
    checks the whole database at the end of each test whatever was checked before, so there is nothing to save."""
    result = yield
    if fixturedef.scope == "module" and connection.vendor == "postgresql" and connection.in_atomic_block:
        connection.check_constraints()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends on an empty database (Django flushes it), and in a parallel run it is not the last
    test of its worker: the migrated snapshot's rows (the page tree's root, the vocabularies) are written back after
    it, for the tests that follow, as every other test finds them. After the last test of a worker, the session's
    fixtures are gone (the test database is destroyed and the connection points at the configured database again):
    there is nothing to write back, and nowhere to write it."""
    outcome = yield
    if _commits(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():
            snapshot_rows_write("migrated")
    return outcome


# The fixtures that copy a snapshot other than the migrated one (the root's and the planner's).
SNAPSHOT_FIXTURES = ("demo_content", "module_demo_content", "toolbox_demo_content")


def _snapshot_users():
    """The unit-test modules that read a snapshot other than the migrated one (they ask for a SNAPSHOT_FIXTURES)."""
    uses = re.compile(rf"\b(?:{'|'.join(SNAPSHOT_FIXTURES)})\b")
    return {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("participation/*/tests/test_*.py")
        if uses.search(path.read_text())
    }


def _database_free():
    """The unit-test modules that use no test database (`pytestmark = pytest.mark.no_database`)."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("participation/*/tests/test_*.py")
        if "pytestmark = pytest.mark.no_database" in path.read_text()
    }


def _module_sharers():
    """The browser-test modules whose tests share something of their own (a module-scoped fixture: a server)."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("tests/e2e/test_*.py")
        if 'scope="module"' in path.read_text()
    }


def pytest_xdist_make_scheduler(config, log):
    """Parallel runs keep each unit-test module on one worker (its shared data is built once). The snapshots are
    built in the background meanwhile (`pytest_sessionstart`), so the modules that use no test database go first
    (they start processes of their own, while the first snapshot is migrated: before, both workers waited for it);
    then the unit modules that need no snapshot beyond the migrated one, the longest first; then the modules that read
    another snapshot; then the browser tests
    (each worker starts its own server and browser on its own copy of the e2e snapshot). A browser test shares
    nothing with its module's others but the worker's server, so each is a unit of its own, and the workers end
    together (with a module per unit, one worker ran the editors' journeys for a minute after the other had
    finished): the tests of the modules with the fewest tests first, the journeys (long), and last the many short
    tests of the page types, which even out the workers' ends."""
    from collections import Counter, OrderedDict

    from xdist.scheduler import LoadScopeScheduling

    demo_users = _snapshot_users()
    database_free = _database_free()
    sharers = _module_sharers()

    class SnapshotsLast(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            if module.startswith("tests/e2e/") and module not in sharers:
                return nodeid
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node):
            if not getattr(self, "_ordered", False):
                sizes = Counter(nodeid.split("::", 1)[0] for nodeid in self.collection)

                def order(unit):
                    scope, tests = unit
                    module = scope.split("::", 1)[0]
                    if module.startswith("tests/e2e/"):
                        return (3, sizes[module])
                    if module in database_free:
                        return (0, -len(tests))
                    return (2 if module in demo_users else 1, -len(tests))

                self.workqueue = OrderedDict(sorted(self.workqueue.items(), key=order))
                self._ordered = True
            super()._assign_work_unit(node)

    return SnapshotsLast(config, log)


def pytest_sessionstart(session):
    """A parallel run starts building the snapshots at once, in the background, while the workers start and run the
    unit tests (a snapshot already built for the same sources is kept: nothing is built then)."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    (ROOT / "var").mkdir(exist_ok=True)
    # The build keeps its own copy of the log's file descriptor; it is left to finish when a short run ends first.
    with (ROOT / "var" / "test-snapshots.log").open("w") as log:
        subprocess.Popen(
            [sys.executable, "-m", "tests.snapshots"], cwd=ROOT, env=process_env(), stdout=log, stderr=subprocess.STDOUT
        )


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: nothing may be skipped for lack of PostgreSQL, Chromium or anything else."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line(f"CI: {len(reporter.stats['skipped'])} skipped test(s) count as failures.", red=True)
        session.exitstatus = 1
