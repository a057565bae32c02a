"""ASGI entry point, served by uvicorn: ``uvicorn shorttrack.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
application = get_asgi_application()
