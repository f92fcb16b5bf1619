"""Backups: the database (SQLite's online backup, or pg_dump on PostgreSQL) and the uploaded media, in one folder per
backup; and their restore into a database and a media folder (docs/operations.md, decision 0018)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"


def _postgres_env(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment (the password never on the command line)."""
    arguments = ["--host", str(database.get("HOST") or "127.0.0.1"), "--port", str(database.get("PORT") or 5432)]
    arguments += ["--username", str(database.get("USER") or "postgres")]
    return arguments, {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}


def backup_create(*, destination: Path) -> Path:
    """Write a backup folder under `destination` (named by the time) and return it. The database is copied while the
    platform runs: SQLite's online backup API, or pg_dump's consistent snapshot in its custom format."""
    folder = destination / timezone.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True)
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / SQLITE_FILE) as target:
            connection.connection.backup(target)
        target.close()
    else:
        arguments, env = _postgres_env(database)
        subprocess.run(
            [
                "pg_dump",
                *arguments,
                "--format=custom",
                "--no-owner",
                "--file",
                str(folder / POSTGRES_FILE),
                database["NAME"],
            ],
            env=env,
            check=True,
        )
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_FILE, "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname=".")
    manifest = {"created": timezone.now().isoformat(), "database": connection.vendor, "media": str(media)}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def backup_restore(*, source: Path, database: dict[str, Any], media_root: Path) -> None:
    """Restore the backup folder `source` into `database` (Django settings of an empty or disposable database) and
    `media_root`. PostgreSQL: pg_restore --clean; SQLite: the file written anew with the backup API."""
    if (source / SQLITE_FILE).exists():
        with sqlite3.connect(source / SQLITE_FILE) as backup, sqlite3.connect(database["NAME"]) as target:
            backup.backup(target)
        backup.close()
        target.close()
    else:
        arguments, env = _postgres_env(database)
        subprocess.run(
            [
                "pg_restore",
                *arguments,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                database["NAME"],
                str(source / POSTGRES_FILE),
            ],
            env=env,
            check=True,
        )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_FILE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
