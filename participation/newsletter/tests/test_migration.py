"""The subscribers move from the articles app to the newsletter app with their topics, dates and the editors'
export permission (a module of its own: the migrations commit)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from participation.newsletter.models import Subscriber

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("articles", "0002_group_permissions"), ("newsletter", "0001_initial")]


def test_subscribers_are_copied_then_the_old_model_deleted():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldSubscriber = old_apps.get_model("articles", "Subscriber")
    Theme = old_apps.get_model("core", "Theme")
    confirmed_at = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    created_at = datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC)
    old = OldSubscriber.objects.create(email="lea@example.org", language="nl", confirmed_at=confirmed_at)
    OldSubscriber.objects.filter(pk=old.pk).update(created_at=created_at)
    old.themes.set(Theme.objects.filter(key="mobility", locale__language_code="fr"))
    OldSubscriber.objects.create(email="pending@example.org", language="fr")
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(*editors.permissions.filter(content_type__app_label="newsletter"))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Subscriber.objects.get(email="lea@example.org")
    assert (moved.language, moved.confirmed_at, moved.created_at) == ("nl", confirmed_at, created_at)
    assert [theme.key for theme in moved.themes.all()] == ["mobility"]
    assert Subscriber.objects.get(email="pending@example.org").confirmed_at is None
    assert "articles_subscriber" not in connection.introspection.table_names()
    assert editors.permissions.filter(content_type__app_label="newsletter", codename="export_subscribers").exists()
