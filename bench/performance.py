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
3. For each size, in one process without HTTP (less sensitive to the machine's load): the server time of each map
   data request (the whole view through Django's middleware, the page cache off) and the time of the map's queries
   alone (the selector `initiative_map_data`, its filters built), median of 4 times `--repeat` runs; the time of the
   job that computes the kept cells again; with `--explain`, the query plans of the grouping.

Run:  .venv/bin/python bench/performance.py [--sizes 1000 10000 100000] [--repeat 5] [--seconds 5] [--port 8114]
      [--postgres postgres://postgres@127.0.0.1:5432/NAME] [--explain] [--map-only | --lists-only] [--keep-sizes]
Needs wrk (apt-get install wrk). Uses its own SQLite databases in var/bench/performance/, or with `--postgres` the
PostgreSQL database named (dropped and created again: give one of its own), filled size after size.
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
# Every map data request timed in one process: the views of a 1280 × 800 screen over the Region from zoom 11 to 18.
MAP_REQUESTS = {
    "the Region (zoom 12)": REGION,
    "the Region, filtered (zoom 12)": f"{REGION}&theme=mobility&status=finished",
    "the Region, one status (zoom 12)": f"{REGION}&status=ongoing",
    "the Region, one theme (zoom 12)": f"{REGION}&theme=mobility",
    "the Region (zoom 13)": "bbox=4.240723,50.781250,4.482422,50.913086&zoom=13",
    "a district (zoom 15)": DISTRICT,
    "a district, filtered (zoom 15)": f"{DISTRICT}&theme=mobility&status=finished",
    "streets (zoom 17)": "bbox=4.371185,50.859299,4.385605,50.868225&zoom=17",
    "closest (zoom 18)": "bbox=4.374619,50.861572,4.381828,50.866032&zoom=18",
    "no view (a script)": "",
}


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
    from django.db import connection, transaction

    from participation.core import models as vocabularies
    from participation.initiatives.models import Initiative, InitiativeTranslation
    from participation.initiatives.services import map_cells_outdate, map_cells_rebuild

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
        # Written without signals: the map's kept cells of the whole catalogue are computed again (as a job would).
        map_cells_outdate()
    map_cells_rebuild()
    if connection.vendor == "postgresql":
        # The planner's statistics and the visibility map, as autovacuum keeps them on a live database (without them
        # PostgreSQL estimated one row where the view held 100,000 and chose nested loops for the filters).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def time_map(map_path, repeat, explain):
    """Print the server time and the database time of each map data request (medians, in one process) as JSON."""
    _setup()
    from django.db import connection
    from django.db.models import F
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from participation.initiatives import selectors

    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST="127.0.0.1")
    results = {}
    for name, query in MAP_REQUESTS.items():
        url = f"{map_path}markers/?{query}"
        response = client.get(url)
        assert response.status_code == 200, url
        server = []
        for _ in range(repeat * 4):
            started = time.perf_counter()
            client.get(url)
            server.append(time.perf_counter() - started)
        params = QueryDict(query)
        with translation.override("fr"):
            filters, keywords, initiatives = selectors.initiative_selection(params=params)
            view = selectors.MapView.from_params(params)
            kept = selectors.map_kept_selection(filters=filters, query=keywords)
            database = []
            for _ in range(repeat * 4):
                started = time.perf_counter()
                data = selectors.initiative_map_data(
                    initiatives=initiatives, view=view, language="fr", kept_selection=kept
                )
                database.append(time.perf_counter() - started)
        results[name] = {
            "size": len(response.content),
            "server": statistics.median(server),
            "database": statistics.median(database),
            "total": data.total,
            "items": len(data.markers) + len(data.clusters),
        }
        if explain and name in ("the Region (zoom 12)", "the Region, filtered (zoom 12)", "streets (zoom 17)"):
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            # The grouping of the initiatives, or the reading of the kept cells.
            sqls = [query["sql"] for query in queries.captured_queries]
            grouping = next(sql for sql in sqls if "GROUP BY" in sql or '"initiatives_mapcell"' in sql)
            prefix = "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
            with connection.cursor() as cursor:
                cursor.execute(f"{prefix} {grouping}")
                plan = "\n".join(" ".join(str(column) for column in row) for row in cursor.fetchall())
            print(f"-- {connection.vendor}, {name}:\n{grouping}\n{plan}\n", file=sys.stderr)
    from participation.initiatives.models import MapCellsVersion
    from participation.initiatives.services import map_cells_rebuild

    started = time.perf_counter()
    MapCellsVersion.objects.update(changed=F("changed") + 1)
    map_cells_rebuild()
    results["the job computing the kept cells again"] = {"server": time.perf_counter() - started}
    print(json.dumps(results))


def measure_map(url, size, map_path, repeat, explain):
    """The map data requests timed without HTTP, in one process (`time_map`), printed as a table."""
    command = [sys.executable, __file__, "--time-map", map_path, "--repeat", str(repeat)]
    output = subprocess.run(
        command + (["--explain"] if explain else []), env=_env(url, False), check=True, capture_output=True, text=True
    )
    sys.stderr.write(output.stderr)
    results = json.loads(output.stdout)
    print(f"\n{size:,} initiatives: each map data request in one process (median of {repeat * 4}, page cache off)")
    print(f"{'request':34} {'size (gzip)':>12} {'in view':>8} {'items':>6} {'server time':>12} {'queries':>10}")
    rebuild = results.pop("the job computing the kept cells again")
    for name, row in results.items():
        print(
            f"{name:34} {row['size']:>10,} B {row['total']:>8,} {row['items']:>6,} "
            f"{row['server'] * 1000:>9.1f} ms {row['database'] * 1000:>7.1f} ms"
        )
    print(f"the job computing the kept cells of the whole catalogue again: {rebuild['server'] * 1000:.0f} ms")
    return results


def _env(database, page_cache):
    """The benchmark server's environment; `database` is a SQLite file or a database URL."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database if isinstance(database, str) else f"sqlite:///{database}",
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


def measure_pages(url, pages, seconds, first_port):
    """Requests per second of each page with and without the page cache, against the static file each time."""
    rows = []
    for page_cache, port in ((True, first_port), (False, first_port + 1)):
        with server(url, page_cache=page_cache, port=port, workers=3) as base:
            static = requests_per_second(base + STATIC_FILE, seconds)
            for name, path in pages.items():
                fetch(base + path)
                rps = requests_per_second(base + path, seconds)
                rows.append((name, "cached" if page_cache else "not cached", rps, static))
    print(f"\n{'page':22} {'page cache':>11} {'requests/s':>11} {'static file':>12} {'share':>7}")
    for name, state, rps, static in rows:
        print(f"{name:22} {state:>11} {rps:>11.0f} {static:>12.0f} {rps / static:>7.1%}")
    return rows


def list_cursor(url, position):
    """The cursor that the list beside the map gives to reach the initiatives after the `position`-th (newest first,
    no start date last), as its "next page" link writes it."""
    query = (
        "SELECT start_date, id FROM initiatives_initiative WHERE live"
        " ORDER BY start_date IS NULL, start_date DESC, id DESC LIMIT 1 OFFSET {}"
    )
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as connection:
            start_date, pk = connection.execute(query.format("%s"), (position,)).fetchone()
    else:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            start_date, pk = connection.execute(query.format("?"), (position,)).fetchone()
    return f"{start_date or 'none'}_{pk}"


def measure_data(url, size, map_path, repeat, first_port, only=None):
    """(name, path, repeat, page cache) rows: each against a static file of the same size from the same server;
    `only` "map" or "lists" keeps the map data or the lists."""
    far = list_cursor(url, size // 2)
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
    if only == "map":
        endpoints = [endpoint for endpoint in endpoints if endpoint[0].startswith("map data")]
    elif only == "lists":
        endpoints = [endpoint for endpoint in endpoints if endpoint[0].startswith("list") or endpoint[0] in lists]
    rows = []
    static_root = WORKDIR / "static"
    for page_cache, port in ((False, first_port + 2), (True, first_port + 3)):
        with server(url, page_cache=page_cache, port=port, workers=1) as base:
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


def measure_first_view(database, map_path, port):
    """The map page's first view in Chromium (412 by 823 pixels, Lighthouse's phone), served as production serves it
    behind its proxy (BENCH_BEHIND_PROXY: static files compressed and cache-busted, HTML gzipped), without the page
    cache: every request and the bytes it transferred (headers and compressed body), map tiles excluded."""
    from playwright.sync_api import sync_playwright

    os.environ["BENCH_BEHIND_PROXY"] = "1"
    try:
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=ROOT, env=_env(database, False), check=True)
        with server(database, page_cache=False, port=port, workers=1) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
            page = browser.new_page(viewport={"width": 412, "height": 823})
            # The tiles come from the tile server, not from the platform: left out (and offline here).
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            finished = []
            page.on("requestfinished", lambda request: finished.append(request))
            page.goto(base + map_path, wait_until="networkidle")
            page.wait_for_selector("#initiative-map.map--ready")
            rows = [(request.url.removeprefix(base), request.sizes()) for request in finished]
            browser.close()
    finally:
        del os.environ["BENCH_BEHIND_PROXY"]
    print(f"\nThe map page's first view ({map_path}, 412 px wide, tiles excluded):")
    for path, sizes in rows:
        print(f"{sizes['responseBodySize'] + sizes['responseHeadersSize']:>9,} B  {path[:100]}")
    total = sum(sizes["responseBodySize"] + sizes["responseHeadersSize"] for _path, sizes in rows)
    print(f"{total:>9,} B  in all, {len(rows)} requests")
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5, help="length of each requests-per-second measure")
    parser.add_argument("--skip-pages", action="store_true", help="only the sizes (map data, lists, exports)")
    parser.add_argument("--keep-demo", action="store_true", help="reuse the demo database of the previous run")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--map-only", action="store_const", dest="only", const="map", help="at each size, the map data")
    only.add_argument("--lists-only", action="store_const", dest="only", const="lists", help="at each size, the lists")
    parser.add_argument("--keep-sizes", action="store_true", help="reuse the SQLite databases of each size")
    parser.add_argument("--first-view", action="store_true", help="and the map page's first view at the last size")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database of its own instead of SQLite")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the map's grouping")
    parser.add_argument("--port", type=int, default=8114, help="the first of five ports for its servers")
    parser.add_argument("--populate-demo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--time-map", metavar="MAP_PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate_demo:
        return populate_demo()
    if args.populate:
        return populate_initiatives(args.populate)
    if args.time_map:
        return time_map(args.time_map, args.repeat, args.explain)
    if not args.skip_pages and not shutil.which("wrk"):
        sys.exit("wrk is needed to count requests per second: apt-get install wrk")
    WORKDIR.mkdir(parents=True, exist_ok=True)
    demo = WORKDIR / "demo.sqlite3"
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {engine}; gunicorn", flush=True)
    if args.postgres:
        _recreate_postgres(args.postgres)
        demo_url = args.postgres
    else:
        demo_url = f"sqlite:///{demo}"
    if args.postgres or not (args.keep_demo and demo.exists()):
        started = time.perf_counter()
        if not args.postgres:
            demo.unlink(missing_ok=True)
        subprocess.run([sys.executable, __file__, "--populate-demo"], env=_env(demo_url, False), check=True)
        print(f"demo content loaded in {time.perf_counter() - started:.0f} s", flush=True)
    pages = json.loads((WORKDIR / "pages.json").read_text())
    if not args.skip_pages:
        measure_pages(demo_url, pages, args.seconds, args.port)
    for size in sorted(args.sizes):
        if args.postgres:
            url = args.postgres  # one database, filled up to each size in turn
        else:
            url = f"sqlite:///{WORKDIR / f'{size}.sqlite3'}"
            if not (args.keep_sizes and (WORKDIR / f"{size}.sqlite3").exists()):
                shutil.copyfile(demo, WORKDIR / f"{size}.sqlite3")
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--populate", str(size)], env=_env(url, False), check=True)
        print(f"\n{size:,} initiatives ready in {time.perf_counter() - started:.0f} s", flush=True)
        if args.only != "lists":
            measure_map(url, size, pages["map page"], args.repeat, args.explain)
        measure_data(url, size, pages["map page"], args.repeat, args.port, args.only)
        print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.first_view:
        measure_first_view(url, pages["map page"], args.port + 4)


def _recreate_postgres(url):
    """Drop and create the benchmark's PostgreSQL database (through the server's `postgres` database)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
