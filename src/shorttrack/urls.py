"""URL map: the public site at the root, its JSON API under /api/, the Django admin for the
series organiser, the officials' console, and /healthz for the proxy."""

from django.contrib import admin
from django.urls import include, path

from shorttrack.api.endpoints import api
from shorttrack.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("officials/", include("shorttrack.officials.urls")),
    path("", include("shorttrack.site.urls")),
]
