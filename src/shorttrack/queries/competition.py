"""The competition page: the schedule by day and session, and for each distance its entry
list, its rounds with the start list and official result of every race, its medalists
and its final ranking with the World Cup points each rank gave."""

from __future__ import annotations

from dataclasses import asdict

from shorttrack.queries.calendar import competition_days
from shorttrack.queries.public import (
    competition_status,
    local_iso,
    now,
    official_results,
)
from shorttrack.queries.races import current_ranking, incomplete_reason, ranking_rows
from shorttrack.queries.references import (
    competition_ref,
    distance_race_ref,
    entrant,
    moment,
    race_skaters,
    result_line,
    round_label,
    season_ref,
    start_line,
    team_rosters,
)
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Entry,
    Race,
    RaceResultLine,
    Round,
    Session,
    StartListLine,
)


def public_status(race: Race, has_official_result: bool) -> str:
    """A race's state as the public sees it. Once a result is official it stands, also
    while a correction is under review; before that the live status shows."""
    if has_official_result:
        return "under review" if race.status == "under_review" else "official"
    return race.get_status_display()


def race_title(distance_race: DistanceRace, kind: str, number: int, races_in_round: int) -> str:
    """ "Women's 1000m (1), Heats, race 2"; a round of one race needs no number."""
    head = f"{distance_race.title}, {round_label(kind)}"
    return head if races_in_round == 1 else f"{head}, race {number}"


class RaceSheets:
    """Official results and start lists of a set of races, loaded in a few queries."""

    def __init__(self, races: list[Race]):
        ids = [race.pk for race in races]
        self.results = official_results(ids)
        self.lines: dict[int, list[RaceResultLine]] = {}
        for line in (
            RaceResultLine.objects.public()
            .filter(result_id__in=[r.pk for r in self.results.values()])
            .select_related("skater", "member", "team")
            .order_by("result_id", "place", "id")
        ):
            self.lines.setdefault(line.result_id, []).append(line)
        self.starts: dict[int, list[StartListLine]] = {}
        for line in (
            StartListLine.objects.public()
            .filter(race_id__in=ids)
            .select_related("skater", "member", "team")
            .order_by("race_id", "start_position")
        ):
            self.starts.setdefault(line.race_id, []).append(line)
        team_ids = {line.team_id for lines in self.lines.values() for line in lines}
        team_ids |= {line.team_id for lines in self.starts.values() for line in lines}
        self.rosters = team_rosters(team_ids - {None})
        self.race_skaters = race_skaters(
            line.pk for lines in self.lines.values() for line in lines if line.team_id
        )

    def result(self, race: Race) -> dict | None:
        result = self.results.get(race.pk)
        if result is None:
            return None
        lines = sorted(
            self.lines.get(result.pk, []),
            key=lambda line: (line.place is None, line.place or 0, line.start_position or 0),
        )
        return {
            "revision": result.number,
            "official_at": moment(result.official_at),
            "lines": [result_line(line, self.rosters, self.race_skaters) for line in lines],
        }

    def start_list(self, race: Race) -> list[dict]:
        return [start_line(line, self.rosters) for line in self.starts.get(race.pk, [])]


def _entries(distance_races: list[DistanceRace]) -> dict[int, list[dict]]:
    entries = list(
        Entry.objects.public()
        .filter(distance_race__in=distance_races)
        .select_related("skater", "member", "team")
        .order_by("distance_race_id", "helmet", "id")
    )
    rosters = team_rosters({e.team_id for e in entries if e.team_id})
    by_race: dict[int, list[dict]] = {}
    for entry in entries:
        by_race.setdefault(entry.distance_race_id, []).append(
            {
                **entrant(entry, rosters),
                "helmet": entry.helmet,
                "season_best": format_time(entry.season_best_ms),
                "withdrawn": entry.withdrawn_at is not None,
                "withdrawn_reason": entry.withdrawn_reason if entry.withdrawn_at else "",
            }
        )
    return by_race


def competition_document(competition: Competition) -> dict:
    """Everything the competition page shows, as one JSON document."""
    zone = competition.time_zone
    distance_races = list(
        DistanceRace.objects.public()
        .filter(competition=competition)
        .select_related("competition__season")
        .order_by("finals_at", "distance", "instance")
    )
    rounds: dict[int, list[Round]] = {}
    for round_ in Round.objects.public().filter(distance_race__in=distance_races).order_by("order"):
        rounds.setdefault(round_.distance_race_id, []).append(round_)
    races: dict[int, list[Race]] = {}
    all_races = list(
        Race.objects.public()
        .filter(round__distance_race__in=distance_races)
        .order_by("round_id", "number")
    )
    for race in all_races:
        races.setdefault(race.round_id, []).append(race)
    sheets = RaceSheets(all_races)
    entries = _entries(distance_races)
    rules = season_rules(competition.season.rules_key)

    sessions = list(Session.objects.public().filter(competition=competition).order_by("starts_at"))
    days = competition_days(competition, sessions, distance_races)
    round_of = {r.pk: (r, dr) for dr in distance_races for r in rounds.get(dr.pk, [])}
    in_session: dict[int, list[dict]] = {}
    for race in sorted(
        (r for r in all_races if r.session_id),
        key=lambda r: (r.scheduled_at is None, r.scheduled_at or now(), r.pk),
    ):
        round_, dr = round_of[race.round_id]
        in_session.setdefault(race.session_id, []).append(
            {
                "race_id": race.pk,
                "title": race_title(dr, round_.kind, race.number, len(races[round_.pk])),
                "scheduled_at": local_iso(race.scheduled_at, zone),
                "status": public_status(race, race.pk in sheets.results),
            }
        )
    for day in days:
        for session in day["sessions"]:
            session["races"] = in_session.get(session["id"], [])

    distances = []
    for dr in distance_races:
        ranking = current_ranking(dr)
        rows = [asdict(row) for row in ranking_rows(dr)] if ranking else []
        distances.append(
            {
                **distance_race_ref(dr),
                "entries": entries.get(dr.pk, []),
                "rounds": [
                    {
                        "kind": round_.kind,
                        "label": round_label(round_.kind),
                        "races": [
                            {
                                "id": race.pk,
                                "number": race.number,
                                "title": race_title(
                                    dr, round_.kind, race.number, len(races.get(round_.pk, []))
                                ),
                                "status": public_status(race, race.pk in sheets.results),
                                "scheduled_at": local_iso(race.scheduled_at, zone),
                                "start_list": sheets.start_list(race),
                                "result": sheets.result(race),
                            }
                            for race in races.get(round_.pk, [])
                        ],
                    }
                    for round_ in rounds.get(dr.pk, [])
                ],
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
            }
        )

    return {
        **competition_ref(competition),
        "season": season_ref(competition.season),
        "venue": competition.venue,
        "time_zone": zone,
        "start_date": competition.start_date.isoformat(),
        "end_date": competition.end_date.isoformat(),
        "status": competition_status(competition),
        "schedule": days,
        "distances": distances,
        "points_table_provisional": any(p.provisional for p in rules.points),
        "updated_at": now().isoformat(),
    }
