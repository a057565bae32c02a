"""ASGI entry point, served by uvicorn: ``uvicorn shorttrack.asgi:application``.

Public pages are answered from the page cache in front of Django when it holds them
(``shorttrack.site.page_cache``: ETag, Last-Modified, Cache-Control, 304s, gzip and
brotli); everything else goes through Django, marked for no shared cache to keep.

A server without a secret key would sign sessions and CSRF tokens with a key anyone can
read, so it does not start: it says what to set and exits.
"""

import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

try:
    settings.SECRET_KEY  # noqa: B018  (Django refuses an empty key when it is read)
except ImproperlyConfigured:
    sys.exit(
        "shorttrack: SHORTTRACK_SECRET_KEY is not set; the server will not start without "
        "a secret key. Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
        "(docs/deploy.md), or run `make demo` for the demo."
    )

from shorttrack.site.page_cache import CachedPages  # noqa: E402  (needs Django set up)
from shorttrack.site.stream import LiveStreams  # noqa: E402  (live pages' streams, in front)

application = LiveStreams(CachedPages(django_application))
