"""How a row of the results' history is fingerprinted: the SHA-256 of a result revision
(its row, its revision's who, when and why, its lines and the skaters of each line), of a
ranking revision (with its lines) and of a race event, and the digest of a chain link
(store.models.HistoryLink). The services seal what they write with these
(services/history.py); queries/history.py reads them back to verify.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import F

from shorttrack.store import models

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


def content_fields(model) -> tuple[str, ...]:
    """The fields of ``CONTENT`` the model has (those it lacks are of an older schema)."""
    present = {f.attname for f in model._meta.concrete_fields}
    return tuple(name for name in CONTENT[model.__name__] if name in present)


COMPETITION_OF = {
    RACE_RESULT: "race__round__distance_race__competition_id",
    RACE_EVENT: "race__round__distance_race__competition_id",
    RANKING: "distance_race__competition_id",
}


def _rows(model, owner: str | None = None, revision=None, **filters) -> list[dict]:
    """The content fields of the rows; with ``owner`` (a subject), its competition too, as
    ``_competition``, and with ``revision`` (the Revision model) the content of each row's
    revision, as ``_r_<field>``, read in the same query (neither is the row's
    content: the caller takes them out before hashing)."""
    query = model.objects.filter(**filters).order_by("pk")
    extra = {}
    if owner is not None:
        extra["_competition"] = F(COMPETITION_OF[owner])
    if revision is not None:
        extra.update((f"_r_{name}", F(f"revision__{name}")) for name in content_fields(revision))
    return list(query.values(*content_fields(model), **extra))


def _revision_of(row: dict) -> dict | None:
    """Takes the row's revision (``_rows(revision=...)``) out of it: the revision's content
    as its own rows would give it, None for a row without one."""
    prefix = "_r_"
    revision = {name[len(prefix) :]: row.pop(name) for name in list(row) if name.startswith(prefix)}
    return revision if row.get("revision_id") is not None else None


def contents(
    subject: str, ids: Iterable[int], store=models, owners: dict | None = None
) -> dict[int, str]:
    """The content digest of each subject row that exists, by id, in a few queries.
    ``store``: where the models come from (a migration passes its own); ``owners``, when
    given, gets each row's (competition id, race id or None) by id."""
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
        model, line_model, line_key = (
            (store.RaceResult, store.RaceResultLine, "result_id")
            if subject == RACE_RESULT
            else (store.Ranking, store.RankingLine, "ranking_id")
        )
        heads = [
            owned(row) for row in _rows(model, own_subject, revision=store.Revision, pk__in=chunk)
        ]
        revisions = {head["revision_id"]: _revision_of(head) for head in heads}
        lines = defaultdict(list)
        for row in _rows(line_model, **{f"{line_key}__in": chunk}):
            lines[row[line_key]].append(row)
        skaters = defaultdict(list)
        relay = [line["id"] for own in lines.values() for line in own if line.get("team_id")]
        if subject == RACE_RESULT and relay:  # only a relay line names its skaters
            for part in chunks(relay):
                for row in _rows(store.RaceLineSkater, line_id__in=part):
                    skaters[row["line_id"]].append(row)
        for head in heads:
            own = lines[head["id"]]
            found[head["id"]] = _sha256(
                {
                    "row": head,
                    "revision": revisions.get(head["revision_id"]),
                    "lines": own,
                    "skaters": [s for line in own for s in skaters[line["id"]]],
                }
            )
    return found


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
