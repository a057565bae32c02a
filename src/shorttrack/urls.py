"""URL map: the public site at the root, the Django admin for the series organiser."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("shorttrack.site.urls")),
]
