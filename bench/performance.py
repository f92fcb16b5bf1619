"""Benchmark of the public site at several catalogue sizes, every figure side by side with a static file served by the
same server in the same run.

1. Pages (demo content): the home page, a sheet, an article, the map page and a filtered map page, served by
   gunicorn with 3 workers (as `make serve-production`) to 8 concurrent clients with keep-alive (wrk), once with the
   page cache and once without; each page's requests per second as a share of the static file's (main.css).
2. For each size (1,000 / 10,000 / 100,000 initiatives by default: the demo content plus synthetic ones spread over
   the Region), without the page cache (the work itself): the map data of the whole Region, of a district zoomed in
   and filtered, the list beside the map (filtered; a far page, reached by its cursor, with and without filters),
   the other lists (toolbox, articles, events, providers), the GeoJSON and CSV exports: median time of sequential
   requests and size (gzip where the browser asks for it), and the time of a static file of exactly the same size
   served by the same server (ratio = dynamic / static); and the map data of the Region once kept by the page cache
   (the map asks for views aligned on its grid, the same address for everyone).

Run:  .venv/bin/python bench/performance.py [--sizes 1000 10000 100000] [--repeat 5] [--seconds 5] [--port 8114]
Needs wrk (apt-get install wrk). Uses its own SQLite databases in var/bench/performance/.
"""

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = ROOT / "var" / "bench" / "performance"
STATIC_FILE = "/static/css/main.css"
# The Region and a district (Schaerbeek) as the map asks for them: bounding boxes widened to its grid cells.
REGION = "bbox=4.218750,50.756836,4.504395,50.932617&zoom=12"
DISTRICT = "bbox=4.358826,50.847473,4.400024,50.880432&zoom=15"


def _setup():
    import django

    django.setup()


def populate_demo():
    """Migrate, collect the static files and load the demo content; write the addresses of the pages measured."""
    _setup()
    from django.core.management import call_command

    from participation.articles.models import ArticleIndexPage, ArticlePage
    from participation.initiatives.models import InitiativeIndexPage
    from participation.network.models import NetworkPage
    from participation.providers.models import PurchasingCentrePage
    from participation.toolbox.models import ToolboxIndexPage, ToolboxSheetPage

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    def french(model):
        return model.objects.live().filter(locale__language_code="fr").order_by("pk").first()

    pages = {
        "home page": "/fr/",
        "sheet": french(ToolboxSheetPage).url,
        "article": french(ArticlePage).url,
        "map page": french(InitiativeIndexPage).url,
    }
    pages["filtered map page"] = f"{pages['map page']}?theme=mobility&status=finished"
    lists = {
        "toolbox, filtered": f"{french(ToolboxIndexPage).url}?theme=mobility",
        "articles": french(ArticleIndexPage).url,
        "events": french(NetworkPage).route_url("calendar"),
        "providers, filtered": f"{french(PurchasingCentrePage).route_url('directory')}?commune=ixelles",
    }
    (WORKDIR / "pages.json").write_text(json.dumps(pages))
    (WORKDIR / "lists.json").write_text(json.dumps(lists))


def populate_initiatives(count):
    """Add synthetic published initiatives (French and Dutch texts, a commune, two themes) up to `count` in all."""
    import datetime
    from decimal import Decimal

    _setup()
    from django.db import transaction

    from participation.core import models as vocabularies
    from participation.initiatives.models import Initiative, InitiativeTranslation

    missing = count - Initiative.objects.count()
    if missing <= 0:
        return
    rng = random.Random(count)

    def terms(model):
        return list(model.objects.filter(locale__language_code="fr"))

    communes, themes = terms(vocabularies.Commune), terms(vocabularies.Theme)
    levels, formats = terms(vocabularies.ParticipationLevel), terms(vocabularies.Format)
    with transaction.atomic():
        created = Initiative.objects.bulk_create(
            [
                Initiative(
                    original_language="fr",
                    organisers=f"Commune {n}",
                    organiser_scope="municipal",
                    status=rng.choice(["planned", "ongoing", "finished"]),
                    latitude=Decimal(f"{rng.uniform(50.78, 50.90):.6f}"),
                    longitude=Decimal(f"{rng.uniform(4.27, 4.45):.6f}"),
                    participation_level=rng.choice(levels),
                    format=rng.choice(formats),
                    start_date=datetime.date(rng.randint(2019, 2026), rng.randint(1, 12), 1),
                    process_languages=["fr", "nl"],
                    last_verified=datetime.date(2026, 1, 1),
                    live=True,
                )
                for n in range(missing)
            ],
            batch_size=2000,
        )
        ids = [initiative.pk for initiative in created]
        texts = []
        for pk in ids:
            texts.append(
                InitiativeTranslation(
                    initiative_id=pk,
                    language="fr",
                    title=f"Initiative participative numéro {pk} dans un quartier",
                    slug=f"initiative-{pk}",
                    summary="Un résumé de deux phrases qui décrit l'initiative. " * 2,
                )
            )
            texts.append(
                InitiativeTranslation(
                    initiative_id=pk,
                    language="nl",
                    title=f"Participatief initiatief nummer {pk} in een wijk",
                    slug=f"initiatief-{pk}",
                    summary="Een samenvatting van twee zinnen. " * 2,
                )
            )
        InitiativeTranslation.objects.bulk_create(texts, batch_size=4000)
        commune_links, theme_links = Initiative.communes.through, Initiative.themes.through
        commune_links.objects.bulk_create(
            [commune_links(initiative_id=pk, commune_id=rng.choice(communes).pk) for pk in ids], batch_size=5000
        )
        theme_links.objects.bulk_create(
            [theme_links(initiative_id=pk, theme_id=theme.pk) for pk in ids for theme in rng.sample(themes, 2)],
            batch_size=5000,
        )


def _env(database, page_cache):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(WORKDIR / "static"),
        "MEDIA_ROOT": str(WORKDIR / "media"),
        "PAGE_CACHE_SECONDS": "600" if page_cache else "0",
        "PAGE_CACHE_DIR": str(WORKDIR / "page-cache"),
    }


@contextmanager
def server(database, *, page_cache, port, workers):
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", "600", "--no-control-socket"]
    shutil.rmtree(WORKDIR / "page-cache", ignore_errors=True)
    process = subprocess.Popen(
        command, cwd=ROOT, env=_env(database, page_cache), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def requests_per_second(url, seconds):
    """wrk: 2 threads, 8 connections with keep-alive, `seconds` long (a request may take up to 30 s)."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors[1]} failed responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])


def fetch(url, gzip=False):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - started, len(body)


def median_time(url, repeat, gzip=False):
    fetch(url, gzip)  # warm-up
    runs = [fetch(url, gzip) for _ in range(repeat)]
    return statistics.median(seconds for seconds, _size in runs), runs[0][1]


def measure_pages(database, pages, seconds, port):
    """Requests per second of each page with and without the page cache, against the static file each time."""
    rows = []
    for page_cache, server_port in ((True, port), (False, port + 1)):
        with server(database, page_cache=page_cache, port=server_port, workers=3) as base:
            static = requests_per_second(base + STATIC_FILE, seconds)
            for name, path in pages.items():
                fetch(base + path)
                rps = requests_per_second(base + path, seconds)
                rows.append((name, "cached" if page_cache else "not cached", rps, static))
    print(f"\n{'page':22} {'page cache':>11} {'requests/s':>11} {'static file':>12} {'share':>7}")
    for name, state, rps, static in rows:
        print(f"{name:22} {state:>11} {rps:>11.0f} {static:>12.0f} {rps / static:>7.1%}")
    return rows


def list_cursor(database, position):
    """The cursor that the list beside the map gives to reach the initiatives after the `position`-th (newest first,
    no start date last), as its "next page" link writes it."""
    with sqlite3.connect(database) as connection:
        start_date, pk = connection.execute(
            "SELECT start_date, id FROM initiatives_initiative WHERE live"
            " ORDER BY start_date IS NULL, start_date DESC, id DESC LIMIT 1 OFFSET ?",
            (position,),
        ).fetchone()
    return f"{start_date or 'none'}_{pk}"


def measure_data(database, size, map_path, repeat, port, lists_only=False):
    """(name, path, repeat, page cache) rows: each against a static file of the same size from the same server."""
    far = list_cursor(database, size // 2)
    lists = json.loads((WORKDIR / "lists.json").read_text())
    endpoints = [
        ("map data, the Region", f"{map_path}markers/?{REGION}", repeat, False),
        ("map data, a district", f"{map_path}markers/?{DISTRICT}", repeat, False),
        ("map data, filtered", f"{map_path}markers/?{REGION}&theme=mobility&status=finished", repeat, False),
        ("map data, kept", f"{map_path}markers/?{REGION}", repeat, True),
        ("list, filtered", f"{map_path}?theme=mobility&status=finished", repeat, False),
        ("list, far page", f"{map_path}?after={far}", repeat, False),
        ("list, filtered, far page", f"{map_path}?theme=mobility&status=finished&after={far}", repeat, False),
        *((name, path, repeat, False) for name, path in lists.items()),
        ("GeoJSON export", f"{map_path}export/geojson/", 1, False),
        ("CSV export", f"{map_path}export/csv/", 1, False),
    ]
    if lists_only:
        endpoints = [endpoint for endpoint in endpoints if endpoint[0].startswith("list") or endpoint[0] in lists]
    rows = []
    static_root = WORKDIR / "static"
    for page_cache, server_port in ((False, port + 2), (True, port + 3)):
        with server(database, page_cache=page_cache, port=server_port, workers=1) as base:
            for number, (name, path, times, cached) in enumerate(endpoints):
                if cached != page_cache:
                    continue
                seconds, size_bytes = median_time(base + path, times, gzip=True)
                static_name = f"bench-{size}-{number}.bin"
                (static_root / static_name).write_bytes(random.Random(size_bytes).randbytes(size_bytes))
                static_seconds, static_size = median_time(f"{base}/static/{static_name}", max(times, 3))
                assert static_size == size_bytes
                rows.append((name, size_bytes, seconds, static_seconds))
    print(f"\n{size:,} initiatives")
    print(f"{'endpoint':26} {'size (gzip)':>12} {'time':>10} {'static same size':>17} {'ratio':>7}")
    for name, size_bytes, seconds, static_seconds in rows:
        times = f"{seconds * 1000:>7.1f} ms {static_seconds * 1000:>14.1f} ms"
        print(f"{name:26} {size_bytes:>10,} B {times} {seconds / static_seconds:>6.1f}x")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5, help="length of each requests-per-second measure")
    parser.add_argument("--skip-pages", action="store_true", help="only the sizes (map data, lists, exports)")
    parser.add_argument("--keep-demo", action="store_true", help="reuse the demo database of the previous run")
    parser.add_argument("--keep-sizes", action="store_true", help="reuse the databases of each size if they exist")
    parser.add_argument("--port", type=int, default=8114, help="the first of the four ports the servers use")
    parser.add_argument("--lists-only", action="store_true", help="at each size, only the list pages")
    parser.add_argument("--populate-demo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate_demo:
        return populate_demo()
    if args.populate:
        return populate_initiatives(args.populate)
    if not args.skip_pages and not shutil.which("wrk"):
        sys.exit("wrk is needed to count requests per second: apt-get install wrk")
    WORKDIR.mkdir(parents=True, exist_ok=True)
    demo = WORKDIR / "demo.sqlite3"
    print(f"{os.cpu_count()} cores; SQLite; gunicorn; the static file is {STATIC_FILE}", flush=True)
    if not (args.keep_demo and demo.exists()):
        started = time.perf_counter()
        demo.unlink(missing_ok=True)
        subprocess.run([sys.executable, __file__, "--populate-demo"], env=_env(demo, False), check=True)
        print(f"demo content loaded in {time.perf_counter() - started:.0f} s", flush=True)
    pages = json.loads((WORKDIR / "pages.json").read_text())
    if not args.skip_pages:
        measure_pages(demo, pages, args.seconds, args.port)
    for size in args.sizes:
        database = WORKDIR / f"{size}.sqlite3"
        if not (args.keep_sizes and database.exists()):
            shutil.copyfile(demo, database)
            started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--populate", str(size)], env=_env(database, False), check=True)
            print(f"\n{size:,} initiatives ready in {time.perf_counter() - started:.0f} s", flush=True)
        measure_data(database, size, pages["map page"], args.repeat, args.port, args.lists_only)


if __name__ == "__main__":
    main()
