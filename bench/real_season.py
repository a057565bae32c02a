"""Benchmark: reading the saved ISU results pages of the real 2019/20 season.

    .venv/bin/python bench/real_season.py [--folder ../shared/data/isu-results-2019-20] [--rounds 5] [--import]

Times ``shorttrack.interchange.isu_results.read_folder`` on the whole folder (292 round
pages, 1,079 split pages, calendar.csv: 30 MB of HTML), as ``shorttrack import FOLDER``
reads it: on two processes, and on one (it takes two when the load average leaves a core
spare; here each is forced). The reference, measured in the same
round right before: html.parser itself over every page, decoded, with handlers that keep
nothing, the floor of any reader built on it. Each round gives a ratio against its own
reference, so a machine loaded by other work moves the times more than the ratios. Medians
of ``--rounds`` rounds, the ratios of each round in brackets; the CPU time of the caller and
of its worker process show the split of the work when other work leaves no core free.

With ``--import``: then ``shorttrack import`` of the folder (``services.imports.import_paths``)
into a new SQLite database, timed once, or the number of errors it refuses the folder with.
Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
DEFAULT_FOLDER = (
    Path(os.environ.get("SHORTTRACK_SHARED_DATA", REPO.parent / "shared" / "data"))
    / "isu-results-2019-20"
)


class _Nothing(HTMLParser):
    def handle_starttag(self, tag, attrs):
        pass

    def handle_data(self, data):
        pass


def parse_only(pages: list[Path]) -> None:
    for page in pages:
        parser = _Nothing()
        parser.feed(page.read_bytes().decode("utf-8"))
        parser.close()


CPU: dict[str, list[tuple[float, float]]] = {}


def timed(call, key: str = "") -> float:
    """Wall time of ``call``; under ``key``, the CPU time of this process and of its
    children (the worker) too: on a machine other work keeps busy, those show whether the
    two processes share the work even when the wall time cannot."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    started = time.perf_counter()
    call()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    if key:
        CPU.setdefault(key, []).append((time.process_time() - cpu, worker))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import", dest="do_import", action="store_true")
    args = parser.parse_args()

    from shorttrack.interchange import isu_results

    folder = args.folder
    pages = sorted((folder / "round").glob("*.html")) + sorted((folder / "split").glob("*.html"))
    size = sum(p.stat().st_size for p in pages)
    records = isu_results.read_folder(folder)  # warm the file cache; the counts
    laps = sum(sum(p is not None for p in line.lap_positions) for line in records.race_lines)
    print(
        f"{len(pages)} pages, {size / 1e6:.1f} MB; {len(records.race_lines)} lines, "
        f"{laps} lap cells, {len(records.skaters)} skaters, {len(records.errors)} errors; "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    spare_core = isu_results._spare_core

    def on(processes: int):
        def read() -> None:
            isu_results._spare_core = lambda: processes == 2
            try:
                isu_results.read_folder(folder)
            finally:
                isu_results._spare_core = spare_core

        return read

    runs: dict[str, list[float]] = {"reference": [], "two": [], "one": []}
    for _ in range(args.rounds):
        runs["reference"].append(timed(lambda: parse_only(pages)))
        runs["two"].append(timed(on(2), "two"))
        runs["one"].append(timed(on(1), "one"))

    def row(label: str, key: str, target: str = "") -> str:
        times = runs[key]
        ratios = [t / r for t, r in zip(times, runs["reference"], strict=True)]
        spread = ", ".join(f"{r:.2f}" for r in ratios)
        cpu = ""
        if key in CPU:
            caller = statistics.median(c for c, _ in CPU[key])
            worker = statistics.median(w for _, w in CPU[key])
            cpu = f"{caller:.2f} s" + (f" + worker {worker:.2f} s" if worker else "")
        return (
            f"| {label} | {statistics.median(times):.2f} s | {cpu} | "
            f"{spread} (**{statistics.median(ratios):.2f}×**) | {target} |"
        )

    print()
    print(
        f"| measure ({args.rounds} rounds, medians) | time | CPU: caller + worker "
        "| time against the reference | target |"
    )
    print("| --- | --- | --- | --- | --- |")
    print(row("reference: html.parser over every page, nothing kept", "reference"))
    print(row("`read_folder`, two processes", "two", "well under 5 s"))
    print(row("`read_folder`, one process", "one"))
    print(f"load average after: {os.getloadavg()[0]:.1f}")

    if args.do_import:
        workdir = Path(tempfile.mkdtemp(prefix="shorttrack-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from shorttrack.services.imports import ImportRejected, import_paths

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        try:
            report = import_paths([folder])
        except ImportRejected as rejected:
            elapsed = time.perf_counter() - started
            errors = list(rejected.errors)
            kinds = Counter(getattr(e, "field", "?") for e in errors)
            print(
                f"| `shorttrack import` into a new SQLite database | refused after "
                f"{elapsed:.1f} s: {len(errors)} errors ({dict(kinds.most_common(4))}) | | | |"
            )
            print(f"first: {errors[0]}")
        else:
            elapsed = time.perf_counter() - started
            print(f"| `shorttrack import` into a new SQLite database | {elapsed:.1f} s | | | |")
            print(report.summary())


if __name__ == "__main__":
    main()
