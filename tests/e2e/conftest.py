"""Browser tests: a real server (migrated, with the demo content) driven by Playwright in Debian's Chromium.

The server runs in its own process on its own database, so the pages are exactly what a visitor gets. That database
is a copy of a template built once and kept in `var/test-databases/`, keyed by the migrations, the demo content and
its loaders: a SQLite file with its media folder, or a PostgreSQL template database (with its media folder) when
DATABASE_URL points at PostgreSQL. Map tiles are answered locally (the tile server is out of reach here) and no
other outside address is contacted.

Chromium is required: without it these tests fail, they are never skipped.
"""

import fcntl
import hashlib
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import sync_playwright

from conftest import process_env

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["fr", "nl", "en"]
TEMPLATES_DIR = ROOT / "var" / "test-databases"

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
"""


def template_key():
    """A digest of what the template is made of: the migrations, the demo content and what writes it (the search
    index included), the locked dependencies and the script above. A change to any of them builds a new template."""
    digest = hashlib.sha256((FALLBACK_PAGE_SCRIPT + PHOTOS_SCRIPT).encode())
    sources = [
        *ROOT.glob("participation/*/migrations/*.py"),
        *ROOT.glob("participation/*/content/**/*"),
        *ROOT.glob("participation/*/demo.py"),
        *ROOT.glob("participation/*/services.py"),
        *ROOT.glob("participation/*/search.py"),  # what the search index holds
        *ROOT.glob("participation/search/*.py"),
        ROOT / "requirements" / "base.txt",
    ]
    for path in sorted(p for p in sources if p.is_file()):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _exclusive(lock_path):
    """One process at a time (the others wait), for the processes of a parallel run."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(env):
    for command in (
        ["migrate", "--noinput"],
        ["load_demo_content"],
        ["shell", "-c", FALLBACK_PAGE_SCRIPT],
        ["shell", "-c", PHOTOS_SCRIPT],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {command[0]} failed:\n{result.stdout}\n{result.stderr}")


class SqliteTemplate:
    """A database file and the media it refers to, copied for each server."""

    def __init__(self, key):
        self.directory = TEMPLATES_DIR / f"e2e-sqlite-{key}"

    def ensure(self, env):
        if self.directory.exists():
            return
        building = self.directory.with_name(f"{self.directory.name}.building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        _build({**env, "DATABASE_URL": f"sqlite:///{building / 'db.sqlite3'}", "MEDIA_ROOT": str(building / "media")})
        for old in TEMPLATES_DIR.glob("e2e-sqlite-*"):
            if old != building:
                shutil.rmtree(old, ignore_errors=True)
        building.rename(self.directory)

    def copy(self, target):
        shutil.copy(self.directory / "db.sqlite3", target / "db.sqlite3")
        shutil.copytree(self.directory / "media", target / "media", dirs_exist_ok=True)
        return f"sqlite:///{target / 'db.sqlite3'}", None


class PostgresTemplate:
    """A PostgreSQL database copied with CREATE DATABASE … TEMPLATE, and the media folder it refers to."""

    def __init__(self, key, database_url):
        # Templates are named after the configured database too, so that two checkouts testing against one server
        # (each with its own DATABASE_URL) never drop each other's template.
        self.server_url, database = database_url.rsplit("/", 1)
        self.prefix = f"e2e_template_{database}_"
        self.name = f"{self.prefix}{key}"
        self.media = TEMPLATES_DIR / f"e2e-postgres-{key}-media"

    def _admin(self):
        import psycopg

        return psycopg.connect(f"{self.server_url}/postgres", autocommit=True)

    def ensure(self, env):
        building = f"{self.name}_building"
        with self._admin() as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone()
            if exists and self.media.exists():
                return
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{building}"')
        shutil.rmtree(self.media, ignore_errors=True)
        _build({**env, "DATABASE_URL": f"{self.server_url}/{building}", "MEDIA_ROOT": str(self.media)})
        with self._admin() as conn:
            for (old,) in conn.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [self.prefix]):
                if old != building:
                    conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{self.name}"')
        for old in TEMPLATES_DIR.glob("e2e-postgres-*-media"):
            if old != self.media:
                shutil.rmtree(old, ignore_errors=True)

    def copy(self, target):
        name = f"e2e_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        shutil.copytree(self.media, target / "media", dirs_exist_ok=True)

        def drop():
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{self.server_url}/{name}", drop


# The running server's environment (its database), for `server_shell`.
SERVER: dict = {}


def server_shell(script):
    """Run Python in `manage.py shell` on the running server's database (data a test sets up or removes); its
    printed output."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=SERVER["env"],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py shell failed:\n{done.stderr}")
    return done.stdout


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def outbox_dir(tmp_path_factory):
    """Where the server writes its emails, one file per message (config/settings/e2e.py: MEDIA_ROOT/outbox)."""
    return tmp_path_factory.mktemp("e2e") / "media" / "outbox"


@pytest.fixture(scope="session")
def server_url(outbox_dir):
    tmp_path = outbox_dir.parents[1]
    env = process_env(DJANGO_SETTINGS_MODULE="config.settings.e2e")
    database_url = os.environ.get("DATABASE_URL", "")
    key = template_key()
    template = PostgresTemplate(key, database_url) if database_url.startswith("postgres") else SqliteTemplate(key)
    with _exclusive(TEMPLATES_DIR / ".lock"):
        template.ensure(env)
    database_url, drop = template.copy(tmp_path)
    SERVER.update(env={**env, "DATABASE_URL": database_url, "MEDIA_ROOT": str(tmp_path / "media")})
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": database_url, "MEDIA_ROOT": str(tmp_path / "media")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(600):  # up to two minutes: on a busy shared machine the server takes its time
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(f"The test server did not start; see {tmp_path / 'server.log'}")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()
    if drop:
        drop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests and is not at {CHROMIUM}: apt-get install chromium")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _plain_tile():
    output = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 236, 228)).save(output, format="PNG")
    return output.getvalue()


PLAIN_TILE = _plain_tile()
TILE_HOST = re.compile(re.escape(urlsplit(settings.MAP_TILE_URL).hostname or "").replace(r"\{s\}", "[a-z]"))


def _answer_locally(route):
    """A map tile gets a plain tile at once; any other outside address is refused (nothing leaves the machine)."""
    if TILE_HOST.fullmatch(urlsplit(route.request.url).hostname or ""):
        route.fulfill(status=200, body=PLAIN_TILE, content_type="image/png")
    else:
        route.abort()


@pytest.fixture
def new_context(browser):
    """Open a browser context (with Playwright's options) that answers map tiles locally; closed after the test."""
    contexts = []

    def open_context(**options):
        # As people who ask for less motion see it: no transition or animation left running when a test measures.
        context = browser.new_context(**{"reduced_motion": "reduce", **options})
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), _answer_locally)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    # axe-core is injected as a script: bypass the CSP for it (test_csp_allows_everything_the_pages_use checks it).
    return new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()


def page_width(page):
    """The width the page's content takes (more than the window's means sideways scrolling), once the document that
    the last click or form led to is parsed."""
    page.wait_for_load_state("domcontentloaded")
    return page.evaluate("document.documentElement.scrollWidth")


def axe_violations(page):
    """Run axe-core's WCAG 2.1 A/AA rules on the page as it is now; return the violations, readable."""
    # Colours are measured as they end up: wait for the transitions under way (Wagtail's messages fade in) to end.
    page.wait_for_function(
        "() => document.getAnimations().every("
        "a => a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)"
    )
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations]
