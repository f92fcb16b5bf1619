"""Browser tests: a real server (migrated, with the demo content) driven by Playwright in Debian's Chromium.

The server runs in its own process on its own database, so the pages are exactly what a visitor gets. That database
is a copy of the run's `e2e` snapshot (tests/snapshots.py): migrated, with the demo content, a page only in French and
photographs, built once and kept until what it is made of changes. Map tiles are answered by a small server of the
worker's (the tile server is out of reach here), and no other outside address is contacted: Chromium resolves no other
host name.

Chromium is required: without it these tests fail, they are never skipped.

A click or key that leads to another page runs inside `with page.expect_navigation():` when what follows reads the
page at once (a count, `is_visible`, its text): Playwright's click returns once the new document is committed, not
parsed, and the old one may still answer. `expect(...)` assertions wait by themselves.
"""

import http.server
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from conftest import process_env
from tests.snapshots import Snapshot

ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium in its headless build (package chromium-headless-shell, from the same sources and version as the
# chromium package): the build Playwright itself runs for headless tests. It renders pages as the full browser does, at
# two thirds of its CPU (decision 12). CHROMIUM_PATH=/usr/bin/chromium runs the tests in the full browser.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium-headless-shell")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["fr", "nl", "en"]

# The running server's environment (its database), and the shell process that `server_shell` talks to.
SERVER: dict = {}

# A Python process with Django set up on the server's database, for the whole run of the worker: it runs each script
# it reads (a line of JSON) as `manage.py shell -c` would and answers with what the script printed (a line of JSON).
# Starting `manage.py shell` for each script cost two seconds of CPU, some forty seconds a run. Each script starts as
# a new process would: the caches empty (the server may have changed the pages since), no connection left open.
SHELL_LOOP = """
import contextlib, io, json, sys, traceback
from config.garbage_collection import collect_less_often
collect_less_often()
import django
django.setup()
from django.core.cache import caches
from django.db import connections
for line in sys.stdin:
    for cache in caches.all():
        cache.clear()
    printed, failure = io.StringIO(), None
    try:
        with contextlib.redirect_stdout(printed):
            exec(json.loads(line), {"__name__": "__main__"})
    except Exception:
        failure = traceback.format_exc()
    finally:
        connections.close_all()
    sys.__stdout__.write(json.dumps({"printed": printed.getvalue(), "failure": failure}) + "\\n")
    sys.__stdout__.flush()
"""


def server_shell(script):
    """Run Python on the running server's database (data a test sets up or removes); its printed output."""
    if "shell" not in SERVER:
        SERVER["shell"] = subprocess.Popen(
            [sys.executable, "-c", SHELL_LOOP],
            cwd=ROOT,
            env=SERVER["env"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=SERVER["log"],
            text=True,
        )
    shell = SERVER["shell"]
    shell.stdin.write(json.dumps(script) + "\n")
    shell.stdin.flush()
    line = shell.stdout.readline()
    if not line:
        raise RuntimeError(f"The shell on the server's database stopped; see {SERVER['log'].name}")
    answer = json.loads(line)
    if answer["failure"]:
        raise RuntimeError(f"The script failed on the server's database:\n{answer['failure']}")
    return answer["printed"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def outbox_dir(tmp_path_factory):
    """Where the server writes its emails, one file per message (config/settings/e2e.py: MEDIA_ROOT/outbox)."""
    return tmp_path_factory.mktemp("e2e") / "media" / "outbox"


def _plain_tile():
    output = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 236, 228)).save(output, format="PNG")
    return output.getvalue()


class _LocalAnswers(http.server.BaseHTTPRequestHandler):
    """What the browser tests take from outside the site: a plain map tile at any tile address, and axe-core. Both may
    be kept for a day, so the worker's browser loads axe-core once and compiles it from its cache at each check
    (injected as a script's text, it was sent and compiled anew each time: a third of a check's cost)."""

    tile = _plain_tile()

    def do_GET(self):
        if self.path.startswith("/tiles/"):
            content_type, body = "image/png", self.tile
        elif self.path == "/axe.min.js":
            content_type, body = "text/javascript", AXE.read_bytes()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=86400")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Nothing to log: the answers never change."""


@pytest.fixture(scope="session")
def local_answers():
    """The address of the worker's server of map tiles and axe-core (`_LocalAnswers`), in a thread of the worker."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LocalAnswers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    SERVER["axe"] = f"{url}/axe.min.js"
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def server_url(outbox_dir, local_answers):
    tmp_path = outbox_dir.parents[1]
    # The site's maps take their tiles from the worker's server (and its CSP allows that address, as it allows the
    # configured tile server in production).
    tiles = f"{local_answers}/tiles/{{z}}/{{x}}/{{y}}.png"
    env = process_env(DJANGO_SETTINGS_MODULE="config.settings.e2e", MAP_TILE_URL=tiles)
    database_url, drop = Snapshot("e2e").copy(tmp_path)
    SERVER.update(
        env={**env, "DATABASE_URL": database_url, "MEDIA_ROOT": str(tmp_path / "media")},
        log=(tmp_path / "shell.log").open("w"),
    )
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
    if shell := SERVER.pop("shell", None):
        shell.stdin.close()
        shell.wait(timeout=10)
    SERVER["log"].close()
    process.terminate()
    process.wait(timeout=10)
    log.close()
    drop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests and is not at {CHROMIUM}: make chromium")
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
                # The site's pages share one renderer process: each test opens the site from a blank page, for which
                # Chromium started a new process, whose JavaScript engine compiled axe-core anew (219 renderers for
                # the 211 tests, 20 now: a tenth less of Chromium's CPU, decision 12). Pages render as in any
                # process; cookies and storage are emptied before each test (`page`).
                "--process-per-site",
                # Nothing leaves the machine: no host name resolves but the local ones (the site and the worker's
                # server of tiles and axe-core are at 127.0.0.1).
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            ],
        )
        yield browser
        browser.close()


def _context_open(browser, **options):
    """A browser context with Playwright's options, as people who ask for less motion see it: no transition or
    animation left running when a test measures; and whose browser asks for English first, whatever the build's
    default (the headless build asks for no language). No request is routed through Playwright: routing one disables
    the browser's cache and sends every request of the page through Playwright (a third more of Chromium's CPU a
    page)."""
    return browser.new_context(**{"reduced_motion": "reduce", "locale": "en-US", **options})


@pytest.fixture
def new_context(browser):
    """Open a browser context of its own (JavaScript off, another size from the start, a second visitor); closed after
    the test."""
    contexts = []

    def open_context(**options):
        contexts.append(_context_open(browser, **options))
        return contexts[-1]

    yield open_context
    for context in contexts:
        context.close()


# The page every test gets: 1280 × 900, as people who ask for less motion see it. axe-core is injected as a script:
# the CSP is bypassed for it (test_csp_allows_everything_the_pages_use checks the CSP itself).
PAGE_VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def _worker_page(browser):
    """One context and page for the worker's tests, in turn: opening a context and a page costs Chromium about 0.45 s
    of CPU, where loading a page costs it 0.15 s (a third of the browser tests' CPU went to opening them)."""
    context = _context_open(browser, viewport=PAGE_VIEWPORT, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def page(_worker_page, server_url):
    """The worker's page, as a new one would be: no cookie (no session, no language chosen), nothing the site stored
    in the browser, no other page open, the first size, screen media, the mouse in a corner (no hover left), on a
    blank document. The browser's cache stays, as a returning visitor's does: static files, tiles and axe-core (the
    pages themselves are fetched anew: the tests' server sends them with no lifetime and no validator).

    The site's local storage (Wagtail's admin keeps its panels' state there; neither the site nor the admin uses
    session storage) is emptied through the browser's DevTools protocol: opening a page of the site to empty it from
    there cost twice the browser's CPU of this reset, some 10 s a run."""
    context = _worker_page
    page = context.pages[0] if context.pages else context.new_page()
    for other in context.pages[1:]:
        other.close()
    context.clear_cookies()
    devtools = context.new_cdp_session(page)
    devtools.send("Storage.clearDataForOrigin", {"origin": server_url, "storageTypes": "local_storage"})
    devtools.detach()
    page.goto("about:blank")
    page.set_viewport_size(PAGE_VIEWPORT)
    page.emulate_media(media="no-override", reduced_motion="reduce")
    page.mouse.move(0, 0)
    return page


def page_width(page):
    """The width the page's content takes (more than the window's means sideways scrolling), once the document that
    the last click or form led to is loaded with its stylesheets (parsed is not enough: a long address in a page
    measured before its styles apply is wider than the screen)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def axe_violations(page):
    """Run axe-core's WCAG 2.1 A/AA rules on the page as it is now; return the violations, readable."""
    # Colours are measured as they end up: wait for the transitions under way (Wagtail's messages fade in) to end.
    page.wait_for_function(
        "() => document.getAnimations().every("
        "a => a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)"
    )
    page.add_script_tag(url=SERVER["axe"])
    # Only the violations are reported: axe-core then describes no node of the rules that pass or cannot tell (a
    # quarter of a check's time on the heavier pages), and finds the same violations.
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})).violations",
        WCAG_TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations]
