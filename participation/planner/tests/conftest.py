import io
import json

import pytest
from django.core import serializers
from django.core.cache import cache
from django.db import connection, transaction

from conftest import fresh, home_fields


def _rows():
    """Every row of the database, serialised as a fixture would be, by (model, primary key)."""
    return {(row["model"], row["pk"]): row for row in json.loads(connection.creation.serialize_db_to_string())}


@pytest.fixture(scope="session")
def demo_sheet_rows(django_db_setup, django_db_blocker):
    """What the home pages and the toolbox's demo method and phase sheets (FR, NL, EN, with the attributes the
    planner ranks) change in a migrated database, built once per test worker: loaded inside a transaction that is
    rolled back, the rows it added or changed and the rows it deleted. Each module that needs the sheets writes them
    into its own module transaction (a few seconds) instead of loading the sheets again (about 45 s); no module sees
    another's changes."""
    from participation.core.services import site_homes_ensure
    from participation.toolbox import demo as toolbox_demo

    with django_db_blocker.unblock():
        before = _rows()
        with transaction.atomic():
            site_homes_ensure(fields_by_language=home_fields())
            toolbox_demo.load(stdout=io.StringIO(), kinds=("method", "phase"))
            after = _rows()
            transaction.set_rollback(True)
    cache.clear()
    written = [row for key, row in after.items() if before.get(key) != row]
    deleted = [key for key in before if key not in after]
    return written, deleted


def _rows_write(written, deleted):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    with connection.constraint_checks_disabled():
        for model, pk in deleted:
            apps.get_model(model)._base_manager.filter(pk=pk)._raw_delete(connection.alias)
        for obj in serializers.deserialize("json", json.dumps(written)):
            obj.save()
            # A page's many-to-many fields (modelcluster's parental ones) wait for a commit.
            for accessor in obj.m2m_data or {}:
                manager = getattr(obj.object, accessor)
                if hasattr(manager, "commit"):
                    manager.commit()
    ContentType.objects.clear_cache()


@pytest.fixture(scope="module")
def module_toolbox_demo(demo_sheet_rows, module_transaction):
    """The home pages and the demo method and phase sheets, written into the module's transaction from the worker's
    one load (`demo_sheet_rows`)."""
    from participation.core.models import HomePage

    _rows_write(*demo_sheet_rows)
    cache.clear()
    return {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}


@pytest.fixture
def toolbox_demo_content(module_toolbox_demo, db):
    return fresh(module_toolbox_demo)
