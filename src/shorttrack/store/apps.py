"""Django app config for the results store."""

from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "shorttrack.store"
    label = "store"
    verbose_name = "Results store"
