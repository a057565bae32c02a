"""What a season page offers for sharing: a 1280x200 banner with the season's name and
dates, a QR code of the page's address, and the calendar as an iCalendar feed
(RFC 5545), all drawn from the season document."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import segno
from django.utils.html import escape
from icalendar import Calendar, Event, Timezone

from shorttrack.site.templatetags.results import date_range

BANNER_WIDTH, BANNER_HEIGHT = 1280, 200


def banner_svg(document: dict) -> str:
    """The season's name and dates on a 1280x200 banner; generic font families only, so it
    draws the same offline and needs no web font."""
    season = document["season"]
    dates = date_range(document["start_date"], document["end_date"])
    count = len(document["competitions"])
    cities = " · ".join(c["city"] for c in document["competitions"])
    label = " (simulated season)" if season["simulated"] else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BANNER_WIDTH}" height="{BANNER_HEIGHT}" '
        f'viewBox="0 0 {BANNER_WIDTH} {BANNER_HEIGHT}" role="img" aria-label="'
        f'{escape(season["name"])}{label}, {dates}">'
        '<defs><linearGradient id="ice" x1="0" y1="0" x2="1" y2="1">'
        '<stop offset="0" stop-color="#14213d"/><stop offset="1" stop-color="#0b6fb8"/>'
        "</linearGradient></defs>"
        f'<rect width="{BANNER_WIDTH}" height="{BANNER_HEIGHT}" fill="url(#ice)"/>'
        '<ellipse cx="1090" cy="100" rx="150" ry="62" fill="none" stroke="#ffffff" '
        'stroke-opacity=".35" stroke-width="10"/>'
        '<g font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" fill="#ffffff">'
        f'<text x="48" y="86" font-size="44" font-weight="700">{escape(season["name"])}</text>'
        f'<text x="48" y="134" font-size="28" fill="#c9d3de">{escape(dates)} · '
        f"{count} competition{'s' if count != 1 else ''}{escape(label)}</text>"
        f'<text x="48" y="172" font-size="20" fill="#c9d3de">{escape(cities)}</text>'
        "</g></svg>"
    )


def qr_svg(url: str) -> bytes:
    """A QR code of ``url`` as an SVG document."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=6, border=2, title="QR code of this page", xmldecl=True
    )
    return out.getvalue()


def calendar_ics(document: dict, page_url: str, host: str) -> bytes:
    """The season's calendar: one event per session where the schedule has sessions, else
    one all-day event per competition day; local times carry their time zone."""
    season = document["season"]
    calendar = Calendar()
    calendar.add("prodid", "-//shorttrack//season calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", season["name"])
    zones: set[str] = set()
    stamp = datetime.fromisoformat(document["updated_at"])
    for competition in document["competitions"]:
        where = ", ".join(x for x in (competition["venue"], competition["city"]) if x)
        for day in competition["days"]:
            title = f"{season['name']}: {competition['city']}, day {day['day']}"
            finals = ", ".join(f["title"] for f in day["finals"])
            description = f"{competition['name']}. Results: {page_url}"
            if finals:
                description = f"Finals: {finals}. " + description
            if day["sessions"]:
                for session in day["sessions"]:
                    starts = datetime.fromisoformat(session["starts_at"])
                    ends = (
                        datetime.fromisoformat(session["ends_at"])
                        if session["ends_at"]
                        else starts + timedelta(hours=3)
                    )
                    event = _event(
                        f"{season['slug']}-{competition['number']}-s{session['id']}@{host}",
                        f"{competition['city']}: {session['name']}",
                        stamp,
                        where,
                        description,
                    )
                    event.add("dtstart", starts.replace(tzinfo=None), parameters=_tz(competition))
                    event.add("dtend", ends.replace(tzinfo=None), parameters=_tz(competition))
                    zones.add(competition["time_zone"])
                    calendar.add_component(event)
            else:
                event = _event(
                    f"{season['slug']}-{competition['number']}-d{day['day']}@{host}",
                    title,
                    stamp,
                    where,
                    description,
                )
                first = date.fromisoformat(day["date"])
                event.add("dtstart", first)
                event.add("dtend", first + timedelta(days=1))
                calendar.add_component(event)
    if zones:
        # Only the transitions around the season: the whole 1970-2038 table is 3 kB a zone.
        first = date.fromisoformat(document["start_date"])
        last = date.fromisoformat(document["end_date"])
        for zone in sorted(zones):
            calendar.add_component(
                Timezone.from_tzid(
                    zone,
                    first_date=date(first.year - 1, 1, 1),
                    last_date=date(last.year + 1, 12, 31),
                )
            )
    return calendar.to_ical()


def _tz(competition: dict) -> dict:
    return {"TZID": competition["time_zone"]}


def _event(uid: str, summary: str, stamp: datetime, where: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstamp", stamp)
    event.add("location", where)
    event.add("description", description)
    return event
