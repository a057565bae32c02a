"""World records per distance, and the plausibility check they give a race time.

A time more than a second faster than the world record is almost certainly a typing
error (a lap time in the finish column, a missing minute); results import refuses it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shorttrack.rules.distances import DISTANCES, Distance
from shorttrack.rules.times import format_time, parse_time

PLAUSIBILITY_MARGIN_MS = 1000


@dataclass(frozen=True)
class WorldRecord:
    distance: str
    time_ms: int
    holder: str
    year: int


@cache
def world_records() -> dict[str, WorldRecord]:
    raw = tomllib.loads((Path(__file__).parent / "world_records.toml").read_text())
    return {
        key: WorldRecord(key, parse_time(v["time"]), v["holder"], v["year"])
        for key, v in raw.items()
        if key in DISTANCES
    }


def implausible_time(distance: Distance, time_ms: int) -> str | None:
    """Why this time cannot be real, or None when it can."""
    if time_ms <= 0:
        return f"time {format_time(max(time_ms, 0))} must be positive"
    record = world_records().get(distance.key)
    if record and time_ms < record.time_ms - PLAUSIBILITY_MARGIN_MS:
        return (
            f"time {format_time(time_ms)} is more than a second faster than the world record "
            f"of the {distance.label} ({format_time(record.time_ms)}, {record.holder}, {record.year})"
        )
    return None
