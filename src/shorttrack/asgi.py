"""ASGI entry point, served by uvicorn: ``uvicorn shorttrack.asgi:application``.

Public pages are answered from the page cache in front of Django when it holds them
(``shorttrack.site.page_cache``); everything else goes through Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
django_application = get_asgi_application()

from shorttrack.site.page_cache import CachedPages  # noqa: E402  (needs Django set up)

application = CachedPages(django_application)
