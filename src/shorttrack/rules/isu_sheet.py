"""How an ISU result sheet prints its lines: in which order, and names in which form.

The order: by place; the lines without a place after them, as the ISU's results pages of
2019/20 print them (``UNPLACED_ORDER``). The names: in the sheet's form, family name in
capitals first ("PARK Ji-won"), the given name as the season's convention writes it
(``rules.press_names.given_name``: "PARK Ji Won"). The columns themselves (Place, Start
Pos., Warn., #, Name, ISU Member, Results, Qual.) are the templates' layout. The Results
column: a time, or the line's mark in its place (``printed_time``).

Pure: no Django.
"""

from __future__ import annotations

from shorttrack.rules.press_names import given_name

# How the ISU orders the lines without a place, after the placed ones: those who did not
# finish or start, then the penalised, then the cards; each group by helmet. Measured on
# the 2019/20 round pages: 41 of the 41 individual races with two such lines or more.
UNPLACED_ORDER = {"DNF": 0, "DNS": 0, "PEN": 1, "YC": 2, "RC": 3}


def sheet_order(place: int | None, status: str, helmet: int | None) -> tuple:
    """The sort key of a line on a result sheet: by place; the unplaced after, in the
    ISU's order (``UNPLACED_ORDER``). A shared place keeps the order the lines came in:
    the ISU pages follow no one rule there (start position for 11 of their 18 ties)."""
    if place is not None:
        return (0, place, 0, 0)
    return (1, 0, UNPLACED_ORDER.get(status, len(UNPLACED_ORDER)), helmet or 0)


def printed_time(status: str, time: str) -> str:
    """The time a sheet prints for a line: none for a line with a status (PEN, DNF, DNS,
    YC, RC), whose mark stands where the time would be, as the ISU prints "PEN" alone and
    not "1:26.460 PEN"; else the time ('' where the timing has none)."""
    return "" if status and status != "finished" else time


def printed_name(sheet_name: str, nation: str, convention: str) -> str:
    """A name in the sheet's form ("PARK Ji-won") as the season prints it: the given name,
    the words after the family name in capitals, under ``rules.press_names.given_name``
    ("PARK Ji Won" where Korean given names print spaced). A team's name has no given name
    and stays as it is."""
    words = sheet_name.split(" ")
    family = [i for i, word in enumerate(words) if word.isupper()]
    if not family or family[-1] == len(words) - 1:
        return sheet_name
    cut = family[-1] + 1
    return " ".join([*words[:cut], given_name(" ".join(words[cut:]), nation, convention)])
