"""URL map: the public site at the root, its JSON API under /api/, the Django admin for the
series organiser."""

from django.contrib import admin
from django.urls import include, path

from shorttrack.api.endpoints import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("officials/", include("shorttrack.officials.urls")),
    path("", include("shorttrack.site.urls")),
]
