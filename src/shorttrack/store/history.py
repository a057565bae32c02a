"""How a row of the results' history is fingerprinted: the SHA-256 of a result revision
(its row, its revision's who, when and why, its lines and the skaters of each line), of a
ranking revision (with its lines) and of a race event, and the digest of a chain link
(store.models.HistoryLink). The services seal what they write with these
(services/history.py); queries/history.py reads them back to verify.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from django.db import connections
from django.db.models import BooleanField, CharField, DateTimeField, F, JSONField, TextField

from shorttrack.store import models
from shorttrack.store.compiled import decoded

RACE_RESULT, RANKING, RACE_EVENT = "race_result", "ranking", "race_event"
SUBJECTS = (RACE_RESULT, RANKING, RACE_EVENT)
REMOVED = ""  # the content of a link that records its subject's removal by a service
CHUNK = 500  # ids per IN (...): well inside SQLite's limit on query parameters


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot chain {type(value).__name__}")


def _sha256(parts) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def link_digest(previous: str, subject: str, subject_id: int, content: str) -> str:
    return hashlib.sha256(f"{previous}|{subject}|{subject_id}|{content}".encode()).hexdigest()


def chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# What a digest covers, field by field: a field added to one of these models later is
# outside the history until it is named here (tests/store/test_history.py asks which), and
# naming it changes the digests of every row written before: a new version of the content.
CONTENT = {
    "Revision": ("id", "recorded_at", "recorded_by_id", "source", "reason", "content_hash"),
    "RaceResult": ("id", "race_id", "number", "revision_id", "official_at"),
    "RaceResultLine": (
        "id", "result_id", "place", "dead_heat", "finish_place", "start_position", "helmet",
        "skater_id", "team_id", "member_id", "time_ms", "status", "mark", "warnings",
        "laps_ms", "lap_elapsed_ms", "lap_positions",
    ),
    "RaceLineSkater": ("id", "line_id", "skater_id", "order"),
    "Ranking": (
        "id", "distance_race_id", "number", "revision_id", "official_at", "basis", "complete",
        "incomplete_reason",
    ),
    "RankingLine": (
        "id", "ranking_id", "rank", "skater_id", "team_id", "member_id", "final",
        "final_place", "time_ms", "status", "note",
    ),
    "RaceEvent": ("id", "race_id", "kind", "status", "at", "by_id", "reason", "result_id"),
}  # fmt: skip


@lru_cache(maxsize=64)  # the models, and a migration's own
def content_fields(model) -> tuple[str, ...]:
    """The fields of ``CONTENT`` the model has (those it lacks are of an older schema)."""
    present = {f.attname for f in model._meta.concrete_fields}
    return tuple(name for name in CONTENT[model.__name__] if name in present)


COMPETITION_OF = {
    RACE_RESULT: "race__round__distance_race__competition_id",
    RACE_EVENT: "race__round__distance_race__competition_id",
    RANKING: "distance_race__competition_id",
}


def _rows(model, owner: str | None = None, **filters) -> list[dict]:
    """The content fields of the rows; with ``owner`` (a subject), its competition too, as
    ``_competition`` (not the row's content: the caller takes it out before hashing)."""
    query = model.objects.filter(**filters).order_by("pk")
    extra = {"_competition": F(COMPETITION_OF[owner])} if owner is not None else {}
    return list(query.values(*content_fields(model), **extra))


def contents(
    subject: str, ids: Iterable[int], store=models, owners: dict | None = None
) -> dict[int, str]:
    """The content digest of each subject row that exists, by id, in one query per
    ``CHUNK`` ids. ``store``: where the models come from (a migration passes its own);
    ``owners``, when given, gets each row's (competition id, race id or None) by id."""
    ids = sorted(set(ids))
    found: dict[int, str] = {}
    own_subject = subject if owners is not None else None

    def owned(row: dict) -> dict:
        competition = row.pop("_competition", None)
        if owners is not None:
            owners[row["id"]] = (competition, row.get("race_id"))
        return row

    for chunk in chunks(ids):
        if subject == RACE_EVENT:
            for row in _rows(store.RaceEvent, own_subject, pk__in=chunk):
                found[row["id"]] = _sha256(owned(row))
            continue
        for head, revision, lines, skaters in _revisions(store, subject, own_subject, chunk):
            found[head["id"]] = _sha256(
                {"row": owned(head), "revision": revision, "lines": lines, "skaters": skaters}
            )
    return found


def event_digest(event) -> str | None:
    """The content digest of a race event from the instance just saved, the one its row
    read back gives; None when a value is not plainly what the database gives back (a
    naive or other moment, a number as text), for the caller to read the row instead."""
    row = _as_saved(event)
    return _sha256(row) if row is not None else None


def revision_digest(row, lines) -> str | None:
    """The content digest of a result or ranking revision just saved, from its instance
    (holding its revision) and all its lines, none with skaters: the one reading them back
    gives, or None (``event_digest``), for the caller to read them instead."""
    revision = row._state.fields_cache.get("revision")
    if revision is None or revision.pk != row.revision_id:
        return None
    held = [_as_saved(row), _as_saved(revision)]
    held_lines = [_as_saved(line) for line in lines]
    if None in held or None in held_lines:
        return None
    parent = {"RaceResult": "result_id", "Ranking": "ranking_id"}[type(row).__name__]
    if any(line[parent] != row.pk for line in held_lines):
        return None
    held_lines.sort(key=lambda line: line["id"])
    return _sha256({"row": held[0], "revision": held[1], "lines": held_lines, "skaters": []})


def _as_saved(instance) -> dict | None:
    """The content fields of an instance just saved, if each is of the type its column
    reads back as (an aware moment, an int, a bool, text, JSON of lists, objects, text,
    ints and booleans; None where the column allows it)."""
    row = {}
    for name, reads_back, null in _read_back(type(instance)):
        value = getattr(instance, name)
        if not (null if value is None else reads_back(value)):
            return None
        row[name] = value
    return row


def _aware(value) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


@lru_cache(maxsize=64)
def _read_back(model) -> tuple[tuple[str, object, bool], ...]:
    """Each content field of the model: its name, whether a value is of the type its
    column reads back as, and whether it may be None."""
    checks = []
    for name in content_fields(model):
        field = model._meta.get_field(name)
        if isinstance(field, DateTimeField):
            reads_back = _aware
        elif isinstance(field, CharField | TextField):
            reads_back = _of_type(str)
        elif isinstance(field, BooleanField):
            reads_back = _of_type(bool)
        elif isinstance(field, JSONField):
            reads_back = _plain_json
        else:
            reads_back = _of_type(int)
        checks.append((name, reads_back, field.null))
    return tuple(checks)


def _of_type(kind: type):
    return lambda value: type(value) is kind


def _plain_json(value) -> bool:
    """JSON that reads back as it is (a number with a fraction may not: 1e16, 1.10)."""
    if value is None or type(value) in (bool, int, str):
        return True
    if type(value) is list:
        return all(_plain_json(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _plain_json(item) for key, item in value.items())
    return False


def _revisions(store, subject: str, owner: str | None, ids: list[int]):
    """Each result or ranking revision of ``ids`` as its digest covers it: (its row, its
    revision, its lines, the skaters of its relay lines), read in one query: the row joined
    to its revision, its lines and their skaters, one result row per skater (or per line,
    or per revision without lines). The same dicts, in the same order, as reading each
    table on its own: ordered by id, the lines by theirs, the skaters by line and id."""
    alias = store.RaceResult.objects.db
    sql, selected, spans = _revision_query(store, subject, owner, len(ids), alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = decoded(cursor.fetchall(), selected, connection)

    def take(values: list, part: str) -> dict:
        offset, names = spans[part]
        return dict(zip(names, values[offset : offset + len(names)], strict=True))

    has_skaters = "skater" in spans
    current = None
    for values in rows:
        row = take(values, "row")
        if current is None or current[0]["id"] != row["id"]:
            if current is not None:
                yield current
            revision = take(values, "revision") if row.get("revision_id") is not None else None
            current, line_ids, skater_ids = (row, revision, [], []), set(), set()
        line = take(values, "line")
        if line["id"] is None:
            continue  # a revision without lines
        if line["id"] not in line_ids:
            line_ids.add(line["id"])
            current[2].append(line)
        if has_skaters and line.get("team_id"):
            skater = take(values, "skater")
            if skater["id"] is not None and skater["id"] not in skater_ids:
                skater_ids.add(skater["id"])
                current[3].append(skater)
    if current is not None:
        yield current


@lru_cache(maxsize=64)
def _revision_query(store, subject: str, owner: str | None, size: int, alias: str):
    """The SQL of ``_revisions`` for ``size`` ids, the expressions of its columns and where
    each part's columns are: compiled by Django once, not at every write (building and
    compiling the query took longer than the database took to run it)."""
    model, line_model, lines = (
        (store.RaceResult, store.RaceResultLine, "lines")
        if subject == RACE_RESULT
        else (store.Ranking, store.RankingLine, "lines")
    )
    parts = {
        "row": [(name, name) for name in content_fields(model)],
        "revision": [(name, f"revision__{name}") for name in content_fields(store.Revision)],
        "line": [(name, f"{lines}__{name}") for name in content_fields(line_model)],
    }
    if subject == RACE_RESULT:  # only a relay line names its skaters
        parts["skater"] = [
            (name, f"{lines}__skaters__{name}") for name in content_fields(store.RaceLineSkater)
        ]
    if owner is not None:
        parts["row"].append(("_competition", COMPETITION_OF[owner]))
    order = ["pk", f"{lines}__id"] + ([f"{lines}__skaters__id"] if "skater" in parts else [])
    columns = [path for part in parts.values() for _, path in part]
    spans, start = {}, 0
    for part, named in parts.items():
        spans[part] = (start, [name for name, _ in named])
        start += len(named)
    query = (
        model.objects.using(alias)
        .filter(pk__in=range(size))
        .order_by(*order)
        .values_list(*columns)
        .query
    )
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    assert len(params) == size  # the ids, and nothing else
    selected = tuple(expression for expression, _, _ in compiler.select[: len(columns)])
    return sql, selected, spans


def newest_links(subject: str, ids: Iterable[int]) -> dict[int, tuple[str, int, int | None]]:
    """The newest link of each subject row: (content, competition, race), by id."""
    newest: dict[int, tuple[str, int, int | None]] = {}
    for chunk in chunks(sorted(set(ids))):
        for pk, content, competition, race in (
            models.HistoryLink.objects.filter(subject=subject, subject_id__in=chunk)
            .order_by("subject_id", "sequence")
            .values_list("subject_id", "content", "competition_id", "race_id")
        ):
            newest[pk] = (content, competition, race)  # the later sequence wins
    return newest
