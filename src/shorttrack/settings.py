"""Django settings for shorttrack.

SQLite in ``var/shorttrack.sqlite3`` by default; ``DATABASE_URL`` (postgres://...) selects
PostgreSQL. Everything a deployment changes comes from the environment (README.md lists
the variables, docs/deploy.md shows a production set-up).

Safe by default: DEBUG is off unless ``SHORTTRACK_DEBUG=1``; there is no built-in secret
key, so the server refuses to start without ``SHORTTRACK_SECRET_KEY`` (``asgi.py``), except
in the demo (``SHORTTRACK_DEMO=1``, set by ``make demo``), which uses a key labelled as
such. Command-line work that signs nothing runs without one. Behind TLS
(``SHORTTRACK_PUBLIC_URL`` starting with https://) cookies are Secure, plain HTTP is
redirected and HSTS is sent.

On PostgreSQL each process keeps a pool of connections (``SHORTTRACK_DB_POOL_MIN_SIZE``,
``SHORTTRACK_DB_POOL_MAX_SIZE``, ``SHORTTRACK_DB_POOL_TIMEOUT``) and prepares the statements
it runs again (``SHORTTRACK_DB_PREPARE``); behind pgbouncer, ``SHORTTRACK_DB_POOL=0`` and,
unless it keeps prepared statements, ``SHORTTRACK_DB_PREPARE=0`` (docs/deploy.md).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SHORTTRACK_VAR", Path.cwd() / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


DEMO = _flag("SHORTTRACK_DEMO")
DEMO_SECRET_KEY = "demo-only-not-secret-shorttrack-never-use-in-production"
# Empty when unset: Django then refuses anything that signs (sessions, CSRF), and the
# server refuses to start (asgi.py), rather than running on a key everyone can read.
SECRET_KEY = os.environ.get("SHORTTRACK_SECRET_KEY") or (DEMO_SECRET_KEY if DEMO else "")
DEBUG = _flag("SHORTTRACK_DEBUG")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("SHORTTRACK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # The history of who changed the calendar, skaters, entries and officials, and when.
    "simple_history",
    "shorttrack.store",
    "shorttrack.site",
    "shorttrack.officials",
    "shorttrack.api",
    # After shorttrack.api (whose templates may override its own): django-ninja serves
    # Swagger UI for /api/docs from its static files, not from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shorttrack.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "shorttrack.asgi.application"

# Officials sign in to the console; the QR codes on printed sheets lead to the public site
# at SHORTTRACK_PUBLIC_URL (https://results.example.org), else to the server that printed.
LOGIN_URL = "officials:login"
LOGIN_REDIRECT_URL = "officials:home"
SHORTTRACK_PUBLIC_URL = os.environ.get("SHORTTRACK_PUBLIC_URL", "").rstrip("/")

# Behind TLS. The proxy (docs/deploy.md: nginx) terminates TLS and says so in
# X-Forwarded-Proto; only trust that header when told the app sits behind such a proxy.
if _flag("SHORTTRACK_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
BEHIND_TLS = SHORTTRACK_PUBLIC_URL.startswith("https://")
if BEHIND_TLS:
    SECURE_SSL_REDIRECT = True
    # The proxy's health check talks plain HTTP to the app itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SHORTTRACK_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SHORTTRACK_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("SHORTTRACK_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if SHORTTRACK_PUBLIC_URL:
    CSRF_TRUSTED_ORIGINS = [SHORTTRACK_PUBLIC_URL]
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every page, the officials' console included, runs only its own files: htmx and its SSE
# extension are vendored under static/, nothing inline, no nonces (a nonce would make
# every cached public page personal).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account, or from one address, that account or address is locked out for the cool-off
# time, the right password included; each lockout is a warning in the log.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SHORTTRACK_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SHORTTRACK_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The log names the account and the address of each failure and lockout (never a password).
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_LOCKOUT_CALLABLE = "shorttrack.officials.views.sign_in.locked_out"
AXES_VERBOSE = False  # no banner at start-up; failures and lockouts are still logged
# The address is REMOTE_ADDR: behind nginx, uvicorn sets it from X-Forwarded-For
# (--proxy-headers --forwarded-allow-ips 127.0.0.1 in deploy/systemd/shorttrack@.service).

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'shorttrack.sqlite3'}", conn_max_age=60
    )
}


def _pool_size(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number, 1 or more")
    return int(value)


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI a Django connection belongs to one request, not to a thread: kept for
    # CONN_MAX_AGE seconds, each request's would stay open after it (bench/pool.py: 48
    # sessions held after 3 s of /healthz from 10 clients, then PostgreSQL's "too many
    # clients"). So 0: the pool keeps connections open; without one (SHORTTRACK_DB_POOL=0,
    # behind pgbouncer) a request opens one and closes it at its end.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if _flag("SHORTTRACK_DB_PREPARE", True):
        # Parameters sent apart from the SQL (server-side binding), and a statement run a
        # second time on a connection prepared there (psycopg's prepare_threshold): its
        # later runs skip PostgreSQL's parse and plan, on a connection the pool keeps. The
        # simulated bench competition: PostgreSQL's CPU 3.1 s -> 1.75 s, the app's 8.3 s
        # -> 7.7 s (docs/deploy.md). Neither alone gains anything: psycopg prepares only
        # server-bound statements. Off (SHORTTRACK_DB_PREPARE=0) behind a pgbouncer in
        # transaction mode that keeps no prepared statements (before 1.21, or
        # max_prepared_statements = 0).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 1}
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _flag(
    "SHORTTRACK_DB_POOL", True
):
    # Each process keeps a pool of PostgreSQL connections (psycopg_pool, Django's own
    # option): a request or a command takes one and gives it back when it finishes, so no
    # request pays for a new connection.
    _POOL_MIN = _pool_size("SHORTTRACK_DB_POOL_MIN_SIZE", 2)
    _POOL_MAX = _pool_size("SHORTTRACK_DB_POOL_MAX_SIZE", 8)
    if _POOL_MIN > _POOL_MAX:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"SHORTTRACK_DB_POOL_MIN_SIZE={_POOL_MIN} is more than "
            f"SHORTTRACK_DB_POOL_MAX_SIZE={_POOL_MAX}"
        )
    # A connection the server ended (a restart, pg_terminate_backend, an idle timeout)
    # stays in the pool and would fail the request that takes it next: with health checks
    # on, Django has the pool check each connection as it is handed out
    # (psycopg_pool.ConnectionPool.check_connection, one empty query) and replace a dead
    # one. Django 5.2 sets the pool's "check" from this; a "check" in OPTIONS["pool"] too
    # would be a TypeError.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": _POOL_MIN,
        "max_size": _POOL_MAX,
        # Seconds a request waits for a free connection before it fails (a 500, logged).
        "timeout": _pool_size("SHORTTRACK_DB_POOL_TIMEOUT", 10),
        # Idle connections above min_size are closed after 5 minutes.
        "max_idle": 300,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging lets pages read while a result is being written, and a normal
    # (not full) sync per commit keeps a race made official quick on a laptop at the rink;
    # IMMEDIATE transactions take the write lock up front instead of failing half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# Production runs `manage.py collectstatic` into this folder; without it WhiteNoise serves
# the apps' static files directly.
STATIC_ROOT = os.environ.get("SHORTTRACK_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True

# Page caches and the live-update bus: in this process by default (one worker); with
# REDIS_URL (redis://127.0.0.1:6379/0) shared by every worker, and live messages cross them.
REDIS_URL = os.environ.get("REDIS_URL") or None
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shorttrack",
            "TIMEOUT": 300,
            # A Redis that stops answering delays a request by a second, never hangs it;
            # the connection pool takes these (redis-py's socket options).
            "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Logs go to standard error, one JSON object per line; the service manager (systemd's
# journal) keeps them. One line per write of the services (shorttrack.writes: who, what,
# which competition, outcome), sign-in failures and lockouts (axes), server errors.
LOG_LEVEL = os.environ.get("SHORTTRACK_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "shorttrack.services.write_log.JsonLines"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "shorttrack.writes": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        # axes logs each failure and each lockout as a warning, its housekeeping as info.
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
