"""The public site under uvicorn, as in production, for the scripts of bench/: a database
built with the project's own commands, a server on a free port, stopped at the end.

Several workers are started by ``python bench/serving.py PORT WORKERS`` rather than
``uvicorn --workers``: uvicorn (0.54) binds the shared socket without naming TCP as its
protocol, so asyncio never sets TCP_NODELAY on the connections and every keep-alive
response after the first waits ~40 ms for the client's delayed ACK (uvicorn issue #3149).
Here the socket is bound as TCP and handed to uvicorn's own supervisor.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def site_env(database_url: str, redis_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of the server and of the commands run against its database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "shorttrack.settings",
        "SHORTTRACK_DEBUG": "0",
        # The server refuses to start without a key; this one signs nothing that matters.
        "SHORTTRACK_SECRET_KEY": os.environ.get("SHORTTRACK_SECRET_KEY", "bench-only-not-secret"),
        **extra,
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def run(env: dict[str, str], *command: str) -> str:
    """A command of the project (`shorttrack ...`, `manage.py ...`), failing loudly."""
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def shorttrack(env: dict[str, str], *args: str) -> str:
    return run(env, sys.executable, "-m", "shorttrack.cli", *args)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_site(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """uvicorn serving the site with ``workers`` processes; yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "shorttrack.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if workers > 1:
        command = [sys.executable, str(Path(__file__)), str(port), str(workers)]
    server = subprocess.Popen(command, env=env, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/seasons/", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the site did not start: {' '.join(command)}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def serve_workers(port: int, workers: int) -> None:
    """uvicorn's supervisor with ``workers`` processes on a socket bound as TCP."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "shorttrack.asgi:application",
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(config.backlog)
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    serve_workers(int(sys.argv[1]), int(sys.argv[2]))
