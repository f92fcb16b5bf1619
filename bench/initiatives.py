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


def populate(count):
    """Migrate the database named by DATABASE_URL and fill it with `count` synthetic initiatives (bulk inserts)."""
    import datetime
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command

    from participation.core import models as vocabularies
    from participation.core.services import page_create, site_homes_ensure
    from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation

    call_command("migrate", "--noinput", verbosity=0)
    home_fields = {"intro": "<p>Bench</p>", "entry_points_heading": "Bench", "featured_heading": "Bench"}
    homes = site_homes_ensure(fields_by_language={code: {"title": code, **home_fields} for code in ("fr", "nl", "en")})
    page_create(parent=homes["fr"], page=InitiativeIndexPage(title="Initiatives", slug="initiatives", lead="Bench"))
    rng = random.Random(1)

    def terms(model):
        return list(model.objects.filter(locale__language_code="fr"))

    communes, themes = terms(vocabularies.Commune), terms(vocabularies.Theme)
    levels, formats = terms(vocabularies.ParticipationLevel), terms(vocabularies.Format)
    Initiative.objects.bulk_create(
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
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    ids = list(Initiative.objects.values_list("pk", flat=True))
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
    static_root = workdir / "static"
    static_root.mkdir(parents=True, exist_ok=True)
    (workdir / "db.sqlite3").unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "STATIC_ROOT": str(static_root),
    }
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--populate", str(count)], env=env, check=True)
    print(f"\n{count:,} initiatives generated in {time.perf_counter() - started:.0f} s")
    port = 8700 + count % 97
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--timeout", "600", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        print(f"{'endpoint':28} {'size':>12} {'time':>9} {'static same size':>17} {'ratio':>7}")
        for number, (name, (path, gzip)) in enumerate(ENDPOINTS.items()):
            seconds, size = measure(f"{base}/fr/initiatives/{path}", gzip, repeat)
            static_name = f"bench-{number}.bin"
            (static_root / static_name).write_bytes(random.Random(size).randbytes(size))
            static_seconds, static_size = measure(f"{base}/static/{static_name}", False, repeat)
            assert static_size == size
            ratio = seconds / static_seconds
            print(f"{name:28} {size:>10,} B {seconds * 1000:>7.0f} ms {static_seconds * 1000:>14.1f} ms {ratio:>7.0f}x")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        return populate(args.populate)
    for count in args.sizes:
        run(count, args.repeat)


if __name__ == "__main__":
    main()
