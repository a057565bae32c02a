"""The page of a distance race at a competition: its rounds in order with each race's
winner and those who went on (a final: its first three), its medalists and its final
ranking with the World Cup points each rank gave; before that ranking, its entry list.

A race's whole sheet is on its round's page (``queries.round_results``): here only the
lines the page shows are read.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import F, Q

from shorttrack.queries.competition import (
    printed_entrant,
    public_status,
    race_title,
    races_with_official_result,
    round_status,
)
from shorttrack.queries.public import NotFound, local_iso, now
from shorttrack.queries.race import zone_name
from shorttrack.queries.races import (
    current_ranking,
    incomplete_reason,
    programme_numbers,
    ranking_rows,
)
from shorttrack.queries.references import (
    competition_ref,
    distance_race_ref,
    entrant,
    mark,
    moment,
    round_label,
    season_ref,
    team_rosters,
)
from shorttrack.rules.isu_sheet import printed_name, printed_time, sheet_order
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Entry,
    Race,
    RaceResult,
    RaceResultLine,
    Round,
)

# A final's lines the distance page shows; the final ranking below has every place.
FINAL_PLACES = 3


def distance_race_of(competition: Competition, distance_race_id: int) -> DistanceRace:
    """A public distance race of the competition, or NotFound."""
    try:
        return (
            DistanceRace.objects.public()
            .select_related("competition__season")
            .get(competition=competition, pk=distance_race_id)
        )
    except DistanceRace.DoesNotExist:
        raise NotFound(f"no distance race {distance_race_id} at {competition.name}") from None


def entry_list(distance_race: DistanceRace, convention: str) -> list[dict]:
    """The distance's entries by helmet, withdrawn ones marked, names as the season prints
    them (``convention``)."""
    entries = list(
        Entry.objects.public()
        .filter(distance_race=distance_race)
        .select_related("skater", "member", "team")
        .order_by("helmet", "id")
    )
    rosters = team_rosters({e.team_id for e in entries if e.team_id})
    return [
        {
            **printed_entrant(entrant(entry, rosters), convention),
            "helmet": entry.helmet,
            "season_best": format_time(entry.season_best_ms),
            "withdrawn": entry.withdrawn_at is not None,
            "withdrawn_reason": entry.withdrawn_reason if entry.withdrawn_at else "",
        }
        for entry in entries
    ]


def _shown(line: RaceResultLine, final: bool) -> bool:
    """The winner and who went on (Q, q, QA, ADV ...); in a final, its first three."""
    if final:
        return line.place is not None and line.place <= FINAL_PLACES
    return line.place == 1 or bool(line.mark)


def distance_document(competition: Competition, distance_race_id: int) -> dict:
    """What the distance page shows, as one JSON document."""
    distance_race = distance_race_of(competition, distance_race_id)
    zone = competition.time_zone
    rules = season_rules(competition.season.rules_key)
    convention = rules.korean_given.value
    rounds = list(Round.objects.public().filter(distance_race=distance_race).order_by("order"))
    races = list(
        Race.objects.public()
        .filter(round__distance_race=distance_race)
        .select_related("session")
        .order_by("number")
    )
    numbers = programme_numbers(competition.pk)
    official = races_with_official_result([race.pk for race in races])
    # Of each race's newest official result, the lines the page may show (one query).
    lines: dict[int, list[RaceResultLine]] = {}
    for line in (
        RaceResultLine.objects.public()
        .filter(result__in=RaceResult.objects.newest_official().filter(race__in=official))
        .filter(Q(place__lte=FINAL_PLACES) | ~Q(mark=""))
        .annotate(race_id=F("result__race_id"))
        .select_related("skater", "member", "team")
        .order_by("id")
    ):
        lines.setdefault(line.race_id, []).append(line)
    rosters = team_rosters({ln.team_id for found in lines.values() for ln in found if ln.team_id})

    def outcome(race: Race, round_: Round, in_round: int) -> dict:
        final = RoundKind(round_.kind).final
        shown = sorted(
            (ln for ln in lines.get(race.pk, []) if _shown(ln, final)),
            key=lambda ln: sheet_order(ln.place, ln.status, ln.helmet),
        )
        return {
            "id": race.pk,
            "number": race.number,
            "programme_number": numbers.get(race.pk),
            "title": race_title(distance_race, round_.kind, race.number, in_round),
            "status": public_status(race, race.pk in official),
            "scheduled_at": local_iso(race.scheduled_at, zone),
            "scheduled_zone": zone_name(race.scheduled_at, zone),
            "session": race.session.name if race.session_id else None,
            "lines": [
                {
                    **printed_entrant(entrant(ln, rosters), convention),
                    "place": ln.place,
                    "dead_heat": ln.dead_heat,
                    "time": printed_time(ln.status, format_time(ln.time_ms)),
                    "mark": mark("" if ln.status == "finished" else ln.status, ln.mark),
                }
                for ln in shown
            ],
        }

    outcomes = []
    for round_ in rounds:
        of_round = [race for race in races if race.round_id == round_.pk]
        done = [outcome(race, round_, len(of_round)) for race in of_round]
        outcomes.append(
            {
                "id": round_.pk,
                "kind": round_.kind,
                "label": round_label(round_.kind),
                "status": round_status(race["status"] for race in done),
                "races": done,
            }
        )

    ranking = current_ranking(distance_race)
    rows = [asdict(row) for row in ranking_rows(distance_race, ranking=ranking)] if ranking else []
    for row in rows:
        if row["skater_id"]:
            row["name"] = printed_name(row["name"], row["nation"], convention)
        row["time"] = printed_time(row["status"], row["time"])  # "PEN" alone, as the ISU
    return {
        "season": season_ref(competition.season),
        "competition": competition_ref(competition),
        "distance_race": distance_race_ref(distance_race),
        "entries": [] if ranking else entry_list(distance_race, convention),
        "rounds": outcomes,
        "medalists": [row for row in rows if row["rank"] in (1, 2, 3)],
        "ranking": {
            "official_at": moment(ranking.official_at),
            "basis": ranking.basis,
            "complete": ranking.complete,
            "incomplete_reason": incomplete_reason(ranking),
            "provisional": any(row["points_provisional"] for row in rows),
            "rows": rows,
        }
        if ranking
        else None,
        "points_table_provisional": any(p.provisional for p in rules.points),
        "updated_at": now().isoformat(),
    }
