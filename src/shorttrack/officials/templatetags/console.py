"""Template filters of the officials' console."""

from django import template

from shorttrack.rules.times import format_time

register = template.Library()


@register.filter
def race_time(ms: int | None) -> str:
    """83456 -> '1:23.456'."""
    return format_time(ms)


@register.filter
def errors_of(errors: dict, key) -> list:
    """The reasons a dict of problems holds for one row (a skater, a race)."""
    return errors.get(key, []) if errors else []
