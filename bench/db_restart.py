"""Benchmark: a PostgreSQL restart under writes loses nothing (issue 15).

Writers keep subscribing to the newsletter (a write acknowledged by a redirect to "?sent=1", whose confirmation email
is a background job queued in the same transaction) on gunicorn, while the database is stopped for a few seconds and
started again. It reports what the writers got (acknowledged, 503, anything else), how long the platform took to
answer again, and compares the database with what was acknowledged: every acknowledged subscription stored once with
its queued email, nothing stored that was refused.

Needs a throwaway PostgreSQL cluster of your own, never a shared one (the script stops and starts it), with the demo
content loaded:

    runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D /tmp/bench-pg -U postgres -A trust
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/bench-pg -o "-p 5515 -k /tmp" -l /tmp/pg.log start
    createdb -h 127.0.0.1 -p 5515 -U postgres bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5515/bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5515/bench .venv/bin/python manage.py load_demo_content
    .venv/bin/python bench/db_restart.py --pgdata /tmp/bench-pg --port 5515 [--writers 8 --seconds 20 --down 5]
"""

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
NEWSLETTER = "/fr/articles/lettre-d-information/"
PG_CTL = "/usr/lib/postgresql/15/bin/pg_ctl"


def pg_ctl(pgdata, port, action):
    command = [PG_CTL, "-D", pgdata, "-w", "-m", "fast", action]
    if action == "start":
        command[4:4] = ["-o", f"-p {port} -k /tmp -c listen_addresses=127.0.0.1", "-l", f"{pgdata}/server.log"]
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(prefix + command, check=True, capture_output=True)


class Writer(threading.Thread):
    def __init__(self, base, number, stop):
        super().__init__()
        self.base, self.number, self.stop = base, number, stop
        self.outcomes = Counter()
        self.acknowledged, self.sent = [], []
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data else None
        try:
            response = self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=30)
            return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")
        except OSError:
            return 0, {}, ""

    def run(self):
        sequence = 0
        while not self.stop.is_set():
            status, _headers, page = self.request(NEWSLETTER)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or not token:
                self.outcomes[f"form {status}"] += 1
                time.sleep(0.2)
                continue
            sequence += 1
            email = f"bench-{self.number}-{sequence}@example.org"
            self.sent.append(email)
            data = {"csrfmiddlewaretoken": token.group(1), "email": email, "language": "fr"}
            status, headers, _page = self.request(NEWSLETTER, data)
            if status == 302 and "sent=1" in headers.get("Location", ""):
                self.outcomes["acknowledged"] += 1
                self.acknowledged.append(email)
            else:
                self.outcomes[f"send {status}"] += 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pgdata", required=True)
    parser.add_argument("--port", type=int, default=5515)
    parser.add_argument("--database", default="bench")
    parser.add_argument("--http-port", type=int, default=8115)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--down", type=float, default=5, help="seconds the database stays stopped")
    args = parser.parse_args()
    database_url = f"postgres://postgres@127.0.0.1:{args.port}/{args.database}"
    with psycopg.connect(database_url) as db:
        db.execute(
            "DELETE FROM newsletter_subscriber_themes WHERE subscriber_id IN "
            "(SELECT id FROM newsletter_subscriber WHERE email LIKE 'bench-%%')"
        )
        db.execute("DELETE FROM newsletter_subscriber WHERE email LIKE 'bench-%%'")
        db.execute("DELETE FROM django_tasks_database_dbtaskresult")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "BENCH_DATABASE_JOBS": "1",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{args.http_port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--no-control-socket",
            "--error-logfile",
            str(ROOT / "var" / "db_restart.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.http_port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        stop = threading.Event()
        writers = [Writer(base, number, stop) for number in range(args.writers)]
        for writer in writers:
            writer.start()
        time.sleep(args.seconds / 3)
        pg_ctl(args.pgdata, args.port, "stop")
        stopped = time.monotonic()
        health_down = urllib.request.Request(base + "/healthz")
        try:
            urllib.request.urlopen(health_down, timeout=5)
            health_while_down = 200
        except urllib.error.HTTPError as error:
            health_while_down = error.code
        time.sleep(args.down)
        pg_ctl(args.pgdata, args.port, "start")
        started = time.monotonic()
        while True:
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        recovered = time.monotonic()
        time.sleep(max(0.0, args.seconds - args.seconds / 3 - (recovered - stopped)))
        stop.set()
        for writer in writers:
            writer.join()
    finally:
        server.terminate()
        server.wait()
    outcomes = sum((writer.outcomes for writer in writers), Counter())
    acknowledged = [email for writer in writers for email in writer.acknowledged]
    sent = {email for writer in writers for email in writer.sent}
    with psycopg.connect(database_url) as db:
        stored = [row[0] for row in db.execute("SELECT email FROM newsletter_subscriber WHERE email LIKE 'bench-%%'")]
        jobs = db.execute(
            "SELECT args_kwargs->'kwargs'->>'recipient' FROM django_tasks_database_dbtaskresult"
        ).fetchall()
    queued = Counter(row[0] for row in jobs)
    missing = set(acknowledged) - set(stored)
    unacknowledged_stored = set(stored) - set(acknowledged)
    print(f"writers: {args.writers}, run: {args.seconds:.0f} s, database stopped for {args.down:.0f} s")
    print("outcomes:", dict(sorted(outcomes.items())))
    print(f"/healthz while the database was stopped: {health_while_down}")
    print(f"answering again {recovered - started:.2f} s after the database started (no app restart)")
    print(f"acknowledged: {len(acknowledged)}, stored: {len(stored)} (distinct {len(set(stored))})")
    print(f"acknowledged but missing: {len(missing)}")
    print(
        f"stored but not acknowledged (the answer was lost in flight): {len(unacknowledged_stored)}"
        f" {sorted(unacknowledged_stored)[:5]}"
    )
    print(
        f"stored without a queued confirmation email: {len([e for e in stored if not queued[e]])}; "
        f"emails queued twice: {len([e for e, n in queued.items() if n > 1])}; sent: {len(sent)}"
    )
    return 1 if missing or len(stored) != len(set(stored)) else 0


if __name__ == "__main__":
    sys.exit(main())
