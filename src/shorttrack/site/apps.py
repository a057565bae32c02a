"""Django app config for the public site."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "shorttrack.site"
    label = "site"
    verbose_name = "Public site"
