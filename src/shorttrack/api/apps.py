"""Django app config for the JSON API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shorttrack.api"
    label = "api"
    verbose_name = "JSON API"
