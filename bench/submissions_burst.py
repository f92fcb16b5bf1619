"""Benchmark of a burst of automated "share an initiative" submissions, with the production anti-spam settings.

100 scripted clients from one address go through every step of the form and send it, 20 at a time, while a visitor
keeps loading the share page. It reports what the bots got (redirects, 429 refusals, held back),
how many submissions were stored and how many messages reached the moderators, and the visitor's response times
before and during the burst. Run:  .venv/bin/python bench/submissions_burst.py [--bots 100] [--concurrency 20]

Uses its own SQLite database in var/bench/submissions/, gunicorn with two workers and Redis (REDIS_URL, by default
redis://127.0.0.1:6379/15) so that every worker counts the same rate limits, as in production.
"""

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = ROOT / "var" / "bench" / "submissions"
SHARE = "/fr/partager-une-initiative/"


def populate():
    """Migrate, create the home pages and the share page, and return valid answers for every step."""
    import json

    import django

    django.setup()
    from django.core.management import call_command

    from participation.core import models as vocabularies
    from participation.core.services import site_homes_ensure
    from participation.submissions import demo

    call_command("migrate", "--noinput", verbosity=0)
    home_fields = {"intro": "<p>Bench</p>", "entry_points_heading": "Bench", "featured_heading": "Bench"}
    site_homes_ensure(fields_by_language={code: {"title": code, **home_fields} for code in ("fr", "nl", "en")})
    demo.load(stdout=sys.stderr)

    def first(model):
        return str(model.objects.filter(locale__language_code="fr").first().pk)

    answers = {
        "about": {
            "title": "Bench",
            "summary": "Automated submission.",
            "organisers": "Bot",
            "organiser_type": first(vocabularies.OrganiserType),
            "organiser_scope": "municipal",
            "status": "finished",
        },
        "place": {"communes": first(vocabularies.Commune), "latitude": "50.85", "longitude": "4.35"},
        "how": {"themes": first(vocabularies.Theme), "participation_level": first(vocabularies.ParticipationLevel)},
        "story": {"problems_objectives": "Spam."},
        "images": {},
        "contact": {"contact_name": "Bot", "contact_email": "bot@example.org", "consent": "on"},
        "review": {},
    }
    print(json.dumps(answers))


def bot(base, answers, outcomes):
    """One scripted client: every step, then send; records how it ended."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    html = opener.open(f"{base}{SHARE}form/about/", timeout=60).read().decode()
    outcomes["requests"] += 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    for step, values in answers.items():
        data = urllib.parse.urlencode({**values, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(f"{base}{SHARE}form/{step}/", data=data, headers={"Referer": base})
        outcomes["requests"] += 1
        try:
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status == 429:
            outcomes[f"refused (429) at step {step}"] += 1
            return
        if status != 302:
            outcomes[f"held back at step {step} ({status})"] += 1
            return
    outcomes["sent"] += 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response


def timed_get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def while_visiting(visitor, concurrency, work, items):
    """Run `work` on every item, `concurrency` at a time, while a visitor keeps loading `visitor`.
    Returns (seconds the work took, the visitor's response times in ms)."""
    times, done = [], threading.Event()

    def visit():
        while not done.is_set():
            times.append(timed_get(visitor))

    watcher = threading.Thread(target=visit)
    watcher.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(work, items))
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    return elapsed, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bots", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        return populate()
    import json

    WORKDIR.mkdir(parents=True, exist_ok=True)
    (WORKDIR / "db.sqlite3").unlink(missing_ok=True)
    media = WORKDIR / "media"
    for message in (media / "outbox").glob("*"):
        message.unlink()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_PRODUCTION_LIMITS": "1",
        "DATABASE_URL": f"sqlite:///{WORKDIR / 'db.sqlite3'}",
        "MEDIA_ROOT": str(media),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    }
    answers = json.loads(
        subprocess.run([sys.executable, __file__, "--populate"], env=env, check=True, capture_output=True).stdout
    )
    subprocess.run(
        [sys.executable, "-c", "import redis,os; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"],
        env=env,
        check=True,
    )
    port = 8791
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    command += ["--threads", "4", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        visitor = f"{base}{SHARE}"
        before = [timed_get(visitor) for _ in range(30)]
        outcomes = Counter()
        elapsed, during = while_visiting(
            visitor, args.concurrency, lambda _n: bot(base, answers, outcomes), range(args.bots)
        )
        # Control: as many plain page views, as many at a time, without any form.
        control_elapsed, control = while_visiting(
            visitor, args.concurrency, lambda _n: timed_get(visitor), range(outcomes["requests"])
        )
        stored = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", STORED],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        messages = [path.read_text(errors="replace") for path in (media / "outbox").glob("*")]
        to_moderators = sum("To: participation@perspective.brussels" in text for text in messages)
        print(f"{args.bots} bots, {args.concurrency} at a time, from one address: burst took {elapsed:.1f} s")
        requests = outcomes.pop("requests")
        for outcome, count in sorted(outcomes.items()):
            print(f"  {outcome:40} {count:>4}")
        print(f"Submissions by state: {stored}")
        print(f"Messages sent: {len(messages)} (to moderators: {to_moderators})")
        print(
            f"Visitor, share page: median {statistics.median(before):.0f} ms before the burst, "
            f"median {statistics.median(during):.0f} ms / max {max(during):.0f} ms during it ({len(during)} requests)"
        )
        print(
            f"Control, {requests} plain page views (as many as the bots' requests), {args.concurrency} at a time: "
            f"{control_elapsed:.1f} s; visitor median {statistics.median(control):.0f} ms / max {max(control):.0f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


STORED = (
    "from django.db.models import Count; from participation.submissions.models import Submission; "
    "print(dict(Submission.objects.values_list('state').annotate(n=Count('pk'))))"
)

if __name__ == "__main__":
    main()
