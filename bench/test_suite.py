"""Benchmark: how long the whole test suite takes, and where its time goes (issue 18's goals on a 2-core machine:
`make test` on SQLite under 5 minutes, the whole `.ci/run` under 12).

This development machine is shared: the same suite took from 281 to 408 s within one day. Each run is therefore
reported beside a *gauge* timed in the same run, before and after: a fixed pure-Python loop on one core (seconds;
smaller is a faster machine at that moment). Two runs compare through their ratio to their gauge, not through their
seconds alone.

For the suite it reports the wall time against the goal, the CPU time the whole machine spent meanwhile (/proc/stat),
how busy the cores were, and that CPU split by kind of process (test workers, Chromium, the browser tests' servers,
the snapshots' builds, …), polled from /proc every half second (the polling itself costs about 1 % of a core).

    .venv/bin/python bench/test_suite.py [--fresh] [--database-url postgres://postgres@127.0.0.1:5432/test]
    .venv/bin/python bench/test_suite.py --ci     # a clean clone of HEAD and its .ci/run, stage by stage

`--fresh` removes the test snapshots first (var/test-databases/), as on a clean clone; without it, a run reuses the
snapshots an earlier run built, as a developer's second `make test` does. `--ci` clones the committed HEAD into a
temporary directory and runs `.ci/run` there (with `CI=true`), on the PostgreSQL server CI uses; its test snapshots
stay there (`snapshot_*` databases) for the next run to reuse, as `make test` leaves them.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
GOALS = {"suite": 300, "ci": 720}
# Kinds of process, by what their command line contains (the first that matches).
KINDS = [
    ("Chromium", "chrom"),
    ("browser tests' servers", "runserver"),
    ("snapshots: migrations", "migrate"),
    ("snapshots: demo content", "load_demo_content"),
    ("static files (collectstatic)", "collectstatic"),
    ("Nu Html Checker (Java)", "vnu.jar"),
    ("Playwright's driver (Node)", "playwright/driver"),
    ("PostgreSQL server", "postgres:"),
    ("test workers and other Python", "python"),
]


def gauge() -> float:
    """Seconds for a fixed amount of pure-Python work on one core."""
    started = time.perf_counter()
    sum(number * number for number in range(10**7))
    return time.perf_counter() - started


def machine_ticks() -> tuple[int, int]:
    """(busy, idle) clock ticks of every core since boot."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and waiting for I/O
    return sum(fields[:8]) - idle, idle


class ProcessPoll(threading.Thread):
    """Each process's CPU time, polled until stopped; counted from the first poll for processes already running."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.first: dict[tuple[str, str], float] = {}
        self.last: dict[tuple[str, str], tuple[float, str]] = {}
        self.me = str(os.getpid())

    def poll(self, initial: bool) -> None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or pid == self.me:
                continue
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # ended meanwhile
            fields = stat.rsplit(")", 1)[1].split()
            seconds = (int(fields[11]) + int(fields[12])) / TICKS
            key = (pid, fields[19])  # a pid with its start time: one process even if the pid is reused
            if key not in self.first:
                self.first[key] = seconds if initial else 0.0
            previous, known = self.last.get(key, (0.0, ""))
            self.last[key] = (max(seconds, previous), known or command)  # an ended process's command line is empty

    def run(self) -> None:
        self.poll(initial=True)
        while not self.stopped.wait(0.5):
            self.poll(initial=False)

    def by_kind(self) -> collections.Counter:
        totals: collections.Counter = collections.Counter()
        for key, (seconds, command) in self.last.items():
            kind = next((name for name, marker in KINDS if marker in command), "other")
            totals[kind] += seconds - self.first[key]
        return totals


def measured(command: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run `command`, its output in `log`; its wall time, the machine's CPU meanwhile and the split by process kind."""
    poll = ProcessPoll()
    poll.start()
    busy, idle = machine_ticks()
    started = time.monotonic()
    with log.open("w") as output:
        returncode = subprocess.run(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT).returncode
    wall = time.monotonic() - started
    busy_after, idle_after = machine_ticks()
    poll.stopped.set()
    poll.join()
    cpu = (busy_after - busy) / TICKS
    return {
        "returncode": returncode,
        "wall": wall,
        "cpu": cpu,
        "busy": cpu / (cpu + (idle_after - idle) / TICKS),
        "kinds": poll.by_kind(),
    }


def report(title: str, goal: int, result: dict, gauges: list[float]) -> None:
    outcome = "passed" if result["returncode"] == 0 else f"FAILED (exit {result['returncode']})"
    print(f"\n{title}: {outcome}")
    print(f"  wall time        {result['wall']:7.0f} s   goal {goal} s   ratio to goal {result['wall'] / goal:.2f}")
    print(f"  gauge            {gauges[0]:7.2f} s before, {gauges[1]:.2f} s after (fixed work on one core)")
    print(f"  wall / gauge     {result['wall'] / min(gauges):7.0f}     (compare runs by this)")
    print(f"  machine CPU      {result['cpu']:7.0f} s   cores busy {result['busy']:.0%} of the run")
    for kind, seconds in result["kinds"].most_common():
        if seconds >= 1:
            print(f"    {kind:32s} {seconds:6.0f} s  {seconds / result['cpu']:4.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--fresh", action="store_true", help="remove the test snapshots first, as on a clean clone")
    parser.add_argument("--database-url", default="", help="run the suite on this database (SQLite by default)")
    parser.add_argument("--ci", action="store_true", help="run .ci/run on a clean clone of HEAD instead")
    args = parser.parse_args()
    env = dict(os.environ)
    gauges = [gauge()]
    if args.ci:
        with tempfile.TemporaryDirectory(prefix="bench-ci-") as directory:
            clone = Path(directory) / "clone"
            subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
            log = ROOT / "var" / "bench-ci.log"
            log.parent.mkdir(exist_ok=True)
            result = measured([".ci/run"], cwd=clone, env={**env, "CI": "true"}, log=log)
        gauges.append(gauge())
        report(f"`.ci/run` on a clean clone of HEAD (log: {log.relative_to(ROOT)})", GOALS["ci"], result, gauges)
        stages = re.findall(r"^== \[(\d+) s\] (.*)$", log.read_text(), re.MULTILINE)
        ends = [int(seconds) for seconds, _title in stages[1:]] + [round(result["wall"])]
        for (start, stage_title), end in zip(stages, ends, strict=True):
            print(f"  {end - int(start):5d} s  {stage_title[:100]}")
    else:
        if args.fresh:
            shutil.rmtree(ROOT / "var" / "test-databases", ignore_errors=True)
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        log = ROOT / "var" / "bench-test-suite.log"
        log.parent.mkdir(exist_ok=True)
        result = measured(["make", "test"], cwd=ROOT, env=env, log=log)
        gauges.append(gauge())
        database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        snapshots = "snapshots built in the run" if args.fresh else "snapshots reused if current"
        summaries = re.findall(r"^=+ (.* in [\d.]+s.*?) =+$", log.read_text(), re.MULTILINE)
        summary = summaries[-1] if summaries else "no pytest summary: see the log"
        report(f"The whole suite on {database}, {snapshots} ({summary})", GOALS["suite"], result, gauges)
    sys.exit(result["returncode"])


if __name__ == "__main__":
    main()
