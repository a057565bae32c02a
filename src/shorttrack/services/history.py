"""The tamper-evident history of each competition: what the services wrote, chained.

Every result revision (with its revision's who, when and why, its lines and the skaters of
each line), every ranking revision (with its lines) and every race event, as a service
writes it, becomes a link of its competition's chain (store.models.HistoryLink): the
SHA-256 of the row's content, and a digest over that, the subject and the digest of the
link before. A service write is sealed at its end, in its own transaction
(``sealing()``, entered by the write boundary of services/write_log.py): the subjects it
created, changed or removed get a link each, so a later change through the services is a
new link, never a silent one.

queries/history.py reads the chain back (``verify``) and names what no service wrote;
store/history.py says how a row and a link are fingerprinted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from psycopg import Pipeline

from shorttrack.services import clock
from shorttrack.store import models
from shorttrack.store.compiled import cursor_of
from shorttrack.store.history import (
    RACE_EVENT,
    RACE_RESULT,
    RANKING,
    REMOVED,
    contents,
    event_digest,
    link_digest,
    newest_links,
    revision_digest,
)


@dataclass
class _Touched:
    subjects: set[tuple[str, int]] = field(default_factory=set)
    # Rows new in this write, each as the service last saved it: they have no link yet, and
    # their competition is that of the objects the service passed, when it holds them.
    created: dict[tuple[str, int], models.Model] = field(default_factory=dict)
    relay_lines: set[int] = field(default_factory=set)  # lines whose skaters were written
    # The content digests of rows this write created, taken from the instances as they were
    # saved (a new event; a new revision whose lines its service named, ``saved_lines``):
    # sealed without reading them back, unless written again since, then read back.
    held: dict[tuple[str, int], str] = field(default_factory=dict)


_sealing: ContextVar[_Touched | None] = ContextVar("shorttrack_history", default=None)


@contextmanager
def sealing() -> Iterator[None]:
    """Run a service write so that what it writes is chained before its transaction
    commits. Nested calls are part of the outermost one."""
    if _sealing.get() is not None:
        yield
        return
    touched = _Touched()
    token = _sealing.set(touched)
    try:
        with transaction.atomic():
            yield
            relay_results = _results_of(touched.relay_lines)
            held = {
                key: content for key, content in touched.held.items() if key not in relay_results
            }
            _seal(touched.subjects | relay_results, touched.created, held)
    finally:
        _sealing.reset(token)


def saved_lines(row: models.RaceResult | models.Ranking, lines: Sequence[models.Model]) -> None:
    """Tell the write's seal the lines of a result or ranking revision it has just created,
    all of them, as saved (``bulk_create``, which sends no signal), none with skaters yet:
    the revision is sealed from these instances, not read back, unless the write saves or
    removes it, one of its lines or a skater of them again. A value not plainly what the
    database gives back (store.history.revision_digest) has it read back too."""
    touched = _sealing.get()
    key = (RACE_RESULT if isinstance(row, models.RaceResult) else RANKING, row.pk)
    if touched is None or touched.created.get(key) is not row:
        return
    content = revision_digest(row, lines)
    if content is not None:
        touched.held[key] = content


# -- what a write touched: heard from the store's signals ---------------------------------

_PARENT = {
    models.RaceResult: (RACE_RESULT, "pk"),
    models.Ranking: (RANKING, "pk"),
    models.RaceEvent: (RACE_EVENT, "pk"),
    models.RaceResultLine: (RACE_RESULT, "result_id"),
    models.RankingLine: (RANKING, "ranking_id"),
}


def _heard(sender, instance, **kwargs) -> None:
    touched = _sealing.get()
    if touched is None:
        return
    if sender is models.RaceLineSkater:
        line = instance._state.fields_cache.get("line")
        if line is not None:
            touched.subjects.add((RACE_RESULT, line.result_id))
            touched.held.pop((RACE_RESULT, line.result_id), None)
        else:  # whose result: looked up for all of the write's skaters at once, at its end
            touched.relay_lines.add(instance.line_id)
        return
    subject, attribute = _PARENT[sender]
    key = (subject, getattr(instance, attribute))
    touched.subjects.add(key)
    if attribute == "pk" and kwargs.get("created"):
        touched.created[key] = instance
        if sender is models.RaceEvent and (content := event_digest(instance)) is not None:
            touched.held[key] = content
        return
    touched.held.pop(key, None)  # written again: read back
    if attribute == "pk" and key in touched.created:
        touched.created[key] = instance


for _model in (*_PARENT, models.RaceLineSkater):
    post_save.connect(_heard, sender=_model, dispatch_uid=f"shorttrack.history.{_model.__name__}")
    post_delete.connect(
        _heard, sender=_model, dispatch_uid=f"shorttrack.history.del.{_model.__name__}"
    )


def _results_of(line_ids: set[int]) -> set[tuple[str, int]]:
    """The results of relay lines whose skaters a write wrote (a line removed since is
    heard of itself, with its result)."""
    if not line_ids:
        return set()
    return {
        (RACE_RESULT, result_id)
        for result_id in models.RaceResultLine.objects.filter(pk__in=line_ids)
        .values_list("result_id", flat=True)
        .distinct()
    }


# -- sealing a write ----------------------------------------------------------------------


def _seal(
    subjects: set[tuple[str, int]],
    created: dict[tuple[str, int], models.Model] | None = None,
    held: dict[tuple[str, int], str] | None = None,
) -> None:
    if not subjects:
        return
    created, held = created or {}, held or {}
    by_kind: dict[str, set[int]] = defaultdict(set)
    for subject, pk in subjects:
        by_kind[subject].add(pk)
    new: dict[int, list[tuple[str, int, int | None, str]]] = defaultdict(list)
    race_competition: dict[int, int] = {}  # of the races whose rows this seal placed
    # Results and rankings first: the competitions of their races are those of the
    # write's new events too.
    for subject in sorted(by_kind, key=lambda kind: kind == RACE_EVENT):
        ids = by_kind[subject]
        # A row created by this write has no link yet: only the others are looked up. A
        # row stays in the competition and race its last link put it in (a result's race,
        # a race's round and distance race are never moved by a service), and a new one is
        # where the objects the service passed say, if they hold it: the read back need
        # not join its way to the competition.
        newest = newest_links(subject, {pk for pk in ids if (subject, pk) not in created})
        owners = {pk: link[1:] for pk, link in newest.items()}
        for pk in ids - newest.keys():
            row = created.get((subject, pk))
            race_id = getattr(row, "race_id", None)
            competition = race_competition.get(race_id) or _competition_at_hand(row)
            if competition is not None:
                owners[pk] = (competition, race_id)
        # A row the write holds the digest of is sealed from it once its place is known;
        # the others are read back (and placed by the read when their place is not known).
        digests = {pk: held[subject, pk] for pk in owners.keys() & ids if (subject, pk) in held}
        unread = ids - digests.keys()
        placed = unread & owners.keys()
        if placed:
            digests.update(contents(subject, placed))
        if unread - placed:
            digests.update(contents(subject, unread - placed, owners=owners))
        race_competition.update((race, c) for c, race in owners.values() if race is not None)
        for pk in sorted(ids):
            content = digests.get(pk, REMOVED)
            place = owners.get(pk, (None, None))
            if content == REMOVED and pk not in newest:
                continue  # never chained and already gone
            if place[0] is None or newest.get(pk, (None,))[0] == content:
                continue  # unchanged since its link
            new[place[0]].append((subject, pk, place[1], content))
    at = connection.ops.adapt_datetimefield_value(clock.now())
    links = []
    for competition_id in sorted(new):
        sequence, previous = _locked_head(competition_id)
        for subject, pk, race_id, content in new[competition_id]:
            sequence += 1
            digest = link_digest(previous, subject, pk, content)
            links.append(
                (competition_id, sequence, subject, pk, race_id, content, previous, digest, at)
            )
            previous = digest
    _append(links)


_LINK = (
    "competition", "sequence", "subject", "subject_id", "race_id", "content", "previous", "digest",
    "at",
)  # fmt: skip


def _append(links: list[tuple]) -> None:
    """Insert the links (values in ``_LINK``'s order), in one statement per hundred:
    written here, as Django's bulk_create took longer to build the INSERT than the
    database to run it."""
    if not links:
        return
    meta, quote = models.HistoryLink._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in _LINK)
    row = "(" + ", ".join(["%s"] * len(_LINK)) + ")"
    cursor = cursor_of(connection)
    for start in range(0, len(links), 100):
        batch = links[start : start + 100]
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
            + ", ".join([row] * len(batch)),
            [value for link in batch for value in link],
        )


def _competition_at_hand(row: models.Model | None) -> int | None:
    """The competition of a new result's or event's race, or a new ranking's distance
    race, if the objects the service passed hold it."""
    if row is None:
        return None
    distance = row._state.fields_cache.get("distance_race")
    if distance is None:
        race = row._state.fields_cache.get("race")
        round_ = race._state.fields_cache.get("round") if race is not None else None
        distance = round_._state.fields_cache.get("distance_race") if round_ is not None else None
    return distance.competition_id if distance is not None else None


def _locked_head(competition_id: int) -> tuple[int, str]:
    """The sequence and digest of the competition's newest link, read once this write
    holds the chain's lock: the competition's row. Two writes to one competition append
    one after the other (PostgreSQL); SQLite has one writer at a time anyway."""
    links = connection.ops.quote_name(models.HistoryLink._meta.db_table)
    newest = (
        f"SELECT sequence, digest FROM {links} WHERE competition_id = %s "
        "ORDER BY sequence DESC LIMIT 1"
    )
    if not connection.features.has_select_for_update:
        cursor = cursor_of(connection)
        cursor.execute(newest, [competition_id])
        return cursor.fetchone() or (0, "")
    competitions = connection.ops.quote_name(models.Competition._meta.db_table)
    lock = f"SELECT 1 FROM {competitions} WHERE id = %s FOR UPDATE"
    cursor = cursor_of(connection)
    if connection.vendor == "postgresql" and Pipeline.is_supported():
        # One round trip, whichever way the connection binds parameters: the two
        # statements sent together (psycopg's pipeline), PostgreSQL running them one
        # after the other, each with its own snapshot (READ COMMITTED), so the newest
        # link is read once the lock is granted and sees the links of the write that
        # held it before.
        with connection.wrap_database_errors, connection.connection.pipeline():
            cursor.execute(lock, [competition_id])
            cursor.execute(newest, [competition_id])
    else:
        cursor.execute(lock, [competition_id])
        cursor.execute(newest, [competition_id])
    return cursor.fetchone() or (0, "")


def chain_existing(store=models) -> int:
    """Give every result revision, ranking revision and race event that has no link yet one,
    competition by competition, oldest first: what a database upgraded to the history holds
    is its starting point (migration 0008). ``store``: the migration's models. Returns how
    many links were made."""
    from django.utils import timezone

    linked = {
        (subject, pk)
        for subject, pk in store.HistoryLink.objects.values_list("subject", "subject_id")
    }
    paths = {
        RACE_RESULT: (store.RaceResult, "race__round__distance_race__competition_id", "race_id"),
        RACE_EVENT: (store.RaceEvent, "race__round__distance_race__competition_id", "race_id"),
        RANKING: (store.Ranking, "distance_race__competition_id", None),
    }
    waiting: dict[int, list[tuple[str, int, int | None]]] = defaultdict(list)
    for subject, (model, competition, race) in paths.items():
        columns = ("pk", competition, race) if race else ("pk", competition)
        for pk, competition_id, *race_id in model.objects.order_by("pk").values_list(*columns):
            if (subject, pk) not in linked:
                waiting[competition_id].append((subject, pk, race_id[0] if race_id else None))
    made = 0
    at = timezone.now()
    for competition_id in sorted(waiting):
        rows = waiting[competition_id]
        digests: dict[tuple[str, int], str] = {}
        for subject in (RACE_RESULT, RANKING, RACE_EVENT):
            ids = [pk for s, pk, _ in rows if s == subject]
            digests.update(((subject, pk), d) for pk, d in contents(subject, ids, store).items())
        last = (
            store.HistoryLink.objects.filter(competition_id=competition_id)
            .order_by("-sequence")
            .values_list("sequence", "digest")
            .first()
        )
        sequence, previous = last if last else (0, "")
        links = []
        for subject, pk, race_id in rows:
            sequence += 1
            content = digests[(subject, pk)]
            digest = link_digest(previous, subject, pk, content)
            links.append(
                store.HistoryLink(
                    competition_id=competition_id,
                    sequence=sequence,
                    subject=subject,
                    subject_id=pk,
                    race_id=race_id,
                    content=content,
                    previous=previous,
                    digest=digest,
                    at=at,
                )
            )
            previous = digest
        store.HistoryLink.objects.bulk_create(links, batch_size=500)
        made += len(links)
    return made
