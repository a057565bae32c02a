"""Template filters of the public pages: moments and dates the way a results sheet writes
them. Documents carry ISO 8601 strings; these turn them into words."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import template

from shorttrack.rules.progression import start_list_label

register = template.Library()


@register.filter
def qualified(qualified_by: str) -> str:
    """A start list's 'seed' and 'rep' as 'seeded' and 'repechage'; marks as they are."""
    return start_list_label(qualified_by)


def _moment(value) -> datetime | None:
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@register.filter
def clock(value) -> str:
    """'2022-10-29T14:00:00-04:00' -> '14:00' (the time where the moment was written)."""
    moment = _moment(value)
    return moment.strftime("%H:%M") if moment else ""


@register.filter
def day(value) -> str:
    """'2022-10-29' -> 'Sat 29 Oct 2022'."""
    if not value:
        return ""
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{d:%a} {d.day} {d:%b %Y}"


@register.filter
def utc(value) -> str:
    """'2022-10-29T18:10:00Z' -> '29 Oct 2022 18:10 UTC'."""
    moment = _moment(value)
    if moment is None:
        return ""
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


@register.filter
def utc_clock(value) -> str:
    """'2022-10-29T18:10:04.5+00:00' -> '18:10:04 UTC'."""
    moment = _moment(value)
    if moment is None:
        return ""
    return f"{moment.astimezone(UTC):%H:%M:%S} UTC"


@register.filter
def date_range(start, end) -> str:
    """'2022-10-28', '2022-10-30' -> '28–30 Oct 2022'."""
    if not start:
        return ""
    a, b = date.fromisoformat(str(start)), date.fromisoformat(str(end or start))
    if a == b:
        return f"{a.day} {a:%b %Y}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%b %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%b} – {b.day} {b:%b %Y}"
    return f"{a.day} {a:%b %Y} – {b.day} {b:%b %Y}"


@register.filter
def medal(rank) -> str:
    return {1: "gold", 2: "silver", 3: "bronze"}.get(rank, "")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def ordinal(value) -> str:
    """3 -> '3rd', 11 -> '11th', 22 -> '22nd'."""
    if value is None or value == "":
        return ""
    n = int(value)
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
