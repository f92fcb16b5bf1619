"""Databases the tests start from, built once for a whole run and reused until what they are made of changes.

Stages, each built from a copy of another and kept in `var/test-databases/` (a SQLite file with its media folder, or
a PostgreSQL database with its media folder when DATABASE_URL points at PostgreSQL):

- `migrated`: every migration applied. Each test worker's database is a copy of it instead of migrating again.
- `demo`: `manage.py load_demo_content` on top. Unit-test modules that read the whole demo content copy its rows
  into their own transaction (`Snapshot.rows_write`, fixtures `demo_content` and `module_demo_content` in the root
  conftest.py): about a second instead of a load of a minute.
- `e2e`: the browser tests' additions on top of `demo` (a page only in French, photographs and their renditions). Each
  browser-test server runs on a copy of it.

Each stage is named by a digest of what it is made of (the migrations, the demo content and its loaders, the locked
requirements, the browser tests' scripts), so a change to any of them builds it anew. A file lock makes the test
workers of a run, and runs side by side, share one build. `python -m tests.snapshots` builds every stage: a parallel
run starts it in the background (root `conftest.py`) so that the unit tests run meanwhile.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / "var" / "test-databases"
# Each stage and the stage it is built on.
PARENTS = {"migrated": None, "demo": "migrated", "e2e": "demo"}

# A page that exists only in French, to show the "not available in your language" notice in NL and EN.
FALLBACK_PAGE_SCRIPT = """
from participation.core.models import HomePage, StandardPage
from participation.core.services import page_create
home = HomePage.objects.get(locale__language_code="fr")
if not StandardPage.objects.filter(slug="page-test-francais").exists():
    page_create(parent=home, page=StandardPage(
        title="Une page seulement en français", slug="page-test-francais", locale=home.locale,
        lead="Cette page n'a pas encore été traduite.",
        body=[("heading", "Une section"), ("paragraph", "<p>Un paragraphe en français.</p>")]))
"""

# Photographs as people upload them (large, landscape and portrait JPEGs from a camera), on a real initiative and a
# real article, so that the browser tests see how pictures sit in every layout.
PHOTOS_SCRIPT = """
import io, random
from django.core.files.images import ImageFile
from PIL import Image as Picture, ImageDraw, ImageFilter
from wagtail.images.models import Image
from participation.articles.models import ArticlePage
from participation.initiatives.models import InitiativeImage, InitiativeTranslation

def photo(width, height, seed):
    rnd = random.Random(seed)
    picture = Picture.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(110 + 100 * t), int(160 + 60 * t), int(225 - 125 * t)))
    for _ in range(80):
        x, y = rnd.randrange(width), rnd.randrange(height // 3, height)
        w, h = rnd.randrange(width // 25, width // 6), rnd.randrange(height // 20, height // 2)
        draw.rectangle([x, y - h, x + w, y], fill=tuple(rnd.randrange(30, 235) for _ in range(3)))
    noise = Picture.effect_noise((width, height), 48).convert("RGB")
    picture = Picture.blend(picture, noise, 0.12).filter(ImageFilter.GaussianBlur(1))
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=85)
    return ImageFile(output, name=f"photo-{seed}.jpg")

if not Image.objects.filter(title__startswith="E2E photo").exists():
    landscape = Image.objects.create(title="E2E photo landscape", file=photo(4000, 3000, 1))
    portrait = Image.objects.create(title="E2E photo portrait", file=photo(1200, 1800, 2))
    text = InitiativeTranslation.objects.filter(title__startswith="Open Jury Bockstael").first()
    InitiativeImage.objects.create(initiative=text.initiative, image=landscape, alt_text="Le jury réuni", sort_order=0)
    InitiativeImage.objects.create(initiative=text.initiative, image=portrait, alt_text="Une affiche", sort_order=1)
    ArticlePage.objects.filter(slug__startswith="open-jury-bockstael").update(
        hero_image=landscape, hero_alt_text="Le jury réuni")
    # Their renditions (each size, in WebP and JPEG), made once here as a site already visited has them: each
    # browser-test server made them again, a quarter of its CPU (the 4000 px photograph decoded for each size).
    from django.test import Client
    visitor = Client(HTTP_HOST="localhost")
    article = ArticlePage.objects.filter(slug__startswith="open-jury-bockstael", locale__language_code="fr").first()
    for address in (text.initiative.get_url("fr"), article.url):
        assert visitor.get(address).status_code == 200, address
"""

# What each stage runs (manage.py commands, under the test settings; the browser tests' stage under their own).
COMMANDS = {
    "migrated": [["migrate", "--noinput"]],
    "demo": [["load_demo_content"]],
    # One process for both scripts: Django's start-up is some three seconds of CPU.
    "e2e": [["shell", "-c", FALLBACK_PAGE_SCRIPT + PHOTOS_SCRIPT]],
}
SETTINGS = {"e2e": "config.settings.e2e"}  # the others: config.settings.test


def _sources(stage):
    """The files a stage is made of, besides the stages before it."""
    if stage == "migrated":
        return [*ROOT.glob("participation/*/migrations/*.py"), ROOT / "requirements" / "base.txt"]
    if stage == "demo":
        return [
            *ROOT.glob("participation/*/content/**/*"),
            *ROOT.glob("participation/*/demo.py"),
            *ROOT.glob("participation/*/services.py"),
            *ROOT.glob("participation/*/search.py"),  # what the search index holds
            *ROOT.glob("participation/search/*.py"),
            *ROOT.glob("participation/core/management/commands/load_demo_content.py"),
        ]
    return []


def _lineage(stage):
    """The stages `stage` is built on, from the first, and `stage`."""
    return [*_lineage(PARENTS[stage]), stage] if stage else []


def stage_key(stage):
    """A digest of what `stage` and the stages before it are made of."""
    digest = hashlib.sha256()
    for name in _lineage(stage):
        digest.update(name.encode())
        for command in COMMANDS[name]:
            digest.update(repr(command).encode())
        for path in sorted(p for p in _sources(name) if p.is_file()):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def process_env(**variables):
    """The environment for a process the tests start (a server, a management command): this one's, without the test
    process's own async override, with `variables` added."""
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **variables}


@contextmanager
def _exclusive(snapshot):
    """One process at a time (the others wait) builds or reads a stage on one kind of database, for the workers of a
    parallel run and runs side by side (a run on SQLite never waits for a build on PostgreSQL: CI builds PostgreSQL's
    stages beside its run on SQLite)."""
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    with (DIRECTORY / f".{snapshot.kind}-{snapshot.stage}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _manage(stage, database_url, media):
    for command in COMMANDS[stage]:
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=process_env(
                DJANGO_SETTINGS_MODULE=SETTINGS.get(stage, "config.settings.test"),
                DATABASE_URL=database_url,
                MEDIA_ROOT=str(media),
            ),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {command[0]} failed:\n{result.stdout}\n{result.stderr}")


class Snapshot:
    """One stage's database and media folder, on the database server the tests use."""

    def __init__(self, stage, database_url=None):
        self.stage = stage
        self.database_url = os.environ.get("DATABASE_URL", "") if database_url is None else database_url
        self.key = stage_key(stage)
        self.media = DIRECTORY / f"{self.kind}-{stage}-{self.key}-media"

    @property
    def kind(self):
        return "postgres" if self.database_url.startswith("postgres") else "sqlite"

    def ensure(self):
        """Build this stage (and the ones before it) unless it exists."""
        for stage in _lineage(self.stage):
            snapshot = type(self)(stage, self.database_url)
            with _exclusive(snapshot):
                if not snapshot.exists():
                    snapshot._build()

    def _build(self):
        """Build this stage from a copy of the one before (which exists); the caller holds this stage's lock."""
        building = self.media.with_name(f"{self.media.name}.building")
        shutil.rmtree(building, ignore_errors=True)
        previous = type(self)(PARENTS[self.stage], self.database_url) if PARENTS[self.stage] else None
        if previous:
            with _exclusive(previous):  # nobody reads it while it is copied
                database_url = self._building_database(previous)
                shutil.copytree(previous.media, building)
        else:
            database_url = self._building_database(None)
            building.mkdir(parents=True)
        _manage(self.stage, database_url, building)
        self._drop_others()
        if self.kind == "sqlite":
            self._sqlite_building().rename(self.sqlite_file)
        else:
            with self._admin() as conn:
                conn.execute(f'ALTER DATABASE "{self.pg_name}_building" RENAME TO "{self.pg_name}"')
        building.rename(self.media)

    # -- where a stage lives

    def exists(self):
        if not self.media.exists():
            return False
        if self.kind == "sqlite":
            return self.sqlite_file.exists()
        with self._admin() as conn:
            return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.pg_name]).fetchone())

    @property
    def sqlite_file(self):
        return DIRECTORY / f"sqlite-{self.stage}-{self.key}.sqlite3"

    def _sqlite_building(self):
        return self.sqlite_file.with_suffix(".building")

    @property
    def _server(self):
        return self.database_url.rsplit("/", 1)

    @property
    def pg_name(self):
        # Named after the configured database too: two checkouts testing against one server (each with its own
        # DATABASE_URL) never drop each other's snapshots.
        return f"snapshot_{self._server[1]}_{self.stage}_{self.key}"

    def _admin(self):
        import psycopg

        return psycopg.connect(f"{self._server[0]}/postgres", autocommit=True)

    def _building_database(self, previous):
        """An empty database, or a copy of `previous`'s, to build this stage in: its address."""
        if self.kind == "sqlite":
            path = self._sqlite_building()
            path.unlink(missing_ok=True)
            if previous:
                shutil.copy(previous.sqlite_file, path)
            return f"sqlite:///{path}"
        name = f"{self.pg_name}_building"
        template = f' TEMPLATE "{previous.pg_name}"' if previous else ""
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"{template}')
        return f"{self._server[0]}/{name}"

    def _drop_others(self):
        """Older builds of this stage go (their key no longer matches)."""
        for old in DIRECTORY.glob(f"{self.kind}-{self.stage}-*-media"):
            shutil.rmtree(old, ignore_errors=True)
        if self.kind == "sqlite":
            for old in DIRECTORY.glob(f"sqlite-{self.stage}-*.sqlite3"):
                old.unlink()
            return
        prefix = f"snapshot_{self._server[1]}_{self.stage}_"
        with self._admin() as conn:
            for (old,) in conn.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix]):
                if old != f"{self.pg_name}_building":
                    conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')

    # -- what the tests use

    def copy(self, target: Path):
        """A copy of the database (and of its media folder into `target / "media"`) for a server: its address and a
        function that removes it."""
        self.ensure()
        shutil.copytree(self.media, target / "media", dirs_exist_ok=True)
        if self.kind == "sqlite":
            shutil.copy(self.sqlite_file, target / "db.sqlite3")
            return f"sqlite:///{target / 'db.sqlite3'}", lambda: None
        name = f"e2e_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_name}"')

        def drop():
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{self._server[0]}/{name}", drop

    def test_database_create(self, connection):
        """Give Django's `connection`, already named after its test database, this stage's content: a copy of the
        file into SQLite's in-memory database, or a PostgreSQL database created from this one."""
        self.ensure()
        with _exclusive(self):
            if self.kind == "sqlite":
                connection.ensure_connection()
                with closing(sqlite3.connect(self.sqlite_file)) as source:
                    source.backup(connection.connection)
                return
            name = connection.settings_dict["NAME"]
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_name}"')

    def rows_write(self, connection):
        """Replace every row of `connection`'s database by this stage's, inside its current transaction (rolled back
        with it), and copy the media files into MEDIA_ROOT. Both databases come from the same migrations, so their
        tables and columns are the same."""
        from django.conf import settings

        self.ensure()
        with _exclusive(self):
            if self.kind == "sqlite":
                self._sqlite_rows_write(connection.connection)
            else:
                self._postgres_rows_write(connection)
            shutil.copytree(self.media, settings.MEDIA_ROOT, dirs_exist_ok=True)

    def _sqlite_rows_write(self, target):
        with closing(sqlite3.connect(self.sqlite_file)) as source:
            tables = source.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
            virtual = {name: sql for name, sql in tables if sql.upper().startswith("CREATE VIRTUAL TABLE")}
            shadows = {f"{name}_{part}" for name in virtual for part in ("data", "idx", "content", "docsize", "config")}
            copied = [name for name, _sql in tables if not name.startswith("sqlite_") and name not in shadows]
            for name in copied:
                # A full-text table over another table's rows (content=…) is rebuilt from them below.
                if "content=" in virtual.get(name, "").replace(" ", ""):
                    continue
                columns = [row[1] for row in source.execute(f'PRAGMA table_info("{name}")')]
                if name in virtual:
                    columns.insert(0, "rowid")
                listed = ", ".join(f'"{column}"' for column in columns)
                target.execute(f'DELETE FROM "{name}"')
                target.executemany(
                    f'INSERT INTO "{name}" ({listed}) VALUES ({", ".join("?" * len(columns))})',
                    source.execute(f'SELECT {listed} FROM "{name}"'),
                )
            for name, sql in virtual.items():
                if "content=" in sql.replace(" ", ""):
                    target.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'rebuild\')')

    def _postgres_rows_write(self, connection):
        import psycopg
        from django.apps import apps
        from django.core.management.color import no_style

        tables = connection.introspection.table_names(include_views=False)
        columns_query = (
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
            "AND attgenerated = '' ORDER BY attnum"
        )
        target = connection.connection
        with psycopg.connect(f"{self._server[0]}/{self.pg_name}") as source, target.cursor() as cursor:
            # DELETE, not TRUNCATE: the tables hold the migrated rows at most, and TRUNCATE gives each table and
            # index new files (some 150 tables: 0.6 s a copy, where DELETE takes 0.03 s).
            for name in tables:
                cursor.execute(f'DELETE FROM "{name}"')
            for name in tables:
                listed = ", ".join(f'"{row[0]}"' for row in source.execute(columns_query, [f'"{name}"']))
                with (
                    source.cursor().copy(f'COPY (SELECT {listed} FROM "{name}") TO STDOUT (FORMAT BINARY)') as out,
                    cursor.copy(f'COPY "{name}" ({listed}) FROM STDIN (FORMAT BINARY)') as into,
                ):
                    for block in out:
                        into.write(block)
            for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(statement)


def main():
    """Build every stage on the database server of DATABASE_URL (SQLite files without it): the last one, the browser
    tests', is built on the others."""
    Snapshot("e2e").ensure()


if __name__ == "__main__":
    main()
