"""Browser tests: a real server (migrated, with the demo content) driven by Playwright in Debian's Chromium.

The server runs in its own process on its own database — a SQLite file, or a fresh PostgreSQL database when
DATABASE_URL points at PostgreSQL — so the pages are exactly what a visitor gets. Chromium is required: without it
these tests fail, they are never skipped.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["fr", "nl", "en"]

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


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp_path):
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'e2e.sqlite3'}", None
    import psycopg

    name = f"e2e_{uuid.uuid4().hex[:12]}"
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base.rsplit("/", 1)[0] + f"/{name}", drop


@pytest.fixture(scope="session")
def outbox_dir(tmp_path_factory):
    """Where the server writes its emails, one file per message (config/settings/e2e.py: MEDIA_ROOT/outbox)."""
    return tmp_path_factory.mktemp("e2e") / "media" / "outbox"


@pytest.fixture(scope="session")
def server_url(outbox_dir):
    tmp_path = outbox_dir.parents[1]
    database_url, drop = _database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.e2e",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)

    manage("migrate", "--noinput")
    manage("load_demo_content")
    manage("shell", "-c", FALLBACK_PAGE_SCRIPT)
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
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


@pytest.fixture
def page(browser):
    # axe-core is injected as a script: bypass the CSP for it (test_csp_allows_everything_the_pages_use checks it).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page):
    """Run axe-core's WCAG 2.1 A/AA rules on the page as it is now; return the violations, readable."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations]
