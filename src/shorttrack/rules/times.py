"""Race times as the sport writes them: '41.416', '1:23.456', '6:29.052', to the thousandth.

Times are held as whole milliseconds so that comparisons and sums are exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TIME = re.compile(
    r"^(?:(?P<min>\d{1,2}):(?=\d{2}\.))?(?P<sec>\d{1,2})\.(?P<frac>\d{1,3})$", re.ASCII
)


def parse_time(text: str) -> int:
    """'1:23.456' -> 83456 (ms). Raises ValueError naming what is wrong."""
    raw = text.strip()
    if raw.startswith("-") and _TIME.match(raw[1:]):
        raise ValueError(f"time {text!r} is negative")
    match = _TIME.match(raw)
    if not match:
        raise ValueError(
            f"{text!r} is not a time: expected seconds as 41.416 or minutes as 1:23.456"
        )
    minutes = int(match["min"] or 0)
    seconds = int(match["sec"])
    if seconds >= 60:
        if match["min"] is None:
            raise ValueError(
                f"time {text!r} has {seconds} seconds: write a minute and more as 1:15.000"
            )
        raise ValueError(f"time {text!r} has {seconds} seconds: must be under 60 after the minutes")
    millis = int(match["frac"].ljust(3, "0"))
    return (minutes * 60 + seconds) * 1000 + millis


def format_time(ms: int | None) -> str:
    """83456 -> '1:23.456'; 41416 -> '41.416'; None -> ''."""
    if ms is None:
        return ""
    if ms < 0:
        raise ValueError(f"time {ms} ms is negative")
    minutes, rest = divmod(ms, 60_000)
    seconds, millis = divmod(rest, 1000)
    if minutes:
        return f"{minutes}:{seconds:02d}.{millis:03d}"
    return f"{seconds}.{millis:03d}"


def split_digits(figures: Iterable[int | None]) -> int:
    """The precision a split sheet prints all its figures at: 3 (thousandths) when any
    figure of the sheet has a thousandth (ms % 10), else 2 (hundredths), as the timing
    gave them. One sheet never prints '10.46' next to '10.243'."""
    return 3 if any(ms is not None and ms % 10 for ms in figures) else 2


def format_split(ms: int | None, digits: int | None = None) -> str:
    """A lap or elapsed time as ISU split sheets print it, at the sheet's precision
    (``split_digits``): 9320 -> '9.32' on a sheet of hundredths, '9.320' on a sheet with
    thousandths; 61830 -> '1:01.83'; None -> ''. Without ``digits`` the figure is a sheet
    of its own (43982 -> '43.982', 9320 -> '9.32')."""
    if digits not in (None, 2, 3):
        raise ValueError(f"split digits {digits!r}: a split sheet prints 2 or 3 decimals")
    if ms is None:
        return ""
    text = format_time(ms)
    return text[:-1] if (digits or split_digits([ms])) == 2 else text
