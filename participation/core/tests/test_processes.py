"""What Django does as a process starts with given settings and environment: the production settings' own checks,
logging, error reporting, a database out of reach. Each test starts Django in a process of its own and needs no test
database, so the module runs first in a parallel run, while the run's snapshots are built (root conftest.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from conftest import process_env

pytestmark = pytest.mark.no_database

ROOT = Path(settings.BASE_DIR)
PRODUCTION_KEY = "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"


def run_django(code, **env):
    """Run Python with Django set up in a fresh process (settings are read at start-up), collecting cycles as
    manage.py does (a fifth less CPU to start)."""
    script = (
        "from config.garbage_collection import collect_less_often\ncollect_less_often()\n"
        f"import django; django.setup()\n{code}"
    )
    full_env = process_env(**{"DJANGO_SETTINGS_MODULE": "config.settings.test", **env})
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=full_env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def answers_without_database(tmp_path_factory):
    """What a process whose database cannot be reached answers (path → status, Retry-After, body): the health check,
    and each language's home page and a search. One process for all (starting one takes two seconds of CPU)."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        unreachable = f"sqlite:///{tmp_path_factory.mktemp('away')}/missing-directory/db.sqlite3"
    else:
        unreachable = "postgres://postgres@127.0.0.1:1/nowhere"
    paths = ["/healthz"] + [f"/{language}/{query}" for language in ("fr", "nl", "en") for query in ("", "?q=x")]
    result = run_django(
        "import json\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "client = Client(raise_request_exception=False)\n"
        "answers = {}\n"
        f"for path in {paths!r}:\n"
        "    response = client.get(path)\n"
        "    answers[path] = [response.status_code, response.get('Retry-After'), response.content.decode()]\n"
        "print(json.dumps(answers))",
        DATABASE_URL=unreachable,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_answers_503_when_database_is_unreachable(answers_without_database):
    status, _retry_after, body = answers_without_database["/healthz"]
    assert (status, body.strip()) == (503, "database unreachable")


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_pages_answer_a_translated_503_while_the_database_is_away(answers_without_database, language):
    home, search = answers_without_database[f"/{language}/"], answers_without_database[f"/{language}/?q=x"]
    assert [home[:2], search[:2]] == [[503, "30"], [503, "30"]]
    body = search[2]
    assert f'<html lang="{language}">' in body
    with translation.override(language):
        assert escape(gettext("Briefly unavailable")) in body
    assert "Traceback" not in body


def test_logs_are_json_lines_when_asked():
    result = run_django(
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "import logging; logging.getLogger('participation.requests').setLevel(logging.INFO)\n"
        "Client().get('/healthz?email=someone@example.org')",
        LOG_FORMAT="json",
    )
    import json

    [line] = [json.loads(line) for line in result.stderr.splitlines() if "participation.requests" in line]
    assert line["logger"] == "participation.requests" and line["level"] == "INFO"
    assert line["message"].startswith("GET /healthz ") and line["status_code"] in (200, 503)
    assert "example.org" not in json.dumps(line)


def test_production_settings_refuse_to_start_without_secret_key():
    result = run_django("", DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_a_short_secret_key():
    result = run_django("", DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=process_env(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY=PRODUCTION_KEY),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_env_example_lists_every_variable_the_settings_read():
    import re

    read = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:_bool|_list)?\("([A-Z0-9_]+)"', path.read_text()))
    read |= {"ADMIN_PASSWORD", "DJANGO_SETTINGS_MODULE"}
    documented = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read - documented == set()


def test_errors_are_reported_to_the_service_named_by_sentry_dsn():
    """A real HTTP endpoint stands in for Sentry: an error logged by the application reaches it, without personal data
    and only when SENTRY_DSN is set."""
    import gzip
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import brotli

    received = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding")
            body = {"gzip": gzip.decompress, "br": brotli.decompress}.get(encoding, bytes)(body)
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    code = (
        "import logging, sentry_sdk\n"
        "print(sentry_sdk.get_client().is_active())\n"
        "logging.getLogger('participation').error('Export failed for initiative 42')\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    try:
        without = run_django(code, SENTRY_DSN="")
        dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/7"
        reported = run_django(code, SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="ci")
    finally:
        server.shutdown()
    assert without.stdout.strip() == "False", without.stderr
    assert reported.stdout.strip() == "True", reported.stderr
    assert [path for path, _body in received] == ["/api/7/envelope/"]
    items = [json.loads(line) for line in received[0][1].splitlines() if line.strip().startswith(b"{")]
    event = next(item for item in items if "logentry" in item or "message" in item)
    assert "Export failed for initiative 42" in json.dumps(event)
    assert event["environment"] == "ci"
    assert "user" not in event and "ip_address" not in json.dumps(event)
