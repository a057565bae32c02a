"""The competition page, an overview: the schedule by day and session (each round's races
in a session, in local time), what is on now and next, and for each distance its rounds,
its podium and whether its final ranking is official. The results themselves are on the
page of each distance (``queries.distance``) and of each round (``queries.round_results``).

It reads what it shows and no more: the races' states as values, the first three of each
final ranking, counts of entries; never a result line. Also here, because every page of a
race says them the same way: a race's title, its state as the public sees it, and the
official result sheets and start lists of a set of races (``RaceSheets``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count

from shorttrack.queries.calendar import competition_days
from shorttrack.queries.public import (
    competition_status,
    local_iso,
    now,
    official_rankings,
)
from shorttrack.queries.races import incomplete_reason, programme_numbers
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
from shorttrack.rules.isu_sheet import printed_name, sheet_order
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Entry,
    Race,
    RaceResult,
    RaceResultLine,
    Ranking,
    RankingLine,
    Round,
    Session,
    StartListLine,
)

# Races "up next" the overview names; the round pages list the rest.
UP_NEXT = 3
# What a race is while it is on: started, finish typed, or the referee reviewing it.
ON_NOW = ("started", "unofficial", "under review")


def public_status(race: Race, has_official_result: bool) -> str:
    """A race's state as the public sees it. Once a result is official it stands, also
    while a correction is under review; before that the live status shows."""
    return status_word(race.status, race.get_status_display(), has_official_result)


def status_word(status: str, display: str, has_official_result: bool) -> str:
    """``public_status`` of a race read as values: its status and the status's words."""
    if has_official_result:
        return "under review" if status == "under_review" else "official"
    return display


def race_title(distance_race: DistanceRace, kind: str, number: int, races_in_round: int) -> str:
    """ "Women's 1000m (1), Heats, race 2"; a round of one race needs no number."""
    head = f"{distance_race.title}, {round_label(kind)}"
    return head if races_in_round == 1 else f"{head}, race {number}"


def printed_entrant(line: dict, convention: str) -> dict:
    """An entrant's name, display and team's skaters as the season prints them ("PARK Ji
    Won" where Korean given names print spaced: ``rules.isu_sheet.printed_name``)."""
    nation = line["nation"]
    name = printed_name(line["name"], nation, convention) if line["skater_id"] else line["name"]
    printed = {
        **line,
        "name": name,
        "display": line["display"].replace(line["name"], name, 1),
        "team_skaters": [printed_name(n, nation, convention) for n in line["team_skaters"]],
    }
    if "race_skaters" in line:
        printed["race_skaters"] = [
            printed_name(n, nation, convention) for n in line["race_skaters"]
        ]
    return printed


def round_status(states: Iterable[str]) -> str:
    """A round as the public sees it: 'official' when all its races are, 'scheduled' while
    none has started, else 'racing'."""
    states = list(states)
    if states and all(s == "official" for s in states):
        return "official"
    if all(s == "scheduled" for s in states):
        return "scheduled"
    return "racing"


class RaceSheets:
    """Official results and start lists of a set of races, loaded in a few queries.
    ``raced_start_lists=False`` leaves out the start lists of races with an official
    result: their lines say where each skater started."""

    def __init__(self, races: list[Race], *, raced_start_lists: bool = True):
        ids = [race.pk for race in races]
        # The newest official result of each race: its number and moment are all a sheet
        # says of it (who recorded it is the race page's history).
        self.results: dict[int, RaceResult] = {
            result.race_id: result
            for result in RaceResult.objects.newest_official()
            .filter(race_id__in=ids)
            .only("id", "race_id", "number", "official_at")
        }
        self.lines: dict[int, list[RaceResultLine]] = {}
        for line in (
            RaceResultLine.objects.public()
            .filter(result_id__in=[r.pk for r in self.results.values()])
            .select_related("skater", "member", "team")
            .order_by("result_id", "place", "id")
        ):
            self.lines.setdefault(line.result_id, []).append(line)
        started = ids if raced_start_lists else [i for i in ids if i not in self.results]
        self.starts: dict[int, list[StartListLine]] = {}
        for line in (
            StartListLine.objects.public()
            .filter(race_id__in=started)
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
        # In the order an ISU result sheet prints them: the unplaced after, DNF/DNS, PEN, YC.
        lines = sorted(
            self.lines.get(result.pk, []),
            key=lambda line: sheet_order(line.place, line.status, line.helmet),
        )
        return {
            "revision": result.number,
            "official_at": moment(result.official_at),
            "lines": [result_line(line, self.rosters, self.race_skaters) for line in lines],
        }

    def start_list(self, race: Race) -> list[dict]:
        return [start_line(line, self.rosters) for line in self.starts.get(race.pk, [])]


def public_distance_races(competition: Competition) -> list[DistanceRace]:
    """The competition's distance races in the order its pages list them: by their
    finals, then distance."""
    return list(
        DistanceRace.objects.public()
        .filter(competition=competition)
        .select_related("competition__season")
        .order_by("finals_at", "distance", "instance")
    )


def races_with_official_result(race_ids: list[int], as_of: datetime | None = None) -> set[int]:
    """Which of the races have an official result (now when ``as_of`` is None)."""
    return set(
        RaceResult.objects.official_at(as_of or now())
        .filter(race_id__in=race_ids)
        .values_list("race_id", flat=True)
    )


def _podiums(ranking_ids: list[int], convention: str) -> dict[int, list[dict]]:
    """ranking id -> its first three, as the overview shows them, names as the season
    prints them (``convention``)."""
    lines = list(
        RankingLine.objects.public()
        .filter(ranking_id__in=ranking_ids, rank__in=(1, 2, 3))
        .select_related("skater", "member", "team")
        .order_by("ranking_id", "rank", "id")
    )
    rosters = team_rosters({line.team_id for line in lines if line.team_id})
    podiums: dict[int, list[dict]] = {}
    for line in lines:
        podiums.setdefault(line.ranking_id, []).append(
            {
                "rank": line.rank,
                **printed_entrant(entrant(line, rosters), convention),
                "time": format_time(line.time_ms),
                "status": "" if line.status == "finished" else line.status,
            }
        )
    return podiums


class CompetitionRaces:
    """The rounds and races of a competition's distance races as the overview needs them:
    a race's number, status (as the public sees it), session and time, read as values."""

    def __init__(self, competition: Competition, distance_races: list[DistanceRace]):
        self.zone = competition.time_zone
        self.distance_races = {dr.pk: dr for dr in distance_races}
        self.rounds: dict[int, list[Round]] = {}  # distance race id -> its rounds in order
        self.round_of: dict[int, Round] = {}
        for round_ in (
            Round.objects.public()
            .filter(distance_race__in=distance_races)
            .only("id", "kind", "order", "distance_race_id")
            .order_by("order")
        ):
            self.rounds.setdefault(round_.distance_race_id, []).append(round_)
            self.round_of[round_.pk] = round_
        display = dict(Race._meta.get_field("status").choices)
        races = list(
            Race.objects.public()
            .filter(round__distance_race__in=distance_races)
            .order_by("round_id", "number")
            .values("id", "round_id", "number", "status", "session_id", "scheduled_at")
        )
        self.official = races_with_official_result([race["id"] for race in races])
        self.in_round: dict[int, list[dict]] = {}  # round id -> its races by number
        for race in races:
            race["public_status"] = status_word(
                race["status"], display[race["status"]], race["id"] in self.official
            )
            self.in_round.setdefault(race["round_id"], []).append(race)
        self.numbers = programme_numbers(competition.pk)
        self.in_order = sorted(
            races, key=lambda r: (r["scheduled_at"] is None, r["scheduled_at"] or now(), r["id"])
        )

    def of_distance(self, distance_race: DistanceRace) -> list[tuple[Round, list[dict]]]:
        return [(r, self.in_round.get(r.pk, [])) for r in self.rounds.get(distance_race.pk, [])]

    def round_title(self, round_: Round) -> str:
        """ "Men's 1000m, Heats" """
        return f"{self.distance_races[round_.distance_race_id].title}, {round_label(round_.kind)}"

    def scheduled(self, race: dict) -> dict:
        """A race as the schedule names it: "Men's 1000m, Heats, race 3" at 10:21."""
        round_ = self.round_of[race["round_id"]]
        distance_race = self.distance_races[round_.distance_race_id]
        races_in_round = len(self.in_round[round_.pk])
        return {
            "race_id": race["id"],
            "programme_number": self.numbers.get(race["id"]),
            "title": race_title(distance_race, round_.kind, race["number"], races_in_round),
            "scheduled_at": local_iso(race["scheduled_at"], self.zone),
            "status": race["public_status"],
        }

    def sessions(self) -> dict[int, list[dict]]:
        """session id -> the rounds skated in it, in order, each with its races' count."""
        in_session: dict[int, list[dict]] = {}
        for race in self.in_order:
            if not race["session_id"]:
                continue
            blocks = in_session.setdefault(race["session_id"], [])
            round_ = self.round_of[race["round_id"]]
            at = local_iso(race["scheduled_at"], self.zone)
            if not blocks or blocks[-1]["round_id"] != round_.pk:
                blocks.append(
                    {
                        "round_id": round_.pk,
                        "distance_race_id": round_.distance_race_id,
                        "title": self.round_title(round_),
                        "races": 0,
                        "official": 0,
                        "first_at": at,
                        "last_at": None,
                    }
                )
            block = blocks[-1]
            block["races"] += 1
            block["official"] += race["public_status"] in ("official", "under review")
            block["last_at"] = at
        return in_session

    def on_now(self) -> list[dict]:
        return [self.scheduled(r) for r in self.in_order if r["public_status"] in ON_NOW]

    def up_next(self) -> list[dict]:
        """The next races drawn and not started: a race nobody was drawn into (a Final B
        emptied by falls) is never next, nor a round still to be drawn."""
        waiting = [r["id"] for r in self.in_order if r["public_status"] == "scheduled"]
        drawn = set(
            StartListLine.objects.public()
            .filter(race_id__in=waiting)
            .values_list("race_id", flat=True)
        )
        return [self.scheduled(r) for r in self.in_order if r["id"] in drawn][:UP_NEXT]


def _distance_overview(
    distance_race: DistanceRace,
    races: CompetitionRaces,
    ranking: Ranking | None,
    podium: list[dict],
    entries: int,
) -> dict:
    rounds = races.of_distance(distance_race)
    final_a = next(
        (
            race["id"]
            for round_, in_round in rounds
            if round_.kind == "final_a"
            for race in in_round
            if race["id"] in races.official
        ),
        None,
    )
    states = [race["public_status"] for _, in_round in rounds for race in in_round]
    return {
        **distance_race_ref(distance_race),
        "status": "official" if ranking else round_status(states),
        "entries": entries,
        "rounds": [
            {
                "id": round_.pk,
                "kind": round_.kind,
                "label": round_label(round_.kind),
                "races": [
                    {
                        "id": race["id"],
                        "number": race["number"],
                        "status": race["public_status"],
                        "scheduled_at": local_iso(race["scheduled_at"], races.zone),
                    }
                    for race in in_round
                ],
            }
            for round_, in_round in rounds
        ],
        "final_race_id": final_a,
        "podium": podium,
        "ranking": {
            "official_at": moment(ranking.official_at),
            "basis": ranking.basis,
            "complete": ranking.complete,
            "incomplete_reason": incomplete_reason(ranking),
        }
        if ranking
        else None,
    }


def competition_document(competition: Competition) -> dict:
    """What the competition's overview shows, as one JSON document."""
    distance_races = public_distance_races(competition)
    races = CompetitionRaces(competition, distance_races)
    sessions = list(Session.objects.public().filter(competition=competition).order_by("starts_at"))
    days = competition_days(competition, sessions, distance_races)
    in_session = races.sessions()
    for day in days:
        for session in day["sessions"]:
            session["rounds"] = in_session.get(session["id"], [])

    rules = season_rules(competition.season.rules_key)
    rankings = official_rankings([dr.pk for dr in distance_races])
    podiums = _podiums([r.pk for r in rankings.values()], rules.korean_given.value)
    entries = dict(
        Entry.objects.public()
        .filter(distance_race__in=distance_races, withdrawn_at__isnull=True)
        .values_list("distance_race_id")
        .annotate(count=Count("id"))
    )
    distances = []
    for dr in distance_races:
        ranking = rankings.get(dr.pk)
        podium = podiums.get(ranking.pk, []) if ranking else []
        distances.append(_distance_overview(dr, races, ranking, podium, entries.get(dr.pk, 0)))

    return {
        **competition_ref(competition),
        "season": season_ref(competition.season),
        "venue": competition.venue,
        "time_zone": competition.time_zone,
        "start_date": competition.start_date.isoformat(),
        "end_date": competition.end_date.isoformat(),
        "status": competition_status(competition),
        "schedule": days,
        "on_now": races.on_now(),
        "up_next": races.up_next(),
        "distances": distances,
        "points_table_provisional": any(p.provisional for p in rules.points),
        "updated_at": now().isoformat(),
    }
