"""Benchmark: what PostgreSQL's connection pool, and its check of each connection it hands
out, cost or save a request that goes through Django.

    .venv/bin/python bench/pool.py --database-url postgres://postgres@127.0.0.1:5432/NAME
        [--duration 10] [--rounds 5] [--connections 10] [--path /healthz]

One uvicorn worker (as each of production's app processes) on a migrated PostgreSQL
database, loaded by `wrk` (keep-alive, 2 threads) on --path (/healthz: Django's request
cycle and one query, never cached), in three set-ups taken in turn within each round:

- ``pool, checked``: the production settings (settings.py: the pool, CONN_HEALTH_CHECKS,
  so psycopg_pool's check_connection runs at each checkout);
- ``pool, unchecked``: the same pool without the check (what b1e1816 took out);
- ``no pool``: SHORTTRACK_DB_POOL=0 (as behind pgbouncer), a new connection for each
  request, closed at its end.

Not measured: no pool with connections kept (CONN_MAX_AGE 60, settings.py before the
pool). Under ASGI each request keeps its own, and 10 clients of /healthz held 48 sessions
after 3 s: PostgreSQL then refuses everyone ("too many clients already"), on a server
others may be using too.

Each round's requests per second are divided by those of ``pool, checked`` in the same
round; the median of the rounds' ratios is printed, with the load average (wrk shares the
machine's cores with the server and PostgreSQL). With them: the PostgreSQL sessions the
worker opened per 1,000 requests (pg_stat_database.sessions) and the sessions it held
when the load ended (pg_stat_activity). ``pool, unchecked`` is a settings
module written to a temporary folder, importing shorttrack.settings.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).parent))

from serving import running_site, shorttrack, site_env  # noqa: E402

SETUPS = {
    "pool, checked": ("shorttrack.settings", {}),
    "pool, unchecked": ("bench_pool_unchecked", {}),
    "no pool": ("shorttrack.settings", {"SHORTTRACK_DB_POOL": "0"}),
}
VARIANTS = {"bench_pool_unchecked": 'DATABASES["default"]["CONN_HEALTH_CHECKS"] = False\n'}


def wrk(url: str, duration: int, connections: int) -> tuple[float, float, float, int, int]:
    """Requests per second, p50 and p99 in ms, failed requests, and requests."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency: dict[str, float] = {}
    for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$", out, re.M):
        latency[percent] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    failed += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return rate, latency["50"], latency["99"], failed, requests


def sessions(database_url: str) -> tuple[int, int]:
    """Sessions opened on the database so far, and the others open now."""
    with psycopg.connect(database_url, autocommit=True) as session:
        session.execute("SELECT pg_stat_clear_snapshot()")
        opened = session.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()[0]
        open_now = session.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    return opened, open_now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--path", default="/healthz")
    options = parser.parse_args()
    if not (options.database_url or "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url postgres://... (the pool is PostgreSQL's)")

    shorttrack(site_env(options.database_url), "migrate")
    folder = Path(tempfile.mkdtemp(prefix="bench-pool-"))
    for module, line in VARIANTS.items():
        (folder / f"{module}.py").write_text(f"from shorttrack.settings import *  # noqa\n{line}")

    results: dict[str, list[tuple]] = {name: [] for name in SETUPS}
    for round_ in range(options.rounds):
        order = list(SETUPS) if round_ % 2 == 0 else list(reversed(SETUPS))
        for name in order:
            module, extra = SETUPS[name]
            env = site_env(options.database_url, DJANGO_SETTINGS_MODULE=module, **extra)
            env["PYTHONPATH"] = os.pathsep.join([str(folder), env.get("PYTHONPATH", "")])
            with running_site(env) as base:
                url = base + options.path
                wrk(url, 2, options.connections)  # warm: the pool filled, code loaded
                before, _ = sessions(options.database_url)
                load = wrk(url, options.duration, options.connections)
                after, held = sessions(options.database_url)
                # Less this run's own two looks at the statistics.
                per_1000 = (after - before - 1) * 1000 / load[4]
                results[name].append((*load, per_1000, held))
        print(f"round {round_ + 1} done, load {os.getloadavg()[0]:.2f}", file=sys.stderr)

    base = results["pool, checked"]
    print(
        f"{options.path}, 1 uvicorn worker, wrk -c{options.connections} -d{options.duration}s, "
        f"{options.rounds} rounds, load average at the end {os.getloadavg()[0]:.2f}\n"
    )
    print(
        "| set-up | requests/s (median) | p50 ms | p99 ms | failed | × pool, checked "
        "| sessions opened per 1,000 requests | sessions held after |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, runs in results.items():
        ratios = [run[0] / b[0] for run, b in zip(runs, base, strict=True)]
        ratio = statistics.median(ratios)
        print(
            f"| {name} | {statistics.median(r[0] for r in runs):.0f} "
            f"| {statistics.median(r[1] for r in runs):.2f} "
            f"| {statistics.median(r[2] for r in runs):.2f} "
            f"| {sum(r[3] for r in runs)} | {ratio:.3f} ({min(ratios):.2f}-{max(ratios):.2f}) "
            f"| {statistics.median(r[5] for r in runs):.1f} "
            f"| {max(r[6] for r in runs)} |"
        )

    check, query = check_cost(options.database_url)
    print(
        f"\nThe check alone (psycopg_pool.ConnectionPool.check_connection on an idle "
        f"connection, median of 5 x 2,000): {check:.0f} µs; /healthz's own query: {query:.0f} µs"
    )


def check_cost(database_url: str, calls: int = 2000) -> tuple[float, float]:
    """Microseconds of one check of a connection, and of /healthz's query, on this machine."""
    from psycopg_pool import ConnectionPool

    def timed(call) -> float:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(calls):
                call()
            runs.append((time.perf_counter() - started) / calls * 1e6)
        return statistics.median(runs)

    with psycopg.connect(database_url, autocommit=True) as connection:
        check = timed(lambda: ConnectionPool.check_connection(connection))
        query = timed(
            lambda: connection.execute("SELECT 1 FROM django_migrations LIMIT 1").fetchone()
        )
    return check, query


if __name__ == "__main__":
    main()
