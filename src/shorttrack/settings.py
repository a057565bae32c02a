"""Django settings for shorttrack.

SQLite in ``var/shorttrack.sqlite3`` by default; ``DATABASE_URL`` (postgres://...) selects
PostgreSQL. Everything a deployment changes comes from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SHORTTRACK_VAR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("SHORTTRACK_SECRET_KEY", "dev-only-not-secret-shorttrack")
DEBUG = os.environ.get("SHORTTRACK_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("SHORTTRACK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shorttrack.store",
    "shorttrack.site",
    "shorttrack.officials",
    "shorttrack.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
SHORTTRACK_PUBLIC_URL = os.environ.get("SHORTTRACK_PUBLIC_URL", "")

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'shorttrack.sqlite3'}", conn_max_age=60
    )
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
