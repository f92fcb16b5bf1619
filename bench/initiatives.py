"""Benchmark of the map of initiatives with 10,000 and 100,000 synthetic initiatives.

For the map data (markers), the filtered list page and the GeoJSON and CSV exports, it reports the median time of
several requests and the size of the response, side by side with a static file of exactly the same size served by the
same server (WhiteNoise in the same gunicorn process): the ratio says how much the dynamic work costs over shipping
the bytes. Run:  .venv/bin/python bench/initiatives.py [--sizes 10000 100000] [--repeat 5]

Uses its own SQLite database in var/bench/<size>/ and gunicorn with one worker.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENDPOINTS = {
    "map data (markers, gzip)": ("markers/", True),
    "filtered list page": ("?theme=mobility&status=finished", False),
    "GeoJSON export": ("export/geojson/", False),
    "CSV export": ("export/csv/", False),
}


def populate(count, workdir):
    """A migrated database with the site, the map page and `count` synthetic initiatives (bulk inserts)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    script = f"""
import random, datetime
from decimal import Decimal
from django.conf import settings
from participation.core import models as v
from participation.core.services import page_create, site_homes_ensure
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation
homes = site_homes_ensure(fields_by_language={{c: {{"title": c, "intro": "<p>x</p>", "entry_points_heading": "x", "featured_heading": "x"}} for c in ("fr", "nl", "en")}})
if not InitiativeIndexPage.objects.exists():
    page_create(parent=homes["fr"], page=InitiativeIndexPage(title="Initiatives", slug="initiatives", lead="Bench"))
rng = random.Random(1)
terms = lambda m: list(m.objects.filter(locale__language_code="fr"))
communes, themes, levels, formats = terms(v.Commune), terms(v.Theme), terms(v.ParticipationLevel), terms(v.Format)
batch = []
for n in range({count}):
    batch.append(Initiative(original_language="fr", organisers=f"Commune {{n}}", organiser_scope="municipal", status=rng.choice(["planned", "ongoing", "finished"]),
        latitude=Decimal(f"{{rng.uniform(50.78, 50.90):.6f}}"), longitude=Decimal(f"{{rng.uniform(4.27, 4.45):.6f}}"),
        participation_level=rng.choice(levels), format=rng.choice(formats), start_date=datetime.date(rng.randint(2019, 2026), rng.randint(1, 12), 1),
        process_languages=["fr", "nl"], last_verified=datetime.date(2026, 1, 1)))
Initiative.objects.bulk_create(batch, batch_size=2000)
ids = list(Initiative.objects.values_list("pk", flat=True))
texts = []
for pk in ids:
    texts.append(InitiativeTranslation(initiative_id=pk, language="fr", title=f"Initiative participative numéro {{pk}} dans un quartier", slug=f"initiative-{{pk}}", summary="Un résumé de deux phrases qui décrit l'initiative. " * 2))
    texts.append(InitiativeTranslation(initiative_id=pk, language="nl", title=f"Participatief initiatief nummer {{pk}} in een wijk", slug=f"initiatief-{{pk}}", summary="Een samenvatting van twee zinnen. " * 2))
InitiativeTranslation.objects.bulk_create(texts, batch_size=4000)
C = Initiative.communes.through; T = Initiative.themes.through
C.objects.bulk_create([C(initiative_id=pk, commune_id=rng.choice(communes).pk) for pk in ids], batch_size=5000)
T.objects.bulk_create([T(initiative_id=pk, theme_id=t.pk) for pk in ids for t in rng.sample(themes, 2)], batch_size=5000)
print(Initiative.objects.count())
"""
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)
    return env


def fetch(url, gzip):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - started, len(body)


def measure(url, gzip, repeat):
    fetch(url, gzip)  # warm-up
    runs = [fetch(url, gzip) for _ in range(repeat)]
    return statistics.median(t for t, _size in runs), runs[0][1]


def run(count, repeat):
    workdir = ROOT / "var" / "bench" / str(count)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "db.sqlite3").unlink(missing_ok=True)
    started = time.perf_counter()
    env = populate(count, workdir)
    print(f"\n{count:,} initiatives generated in {time.perf_counter() - started:.0f} s")
    static_root = workdir / "static"
    static_root.mkdir(exist_ok=True)
    env = {**env, "STATIC_ROOT": str(static_root)}
    port = 8700 + count % 97
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "600",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        print(f"{'endpoint':28} {'size':>12} {'time':>9} {'static same size':>17} {'ratio':>7}")
        for name, (path, gzip) in ENDPOINTS.items():
            seconds, size = measure(f"{base}/fr/initiatives/{path}", gzip, repeat)
            static_name = f"bench-{abs(hash(name))}.bin"
            (static_root / static_name).write_bytes(random.Random(size).randbytes(size))
            static_seconds, static_size = measure(f"{base}/static/{static_name}", False, repeat)
            assert static_size == size
            print(
                f"{name:28} {size:>10,} B {seconds * 1000:>7.0f} ms {static_seconds * 1000:>14.1f} ms {seconds / static_seconds:>7.0f}x"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for count in args.sizes:
        run(count, args.repeat)


if __name__ == "__main__":
    main()
