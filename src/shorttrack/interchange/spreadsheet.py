"""CSV cells that a spreadsheet opens as text, never as a formula.

Excel, LibreOffice and Google Sheets run a cell that begins with ``=``, ``+``, ``-`` or
``@`` (and some treat a leading tab or carriage return the same way) as a formula, so a
skater or venue named ``=HYPERLINK(...)`` in an exported file would run on the press
officer's machine. Such a cell is written with a leading apostrophe, which spreadsheets
show as text and hide; a cell that itself begins with an apostrophe gets one more, so
reading strips exactly one and every value comes back as it was written.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def guard(value: object) -> str:
    """The CSV cell for ``value``: as text, with an apostrophe where a spreadsheet would
    otherwise run it (or where it begins with an apostrophe)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) or text.startswith(TEXT_MARK):
        return TEXT_MARK + text
    return text


def unguard(cell: str) -> str:
    """The value a guarded cell holds (``guard``'s inverse)."""
    return cell[1:] if cell.startswith(TEXT_MARK) else cell


def guarded_row(values: Iterable[object]) -> list[str]:
    return [guard(value) for value in values]
