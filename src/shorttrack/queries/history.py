"""The results' tamper-evident history read back: ``verify`` names what no service wrote.

- a row **changed** behind the application (an official time shaved, a revision's author or
  reason rewritten): its content no longer has the digest of its newest link;
- a row **removed** (a correction event deleted): a link names a row that is not there;
- a row **added** (an event inserted by SQL): a row no link names;
- a **link** changed, added or removed: the chain does not follow from link 1.

Anyone able to rewrite the rows and the whole chain after them can make the two agree: the
chain's head digest (``head``), shown on the race page and the console and carried by an
export, is what a later reader compares against to know it is the same history.
Used by `shorttrack audit verify`, the race page and the console.
"""

from __future__ import annotations

from dataclasses import dataclass

from shorttrack.queries.race_names import race_name
from shorttrack.store import models
from shorttrack.store.history import (
    RACE_EVENT,
    RACE_RESULT,
    RANKING,
    REMOVED,
    SUBJECTS,
    contents,
    link_digest,
)


@dataclass(frozen=True)
class Break:
    """One thing the history shows that no service wrote."""

    kind: str  # "changed", "removed", "added", "link"
    subject: str  # "race_result", "ranking", "race_event", or "link"
    subject_id: int
    what: str  # "Women's 500m Heat 3, revision 2", for a person

    def line(self) -> str:
        verbs = {
            "changed": "changed behind the application",
            "removed": "removed behind the application",
            "added": "added behind the application (no service wrote it)",
            "link": "the history's chain is broken here",
        }
        return (
            f"{self.subject.replace('_', ' ')} {self.subject_id} ({self.what}): {verbs[self.kind]}"
        )


@dataclass(frozen=True)
class Verified:
    competition_id: int
    links: int
    head: str  # the digest of the newest link, "" for none
    breaks: tuple[Break, ...]

    @property
    def intact(self) -> bool:
        return not self.breaks


def head(competition_id: int) -> tuple[int, str]:
    """How many links the competition's history has and the newest one's digest."""
    last = (
        models.HistoryLink.objects.filter(competition_id=competition_id)
        .order_by("-sequence")
        .values_list("sequence", "digest")
        .first()
    )
    return last if last else (0, "")


def _present(competition_id: int, race_id: int | None) -> dict[str, list[int]]:
    """The ids of the subject rows there are now, in the competition or in one race."""
    where = (
        {"race_id": race_id}
        if race_id is not None
        else {"race__round__distance_race__competition_id": competition_id}
    )
    present = {
        subject: list(model.objects.filter(**where).values_list("pk", flat=True))
        for subject, model in ((RACE_RESULT, models.RaceResult), (RACE_EVENT, models.RaceEvent))
    }
    present[RANKING] = (
        []
        if race_id is not None
        else list(
            models.Ranking.objects.filter(distance_race__competition_id=competition_id).values_list(
                "pk", flat=True
            )
        )
    )
    return present


def verify(competition_id: int, *, race_id: int | None = None) -> Verified:
    """Read the competition's history back and name every break: the whole chain, and
    every row of the competition (or only those of one race, for its page)."""
    breaks: list[Break] = []
    previous, expected = "", 1
    newest: dict[tuple[str, int], str] = {}
    links = (
        models.HistoryLink.objects.filter(competition_id=competition_id)
        .order_by("sequence")
        .values_list(
            "sequence", "subject", "subject_id", "race_id", "content", "previous", "digest"
        )
    )
    count = 0
    for sequence, subject, pk, race, content, before, digest in links.iterator(chunk_size=2000):
        count += 1
        if (
            sequence != expected
            or before != previous
            or digest != link_digest(before, subject, pk, content)
        ):
            breaks.append(Break("link", "link", sequence, f"link {sequence} of the history"))
        previous, expected = digest, sequence + 1
        if race_id is None or race == race_id:
            newest[(subject, pk)] = content
    present = _present(competition_id, race_id)
    for subject in SUBJECTS:
        digests = contents(subject, present[subject])
        for pk in sorted(digests):
            linked = newest.get((subject, pk))
            if linked is None or linked == REMOVED:
                breaks.append(Break("added", subject, pk, _describe(subject, pk)))
            elif linked != digests[pk]:
                breaks.append(Break("changed", subject, pk, _describe(subject, pk)))
        for (linked_subject, pk), content in sorted(newest.items()):
            if linked_subject == subject and content != REMOVED and pk not in digests:
                name = subject.replace("_", " ")
                breaks.append(Break("removed", subject, pk, f"{name} {pk}, no longer there"))
    return Verified(competition_id, count, previous, tuple(breaks))


def _describe(subject: str, pk: int) -> str:
    """ "Women's 500m Quarterfinal 2, revision 3", "Men's 1000m, ranking revision 1"."""
    if subject == RANKING:
        ranking = models.Ranking.objects.select_related("distance_race").get(pk=pk)
        return f"{ranking.distance_race.title}, ranking revision {ranking.number}"
    model = models.RaceResult if subject == RACE_RESULT else models.RaceEvent
    row = model.objects.select_related("race__round__distance_race").get(pk=pk)
    if subject == RACE_RESULT:
        return f"{race_name(row.race)}, revision {row.number}"
    return f"{race_name(row.race)}, {row.kind} event at {row.at:%Y-%m-%d %H:%M:%S} UTC"
