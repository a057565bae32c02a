"""Errors of one cause said once: the lines of a file that share a field and a reason.

An import that finds one mistake repeated down a file (a column of times typed the same
wrong way, a skater missing from every heat) would otherwise print it on every line. Errors
group when they are in the same file, name the same field and give the same reason once the
values that vary from line to line are set aside: quoted values ('1:2x.456'), numbers
(places, ISU ids, times, line numbers) and words with a capital letter (names, Member
codes, labels such as "Women's 500m"). The group keeps its first error's exact text, so
what is printed is always something the import really said:

    results.csv: lines 14, 15, 18-40 (25 lines): time: '1:2x.456' is not a time: ...

Different causes stay separate groups, ordered by file and first line. This is the only
place errors are grouped; whatever keeps every error (``ImportRejected.errors``) keeps
them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shorttrack.interchange.records import InputError

# What varies from line to line in a reason of one cause, longest first.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"\d+(?:[:.,]\d+)*")
_CAPITALISED = re.compile(r"\S*[A-ZÀ-ÖØ-ÞĀ-ſ]\S*")
MAX_PIECES = 12  # runs of lines shown before "..."


def cause(error: InputError) -> tuple[str, str, str]:
    """What errors of one cause share: file, field and the reason with its values set aside."""
    reason = _QUOTED.sub("'…'", error.reason)
    reason = _NUMBER.sub("#", reason)
    reason = _CAPITALISED.sub("A", reason)
    return error.file, error.field, " ".join(reason.split())


@dataclass(frozen=True)
class ErrorGroup:
    """Errors of one cause: the lines they are on and the first one, as it was said."""

    first: InputError
    lines: tuple[int, ...]  # distinct, ascending
    count: int  # errors in the group (a line may hold two of one cause)

    @property
    def file(self) -> str:
        return self.first.file

    @property
    def field(self) -> str:
        return self.first.field

    def __str__(self) -> str:
        if len(self.lines) == 1:
            return str(self.first)
        return (
            f"{self.file}: lines {line_ranges(self.lines)} ({len(self.lines)} lines): "
            f"{self.field}: {self.first.reason}"
        )


def group_errors(errors: Iterable[InputError]) -> list[ErrorGroup]:
    """The errors grouped by cause, ordered by file and first line."""
    groups: dict[tuple[str, str, str], list[InputError]] = {}
    for error in errors:
        groups.setdefault(cause(error), []).append(error)
    result = []
    for members in groups.values():
        first = min(members, key=lambda e: e.line)
        lines = tuple(sorted({e.line for e in members}))
        result.append(ErrorGroup(first, lines, len(members)))
    return sorted(result, key=lambda g: (g.file, g.lines[0], g.field))


def grouped_lines(errors: Iterable[InputError]) -> list[str]:
    """One printed line per cause (see the module docstring)."""
    return [str(group) for group in group_errors(errors)]


def line_ranges(lines: Iterable[int]) -> str:
    """14, 15, 18, 19, 20 -> '14, 15, 18-20': runs of three or more as a range."""
    ordered = sorted(set(lines))
    pieces: list[str] = []
    start = previous = None
    for line in [*ordered, None]:
        if start is not None and (line is None or line != previous + 1):
            if previous - start >= 2:
                pieces.append(f"{start}-{previous}")
            else:
                pieces.extend(str(n) for n in range(start, previous + 1))
            start = None
        if line is not None and start is None:
            start = line
        previous = line
    if len(pieces) > MAX_PIECES:
        pieces = [*pieces[:MAX_PIECES], "..."]
    return ", ".join(pieces)
