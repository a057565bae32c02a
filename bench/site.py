"""Benchmark: the public site against nginx serving the same bytes, cold pages, and live
updates to thousands of open pages, in one run.

    .venv/bin/python bench/site.py [--database FILE | --database-url URL] [--duration 5]
        [--rounds 2] [--clients 500,2000,5000] [--redis-url redis://127.0.0.1:6379/14]
        [--skip-pages] [--skip-cold] [--skip-live] [--output FILE]

The database is the demo (`shorttrack setup-demo`: the simulated 2025/26 season raced lap
by lap, and the real 2022/23 where ../shared/data holds it): an SQLite file, built first
when --database names none that exists (about two minutes), or a PostgreSQL database
(--database-url, e.g. postgres://postgres@127.0.0.1:5432/shorttrack_bench, or
DATABASE_URL in the environment when neither option is given), filled with the demo
first when it has no 2025/26 season.

What is measured, each as a ratio where there is something to compare with:

(a) one app worker (uvicorn, no Redis) answering a page straight, against nginx serving
    the very bytes of that page as a file (Debian's nginx.conf, a plain HTTP server, no
    access log): what the app's page cache costs next to the machine's limit. Target ≥ 0.3×.
(b) the shipped deploy/nginx/shorttrack.conf (TLS, its access log, its proxy cache) in
    front of 2 app processes with Redis, as docs/deploy.md runs them, against the same
    nginx serving the page's bytes as a static file (its /static/ location, over the same
    TLS). Target ≥ 0.8× and p99 < 10 ms. The share of requests nginx answered from its
    cache (X-Cache-Status HIT, read from the access log) comes with it.
(c) every page kind built cold: bench/cold_pages.py, run on the same database. Target
    < 100 ms each.
(d) a final made official, told to 500, 2,000 and 5,000 open pages over 2 workers with
    Redis (bench/live_clients.py's ``measure_live``): at the last client, and the workers'
    memory per client, with them and after they left. Target < 1 s, ≤ 50 KB each.

Pages are loaded by `wrk` (Debian's package) with 50 connections for --duration seconds
after one request has filled the caches; within each of --rounds rounds nginx's static
file and the app take turns, and the ratio is the median of the rounds' ratios. wrk runs
on the same 2 cores as the servers, as does anything else on the machine: the load
average (uptime) is printed with each part. Prints Markdown for docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from serving import REPO, free_port, running_site, shorttrack, site_env  # noqa: E402

DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
CONNECTIONS = 50
CLIENTS = (500, 2000, 5000)
REAL_2022_23 = REPO.parent / "shared" / "data" / "worldcup-2022-23"
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")
SHIPPED_CONF = REPO / "deploy" / "nginx" / "shorttrack.conf"
SERVER_NAME = "results.example.org"
# Pages of (a) and (b): served from the app's page cache, as nearly every request is.
PAGES = {
    "standings (Crystal Globe, women)": "/seasons/2025-26/standings/overall-women/",
    "competition overview": "/seasons/2025-26/competitions/1/",
}
TARGETS = {"direct": 0.3, "shipped": 0.8, "shipped_p99_ms": 10.0}


# -- the database ------------------------------------------------------------------------


def build_demo(database_url: str) -> None:
    env = site_env(database_url, SHORTTRACK_DEMO="1")
    command = ["setup-demo"]
    if (REAL_2022_23 / "results.csv").is_file():
        command += ["--data", str(REAL_2022_23)]
    started = time.perf_counter()
    shorttrack(env, *command)
    print(f"demo built in {time.perf_counter() - started:.0f} s: {database_url}", file=sys.stderr)


def has_demo() -> bool:
    from shorttrack.store.models import Season

    return Season.objects.filter(key="2025/26").exists()


# -- wrk -----------------------------------------------------------------------------------


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, duration: int, connections: int = CONNECTIONS) -> Load:
    """wrk's throughput and latency percentiles for ``url`` (keep-alive, 2 threads)."""
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([0-9.]+(?:us|ms|s|m))\s*$", out, re.M))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return Load(
        float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),
        _ms(latency["50"]),
        _ms(latency["99"]),
        errors,
    )


@dataclass
class Pair:
    """A page and nginx's static copy of its bytes, loaded in turns, round by round."""

    page: str
    size: int
    static: list[Load]
    app: list[Load]

    @property
    def ratio(self) -> float:
        return statistics.median(
            a.requests_per_s / s.requests_per_s for a, s in zip(self.app, self.static, strict=True)
        )

    def median(self, side: str, field: str) -> float:
        return statistics.median(getattr(load, field) for load in getattr(self, side))


def paired(static_url: str, app_url: str, page: str, size: int, duration: int, rounds: int) -> Pair:
    pair = Pair(page, size, [], [])
    for round_ in range(rounds):
        turns = [("static", static_url), ("app", app_url)]
        for side, url in turns if round_ % 2 == 0 else reversed(turns):
            measured = wrk(url, duration)
            getattr(pair, side).append(measured)
            print(f"  {page}, round {round_ + 1}, {side}: {measured}", file=sys.stderr)
    return pair


# -- nginx ---------------------------------------------------------------------------------


def _deploy_conftest():
    """tests/deploy/conftest.py: how the production topology test renders the shipped
    configuration onto local ports and paths (the same rendering, not a copy of it)."""
    spec = importlib.util.spec_from_file_location(
        "deploy_conftest", REPO / "tests" / "deploy" / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(REPO))
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def nginx(folder: Path, site: str, port: int) -> Iterator[None]:
    """nginx with Debian's nginx.conf and ``site`` as its only site, files in ``folder``."""
    deploy = _deploy_conftest()
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("log", "temp"):
        (folder / name).mkdir(exist_ok=True)
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        deploy.render_main(
            DEBIAN_NGINX_CONF.read_text(),
            site=folder / "site.conf",
            folder=folder,
            logs=folder / "log",
        )
    )
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [binary, "-p", str(folder), "-c", str(main), "-e", str(folder / "log" / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if checked.returncode:
        raise SystemExit(f"nginx -t:\n{checked.stderr}")
    server = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"nginx did not start: {folder / 'log' / 'error.log'}"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        server.terminate()
        server.wait(timeout=15)


def static_site(port: int, root: Path) -> str:
    """The simplest nginx server of files: what (a) compares the app with."""
    return (
        f"server {{\n    listen 127.0.0.1:{port};\n    access_log off;\n"
        f"    location / {{\n        root {root};\n    }}\n}}\n"
    )


def shipped_site(folder: Path, https_port: int, app_ports: list[int]) -> tuple[str, Path]:
    """deploy/nginx/shorttrack.conf on local ports and paths, as the topology test renders
    it, answering 127.0.0.1 as well as its server name (wrk names the address it asks);
    returns the configuration and its static folder."""
    deploy = _deploy_conftest()
    for name in ("static", "acme", "log", "nginx-cache", "tls"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    cert, key = deploy.certificate(shutil.which("openssl") or "/usr/bin/openssl", folder / "tls")
    paths = {
        "/srv/shorttrack/static": str(folder / "static"),
        "/var/www/letsencrypt": str(folder / "acme"),
        "/var/log/nginx/": str(folder / "log") + "/",
        "/var/cache/nginx/shorttrack": str(folder / "nginx-cache"),
        f"/etc/letsencrypt/live/{SERVER_NAME}/fullchain.pem": str(cert),
        f"/etc/letsencrypt/live/{SERVER_NAME}/privkey.pem": str(key),
    }
    text = deploy.render_site(
        SHIPPED_CONF.read_text(),
        http_port=free_port(),
        https_port=https_port,
        app_ports=app_ports,
        paths=paths,
    )
    # Clients naming an address send no server name in TLS (SNI), which the catch-all
    # server refuses: without it, the site's own server answers them.
    catch_all = re.search(r"(?s)^server \{\n.*?^\}\n", text, re.M)
    if catch_all is None or "ssl_reject_handshake on;" not in catch_all[0]:
        raise SystemExit(f"{SHIPPED_CONF}: its first server is no longer the catch-all")
    text = text.replace(catch_all[0], "", 1)
    text = deploy.replace(
        rf"^(\s*server_name {re.escape(SERVER_NAME)});",
        r"\g<1> 127.0.0.1;",
        text,
        SHIPPED_CONF,
    )
    return text, folder / "static"


def fetch(url: str) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url, timeout=60, context=context) as response:
        return response.read()


def cache_statuses(access_log: Path, since: int) -> dict[str, int]:
    """X-Cache-Status of each request logged after byte ``since`` of the access log."""
    with access_log.open("rb") as log:
        log.seek(since)
        text = log.read().decode(errors="replace")
    counted: dict[str, int] = {}
    times: dict[str, list[float]] = {}
    for seconds, status in re.findall(r" time=(\S+) .* cache=(\S+)$", text, re.M):
        counted[status] = counted.get(status, 0) + 1
        times.setdefault(status, []).append(float(seconds) * 1000)
    for status, spent in sorted(times.items()):
        spent.sort()
        print(
            f"    {status}: nginx's request time p50 {spent[len(spent) // 2]:.1f} ms,"
            f" p99 {spent[int(len(spent) * 0.99)]:.1f} ms, max {spent[-1]:.1f} ms",
            file=sys.stderr,
        )
    return counted


# -- (a) and (b) ---------------------------------------------------------------------------


@dataclass
class Pages:
    direct: list[Pair]
    shipped: list[Pair]
    hits: dict[str, float]  # page -> share of requests nginx answered from its cache
    load: list[tuple[str, str]]


def measure_pages(database_url: str, redis_url: str, duration: int, rounds: int) -> Pages:
    work = Path(tempfile.mkdtemp(prefix="shorttrack-bench-nginx-"))
    load = [("pages, before", uptime())]
    direct, shipped, hits = [], [], {}

    print("(a) one app worker direct, against nginx's static file ...", file=sys.stderr)
    static_port = free_port()
    root = work / "static-plain"
    root.mkdir()
    with ExitStack() as running:
        app = running.enter_context(running_site(site_env(database_url)))
        bodies = {}
        for number, (name, path) in enumerate(PAGES.items()):
            bodies[name] = fetch(app + path)  # fills the page cache
            (root / f"page-{number}.html").write_bytes(bodies[name])
        running.enter_context(
            nginx(work / "nginx-plain", static_site(static_port, root), static_port)
        )
        for number, (name, path) in enumerate(PAGES.items()):
            static = f"http://127.0.0.1:{static_port}/page-{number}.html"
            if fetch(static) != bodies[name]:
                raise SystemExit(f"{name}: nginx's file is not the page's bytes")
            direct.append(paired(static, app + path, name, len(bodies[name]), duration, rounds))
    load.append(("(a) done", uptime()))

    print("(b) the shipped nginx in front of 2 app processes and Redis ...", file=sys.stderr)
    env = site_env(database_url, redis_url)
    https_port = free_port()
    with ExitStack() as running:
        apps = [running.enter_context(running_site(env)) for _ in range(2)]
        ports = [int(url.rsplit(":", 1)[1]) for url in apps]
        site, static_root = shipped_site(work / "shipped", https_port, ports)
        (static_root / "bench").mkdir()
        running.enter_context(nginx(work / "shipped", site, https_port))
        access_log = work / "shipped" / "log" / "shorttrack.access.log"
        base = f"https://127.0.0.1:{https_port}"
        for number, (name, path) in enumerate(PAGES.items()):
            # These processes' own copy (a page says when it was rendered).
            through = fetch(base + path)
            (static_root / "bench" / f"page-{number}.html").write_bytes(through)
            static = f"{base}/static/bench/page-{number}.html"
            if fetch(static) != through or fetch(base + path) != through:
                raise SystemExit(f"{name}: nginx's file is not the page's bytes")
            since = access_log.stat().st_size
            pair = paired(static, base + path, name, len(through), duration, rounds)
            counted = cache_statuses(access_log, since)
            answered = sum(n for status, n in counted.items() if status != "-")
            hits[name] = counted.get("HIT", 0) / answered if answered else 0.0
            print(f"  {name}: X-Cache-Status {counted}", file=sys.stderr)
            shipped.append(pair)
    load.append(("(b) done", uptime()))
    shutil.rmtree(work, ignore_errors=True)
    return Pages(direct, shipped, hits, load)


# -- (c) cold pages ------------------------------------------------------------------------


def cold_pages(database_url: str, rounds: int) -> str:
    """bench/cold_pages.py's table on this database (its own process, Django warm)."""
    script = Path(__file__).with_name("cold_pages.py")
    if not script.is_file():
        return cold_pages_simply(rounds)
    where = (
        ["--database", database_url.removeprefix("sqlite:///")]
        if database_url.startswith("sqlite:///")
        else ["--database-url", database_url]
    )
    done = subprocess.run(
        [sys.executable, str(script), *where, "--rounds", str(rounds)],
        env=site_env(database_url),
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        return f"bench/cold_pages.py failed ({done.returncode}):\n\n```\n{done.stderr[-2000:]}\n```"
    return done.stdout.strip()


def cold_pages_simply(rounds: int) -> str:
    """Without bench/cold_pages.py: the pages of (a) and a race, each request after the
    document caches were emptied, through Django's test client in this process."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    lines = ["| page | HTML KB | cold ms (median) |", "| --- | ---: | ---: |"]
    for name, path in PAGES.items():
        client.get(path)
        took = []
        for _ in range(rounds):
            cache.clear()
            started = time.perf_counter()
            body = client.get(path).content
            took.append((time.perf_counter() - started) * 1000)
        lines.append(
            f"| {name} `{path}` | {len(body) / 1024:.0f} | {statistics.median(took):.0f} |"
        )
    return "\n".join(lines)


# -- the report ----------------------------------------------------------------------------


def uptime() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def pages_markdown(pages: Pages) -> str:
    lines = []
    for title, pairs, target, app_side in (
        ("(a) one app worker straight, against nginx serving the same bytes as a file", pages.direct, TARGETS["direct"], "1 app worker"),
        ("(b) the shipped nginx (TLS, access log, proxy cache) in front of 2 app processes + Redis, against its own /static/ serving the same bytes", pages.shipped, TARGETS["shipped"], "shipped nginx + 2 workers + Redis"),
    ):  # fmt: skip
        lines += [
            "",
            f"{title}:",
            "",
            f"| page (KB) | nginx static: req/s, p50, p99 | {app_side}: req/s, p50, p99 | "
            "ratio (median of rounds) | target |",
            "| --- | --- | --- | --- | --- |",
        ]
        for pair in pairs:
            cells = []
            for side in ("static", "app"):
                errors = sum(load.errors for load in getattr(pair, side))
                cells.append(
                    f"{pair.median(side, 'requests_per_s'):,.0f}, "
                    f"{pair.median(side, 'p50_ms'):.2f} ms, {pair.median(side, 'p99_ms'):.2f} ms"
                    + (f" ({errors} errors)" if errors else "")
                )
            goal = f"≥ {target}×"
            if pairs is pages.shipped:
                goal += f", p99 < {TARGETS['shipped_p99_ms']:.0f} ms"
                hit = pages.hits.get(pair.page)
                if hit is not None:
                    cells[1] += f"; {hit:.1%} HIT"
            met = pair.ratio >= target and (
                pairs is not pages.shipped
                or pair.median("app", "p99_ms") < TARGETS["shipped_p99_ms"]
            )
            lines.append(
                f"| {pair.page} ({pair.size / 1024:.0f}) | {cells[0]} | {cells[1]} | "
                f"**{pair.ratio:.2f}×** | {goal} {'✓' if met else '✗'} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--database", type=Path, help="an SQLite file with the demo (built if absent)"
    )
    where.add_argument("--database-url", help="e.g. postgres://postgres@127.0.0.1:5432/NAME")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per load")
    parser.add_argument("--rounds", type=int, default=2, help="paired rounds of each page")
    parser.add_argument("--clients", default=",".join(str(n) for n in CLIENTS))
    parser.add_argument("--cold-rounds", type=int, default=3)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-live", action="store_true")
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args()  # fmt: skip
    for tool in ("wrk", "nginx", "openssl"):
        if not args.skip_pages and not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            raise SystemExit(f"{tool} is missing: apt-get install {tool}")

    # Without either option, a DATABASE_URL in the environment is the database.
    database_url = args.database_url or (None if args.database else os.environ.get("DATABASE_URL"))
    if database_url:
        shorttrack(site_env(database_url), "migrate")
    else:
        database = (
            args.database or Path(tempfile.mkdtemp(prefix="shorttrack-site-")) / "demo.sqlite3"
        )
        database_url = f"sqlite:///{database.resolve()}"
        if not database.exists():
            build_demo(database_url)
        else:
            shorttrack(site_env(database_url), "migrate")  # built by an older checkout
    env = site_env(database_url, args.redis_url)
    # This process makes finals official for (d) (the referee), through Redis like a
    # third worker: Django set up on the servers' database.
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    if not has_demo():
        build_demo(database_url)
    from django.db import connection

    started = datetime.now(UTC)
    load = [("start", uptime())]
    pages = (
        None
        if args.skip_pages
        else measure_pages(database_url, args.redis_url, args.duration, args.rounds)
    )
    cold = None
    if not args.skip_cold:
        print("(c) cold pages ...", file=sys.stderr)
        cold = cold_pages(database_url, args.cold_rounds)
        load.append(("(c) done", uptime()))
    live = None
    if not args.skip_live:
        from live_clients import markdown, measure_live

        print("(d) live clients ...", file=sys.stderr)
        clients = [int(n) for n in args.clients.split(",")]
        live = markdown(measure_live(env, clients))
        load.append(("(d) done", uptime()))

    import uvicorn

    nginx_version = subprocess.run(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-v"], capture_output=True, text=True
    ).stderr.strip().removeprefix("nginx version: ")  # fmt: skip
    report = [
        f"{started:%Y-%m-%d %H:%M} UTC, {platform.node() or 'this machine'}: {os.cpu_count()} cores "
        f"(shared), Python {platform.python_version()}, uvicorn {uvicorn.__version__}, "
        f"{nginx_version}, {connection.vendor}; wrk -t2 -c{CONNECTIONS} -d{args.duration}s on "
        f"the same cores, {args.rounds} paired rounds, medians.",
        "",
        "Load average (1, 5, 15 min): "
        + "; ".join(
            f"{what} {value}"
            for what, value in load[:1] + (pages.load if pages else []) + load[1:]
        )
        + ".",
    ]  # fmt: skip
    if pages:
        report.append(pages_markdown(pages))
    if cold:
        report += ["", "(c) every page kind built cold (bench/cold_pages.py):", "", cold]
    if live:
        report += [
            "",
            "(d) a final made official, told to open pages over 2 workers + Redis:",
            "",
            live,
        ]
    text = "\n".join(report) + "\n"
    print()
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
