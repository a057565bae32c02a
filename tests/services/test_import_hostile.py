"""Hostile import files, built here from a table of cases: each is refused with
``file:line: field: reason``, the database unchanged, and none crashes or hangs."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest

from shorttrack.services.imports import ImportRejected, import_paths
from tests.support import table_counts

pytestmark = pytest.mark.django_db

SKATERS = "isu_id,given_name,family_name,gender,birth_date,member\n"
CALENDAR = (
    "season,season_name,rules,competition,city,country,venue,time_zone,start_date,end_date,"
    "gender,race,finals_at\n"
)
RESULTS = (
    "season,competition,gender,race,round,race_no,official_at,place,start_position,warnings,"
    "helmet,name,isu_id,member,team,skaters,time,mark,laps,dead_heat\n"
)
CAL = "2023/24,,,1,Montreal,CAN,Arena,America/Toronto,{start},{end},women,500m,\n"
LINE = "2023/24,1,women,500m,heats,1,,{place},1,{warnings},{helmet},{name},,KOR,,,41.000,{mark},,\n"


def line(place="1", warnings="", helmet="12", name="KIM Gil-li", mark=""):
    return LINE.format(place=place, warnings=warnings, helmet=helmet, name=name, mark=mark)


def skater(given="Gil-li", family="Kim", born="2004-07-11", member="KOR"):
    return f",{given},{family},women,{born},{member}\n"


def text(name: str, content: str, encoding: str = "utf-8"):
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode(encoding))
        return path

    return build


def raw(name: str, content: bytes):
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return build


def in_folder(make):
    """The case inside a folder that is imported as a whole."""

    def build(folder: Path) -> Path:
        inner = folder / "in"
        inner.mkdir()
        make(inner)
        return inner

    return build


def fifo(inner: Path) -> None:
    os.mkfifo(inner / "pipe.csv")


def unix_socket(inner: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inner / "sock.csv"))
    sock.close()


def huge(folder: Path) -> Path:
    path = folder / "huge.csv"
    with path.open("wb") as handle:
        handle.write(SKATERS.encode())
        handle.truncate(65 * 1024 * 1024)  # sparse: a size, no disk
    return path


def outside_link(folder: Path) -> Path:
    (folder / "secret.csv").write_text(SKATERS + skater())
    inner = folder / "in"
    inner.mkdir()
    (inner / "link.csv").symlink_to(folder / "secret.csv")
    return inner


DEEP = '{"format": "shorttrack-interchange", "version": 1, "sets": ' + "[" * 100_000

# (case, how the file is made, the fragment the refusal must hold)
CASES = [
    ("header only", text("s.csv", SKATERS), "s.csv:1: file: a header and no lines"),
    (
        "header only with BOM",
        text("s.csv", "\ufeff" + SKATERS),
        "s.csv:1: file: a header and no lines",
    ),
    ("header only, calendar", text("c.csv", CALENDAR), "c.csv:1: file: a header and no lines"),
    ("header only, results", text("r.csv", RESULTS), "r.csv:1: file: a header and no lines"),
    (
        "no record sets",
        text("e.json", '{"format": "shorttrack-interchange", "version": 1, "sets": []}'),
        "e.json:1: sets: no record sets",
    ),
    ("empty file", text("s.csv", ""), "s.csv:1: header: empty file"),
    ("UTF-16", text("s.csv", SKATERS + skater(), "utf-16"), "s.csv:1: file: not UTF-8"),
    (
        "Latin-1",
        text("s.csv", SKATERS + skater(family="Müller"), "latin-1"),
        "s.csv:1: file: not UTF-8",
    ),
    ("truncated CSV line", text("s.csv", SKATERS + ",Gil-li,Kim,wom"), "s.csv:2: columns:"),
    ("truncated JSON", text("t.json", '{"format": "shorttrack-inter'), "t.json:1: json: bad JSON"),
    ("JSON nested 100,000 deep", text("d.json", DEEP), "d.json:1: json: nested too deep"),
    ("not our JSON", text("n.json", "[1, 2]"), "n.json:1: format: not a shorttrack document"),
    (
        "unknown kind",
        text(
            "k.json", '{"format": "shorttrack-interchange", "version": 1, "sets": [{"kind": "x"}]}'
        ),
        "k.json:1: kind: unknown kind",
    ),
    (
        "unknown header",
        text("h.csv", "a,b,c\n1,2,3\n"),
        "h.csv:1: header: not a shorttrack CSV header",
    ),
    ("helmet overflow", text("r.csv", RESULTS + line(helmet="9" * 30)), "r.csv:2: helmet: "),
    ("place overflow", text("r.csv", RESULTS + line(place="9" * 30)), "r.csv:2: place: "),
    (
        "place of 10,000",
        text("r.csv", RESULTS + line(place="10000")),
        "r.csv:2: place: 10000 is more than",
    ),
    ("unicode digits", text("r.csv", RESULTS + line(place="²")), "r.csv:2: place: "),
    ("negative place", text("r.csv", RESULTS + line(place="-1")), "r.csv:2: place: "),
    ("unknown mark", text("r.csv", RESULTS + line(mark="XYZ")), "r.csv:2: mark: unknown mark"),
    (
        "markup in warnings",
        text("r.csv", RESULTS + line(warnings="<b>x</b>")),
        "r.csv:2: warnings: markup",
    ),
    (
        "markup in a name",
        text("s.csv", SKATERS + skater(given="<script>")),
        "s.csv:2: given_name: markup",
    ),
    (
        "newline inside a name",
        text("s.csv", SKATERS + ',"Gil\nli",Kim,women,,KOR\n'),
        "s.csv:2: given_name: a control",
    ),
    (
        "NUL inside a name",
        text("s.csv", SKATERS + skater(family="Ki\x00m")),
        "s.csv:2: family_name: a control",
    ),
    (
        "birth date in 2090",
        text("s.csv", SKATERS + skater(born="2090-01-01")),
        "s.csv:2: birth_date: ",
    ),
    (
        "birth date in 1850",
        text("s.csv", SKATERS + skater(born="1850-01-01")),
        "s.csv:2: birth_date: ",
    ),
    (
        "impossible date",
        text("s.csv", SKATERS + skater(born="2004-02-30")),
        "s.csv:2: birth_date: ",
    ),
    ("lower-case member", text("s.csv", SKATERS + skater(member="kor")), "s.csv:2: member: "),
    ("member of four letters", text("s.csv", SKATERS + skater(member="KORE")), "s.csv:2: member: "),
    (
        "competition ends before it starts",
        text("c.csv", CALENDAR + CAL.format(start="2023-10-22", end="2023-10-20")),
        "c.csv:2: end_date: ",
    ),
    (
        "impossible start date",
        text("c.csv", CALENDAR + CAL.format(start="2023-13-01", end="2023-10-20")),
        "c.csv:2: start_date: ",
    ),
    (
        "unknown time zone",
        text(
            "c.csv",
            CALENDAR
            + CAL.format(start="2023-10-20", end="2023-10-22").replace(
                "America/Toronto", "Mars/Olympus"
            ),
        ),
        "c.csv:2: time_zone: ",
    ),
    ("huge file", huge, "huge.csv:0: file: "),
    (
        "folder named x.csv",
        in_folder(lambda inner: (inner / "x.csv").mkdir()),
        "x.csv:0: file: a folder",
    ),
    (
        "dangling symlink",
        in_folder(lambda inner: (inner / "gone.csv").symlink_to(inner / "nowhere")),
        "gone.csv:0: file: a link to nothing",
    ),
    ("named pipe", in_folder(fifo), "pipe.csv:0: file: not a regular file"),
    ("socket", in_folder(unix_socket), "sock.csv:0: file: not a regular file"),
    (
        "device",
        in_folder(lambda inner: (inner / "zero.csv").symlink_to("/dev/zero")),
        "zero.csv:0: file: a link to outside",
    ),
    ("link out of the folder", outside_link, "link.csv:0: file: a link to outside the folder"),
    ("no such file", lambda folder: folder / "missing.csv", "missing.csv:0: file: no such file"),
]


def _results_with(field: str, value: str) -> str:
    cells = dict(zip(RESULTS.strip().split(","), line().strip().split(","), strict=True))
    cells[field] = value
    return RESULTS + ",".join(f'"{v}"' if "\n" in v else v for v in cells.values()) + "\n"


def _calendar_with(field: str, value: str) -> str:
    row = CAL.format(start="2023-10-20", end="2023-10-22").strip().split(",")
    cells = dict(zip(CALENDAR.strip().split(","), row, strict=True))
    cells[field] = value
    return CALENDAR + ",".join(f'"{v}"' if "\n" in v else v for v in cells.values()) + "\n"


def _skaters_with(field: str, value: str) -> str:
    cells = dict(zip(SKATERS.strip().split(","), skater().strip().split(","), strict=True))
    cells[field] = value
    return SKATERS + ",".join(f'"{v}"' if "\n" in v else v for v in cells.values()) + "\n"


# Every number field of a race line, with every way a number goes wrong.
BAD_NUMBERS = {
    "overflow": "9" * 40,
    "too large": "10000",
    "zero": "0",
    "negative": "-3",
    "decimal": "1.5",
    "exponent": "1e3",
    "superscript digit": "\u00b2",
    "Arabic-Indic digit": "\u0663",
}
for field in ("competition", "race_no", "place", "start_position", "helmet"):
    for how, value in BAD_NUMBERS.items():
        CASES.append(
            (f"{field}: {how}", text("r.csv", _results_with(field, value)), f"r.csv:2: {field}: ")
        )
# Control characters and markup in every text field a person reads.
BAD_TEXT = {
    "newline": "a\nb",
    "NUL": "a\x00b",
    "tab": "a\tb",
    "escape": "a\x1b[31mb",
    "script tag": "<script>alert(1)</script>",
    "img tag": "<img src=x onerror=alert(1)>",
}
TEXT_FIELDS = [
    (_skaters_with, "s.csv", ("given_name", "family_name", "isu_id")),
    (_calendar_with, "c.csv", ("season_name", "city", "venue")),
    (_results_with, "r.csv", ("warnings",)),
]
for build, name, fields in TEXT_FIELDS:
    for field in fields:
        for how, value in BAD_TEXT.items():
            CASES.append(
                (f"{field}: {how}", text(name, build(field, value)), f"{name}:2: {field}: ")
            )


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


@pytest.mark.parametrize("case, make, expected", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_file_is_refused_naming_file_line_field_and_reason(
    tmp_path, case, make, expected
):
    path = make(tmp_path)
    before = table_counts()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(10)  # a named pipe once blocked the import for ever
    try:
        with pytest.raises(ImportRejected) as refused:
            import_paths([path])
    finally:
        signal.alarm(0)
    lines = [str(error) for error in refused.value.errors]
    assert any(expected in text for text in lines), lines
    assert table_counts() == before
