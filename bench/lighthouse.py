"""Lighthouse performance scores (mobile emulation, Lighthouse's default throttling) of the home page, the map, a
sheet and an article with its photograph, against a local production-like server with the demo content.

The demo database is bench/performance.py's (var/bench/performance/demo.sqlite3, built when missing), with the
browser tests' photographs added (a large landscape JPEG as the article's hero image and on the initiative), so that
the pages that show photographs are measured with them. The server is gunicorn with the benchmark settings (no
debug, WhiteNoise's compressed and cache-busted static files cached for a year) with the page cache on and HTML
compressed as production's proxy does (BENCH_BEHIND_PROXY in bench/settings.py); each page is asked once before
Lighthouse loads it, so that it comes from the page cache as a visited page does.

Run:  .venv/bin/python bench/lighthouse.py [--port 8140] [--runs 1] [--keep-demo]
Needs Chromium (/usr/bin/chromium, or CHROME_PATH) and Lighthouse from package.json (npm ci).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.performance import WORKDIR, _env, server  # noqa: E402
from tests.snapshots import PHOTOS_SCRIPT  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
METRICS = [
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
]
PAGES_SCRIPT = """
import json
from participation.articles.models import ArticlePage
from participation.initiatives.models import InitiativeIndexPage
from participation.toolbox.models import ToolboxSheetPage
article = ArticlePage.objects.live().filter(locale__language_code="fr", hero_image__isnull=False).order_by("pk")[0]
print(json.dumps({
    "home page": "/fr/",
    "map page": InitiativeIndexPage.objects.live().get(locale__language_code="fr").url,
    "sheet": ToolboxSheetPage.objects.live().get(locale__language_code="fr", slug="world-cafe").url,
    "article with photo": article.url,
}))
"""


def django_run(database, script):
    """Run a script in the benchmark's Django set-up (demo database) and return what it prints."""
    command = [sys.executable, "manage.py", "shell", "-c", script]
    return subprocess.run(
        command, cwd=ROOT, env=_env(database, False), capture_output=True, text=True, check=True
    ).stdout


def lighthouse(url):
    """One Lighthouse run of the performance category: (score out of 100, {metric: value}, [costly audits])."""
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            "--output=json",
            f"--output-path={report_path}",
            "--quiet",
        ]
        for _attempt in range(3):  # a loaded machine sometimes loses the trace (NO_NAVSTART): run again
            done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300)
            if done.returncode == 0:
                break
        report = json.loads(report_path.read_text())
    audits = report["audits"]
    metrics = {label: audits[key]["numericValue"] for key, label in METRICS}
    costly = [
        f"{audit['title']} ({audit['displayValue']})" if audit.get("displayValue") else audit["title"]
        for audit in audits.values()
        if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") != "informative"
    ]
    return round(report["categories"]["performance"]["score"] * 100), metrics, costly


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median score is kept)")
    parser.add_argument("--keep-demo", action="store_true", help="reuse the demo database of a previous benchmark")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: npm ci")
    WORKDIR.mkdir(parents=True, exist_ok=True)
    demo = WORKDIR / "demo.sqlite3"
    if not (args.keep_demo and demo.exists()):
        started = time.perf_counter()
        demo.unlink(missing_ok=True)
        subprocess.run([sys.executable, "bench/performance.py", "--populate-demo"], cwd=ROOT, env=_env(demo, False))
        print(f"demo content loaded in {time.perf_counter() - started:.0f} s", flush=True)
    django_run(demo, PHOTOS_SCRIPT)
    pages = json.loads(django_run(demo, PAGES_SCRIPT).strip().splitlines()[-1])  # the shell may say more first
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; Lighthouse mobile emulation", flush=True)
    os.environ["BENCH_BEHIND_PROXY"] = "1"
    django_run(demo, "from django.core.management import call_command; call_command('collectstatic', '--noinput')")
    with server(demo, page_cache=True, port=args.port, workers=2) as base:
        for name, path in pages.items():
            urllib.request.urlopen(base + path).read()  # kept by the page cache, as a visited page is
            runs = [lighthouse(base + path) for _ in range(args.runs)]
            score, metrics, costly = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
            units = {"CLS": lambda v: f"{v:.3f}", "TBT": lambda v: f"{v:.0f} ms"}
            figures = "  ".join(
                f"{label} {units.get(label, lambda v: f'{v / 1000:.1f} s')(value)}" for label, value in metrics.items()
            )
            scores = ", ".join(str(run[0]) for run in runs)
            print(f"{name:20} {score:>3} (runs: {scores})  {figures}  {path}", flush=True)
            for audit in costly:
                print(f"    - {audit}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
