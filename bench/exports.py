"""Benchmark of the open exports of the initiatives (GeoJSON and CSV, streamed) at several catalogue sizes, side by
side: time to the first byte, total time, size, and peak memory while the file is written.

For each size (10,000 and 100,000 initiatives by default: the demo content plus the synthetic initiatives of
bench/performance.py), each export runs in a fresh process that reads the whole response piece by piece, as a client
would, and reports:
- the growth of the process's peak resident memory (RSS, `ru_maxrss`) during the export, over a warm-up export of a
  small selection (the baseline: Django, the code and the caches loaded);
- in a second fresh process, the peak of Python's own allocations during the export (tracemalloc), which is slower
  and so is not timed.

Run:  .venv/bin/python bench/exports.py [--sizes 10000 100000] [--demo PATH]
Uses SQLite databases in var/bench/exports/ (the demo content is loaded once, or copied from --demo).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import performance  # noqa: E402

WORKDIR = ROOT / "var" / "bench" / "exports"
FORMATS = ("geojson", "csv")


def _env(database):
    return {**performance._env(database, page_cache=False), "BENCH_EXPORTS_WORKDIR": str(WORKDIR)}


def measure(export_format, traced):
    """In this process: one export of every initiative, read piece by piece; prints a JSON line."""
    performance._setup()
    from django.test import Client

    from participation.initiatives.models import InitiativeIndexPage

    client = Client(HTTP_HOST="127.0.0.1")
    base = InitiativeIndexPage.objects.live().filter(locale__language_code="fr").first().url
    url = f"{base}export/{export_format}/"

    def read(address):
        started = time.perf_counter()
        first = None
        size = 0
        for piece in client.get(address).streaming_content:
            if first is None:
                first = time.perf_counter() - started
            size += len(piece)
        return first, time.perf_counter() - started, size

    read(f"{url}?commune=evere")  # warm-up: code, caches, a few rows
    if traced:
        import tracemalloc

        tracemalloc.start()
        read(url)
        _current, peak = tracemalloc.get_traced_memory()
        print(json.dumps({"traced_peak": peak}))
        return
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    first, total, size = read(url)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"first_byte": first, "seconds": total, "bytes": size, "rss_growth": peak - baseline}))


def _run(database, export_format, traced):
    command = [sys.executable, __file__, "--measure", export_format] + (["--traced"] if traced else [])
    output = subprocess.run(command, env=_env(database), check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--demo", type=Path, help="a database with the demo content to start from")
    parser.add_argument("--measure", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure, args.traced)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    demo = WORKDIR / "demo.sqlite3"
    if args.demo:
        shutil.copyfile(args.demo, demo)
    elif not demo.exists():
        performance.WORKDIR.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, performance.__file__, "--populate-demo"]
        subprocess.run(command, env=performance._env(demo, False), check=True)
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; SQLite; in-process client")
    results = {}
    for size in args.sizes:
        database = WORKDIR / f"{size}.sqlite3"
        shutil.copyfile(demo, database)
        command = [sys.executable, performance.__file__, "--populate", str(size)]
        subprocess.run(command, env=performance._env(database, False), check=True)
        for export_format in FORMATS:
            results[size, export_format] = {
                **_run(database, export_format, False),
                **_run(database, export_format, True),
            }
            print(f"{size:,} {export_format}: {results[size, export_format]}", flush=True)
    mb = 1024 * 1024
    print(
        f"\n{'export':8} {'initiatives':>12} {'size':>10} {'first byte':>11} {'time':>8} "
        f"{'RSS growth':>11} {'Python peak':>12}"
    )
    for (size, export_format), row in results.items():
        print(
            f"{export_format:8} {size:>12,} {row['bytes'] / mb:>7.1f} MB {row['first_byte'] * 1000:>8.0f} ms "
            f"{row['seconds']:>6.1f} s {row['rss_growth'] / mb:>8.1f} MB {row['traced_peak'] / mb:>9.1f} MB"
        )
    if len(args.sizes) > 1:
        small, large = args.sizes[0], args.sizes[-1]
        for export_format in FORMATS:
            a, b = results[small, export_format], results[large, export_format]
            print(
                f"{export_format}: {large:,} / {small:,} initiatives → size ×{b['bytes'] / a['bytes']:.1f}, "
                f"time ×{b['seconds'] / a['seconds']:.1f}, Python peak ×{b['traced_peak'] / a['traced_peak']:.2f}"
            )


if __name__ == "__main__":
    main()
