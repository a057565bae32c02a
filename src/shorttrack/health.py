"""``/healthz``: whether this app process can serve, for the proxy and the service manager.

200 when the database answers a query and, where the live bus and caches are shared
(``REDIS_URL``), Redis answers a ping; else 503, naming what is down. Each check has a
short timeout, so a dead dependency makes the answer quick, not late. Never cached.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

REDIS_TIMEOUT_SECONDS = 1.0


def database_state() -> str:
    """'ok' when the database answers and holds the tables (an SQLite file that was
    removed, or a database never migrated, is as good as gone)."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if not name.startswith(("file:", ":memory:")) and not Path(name).is_file():
            return f"down: the database file {name} is missing"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[:1]
        return f"down: {first_line[0] if first_line else type(error).__name__}"
    return "ok"


def redis_state() -> str:
    if not settings.REDIS_URL:
        return "not used"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as error:
        return f"down: {error}"
    return "ok"


@never_cache
def healthz(request):
    checks = {"database": database_state(), "redis": redis_state()}
    healthy = all(state in ("ok", "not used") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
