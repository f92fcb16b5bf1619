"""Backups (issue 15): `manage.py backup` while the platform runs, restored into a fresh database and media folder,
which hold the content and the records. Real commits: pg_dump reads what is committed."""

import io
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from participation.core.backups import backup_restore
from participation.newsletter.models import Subscriber


def _rows(database, sql):
    if connection.vendor == "sqlite":
        with sqlite3.connect(database["NAME"]) as restored:
            rows = restored.execute(sql).fetchall()
        restored.close()
        return rows
    with psycopg.connect(**_libpq(database)) as restored:
        return restored.execute(sql).fetchall()


def _libpq(database):
    return {
        "dbname": database["NAME"],
        "host": database.get("HOST") or "127.0.0.1",
        "port": database.get("PORT") or 5432,
        "user": database.get("USER") or "postgres",
        "password": database.get("PASSWORD") or None,
    }


@pytest.fixture
def fresh_database(tmp_path):
    """Settings of an empty database of the same kind as the tests'."""
    if connection.vendor == "sqlite":
        yield {"NAME": str(tmp_path / "restored.sqlite3")}
        return
    database = {**connection.settings_dict, "NAME": f"{connection.settings_dict['NAME']}_restored"}
    with psycopg.connect(**_libpq({**database, "NAME": "postgres"}), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{database["NAME"]}"')
    yield database
    with psycopg.connect(**_libpq({**database, "NAME": "postgres"}), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_content_and_the_records(
    tmp_path, settings, site_homes, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = Path(settings.MEDIA_ROOT) / "documents" / "charte.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.4 demo")
    Subscriber.objects.create(email="kept@example.org", language="nl")

    output = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=output)
    folder = Path(output.getvalue().rsplit(" ", 1)[1].strip())
    Subscriber.objects.create(email="after-the-backup@example.org", language="fr")

    backup_restore(source=folder, database=fresh_database, media_root=tmp_path / "restored-media")
    subscribers = _rows(fresh_database, f"SELECT email FROM {Subscriber._meta.db_table}")
    assert subscribers == [("kept@example.org",)]
    titles = {title for (title,) in _rows(fresh_database, f"SELECT title FROM {Page._meta.db_table}")}
    assert {"Home fr", "Home nl", "Home en"} <= titles
    assert (tmp_path / "restored-media" / "documents" / "charte.pdf").read_bytes() == b"%PDF-1.4 demo"
