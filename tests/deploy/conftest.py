"""The production topology of docs/deploy.md, brought up on this machine: a fresh PostgreSQL
database, Redis, two app processes started as the systemd unit starts them, and nginx
running the shipped site configuration in front of them, over TLS.

Only ``make test-deploy`` (``pytest -m topology tests/deploy``) runs these tests; ``make
test`` leaves them out. They need ``apt-get install nginx chromium openssl
postgresql-client`` (nginx, Debian's chromium, a certificate, pg_dump for the backup unit),
PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379. With
``CI=true`` a missing one fails the run; elsewhere the tests are skipped with a note. They
install nothing.

The shipped files are the single source. The app processes run the unit's ExecStart, with
the unit's Environment= lines and the environment file example; nginx runs
deploy/nginx/shorttrack.conf inside Debian's own /etc/nginx/nginx.conf. Replaced are only
paths (into a temporary folder), ports and listen addresses (free ports on the loopback),
and the values that are this machine's: the secret key, the database, Redis, and the
public URL (with the test's port). Each replacement must find what it replaces, so a
change to a shipped file that the test no longer follows fails here.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.support import FIXTURES, REPO

DEPLOY = REPO / "deploy"
UNIT = DEPLOY / "systemd" / "shorttrack@.service"
SITE_CONF = DEPLOY / "nginx" / "shorttrack.conf"
ENV_EXAMPLE = DEPLOY / "shorttrack.env.example"
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")
SERVER_NAME = "results.example.org"
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
# Redis databases of the other tests: 15 (browser tests, tests/test_live.py), 14 (bench/site.py).
REDIS_URL = "redis://127.0.0.1:6379/13"
APP_PROCESSES = 2
OFFICIAL_PASSWORD = "topology-referee-2024"
START_SECONDS = 30
# A season of the repository's own (real results live outside it): 2024/25, Heerenveen.
CONSOLE_COMPETITION = FIXTURES / "console-competition"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``topology`` run only when the marker is asked for (``-m topology``)."""
    if "topology" in (config.getoption("markexpr") or ""):
        return
    dropped = [item for item in items if item.get_closest_marker("topology")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker("topology")]


def unavailable(what: str) -> NoReturn:
    """Fail under CI (the topology must be proven there), skip with a note elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}; with CI=true the production topology test must run")
    pytest.skip(f"{what}: the production topology test is not run")


# -- the shipped files, read -------------------------------------------------------------


def replace(pattern: str, replacement, text: str, source: Path, count: int = 0) -> str:
    """re.sub that insists on finding ``pattern`` (multi-line mode)."""
    new, found = re.subn(pattern, replacement, text, count=count, flags=re.M)
    if not found:
        raise AssertionError(
            f"{source.relative_to(REPO) if source.is_relative_to(REPO) else source}: "
            f"nothing matches {pattern!r}; tests/deploy/conftest.py renders it for the test"
        )
    return new


@dataclass(frozen=True)
class Unit:
    """A shipped systemd unit, read the way systemd reads the parts the test uses."""

    path: Path

    def directives(self) -> list[tuple[str, str]]:
        """(key, value) of each directive, continuation lines joined."""
        found = []
        for line in re.sub(r"\\\n", " ", self.path.read_text()).splitlines():
            line = line.strip()
            if not line or line.startswith(("#", ";", "[")):
                continue
            key, _, value = line.partition("=")
            found.append((key.strip(), value.strip()))
        return found

    def value(self, key: str) -> str:
        values = [value for name, value in self.directives() if name == key]
        assert len(values) == 1, f"{self.path.name}: expected one {key}=, found {values}"
        return values[0]

    def command(self, key: str, paths: dict[str, str], instance: str = "") -> list[str]:
        """The command line of ``key`` (ExecStart) as systemd runs it: the specifiers %i
        (the instance) and %% expanded, $$ made $; then moved to the test's paths."""
        value = self.value(key)
        unknown = set(re.findall(r"%(.)", value)) - {"i", "%"}
        assert not unknown, f"{self.path.name}: specifiers the test does not know: {unknown}"
        assert not re.search(r"(?<!\$)\$(?!\$)", value), f"{self.path.name}: $ expansion in {key}"
        value = re.sub(r"%([i%])", lambda m: instance if m.group(1) == "i" else "%", value)
        return [move_paths(word, paths) for word in shlex.split(value.replace("$$", "$"))]

    def environment(self, paths: dict[str, str], env_file: dict[str, str]) -> dict[str, str]:
        """What systemd gives the unit's process: a clean environment with HOME of its user,
        the EnvironmentFile's values, then each Environment= line."""
        environment_file = self.value("EnvironmentFile")
        assert environment_file in paths, f"{self.path.name}: EnvironmentFile={environment_file}"
        env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
            "HOME": paths["/srv/shorttrack"],
            **env_file,
        }
        for key, value in self.directives():
            if key == "Environment":
                name, _, setting = value.partition("=")
                env[name] = move_paths(setting, paths)
        return env


APP_UNIT = Unit(UNIT)
BACKUP_UNIT = Unit(DEPLOY / "systemd" / "shorttrack-backup.service")


def read_env_file(text: str) -> dict[str, str]:
    """KEY=value lines, as systemd's EnvironmentFile= and the shell both read them."""
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), f"line {number}: {line!r}"
        assert not re.search(r"\s|[\"'$`\\]", value), f"line {number}: not shell-safe: {line!r}"
        values[key] = value
    return values


def move_paths(text: str, paths: dict[str, str]) -> str:
    for production in sorted(paths, key=len, reverse=True):
        text = text.replace(production, paths[production])
    return text


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def render_site(
    text: str, *, http_port: int, https_port: int, app_ports: list[int], paths: dict[str, str]
) -> str:
    """deploy/nginx/shorttrack.conf on the test's ports and paths, listening on the loopback."""
    text = replace(r"^(\s*listen\s+)80\b", rf"\g<1>127.0.0.1:{http_port}", text, SITE_CONF)
    text = replace(r"^(\s*listen\s+)443\b", rf"\g<1>127.0.0.1:{https_port}", text, SITE_CONF)
    if ipv6_loopback():
        text = replace(r"^(\s*listen\s+)\[::\]:80\b", rf"\g<1>[::1]:{http_port}", text, SITE_CONF)
        text = replace(r"^(\s*listen\s+)\[::\]:443\b", rf"\g<1>[::1]:{https_port}", text, SITE_CONF)
    else:
        text = replace(r"^\s*listen\s+\[::\]:.*\n", "", text, SITE_CONF)
    servers = re.findall(r"^\s*server\s+127\.0\.0\.1:\d+[^;]*;\n", text, flags=re.M)
    assert len(servers) >= 2, f"{SITE_CONF.name}: its upstream should list two app processes"
    first = servers[0]
    lines = "".join(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", first) for port in app_ports)
    text = replace(re.escape(first), lambda _: lines, text, SITE_CONF, count=1)
    for other in servers[1:]:
        text = replace(re.escape(other), "", text, SITE_CONF, count=1)
    for production in paths:
        text = replace(re.escape(production), lambda _, to=paths[production]: to, text, SITE_CONF)
    return text


def render_main(text: str, *, site: Path, folder: Path, logs: Path) -> str:
    """Debian's nginx.conf with the site above as its only site, its files in ``folder``."""
    source = DEBIAN_NGINX_CONF
    user = "user root;" if os.geteuid() == 0 else ""  # the workers read the test's files
    text = replace(r"^user\s+[^;]*;", user, text, source)
    text = replace(r"^pid\s+[^;]*;", f"pid {folder / 'nginx.pid'};", text, source)
    text = replace(r"/var/log/nginx/", f"{logs}/", text, source)
    text = replace(
        r"^(\s*)include\s+/etc/nginx/sites-enabled/\*;", rf"\g<1>include {site};", text, source
    )
    temp = "".join(
        f"\t{kind}_temp_path {folder / 'temp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return replace(r"^http\s*\{\n", lambda m: m.group(0) + temp, text, source, count=1)


# -- talking to it -----------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class NamedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to 127.0.0.1 as if to ``server_name`` (SNI and the certificate's name)."""

    def __init__(self, port: int, context: ssl.SSLContext, server_name: str, timeout: float):
        super().__init__("127.0.0.1", port, context=context, timeout=timeout)
        self.server_name = server_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.server_name)


def fetch(
    connection: http.client.HTTPConnection,
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
) -> Reply:
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return Reply(response.status, response.headers, response.read())


class EventStream:
    """A client of a live stream (server-sent events), read in a thread of its own."""

    def __init__(self, connection: http.client.HTTPConnection, path: str, headers: dict):
        connection.connect()
        self._socket = connection.sock
        connection.request("GET", path, headers={"Accept": "text/event-stream", **headers})
        self.response = connection.getresponse()
        self.lines: list[str] = []
        self.updates: list[dict] = []
        self.opened = threading.Event()  # the greeting came: subscribed
        self.updated = threading.Event()
        self.official = threading.Event()  # an update saying the race is official
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        event: dict[str, str] = {}
        try:
            while True:
                raw = self.response.readline()
                if not raw:
                    break
                line = raw.decode().rstrip("\r\n")
                self.lines.append(line)
                if line.startswith(": listening to "):  # the stream's greeting
                    self.opened.set()
                if line:
                    name, _, value = line.partition(":")
                    event[name] = value.strip()
                    continue
                if event.get("event") == "update":
                    self.updates.append(json.loads(event["data"]))
                    self.updated.set()
                    if self.updates[-1].get("status") == "official":
                        self.official.set()
                event = {}
        except (OSError, ValueError, http.client.HTTPException):
            pass
        finally:
            self.ended.set()

    def close(self) -> None:
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._socket.close()
        self._thread.join(timeout=5)


# -- running it --------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self, last: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-last:]
        except OSError:
            return ""

    def stop(self, timeout: float = 15) -> float:
        """SIGTERM, as systemctl stop sends it; SIGKILL to its group after ``timeout``.
        Returns the seconds it took to exit."""
        started = time.monotonic()
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        return time.monotonic() - started


def start(name: str, command: list[str], *, env: dict, cwd: Path, log: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name, popen, log)


def run(command: list[str], *, env: dict, cwd: Path, timeout: float = 120) -> str:
    started = time.monotonic()
    done = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    print(
        f"topology: {' '.join(Path(c).name for c in command[:3])}: {time.monotonic() - started:.1f} s"
    )
    if done.returncode:
        raise AssertionError(
            f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(what: str, ready, process: Process, seconds: float = START_SECONDS) -> None:
    started = time.monotonic()
    deadline = started + seconds
    while True:
        if process.popen.poll() is not None:
            raise AssertionError(
                f"{process.name} exited ({process.popen.returncode}) before {what}:\n"
                f"{process.output()}"
            )
        try:
            if ready():
                print(f"topology: {process.name} {what}: {time.monotonic() - started:.1f} s")
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{process.name}: not {what} after {seconds} s:\n{process.output()}"
            )
        time.sleep(0.2)


@dataclass
class Topology:
    folder: Path
    env: dict[str, str]  # the app processes' environment
    env_file: Path  # /etc/shorttrack/shorttrack.env
    paths: dict[str, str]  # production path -> test path
    app_ports: list[int]
    http_port: int
    https_port: int
    static_root: Path
    acme_root: Path
    access_log: Path
    tls: ssl.SSLContext
    apps: dict[int, Process]
    nginx: Process
    race_day: dict

    @property
    def origin(self) -> str:
        return f"https://{SERVER_NAME}:{self.https_port}"

    def https(self, timeout: float = 10) -> NamedHTTPSConnection:
        return NamedHTTPSConnection(self.https_port, self.tls, SERVER_NAME, timeout)

    def https_host(self) -> dict[str, str]:
        return {"Host": f"{SERVER_NAME}:{self.https_port}"}

    def http(self, timeout: float = 10) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=timeout)

    def app(self, port: int, timeout: float = 10) -> http.client.HTTPConnection:
        """Straight to one app process, as nginx talks to it."""
        return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def log_lines(self) -> list[str]:
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []

    def upstreams(self, request: str, at_least: int = 1, seconds: float = 5) -> list[str]:
        """The app process (127.0.0.1:PORT, or - for nginx itself) of each logged request
        whose request line matches the pattern ``request``, in order; waits up to
        ``seconds`` for ``at_least`` of them (nginx logs a request once it has answered)."""
        deadline = time.monotonic() + seconds
        while True:
            found = self._upstreams(request)
            if len(found) >= at_least or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def _upstreams(self, request: str) -> list[str]:
        found = []
        for line in self.log_lines():
            quoted = re.search(r'"([^"]*)"', line)
            upstream = re.search(r' upstream="([^"]*)"', line)
            if quoted and upstream and re.search(request, quoted.group(1)):
                found.append(upstream.group(1))
        return found

    def unit_command(self, port: int) -> list[str]:
        return APP_UNIT.command("ExecStart", self.paths, str(port))


def require_tools() -> dict[str, str]:
    found = {}
    for tool, package in (
        ("nginx", "nginx"),
        ("openssl", "openssl"),
        ("pg_dump", "postgresql-client"),
    ):
        path = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/usr/bin")
        if not path:
            unavailable(f"{tool} is not installed (apt-get install {package})")
        found[tool] = path
    if not DEBIAN_NGINX_CONF.is_file():
        unavailable(f"{DEBIAN_NGINX_CONF} is missing: Debian's nginx package provides it")
    from tests.browser.conftest import CHROMIUM

    if not shutil.which(CHROMIUM):
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    for tool in ("uvicorn", "shorttrack"):
        if not (Path(sys.prefix) / "bin" / tool).is_file():
            unavailable(f"{tool} is not installed in {sys.prefix} (make .venv/.test-installed)")
    return found


def fresh_database(cleanup: ExitStack) -> str:
    import psycopg
    from psycopg import sql

    name = f"shorttrack_topology_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        admin = psycopg.connect(**POSTGRES, dbname="postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL at 127.0.0.1:5432 does not answer ({error})")
    cleanup.callback(admin.close)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    cleanup.callback(
        admin.execute,
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
    )
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def fresh_redis(cleanup: ExitStack) -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as error:
        unavailable(f"Redis at {REDIS_URL} does not answer ({error})")
    cleanup.callback(client.close)
    cleanup.callback(client.flushdb)
    return REDIS_URL


def certificate(openssl: str, folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the server name, as certbot would leave one."""
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", f"/CN={SERVER_NAME}",
         "-addext", f"subjectAltName=DNS:{SERVER_NAME}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def topology(tmp_path_factory) -> Iterator[Topology]:
    tools = require_tools()
    folder = tmp_path_factory.mktemp("topology")
    paths = {
        "/srv/shorttrack/venv": sys.prefix,
        "/srv/shorttrack/static": str(folder / "static"),
        "/srv/shorttrack": str(folder / "home"),
        "/var/lib/shorttrack": str(folder / "state"),
        "/var/cache/shorttrack": str(folder / "cache"),
        "/etc/shorttrack/shorttrack.env": str(folder / "shorttrack.env"),
        "/var/www/letsencrypt": str(folder / "acme"),
        "/var/backups/shorttrack": str(folder / "backups"),
        "/var/log/nginx/": str(folder / "log") + "/",
        "/var/cache/nginx/shorttrack": str(folder / "nginx-cache"),
    }
    for name in ("static", "home", "state", "cache", "acme", "log", "temp", "backups"):
        (folder / name).mkdir()
    venv_bin = Path(sys.prefix) / "bin"
    with ExitStack() as cleanup:
        cert, key = certificate(tools["openssl"], folder)
        paths[f"/etc/letsencrypt/live/{SERVER_NAME}/fullchain.pem"] = str(cert)
        paths[f"/etc/letsencrypt/live/{SERVER_NAME}/privkey.pem"] = str(key)
        database_url = fresh_database(cleanup)
        redis_url = fresh_redis(cleanup)
        http_port, https_port = free_port(), free_port()
        app_ports = [free_port() for _ in range(APP_PROCESSES)]

        # /etc/shorttrack/shorttrack.env: the example, with this machine's values.
        env_file = read_env_file(ENV_EXAMPLE.read_text())
        env_file.update(
            SHORTTRACK_SECRET_KEY=secrets.token_urlsafe(50),
            SHORTTRACK_PUBLIC_URL=f"https://{SERVER_NAME}:{https_port}",
            SHORTTRACK_STATIC_ROOT=move_paths(env_file["SHORTTRACK_STATIC_ROOT"], paths),
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
        )
        (folder / "shorttrack.env").write_text(
            "".join(f"{key}={value}\n" for key, value in env_file.items())
        )
        env = APP_UNIT.environment(paths, env_file)

        # The administrator's steps (docs/deploy.md).
        shorttrack = str(venv_bin / "shorttrack")
        run([shorttrack, "migrate"], env=env, cwd=REPO)
        manage = [str(venv_bin / "python"), str(REPO / "manage.py")]
        run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, cwd=REPO)
        run([*manage, "check", "--deploy", "--fail-level", "WARNING"], env=env, cwd=REPO)

        # The app processes, as systemd starts the instances shorttrack@PORT.
        apps: dict[int, Process] = {}
        for port in app_ports:
            apps[port] = start(
                f"app process on port {port}",
                APP_UNIT.command("ExecStart", paths, str(port)),
                env=env,
                cwd=Path(paths["/var/lib/shorttrack"]),
                log=folder / "log" / f"app-{port}.log",
            )
            cleanup.callback(apps[port].stop)

        # nginx with the shipped site, inside Debian's nginx.conf.
        site = folder / "shorttrack.conf"
        site_paths = (
            "/srv/shorttrack/static",
            "/var/www/letsencrypt",
            "/var/log/nginx/",
            "/var/cache/nginx/shorttrack",
        )
        site.write_text(
            render_site(
                SITE_CONF.read_text(),
                http_port=http_port,
                https_port=https_port,
                app_ports=app_ports,
                paths={
                    production: test
                    for production, test in paths.items()
                    if production in site_paths or production.startswith("/etc/letsencrypt/")
                },
            )
        )
        main = folder / "nginx.conf"
        main.write_text(
            render_main(
                DEBIAN_NGINX_CONF.read_text(), site=site, folder=folder, logs=folder / "log"
            )
        )
        nginx = [tools["nginx"], "-p", str(folder), "-c", str(main), "-e", str(folder / "log" / "error.log")]  # fmt: skip
        checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, f"nginx -t:\n{checked.stderr}\n{main.read_text()}"
        server = start("nginx", [*nginx, "-g", "daemon off;"], env=dict(os.environ), cwd=folder,
                       log=folder / "log" / "nginx.out")  # fmt: skip
        cleanup.callback(server.stop)

        # While they start: a season's calendar and skaters, and a race day (2023/24) whose
        # 500m final waits for its referee.
        run([shorttrack, "import", *map(str, CONSOLE_COMPETITION.glob("*.csv"))], env=env, cwd=REPO)
        race_day = json.loads(
            run(
                [str(venv_bin / "python"), "-m", "tests.browser.race_day", "build"],
                env={**env, "DJANGO_SETTINGS_MODULE": "shorttrack.settings"},
                cwd=REPO,
            )
        )
        run(
            [shorttrack, "official", "rita", "--season", "2023/24", "--competition",
             str(race_day["competition"]), "--role", "referee", "--password-env", "PASSWORD"],
            env={**env, "PASSWORD": OFFICIAL_PASSWORD},
            cwd=REPO,
        )  # fmt: skip

        for port, process in apps.items():

            def healthy(port=port) -> bool:
                reply = fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=5),
                              "/healthz", {"Host": SERVER_NAME})  # fmt: skip
                return reply.status == 200

            wait_until("healthy at /healthz", healthy, process)

        def listening() -> bool:
            with socket.create_connection(("127.0.0.1", https_port), timeout=1):
                return True

        wait_until("listening", listening, server)
        tls = ssl.create_default_context(cafile=str(cert))

        yield Topology(
            folder=folder,
            env=env,
            env_file=folder / "shorttrack.env",
            paths=paths,
            app_ports=app_ports,
            http_port=http_port,
            https_port=https_port,
            static_root=Path(env_file["SHORTTRACK_STATIC_ROOT"]),
            acme_root=folder / "acme",
            access_log=folder / "log" / "shorttrack.access.log",
            tls=tls,
            apps=apps,
            nginx=server,
            race_day=race_day,
        )


@pytest.fixture(scope="module")
def browser(topology):
    """Debian's chromium, resolving the server name to this machine's nginx."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {SERVER_NAME} 127.0.0.1"],
        )
        yield launched
        launched.close()
