"""Benchmark of the site search with the demo content plus 10,000 and 100,000 synthetic initiatives, on SQLite and on
PostgreSQL.

The synthetic initiatives are copies of the 148 demo initiatives (their texts in every language they have, their
communes, themes, methods, audiences and timeline), each title numbered, so the words, their frequencies and the
share of items a query matches stay those of real content as the catalogue grows. The index is then rebuilt with
`search_index_rebuild`, the path `manage.py rebuild_search_index` takes.

For each database and size it serves the site with gunicorn (one worker, the benchmark settings) and reports the p50
and p95 of 24 realistic queries in French, Dutch and English (accents left out, typing mistakes, Dutch compounds,
communes in the other language, vocabulary across languages, facets), of the suggestions while typing, and, in the
same run, of a plain page of the same server (the "about" page) and a static file: the ratios say what a search
costs over serving a page. Run:

    .venv/bin/python bench/search.py [--sizes 10000 100000] [--databases sqlite postgres] [--repeat 5] [--keep]

PostgreSQL: `BENCH_POSTGRES_URL` names the server (postgres://postgres@127.0.0.1:5432 by default); the benchmark
creates and drops its own databases there. `BENCH_PORT` sets the port of the SQLite server (the PostgreSQL one takes
the next). SQLite databases are kept in var/bench/search-<size>/. With `--keep`, the
databases stay after the run and a later run with `--keep` migrates and measures them again without re-populating
them (the 100,000 copies take a long time to write and index): for measuring a change of the search code alone.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (site language, query, extra facets): what people type, typing mistakes and all.
QUERIES = [
    ("fr", "école", ""),
    ("fr", "ecole", ""),
    ("fr", "budget participatif", ""),
    ("fr", "consultation des habitants", ""),
    ("fr", "consultatoin", ""),
    ("fr", "Schaarbeek", ""),
    ("fr", "délibération", ""),
    ("fr", "espace public", ""),
    ("fr", "jeunes", "&kind=initiative"),
    ("fr", "mobilité", "&commune=schaerbeek"),
    ("nl", "begroting", ""),
    ("nl", "burgerbegroting", ""),
    ("nl", "wijken", ""),
    ("nl", "Schaerbeek", ""),
    ("nl", "budget participatif", ""),
    ("nl", "burgerpanel", ""),
    ("nl", "mobiliteit", "&kind=initiative"),
    ("nl", "openbare ruimte", ""),
    ("en", "participatory budgeting", ""),
    ("en", "citizen panel", ""),
    ("en", "partcipation", ""),
    ("en", "school", ""),
    ("en", "public space", "&year=2024"),
    ("en", "youth", ""),
]
SUGGESTIONS = [("fr", "cons"), ("fr", "budg"), ("nl", "burg"), ("nl", "wijk"), ("en", "part"), ("en", "pan")]
SEARCH_PATH = {"fr": "/fr/recherche/", "nl": "/nl/zoeken/", "en": "/en/search/"}
SUGGEST_PATH = {"fr": "/fr/recherche/suggestions/", "nl": "/nl/zoeken/suggesties/", "en": "/en/search/suggestions/"}
PLAIN_PAGE = "/fr/a-propos/"


def populate(count, rebuild):
    """Migrate, load the demo content, add `count` copies of the demo initiatives (unless a kept database has them),
    rebuild the search index."""
    import django

    django.setup()
    from django.core.management import call_command

    from participation.initiatives.models import Initiative

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from participation.search.models import SearchDocument

    added = Initiative.objects.count() < count
    if added:
        content_populate(count)
    if added or rebuild or not SearchDocument.objects.exists():
        index_rebuild()


def index_rebuild():
    """The index rebuilt as `manage.py rebuild_search_index` does, timed."""
    from participation.search.services import search_index_rebuild

    started = time.perf_counter()
    documents = search_index_rebuild()
    seconds = time.perf_counter() - started
    print(
        f"  index rebuilt: {documents:,} documents in {seconds:.0f} s ({documents / seconds:,.0f} documents/s, "
        f"load {os.getloadavg()[0]:.1f})",
        flush=True,
    )


def content_populate(count):
    """The demo content (unless a kept database has it) and `count` copies of its initiatives."""
    from django.core.management import call_command
    from django.db import transaction

    from participation.initiatives.models import Initiative, InitiativeStep, InitiativeTranslation
    from participation.search.services import search_updates_paused

    started = time.perf_counter()
    if not Initiative.objects.exists():
        call_command("load_demo_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"  demo content loaded in {time.perf_counter() - started:.0f} s", flush=True)

    started = time.perf_counter()
    demo = list(
        Initiative.objects.published()
        .prefetch_related("translations", "steps", "communes", "themes", "methods", "audiences")
        .order_by("pk")
    )
    skip = {"id", "latest_revision", "live_revision", "import_reference", "created_at", "updated_at"}
    fields = [f.attname for f in Initiative._meta.concrete_fields if f.name not in skip]
    relations = ["communes", "themes", "methods", "audiences"]
    rng = random.Random(1)

    def copy_of(source):
        copy = Initiative(**{name: getattr(source, name) for name in fields})
        copy.latitude += Decimal(rng.randint(-500, 500)) / 100000  # a few hundred metres apart on the map
        return copy

    with transaction.atomic(), search_updates_paused():
        for first in range(0, count, 2000):
            sources = [demo[n % len(demo)] for n in range(first, min(first + 2000, count))]
            copies = Initiative.objects.bulk_create([copy_of(source) for source in sources])
            texts, steps = [], []
            links = {name: [] for name in relations}
            for number, (source, copy) in enumerate(zip(sources, copies, strict=True), start=first + 1):
                for text in source.translations.all():
                    texts.append(
                        InitiativeTranslation(
                            initiative=copy,
                            **{
                                name: getattr(text, name)
                                for name in ["language", "summary", *InitiativeTranslation.SECTION_FIELDS]
                            },
                            title=f"{text.title} ({number})",
                            slug=f"{text.slug[:100]}-{number}",
                        )
                    )
                steps += [InitiativeStep(initiative=copy, date=s.date, labels=s.labels) for s in source.steps.all()]
                for name in relations:
                    through = getattr(Initiative, name).through
                    column = f"{getattr(Initiative, name).field.m2m_reverse_field_name()}_id"
                    links[name] += [
                        through(initiative_id=copy.pk, **{column: term.pk}) for term in getattr(source, name).all()
                    ]
            InitiativeTranslation.objects.bulk_create(texts)
            InitiativeStep.objects.bulk_create(steps)
            for name, rows in links.items():
                getattr(Initiative, name).through.objects.bulk_create(rows)
    print(f"  {count:,} initiatives added in {time.perf_counter() - started:.0f} s", flush=True)


def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
        status = response.status
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return time.perf_counter() - started


def percentiles(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(base, repeat):
    """Every query `repeat` times, interleaved with the plain page and the static file (same load, same moment)."""
    series = {"search": [], "suggestions": [], "plain page": [], "static file": []}
    urls = [
        (language, f"{SEARCH_PATH[language]}?q={urllib.parse.quote(query)}{facets}")
        for language, query, facets in QUERIES
    ]
    for language, query in SUGGESTIONS:
        fetch(f"{base}{SUGGEST_PATH[language]}?q={query}")
    for _language, path in urls:
        fetch(base + path)  # warm-up: every query once
    for _ in range(repeat):
        for _language, path in urls:
            series["search"].append(fetch(base + path))
            series["plain page"].append(fetch(base + PLAIN_PAGE))
            series["static file"].append(fetch(f"{base}/static/css/main.css"))
        for language, query in SUGGESTIONS:
            series["suggestions"].append(fetch(f"{base}{SUGGEST_PATH[language]}?q={query}"))
    return {name: percentiles(times) for name, times in series.items()}


class Database:
    def __init__(self, kind, count):
        self.kind, self.count = kind, count
        if kind == "sqlite":
            self.workdir = ROOT / "var" / "bench" / f"search-{count}"
            self.workdir.mkdir(parents=True, exist_ok=True)
            self.url = f"sqlite:///{self.workdir / 'db.sqlite3'}"
        else:
            self.server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
            # BENCH_DATABASE_PREFIX: engineers sharing a server each drop only their own databases.
            self.name = f"{os.environ.get('BENCH_DATABASE_PREFIX', 'bench')}_search_{count}"
            self.url = f"{self.server}/{self.name}"

    def _admin(self, statement):
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def populated(self):
        """Whether a previous run kept this database with its initiatives (its index is built again if empty)."""
        query = "SELECT count(*) FROM initiatives_initiative"
        if self.kind == "sqlite":
            path = self.workdir / "db.sqlite3"
            if not path.exists():
                return False
            import sqlite3

            with sqlite3.connect(path) as connection:
                try:
                    return connection.execute(query).fetchone()[0] >= self.count
                except sqlite3.Error:
                    return False
        import psycopg

        try:
            with psycopg.connect(self.url) as connection:
                return connection.execute(query).fetchone()[0] >= self.count
        except psycopg.Error:
            return False

    def create(self):
        if self.kind == "sqlite":
            (self.workdir / "db.sqlite3").unlink(missing_ok=True)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.kind == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(kind, count, repeat, keep=False, rebuild=False):
    database = Database(kind, count)
    reuse = keep and database.populated()
    if not reuse:
        database.create()
    media = ROOT / "var" / "bench" / f"search-{kind}-{count}-media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database.url,
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
    }
    print(f"\n{kind}, demo content + {count:,} initiatives{' (kept database)' if reuse else ''}", flush=True)
    if reuse:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    populate = [sys.executable, __file__, "--populate", str(count)]
    subprocess.run(populate + (["--rebuild"] if rebuild else []), env=env, check=True)
    port = int(os.environ.get("BENCH_PORT", 8800 + count % 89)) + (0 if kind == "sqlite" else 1)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--timeout", "600", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        load_before = os.getloadavg()[0]
        results = measure(base, repeat)
        print(f"  machine load (1-minute average): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not keep:
            database.drop()
    plain = results["plain page"][0]
    print(f"  {'':14} {'p50':>9} {'p95':>9} {'p50 / plain page p50':>22}")
    for name, (p50, p95) in results.items():
        print(f"  {name:14} {p50 * 1000:>6.1f} ms {p95 * 1000:>6.1f} ms {p50 / plain:>21.2f}x")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the databases, and reuse those kept before")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index of kept databases (timed)")
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate is not None:
        return populate(args.populate, args.rebuild)
    print(f"{len(QUERIES)} queries and {len(SUGGESTIONS)} suggestions, {args.repeat} times; {os.cpu_count()} cores")
    summary = []
    for count in args.sizes:
        for kind in args.databases:
            results = run(kind, count, args.repeat, keep=args.keep, rebuild=args.rebuild)
            summary.append((kind, count, results))
    columns = ["search p50", "search p95", "plain p50", "static p50"]
    print(f"\n{'database':9} {'initiatives':>11} " + " ".join(f"{name:>11}" for name in columns))
    for kind, count, results in summary:
        (s50, s95), (p50, _), (f50, _) = results["search"], results["plain page"], results["static file"]
        figures = " ".join(f"{seconds * 1000:>8.1f} ms" for seconds in (s50, s95, p50, f50))
        print(f"{kind:9} {count:>11,} {figures}")


if __name__ == "__main__":
    main()
