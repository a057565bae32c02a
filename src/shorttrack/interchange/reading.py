"""Read interchange files (JSON documents, CSV files, folders of them) into records.

``read_paths`` takes what a user names on the command line: files or folders. A JSON
file is one document of record sets; a CSV file is told apart by its header; a folder is
read file by file, except the shared 2022/23 data folder, the 2019/20 podiums folder and a
folder of saved ISU results pages (round/, split/, calendar.csv), which their adapters read. Nothing
here touches the database: what is wrong with a file comes back as ``InputError``s
naming file, line and field, and the import service decides.
"""

from __future__ import annotations

import hashlib
import json
import json.scanner
import re
import stat
from bisect import bisect_left
from collections.abc import Callable, Sequence
from pathlib import Path

from shorttrack.interchange import isu_results, worldcup_2019_20, worldcup_2022_23
from shorttrack.interchange.csv_tables import csv_rows
from shorttrack.interchange.formats import (
    CALENDAR,
    CSV_HEADERS,
    FORMAT_NAME,
    FORMAT_VERSION,
    OLDER_CSV_HEADERS,
    RACE_RESULTS,
    RANKINGS,
    READABLE_VERSIONS,
    READERS,
    ROUNDS,
    SKATERS,
    Row,
)
from shorttrack.interchange.records import HistoryRecord, InputError, InputFile, Records
from shorttrack.interchange.spreadsheet import unguard

Progress = Callable[[str, int, int], None]


HEAD = re.compile(r"^[0-9a-f]{64}$")


def _read_history(items, name: str, line: int, records: Records) -> None:
    """The optional "history" of an exported document: one object per competition,
    {"season": "2025/26", "competition": 1, "links": 188, "head": "<64 hex digits>"}."""
    if not isinstance(items, list):
        records.errors.append(InputError(name, line, "history", "a list of objects"))
        return
    for item in items:
        where = getattr(item, "line", line)
        if not isinstance(item, JsonObject) or set(item) != {
            "season",
            "competition",
            "links",
            "head",
        }:
            records.errors.append(
                InputError(
                    name, where, "history", "each item is {season, competition, links, head}"
                )
            )
            continue
        season, competition, links, head = (
            item["season"],
            item["competition"],
            item["links"],
            item["head"],
        )
        problem = (
            "season: a season key such as 2025/26"
            if not isinstance(season, str) or not season
            else "competition: a number from 1"
            if type(competition) is not int or not 1 <= competition <= 999
            else "links: a whole number from 1"
            if type(links) is not int or not 1 <= links <= 10**9
            else "head: 64 hexadecimal digits (a SHA-256)"
            if not isinstance(head, str) or not HEAD.match(head)
            else ""
        )
        if problem:
            field_name, reason = problem.split(": ", 1)
            records.errors.append(InputError(name, where, f"history.{field_name}", reason))
            continue
        records.histories.append(HistoryRecord(season, competition, links, head, name, where))


def read_paths(paths: Sequence[Path], progress: Progress | None = None) -> Records:
    """Every record in these files and folders, with what was wrong with them."""
    files: list[Path] = []
    records = Records()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            if isu_results.is_results_folder(path):
                records.extend(isu_results.read_folder(path, progress))
            elif worldcup_2022_23.is_data_folder(path):
                files += worldcup_2022_23.folder_files(path)
            elif worldcup_2019_20.is_data_folder(path):
                records.extend(worldcup_2019_20.read_folder(path))
            else:
                for file in sorted(path.iterdir()):
                    if file.suffix.lower() not in (".json", ".csv"):
                        continue
                    if file.is_symlink() and not _inside(file, path):
                        records.errors.append(
                            InputError(str(file), 0, "file", "a link to outside the folder")
                        )
                        continue
                    files.append(file)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            records.errors.append(InputError(str(path), 0, "file", "no such file or folder"))
    for done, file in enumerate(files, start=1):
        problem = _not_readable(file)
        if problem:
            records.errors.append(InputError(str(file), 0, "file", problem))
            continue
        records.extend(read_file(file))
        if progress:
            progress("reading files", done, len(files))
    return records


# A season's export is a few megabytes; anything far larger is not an interchange file.
LARGEST_FILE = 64 * 1024 * 1024


def _inside(file: Path, folder: Path) -> bool:
    return file.resolve().is_relative_to(folder.resolve())


def _not_readable(path: Path) -> str | None:
    """Why this path is not a file to read, before opening it: a named pipe would block
    the import for ever, a device has no end, a folder named x.csv is no file."""
    if path.is_symlink() and not path.exists():
        return "a link to nothing (dangling symbolic link)"
    try:
        status = path.stat()
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if stat.S_ISDIR(status.st_mode):
        return "a folder, not a file"
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file (a named pipe, device or socket)"
    if status.st_size > LARGEST_FILE:
        return f"{status.st_size} bytes: larger than the {LARGEST_FILE} bytes an import reads"
    return None


def read_file(path: Path) -> Records:
    """One JSON or CSV file (the shared 2022/23 files go to their adapter)."""
    records = Records()
    name = str(path)
    data = path.read_bytes()
    if path.suffix.lower() == ".csv" and worldcup_2022_23.is_adapter_header(_first_line(data)):
        return worldcup_2022_23.read_file(path)
    records.files.append(InputFile(name, path.name, hashlib.sha256(data).hexdigest()))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        records.errors.append(InputError(name, 1, "file", f"not UTF-8 text ({error.reason})"))
        return records
    if path.suffix.lower() == ".json":
        read_json(text, name, records)
    elif path.suffix.lower() == ".csv":
        read_csv(text, name, records)
    else:
        records.errors.append(InputError(name, 0, "file", "expected a .json or .csv file"))
    return records


def _first_line(data: bytes) -> str:
    return data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")


# -- CSV ------------------------------------------------------------------------------


def csv_kind(header: list[str]) -> str | None:
    columns = tuple(column.strip() for column in header)
    for headers in (CSV_HEADERS, OLDER_CSV_HEADERS):
        kind = next((kind for kind, expected in headers.items() if columns == expected), None)
        if kind:
            return kind
    return None


def _header_problem(header: list[str]) -> str:
    """Why a header is none of ours, naming the nearest kind's missing and extra columns."""
    columns = [column.strip() for column in header]
    kind = max(CSV_HEADERS, key=lambda k: len(set(columns) & set(CSV_HEADERS[k])))
    expected = CSV_HEADERS[kind]
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in expected]
    if not missing and not extra:
        return f"the columns of a {kind} file must come in this order: {','.join(expected)}"
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"unknown {', '.join(extra)}")
    return (
        f"not a shorttrack CSV header; nearest is a {kind} file ({'; '.join(parts)}): "
        f"expected {','.join(expected)}"
    )


def read_csv(text: str, name: str, records: Records) -> None:
    rows = csv_rows(text, name, records.errors)
    first = next(rows, None)
    if first is None:
        if not records.errors:
            records.errors.append(
                InputError(name, 1, "header", "empty file: the header is missing")
            )
        return
    line, header = first
    kind = csv_kind(header)
    if kind is None:
        records.errors.append(InputError(name, line, "header", _header_problem(header)))
        return
    columns = tuple(column.strip() for column in header)
    read = 0
    for line, cells in rows:
        read += 1
        if len(cells) != len(columns):
            records.errors.append(
                InputError(
                    name,
                    line,
                    "columns",
                    f"{len(cells)} columns where the header has {len(columns)} (truncated or malformed line?)",
                )
            )
            continue
        values = dict(zip(columns, (unguard(cell) for cell in cells), strict=True))
        _read_row(kind, values, name, line, records)
    if not read and not records.errors:
        # a header alone is not an import: most likely the export or the copy went wrong
        records.errors.append(
            InputError(name, line, "file", "a header and no lines: nothing to import")
        )


def _read_row(kind: str, values: dict[str, str], name: str, line: int, records: Records) -> None:
    row = Row(values, name, line)
    for record in READERS[kind](row):
        records.add(record)
    records.errors += row.errors


# -- JSON -----------------------------------------------------------------------------


class JsonObject(dict):
    """A JSON object that knows the line it starts on."""

    line: int = 0


def load_json(text: str) -> object:
    """``json.loads`` whose objects are ``JsonObject``s carrying their line number."""
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    decoder = json.JSONDecoder()
    parse_object = decoder.parse_object

    def parse_lined_object(s_and_end, *args):
        start = s_and_end[1] - 1
        value, end = parse_object(s_and_end, *args)
        lined = JsonObject(value)
        lined.line = bisect_left(newlines, start) + 1
        return lined, end

    decoder.parse_object = parse_lined_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder.decode(text)


# Which fields each level of a record set holds, and the list nested below it.
JSON_LEVELS: dict[str, list[tuple[tuple[str, ...], str | None]]] = {
    CALENDAR: [
        (("kind", "season", "season_name", "rules"), "competitions"),
        (
            ("competition", "city", "country", "venue", "time_zone", "start_date", "end_date"),
            "races",
        ),
        (("gender", "race", "finals_at"), None),
    ],
    SKATERS: [(("kind",), "skaters"), (CSV_HEADERS[SKATERS], None)],
    RACE_RESULTS: [
        (("kind", "season", "competition", "gender", "race"), "rounds"),
        (("round",), "races"),
        (("race_no", "official_at"), "lines"),
        (
            tuple(
                c
                for c in CSV_HEADERS[RACE_RESULTS]
                if c
                not in (
                    "season",
                    "competition",
                    "gender",
                    "race",
                    "round",
                    "race_no",
                    "official_at",
                )
            ),
            None,
        ),
    ],
    RANKINGS: [
        (("kind", "season", "competition", "gender", "race", "official_at"), "lines"),
        (
            tuple(
                c
                for c in CSV_HEADERS[RANKINGS]
                if c not in ("season", "competition", "gender", "race", "official_at")
            ),
            None,
        ),
    ],
    ROUNDS: [
        (("kind", "season", "competition", "gender", "race"), "rounds"),
        (("round", "progression", "note"), None),
    ],
}


def read_json(text: str, name: str, records: Records) -> None:
    try:
        document = load_json(text)
    except json.JSONDecodeError as error:
        records.errors.append(
            InputError(name, error.lineno, "json", f"bad JSON: {error.msg} (column {error.colno})")
        )
        return
    except RecursionError:
        # a record set is four levels deep; thousands of nested brackets are an attack
        records.errors.append(InputError(name, 1, "json", "nested too deep"))
        return
    if not isinstance(document, JsonObject) or document.get("format") != FORMAT_NAME:
        records.errors.append(
            InputError(
                name,
                1,
                "format",
                f'not a shorttrack document: expected {{"format": "{FORMAT_NAME}", ...}}',
            )
        )
        return
    if document.get("version") not in READABLE_VERSIONS:
        records.errors.append(
            InputError(
                name,
                document.line,
                "version",
                f"version {document.get('version')!r}: this reads versions "
                f"{', '.join(map(str, READABLE_VERSIONS))} (writes {FORMAT_VERSION})",
            )
        )
        return
    extra = sorted(set(document) - {"format", "version", "sets", "history"})
    if extra:
        records.errors.append(InputError(name, document.line, extra[0], "unknown field"))
    _read_history(document.get("history", []), name, document.line, records)
    sets = document.get("sets")
    if not isinstance(sets, list):
        records.errors.append(
            InputError(name, document.line, "sets", "missing: a list of record sets")
        )
        return
    if not sets:
        records.errors.append(
            InputError(name, document.line, "sets", "no record sets: nothing to import")
        )
    for record_set in sets:
        if not isinstance(record_set, JsonObject):
            records.errors.append(
                InputError(name, document.line, "sets", "each record set is an object")
            )
            continue
        kind = record_set.get("kind")
        if kind not in JSON_LEVELS:
            records.errors.append(
                InputError(
                    name,
                    record_set.line,
                    "kind",
                    f"unknown kind {kind!r}: expected one of {', '.join(JSON_LEVELS)}",
                )
            )
            continue
        for line, values in _flatten(record_set, JSON_LEVELS[kind], {}, name, records.errors):
            _read_row(kind, values, name, line, records)


def _flatten(
    obj: JsonObject, levels, inherited: dict[str, str], name: str, errors: list[InputError]
):
    """Walk a record set down to its lines: (line, fields) with the fields of the levels
    above filled in, every value as the text a CSV cell would hold."""
    (fields, below), deeper = levels[0], levels[1:]
    for key in obj:
        if key not in fields and key != below:
            errors.append(InputError(name, obj.line, key, "unknown field"))
    values = dict(inherited)
    values.update({key: _cell(obj[key]) for key in fields if key in obj})
    if below is None:
        yield obj.line, values
        return
    children = obj.get(below, [])
    if not isinstance(children, list):
        errors.append(InputError(name, obj.line, below, "expected a list"))
        return
    if not children and "city" in fields:
        yield obj.line, values  # a competition with no races listed
    for child in children:
        if not isinstance(child, JsonObject):
            errors.append(InputError(name, obj.line, below, "expected a list of objects"))
            continue
        yield from _flatten(child, deeper, values, name, errors)


def _cell(value: object) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "DH"
    if isinstance(value, list):
        return "; ".join(_cell(item) for item in value)
    return str(value)
