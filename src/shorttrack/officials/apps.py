"""Django app config for the officials' console."""

from django.apps import AppConfig


class OfficialsConfig(AppConfig):
    name = "shorttrack.officials"
    label = "officials"
    verbose_name = "Officials' console"
