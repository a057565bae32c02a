"""The final ranking of a distance at a competition, computed from its official races.

When the finals of a distance (Final A, and Final B where there is one) are official, the
rules core ranks every entrant (``rules.ranking.final_ranking`` with the season's rules)
and the ranking is stored as a ``Ranking`` revision with basis "races", official at that
moment, so its World Cup points reach the standings (``queries.standings`` reads only
rankings). A correction of any race of the distance afterwards ranks it again: a new
revision when anything changed, none when nothing did.
"""

from __future__ import annotations

from datetime import datetime

from shorttrack import live
from shorttrack.rules.ranking import RaceLine, RoundKind, RoundResult, Status, final_ranking
from shorttrack.rules.season import season_rules
from shorttrack.services import history
from shorttrack.services.result_lines import entrant_key
from shorttrack.store.compiled import insert_all
from shorttrack.store.models import (
    DistanceRace,
    Race,
    RaceResult,
    RaceResultLine,
    Ranking,
    RankingLine,
    Revision,
)


def finals_official(distance_race: DistanceRace) -> bool:
    """True when every race of the distance's finals that has starters is official (a
    Final B nobody qualified for is not skated)."""
    finals = Race.objects.filter(
        round__distance_race=distance_race,
        round__kind__startswith="final_",
        start_list__isnull=False,
    ).distinct()
    statuses = list(finals.values_list("status", flat=True))
    return bool(statuses) and all(s == "official" for s in statuses)


def rank_distance(
    distance_race: DistanceRace, user, at: datetime, reason: str, source: str
) -> Ranking | None:
    """Rank the distance from the newest official result of each of its races and store
    it as a new revision, official at ``at``; None when it equals the current ranking."""
    rounds, lines_by_entrant = _official_rounds(distance_race)
    rules = season_rules(distance_race.competition.season.rules_key)
    ranks = final_ranking(
        rounds, final_a_penalty=rules.final_a_penalty.value, cards=rules.cards.value
    )
    rows = []
    for rank in ranks:
        line = lines_by_entrant[(rank.entrant, rank.round)]
        final = rank.round.label[-1] if rank.round.final else ""
        rows.append(
            dict(
                rank=rank.rank,
                skater_id=line.skater_id,
                team_id=line.team_id,
                member_id=line.member_id,
                final=final,
                final_place=line.place if final else None,
                time_ms=line.time_ms,
                status=rank.status.value,
            )
        )
    current = distance_race.rankings.order_by("-number").first()
    if current is not None and _rows(current) == [_key(r) for r in rows]:
        return None
    revision = Revision.objects.create(
        recorded_at=at, recorded_by=user, source=source[:300], reason=reason
    )
    ranking = Ranking.objects.create(
        distance_race=distance_race,
        number=(current.number + 1) if current else 1,
        revision=revision,
        official_at=at,
        basis="races",
        complete=True,
    )
    saved = insert_all([RankingLine(ranking=ranking, **row) for row in rows])
    history.saved_lines(ranking, saved)  # sealed from these, not read back
    competition = distance_race.competition
    payload = {"kind": "ranking", "distance_race": distance_race.pk}
    live.publish_all(
        [(f"competition:{competition.pk}", payload), (f"season:{competition.season_id}", payload)]
    )
    return ranking


def _official_rounds(
    distance_race: DistanceRace,
) -> tuple[list[RoundResult], dict[tuple[str, RoundKind], RaceResultLine]]:
    """The rounds of the distance in skating order, each race from its newest official
    revision, as the rules core takes them; and each entrant's line in each round."""
    newest: dict[int, RaceResult] = {}
    for result in RaceResult.objects.filter(
        race__round__distance_race=distance_race, official_at__isnull=False
    ).select_related("race__round"):
        if result.race_id not in newest or result.number > newest[result.race_id].number:
            newest[result.race_id] = result
    lines: dict[int, list[RaceResultLine]] = {r.pk: [] for r in newest.values()}
    for line in RaceResultLine.objects.filter(result_id__in=lines).order_by("id"):
        lines[line.result_id].append(line)
    by_round: dict[int, tuple[int, RoundKind, list[tuple[int, int]]]] = {}
    for result in newest.values():
        round_ = result.race.round
        entry = by_round.setdefault(round_.pk, (round_.order, RoundKind(round_.kind), []))
        entry[2].append((result.race.number, result.pk))
    rounds, lines_by_entrant = [], {}
    for _, kind, races in sorted(by_round.values(), key=lambda r: r[0]):
        raced = []
        for _, result_id in sorted(races):
            race_lines = []
            for line in lines[result_id]:
                entrant = entrant_key(line)
                lines_by_entrant[(entrant, kind)] = line
                race_lines.append(
                    RaceLine(
                        entrant,
                        line.place,
                        line.time_ms,
                        Status(line.status),
                        line.mark == "ADV",
                        line.dead_heat,
                    )
                )
            raced.append(tuple(race_lines))
        rounds.append(RoundResult(kind, tuple(raced)))
    return rounds, lines_by_entrant


_FIELDS = ("rank", "skater_id", "team_id", "member_id", "final", "final_place", "time_ms", "status")


def _key(row: dict) -> tuple:
    return tuple(row[f] for f in _FIELDS)


def _rows(ranking: Ranking) -> list[tuple]:
    return list(ranking.lines.order_by("id").values_list(*_FIELDS))
