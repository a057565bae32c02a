"""Template filters of the officials' console."""

from django import template

from shorttrack.rules.progression import start_list_label
from shorttrack.rules.times import format_time

register = template.Library()


@register.filter
def race_time(ms: int | None) -> str:
    """83456 -> '1:23.456'."""
    return format_time(ms)


@register.filter
def qualified(qualified_by: str) -> str:
    """A start list's 'seed' and 'rep' as 'seeded' and 'repechage'; marks as they are."""
    return start_list_label(qualified_by)


@register.filter
def errors_of(errors: dict, key) -> list:
    """The reasons a dict of problems holds for one row (a skater, a race)."""
    return errors.get(key, []) if errors else []
