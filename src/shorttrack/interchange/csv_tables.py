"""CSV files read as tables: rows with the line they start on, each by its header.

The interchange reader and the adapters of shared data folders read their CSV files here,
so an empty, truncated, malformed or non-UTF-8 file is one clear ``InputError`` naming
file and line wherever it comes from, never a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

from shorttrack.interchange.records import InputError, InputFile, Records


def csv_rows(text: str, name: str, errors: list[InputError]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row; a broken row ends the file with an error."""
    reader = csv.reader(io.StringIO(text), strict=True)
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        errors.append(InputError(name, line, "csv", f"malformed CSV ({error})"))


def read_table(path: Path, records: Records) -> tuple[list[str], list[tuple[int, dict]]] | None:
    """The header and the rows (line, cells by column) of a CSV file, the file noted in
    ``records``; None, with the error in ``records``, when the file cannot be read as one.
    A row of another number of cells than the header is an error and left out."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        records.errors.append(InputError(name, 0, "file", f"cannot be read ({error.strerror})"))
        return None
    records.files.append(InputFile(name, path.name, hashlib.sha256(data).hexdigest()))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        records.errors.append(InputError(name, 1, "file", f"not UTF-8 text ({error.reason})"))
        return None
    rows = csv_rows(text, name, records.errors)
    first = next(rows, None)
    if first is None:
        if not records.errors:
            records.errors.append(
                InputError(name, 1, "header", "empty file: the header is missing")
            )
        return None
    header = [column.strip() for column in first[1]]
    table = []
    for line, cells in rows:
        if len(cells) != len(header):
            records.errors.append(
                InputError(
                    name,
                    line,
                    "columns",
                    f"{len(cells)} columns where the header has {len(header)}",
                )
            )
            continue
        table.append((line, dict(zip(header, cells, strict=True))))
    return header, table
