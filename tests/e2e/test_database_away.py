"""The page people see while the database is away (issue 15), in a browser: a server of its own (gunicorn, as in
production) whose database cannot be reached, so the other browser tests keep theirs. The translated 503 page passes
axe in French, Dutch and English, says nothing was recorded and offers to try again."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import process_env
from tests.e2e.conftest import ROOT, _free_port, axe_violations

pytestmark = pytest.mark.e2e

TEXTS = {
    "fr": ("Momentanément indisponible", "Réessayer"),
    "nl": ("Even niet beschikbaar", "Opnieuw proberen"),
    "en": ("Briefly unavailable", "Try again"),
}


@pytest.fixture(scope="module")
def away_server_url(tmp_path_factory):
    """gunicorn with the browser tests' settings and a database it cannot reach: SQLite in a folder that does not
    exist, or a PostgreSQL address where nothing listens, by the suite's own database."""
    tmp_path = tmp_path_factory.mktemp("database-away")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        unreachable = "postgres://postgres@127.0.0.1:1/nowhere"
    else:
        unreachable = f"sqlite:///{tmp_path}/missing-directory/db.sqlite3"
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=process_env(DJANGO_SETTINGS_MODULE="config.settings.e2e", DATABASE_URL=unreachable),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(600):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            raise RuntimeError("/healthz answered 200 without a database")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(f"The server did not start; see {tmp_path / 'server.log'}")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_database_away_page_is_translated_and_accessible(away_server_url, page, language):
    heading, link = TEXTS[language]
    response = page.goto(f"{away_server_url}/{language}/")
    assert response.status == 503
    assert response.headers["retry-after"] == "30"
    assert page.get_attribute("html", "lang") == language
    assert page.locator("h1").inner_text() == heading
    assert page.title().startswith(heading)
    assert "Traceback" not in page.content()
    assert axe_violations(page) == []
    # After an interaction: "Try again" asks for the same page, which still answers the same way.
    page.get_by_role("link", name=link).focus()
    assert page.evaluate("document.activeElement.textContent.trim()") == link
    with page.expect_navigation() as again:
        page.keyboard.press("Enter")
    assert again.value.status == 503
    assert page.url == f"{away_server_url}/{language}/"
    assert axe_violations(page) == []
