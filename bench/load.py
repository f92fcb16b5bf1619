"""Benchmark: load (issue 15). Concurrent visitors for a while on gunicorn with PostgreSQL and Redis, mixing browsing,
filtering, searching, exports, event registrations, newsletter subscriptions, support requests of the purchasing
centre and shared initiatives (every step of the form, then send).

It reports, per kind of request, how many were sent, p50 and p95 in ms and the answers that were not the expected
one; then it compares the database with what was acknowledged: every accepted write stored exactly once, nothing
stored that was not acknowledged. Server errors (5xx) or lost writes make it exit with 1.

Needs a PostgreSQL database of your own with the demo content (a copy: the run adds records marked `load-…`, removed
at the next run) and a Redis database number of your own:

    createdb -h 127.0.0.1 -U postgres bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py load_demo_content
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/bench \\
        --redis-url redis://127.0.0.1:6379/5 [--users 50 --seconds 60 --http-port 8150 --workers 3]

Rate limits are off on the benchmark server (every visitor comes from 127.0.0.1); the page cache is on, in Redis,
as in production.
"""

import argparse
import http.cookiejar
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEARCH_WORDS = ["participation", "budget", "jeunes", "quartier", "parc", "panel", "consultation", "mobilité", "école"]
# Share of each kind of visit (a visit is one request, a shared initiative is every step of the form).
MIX = {
    "browse": 40,
    "filter": 14,
    "search": 14,
    "export": 6,
    "registration": 8,
    "newsletter": 7,
    "support request": 5,
    "shared initiative": 6,
}


def server_env(database_url, redis_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BENCH_DATABASE_JOBS": "1",
        "BENCH_REDIS": "1",
        "BENCH_NO_RATE_LIMITS": "1",
        "PAGE_CACHE_SECONDS": "600",
        "MEDIA_ROOT": str(ROOT / "var" / "bench" / "load-media"),
        "PYTHONPATH": str(ROOT),
    }


def prepare():
    """Addresses and answers read from the database: pages to browse, filters, events open for registration, the
    share page's steps and valid answers. Also removes the records of an earlier run."""
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import timezone, translation
    from wagtail.models import Page

    from participation.articles.models import ArticleIndexPage
    from participation.core import models as vocabularies
    from participation.initiatives.models import InitiativeIndexPage
    from participation.network.models import EventPage, Registration
    from participation.newsletter.models import Subscriber
    from participation.providers.models import PurchasingCentrePage, SupportRequest
    from participation.submissions.models import SharePage, Submission

    Registration.objects.filter(email__startswith="load-").delete()
    Subscriber.objects.filter(email__startswith="load-").delete()
    SupportRequest.objects.filter(email__startswith="load-").delete()
    Submission.objects.filter(contact_email__startswith="load-").delete()

    pages = [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific() if page.url]
    index = InitiativeIndexPage.objects.live().get(locale__language_code="fr")
    events = [
        (event.url + event.reverse_subpage("register"), event.url + event.reverse_subpage("registered"))
        for event in EventPage.objects.live().public().filter(locale__language_code="fr", starts_at__gt=timezone.now())
    ]
    centre = PurchasingCentrePage.objects.live().get(locale__language_code="fr")
    share = SharePage.objects.live().get(locale__language_code="fr")
    newsletter = ArticleIndexPage.objects.live().get(locale__language_code="fr")

    with translation.override("fr"):
        search = reverse("search")

    def first(model):
        return str(model.objects.filter(locale__language_code="fr").first().pk)

    answers = {
        "about": {
            "title": "Jardin de charge (démo)",
            "summary": "Une initiative envoyée par le test de charge.",
            "organisers": "Collectif de charge",
            "organiser_type": first(vocabularies.OrganiserType),
            "organiser_scope": "municipal",
            "status": "finished",
        },
        "place": {"communes": first(vocabularies.Commune), "latitude": "50.85", "longitude": "4.35"},
        "how": {"themes": first(vocabularies.Theme), "participation_level": first(vocabularies.ParticipationLevel)},
        "story": {"problems_objectives": "Mesurer la plateforme."},
        "images": {},
        "contact": {"contact_name": "Load", "contact_email": "", "consent": "on"},
    }
    return {
        "pages": pages,
        "index": index.url,
        "exports": [index.url + index.reverse_subpage(name) for name in ("export_csv", "export_geojson")],
        "events": events,
        "support_request": centre.url + centre.reverse_subpage("request"),
        "support_request_sent": centre.url + centre.reverse_subpage("request_sent"),
        "search": search,
        "newsletter": newsletter.url + newsletter.reverse_subpage("newsletter"),
        "share_steps": {step: share.route_url("step", step=step) for step in answers},
        "share_review": share.route_url("step", step="review"),
        "answers": answers,
    }


def stored(emails_by_kind):
    """How many times each acknowledged address is stored, per kind, and the addresses stored without an
    acknowledgement."""
    from participation.network.models import Registration
    from participation.newsletter.models import Subscriber
    from participation.providers.models import SupportRequest
    from participation.submissions.models import Submission, SubmissionState

    found = {
        "registration": Counter(Registration.objects.filter(email__startswith="load-").values_list("email", flat=True)),
        "newsletter": Counter(Subscriber.objects.filter(email__startswith="load-").values_list("email", flat=True)),
        "support request": Counter(
            SupportRequest.objects.filter(email__startswith="load-").values_list("email", flat=True)
        ),
        "shared initiative": Counter(
            Submission.objects.filter(contact_email__startswith="load-")
            .exclude(state=SubmissionState.DRAFT)
            .values_list("contact_email", flat=True)
        ),
    }
    report = {}
    for kind, acknowledged in emails_by_kind.items():
        counts = found[kind]
        report[kind] = {
            "acknowledged": len(acknowledged),
            "stored once": sum(1 for email in acknowledged if counts[email] == 1),
            "missing": sum(1 for email in acknowledged if counts[email] == 0),
            "stored twice or more": sum(1 for email in acknowledged if counts[email] > 1),
            "stored, not acknowledged": len(set(counts) - set(acknowledged)),
        }
    return report


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def form_data(html, *, action_part, email):
    """What a person fills in the form whose action contains `action_part`: the first choice of each list, every
    box ticked once, plain text elsewhere, `email` in email fields."""
    soup = BeautifulSoup(html, "html.parser")
    form = next(
        (
            f
            for f in soup.find_all("form")
            if f.get("method") == "post" and (not f.get("action") or action_part in f["action"])
        ),
        None,
    )
    if form is None:
        return None
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name, kind = element.get("name"), element.get("type", "text")
        if not name or name in data or kind in ("submit", "file") or name == "website":
            continue
        if element.name == "select":
            options = [o.get("value") for o in element.find_all("option") if o.get("value")]
            data[name] = options[0] if options else ""
        elif kind in ("checkbox", "radio"):
            data[name] = element.get("value", "on")
        elif kind == "hidden":
            data[name] = element.get("value", "")
        elif kind == "email":
            data[name] = email
        elif kind == "date" or "date" in name or name in ("start", "end"):
            data[name] = ""
        elif kind == "tel":
            data[name] = "02 123 45 67"
        else:
            data[name] = "Test de charge"
    return data


class Visitor(threading.Thread):
    def __init__(self, base, number, plan, stop, seed):
        super().__init__()
        self.base, self.number, self.plan, self.stop = base, number, plan, stop
        self.random = random.Random(seed)
        self.times = defaultdict(list)
        self.answers = defaultdict(Counter)
        self.acknowledged = defaultdict(list)
        self.sequence = 0
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, kind, path, data=None, expected=(200,)):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, headers, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, content = error.code, error.headers, error.read()
        except OSError as error:
            status, headers, content = f"no answer ({type(error).__name__})", {}, b""
        self.times[kind].append((time.perf_counter() - started) * 1000)
        self.answers[kind][status if status not in expected else "expected"] += 1
        return status, headers, content.decode(errors="replace")

    def email(self):
        self.sequence += 1
        return f"load-{self.number}-{self.sequence}@example.org"

    def post_form(self, kind, url, action_part, expected_location):
        status, _headers, html = self.request(f"{kind} (form)", url)
        email = self.email()
        data = form_data(html, action_part=action_part, email=email) if status == 200 else None
        if data is None:
            return
        status, headers, _html = self.request(kind, url, data, expected=(302,))
        if status == 302 and expected_location in headers.get("Location", ""):
            self.acknowledged[kind].append(email)

    def visit(self, kind):
        plan, choose = self.plan, self.random.choice
        if kind == "browse":
            self.request(kind, choose(plan["pages"]))
        elif kind == "filter":
            self.request(kind, choose(plan["filters"]))
        elif kind == "search":
            self.request(kind, plan["search"] + "?" + urllib.parse.urlencode({"q": choose(SEARCH_WORDS)}))
        elif kind == "export":
            self.request(kind, choose(plan["exports"]) + "?" + choose(plan["filter_queries"]))
        elif kind == "registration" and plan["events"]:
            register, registered = choose(plan["events"])
            self.post_form(kind, register, register, registered)
        elif kind == "newsletter":
            self.post_form(kind, plan["newsletter"], plan["newsletter"], "sent=1")
        elif kind == "support request":
            self.post_form(kind, plan["support_request"], plan["support_request"], plan["support_request_sent"])
        elif kind == "shared initiative":
            self.share()

    def share(self):
        email = self.email()
        for step, values in self.plan["answers"].items():
            url = self.plan["share_steps"][step]
            status, _headers, html = self.request("shared initiative (step)", url)
            token = form_data(html, action_part="", email=email) or {}
            data = {**values, "csrfmiddlewaretoken": token.get("csrfmiddlewaretoken", "")}
            if step == "contact":
                data["contact_email"] = email
            status, _headers, _html = self.request("shared initiative (step)", url, data, expected=(302,))
            if status != 302:
                return
        time.sleep(1.1)  # at least SUBMISSIONS_MIN_SECONDS from the first step, as a person would take
        review = self.plan["share_review"]
        status, _headers, html = self.request("shared initiative (step)", review)
        token = (form_data(html, action_part="", email=email) or {}).get("csrfmiddlewaretoken", "")
        status, _headers, _html = self.request(
            "shared initiative", review, {"csrfmiddlewaretoken": token}, expected=(302,)
        )
        if status == 302:
            self.acknowledged["shared initiative"].append(email)

    def run(self):
        kinds, weights = list(MIX), list(MIX.values())
        while not self.stop.is_set():
            self.visit(self.random.choices(kinds, weights)[0])
            self.stop.wait(self.random.uniform(0.5, 2.0))  # a person reads before the next click


def filters(base, index):
    """Filter addresses as the filter forms of the map, the toolbox and the articles build them."""
    queries = []
    with urllib.request.urlopen(base + index, timeout=60) as response:
        soup = BeautifulSoup(response.read(), "html.parser")
    for box in soup.select("form input[type=checkbox]")[:40]:
        queries.append(urllib.parse.urlencode({box["name"]: box.get("value", "on")}))
    return queries or ["q=parc"]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--http-port", type=int, default=8150)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    env = server_env(args.database_url, args.redis_url)
    os.environ.update({name: env[name] for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")})
    plan = prepare()
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    log = ROOT / "var" / "bench" / "load-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{args.http_port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--no-control-socket",
            "--error-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.http_port}"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        plan["filter_queries"] = filters(base, plan["index"])
        plan["filters"] = [f"{plan['index']}?{query}" for query in plan["filter_queries"]]
        stop = threading.Event()
        visitors = [Visitor(base, number, plan, stop, seed=number) for number in range(args.users)]
        started = time.monotonic()
        for visitor in visitors:
            visitor.start()
            time.sleep(0.05)  # 50 people arrive within a few seconds, not in the same millisecond
        stop.wait(args.seconds)
        stop.set()
        for visitor in visitors:
            visitor.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait()

    times, answers, acknowledged = defaultdict(list), defaultdict(Counter), defaultdict(list)
    for visitor in visitors:
        for kind, values in visitor.times.items():
            times[kind] += values
        for kind, counts in visitor.answers.items():
            answers[kind] += counts
        for kind, emails in visitor.acknowledged.items():
            acknowledged[kind] += emails
    total = sum(len(values) for values in times.values())
    print(
        f"{args.users} users for {args.seconds:.0f} s ({elapsed:.0f} s with the ramp), gunicorn {args.workers}×"
        f"{args.threads} threads, PostgreSQL and Redis: {total} requests, {total / elapsed:.1f} per second"
    )
    print(f"{'kind':32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}  other answers")
    server_errors = 0
    for kind in sorted(times):
        others = {status: n for status, n in answers[kind].items() if status != "expected"}
        server_errors += sum(n for status, n in others.items() if not isinstance(status, int) or status >= 500)
        print(
            f"{kind:32} {len(times[kind]):8} {statistics.median(times[kind]):8.0f} "
            f"{percentile(times[kind], 0.95):8.0f}  {others or ''}"
        )
    print(f"server errors (5xx or no answer): {server_errors}")
    writes = stored(
        {
            kind: acknowledged.get(kind, [])
            for kind in ("registration", "newsletter", "support request", "shared initiative")
        }
    )
    lost = 0
    for kind, figures in writes.items():
        print(f"{kind}: {figures}")
        lost += figures["missing"] + figures["stored twice or more"]
    return 1 if server_errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
