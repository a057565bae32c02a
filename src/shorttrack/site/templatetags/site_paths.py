"""The paths of a skater's and a race's pages, the links a results table repeats on every
line: ``{{ line.skater_id|skater_path }}`` is ``{% url 'site:skater' line.skater_id %}``.

The URLconf is asked once per page name (and script prefix) for the path around the id;
Django's ``reverse`` for each of a distance page's 200 links was a third of its render.
"""

from __future__ import annotations

from functools import cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_PLACEHOLDER = 987654321987  # an id no page has: what stands around it is the path


@cache
def _around_id(name: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    head, found, tail = reverse(name, args=[_PLACEHOLDER], urlconf=urlconf).partition(
        str(_PLACEHOLDER)
    )
    assert found, f"{name} does not carry its id in its path"
    return head, tail


def page_path(name: str, pk) -> str:
    """``reverse(name, args=[pk])`` for a page whose one argument is an integer id."""
    head, tail = _around_id(name, get_script_prefix(), get_urlconf())
    return f"{head}{int(pk)}{tail}"


@register.filter
def skater_path(skater_id) -> str:
    return page_path("site:skater", skater_id)


@register.filter
def race_path(race_id) -> str:
    return page_path("site:race", race_id)
