"""What an import will do, checked against itself and the database before anything is written.

``plan_import`` reads the database (never writes it) and turns the records of all files
into a plan: seasons, competitions and distance races of the calendar, skaters, relay
teams, race results and final rankings, every reference resolved. Everything that is
wrong becomes an ``InputError`` naming file, line, field and reason; the import service
applies a plan only when it has none.

A race's sheet is checked against itself by ``rules.result_sheet`` as printed (race size,
places and dead heats, times in the order of the places), a competition's yellow cards by
``rules.cards``. A Member is known when it is an ISU Member seen at World Cups
(``interchange.names.MEMBER_NAMES``) or is in the database (an organiser adds a new one in
the admin): the format names Members by code and has no record that defines one, so an
unknown code is refused wherever it appears, never created.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

from shorttrack.interchange.names import (
    MEMBER_NAMES,
    full_name_key,
    name_key,
    sheet_name,
    skater_key,
)
from shorttrack.interchange.records import (
    CompetitionRecord,
    DistanceRaceRecord,
    InputError,
    InputFile,
    RaceLineRecord,
    RankingLineRecord,
    Records,
    RoundRecord,
    SeasonRecord,
    SkaterRecord,
)
from shorttrack.rules.cards import YELLOW, Card, second_yellow_cards
from shorttrack.rules.distances import Distance, Gender
from shorttrack.rules.distances import distance as distance_by_key
from shorttrack.rules.laps import line_lap_problems, race_lap_problems
from shorttrack.rules.ranking import (
    FinalRank,
    RaceLine,
    RoundKind,
    RoundResult,
    Status,
    fill_known_places,
    final_of_mark,
    final_ranking,
    missing_rounds,
    ranking_without_finals,
    skating_order,
)
from shorttrack.rules.result_sheet import SheetLine, sheet_findings
from shorttrack.rules.season import season_rules
from shorttrack.store import models

# A relay race is skated by four of a team; over the rounds a team may use more of its
# Member's skaters (a reserve who skates only the heat), never more than this.
RELAY_SKATERS = 4
LARGEST_RELAY_ROSTER = 8

# season, competition number, distance key, instance: one distance race
RaceKey = tuple[str, int, str, int | None]


def race_title(key: RaceKey) -> str:
    distance = distance_by_key(key[2])
    return f"{distance.gender.value} {distance.race_label(key[3])}"


@dataclass
class PlannedSkater:
    key: str
    isu_id: str
    given_name: str
    family_name: str
    gender: str
    birth_date: date | None
    member: str
    record: SkaterRecord | None = None  # None: known from the database only

    @property
    def name(self) -> str:
        return sheet_name(self.family_name, self.given_name)


@dataclass
class PlannedTeam:
    """A relay team of a distance race. Its roster is everyone who skated a race for it, in
    order of first appearance, then those named only as reserve."""

    race: RaceKey
    name: str
    member: str
    skaters: tuple[str, ...] | None = None  # skater keys: who skated, then reserves
    reserves: tuple[str, ...] = ()
    where: tuple[str, int] = ("", 0)

    def add(self, racing: tuple[str, ...], reserves: tuple[str, ...]) -> None:
        roster = list(self.skaters or ()) + [k for k in racing if k not in (self.skaters or ())]
        named = [k for k in (*self.reserves, *reserves) if k not in roster]
        self.reserves = tuple(dict.fromkeys(named))
        self.skaters = tuple(roster) + self.reserves


@dataclass
class PlannedLine:
    record: RaceLineRecord
    entrant: str  # "skater:<key>" or "team:<name>"
    member: str
    skater: str | None = None
    team: str | None = None
    race_skaters: tuple[str, ...] = ()  # a relay line: who skated this race, in order


@dataclass
class PlannedRace:
    race: RaceKey
    round: RoundKind
    number: int
    official_at: datetime | None
    lines: list[PlannedLine]
    file: str


@dataclass(frozen=True)
class PlannedRankingLine:
    rank: int | None
    member: str
    skater: str | None = None
    team: str | None = None
    final: str = ""
    final_place: int | None = None
    time_ms: int | None = None
    status: str = Status.FINISHED.value
    note: str = ""


@dataclass
class PlannedRanking:
    race: RaceKey
    basis: str  # "races" or "imported"
    complete: bool
    official_at: datetime | None
    lines: list[PlannedRankingLine]
    files: list[str]
    reason: str = ""  # why it is incomplete (rules.ranking.missing_rounds), computed ones


@dataclass
class ImportPlan:
    files: dict[str, InputFile] = field(default_factory=dict)
    seasons: dict[str, SeasonRecord] = field(default_factory=dict)
    competitions: dict[tuple[str, int], CompetitionRecord] = field(default_factory=dict)
    distance_races: dict[RaceKey, DistanceRaceRecord] = field(default_factory=dict)
    skaters: dict[str, PlannedSkater] = field(default_factory=dict)
    members: set[str] = field(default_factory=set)
    teams: dict[tuple[RaceKey, str], PlannedTeam] = field(default_factory=dict)
    races: list[PlannedRace] = field(default_factory=list)
    # a round's printed progression text and note, by distance race and round
    rounds: dict[tuple[RaceKey, RoundKind], RoundRecord] = field(default_factory=dict)
    rankings: list[PlannedRanking] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def local(moment: datetime | None, time_zone: str) -> datetime | None:
    """A time written without a UTC offset is local time at the venue."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(time_zone))


def _differences(a, b) -> list[str]:
    """The fields in which two records of one thing disagree (file and line aside)."""
    return [
        f.name
        for f in fields(a)
        if f.name not in ("file", "line") and getattr(a, f.name) != getattr(b, f.name)
    ]


class Planner:
    def __init__(self, records: Records):
        self.records = records
        self.plan = ImportPlan(
            files={f.path: f for f in records.files}, errors=list(records.errors)
        )
        self.db_seasons = {s.key: s for s in models.Season.objects.all()}
        self.db_competitions = {
            (c.season.key, c.number): c for c in models.Competition.objects.select_related("season")
        }
        self.db_distance_races = {
            (d.competition.season.key, d.competition.number, d.distance, d.instance): d
            for d in models.DistanceRace.objects.select_related("competition__season")
        }
        self.known_skaters: dict[str, PlannedSkater] = {
            s.key: PlannedSkater(
                s.key,
                s.isu_id or "",
                s.given_name,
                s.family_name,
                s.gender,
                s.birth_date,
                s.member.code,
            )
            for s in models.Skater.objects.select_related("member")
        }
        self.by_isu_id: dict[str, PlannedSkater] = {}
        self.db_members = set(models.Member.objects.values_list("code", flat=True))
        self.by_name: dict[tuple[str, str], list[PlannedSkater]] = defaultdict(list)

    def error(self, record, field: str, reason: str) -> None:
        self.plan.errors.append(InputError(record.file, record.line, field, reason))

    def member_known(self, record, code: str, field_name: str = "member") -> bool:
        """An ISU Member seen at World Cups or in the database; any other code refused."""
        if code in MEMBER_NAMES or code in self.db_members:
            return True
        self.error(
            record,
            field_name,
            f"unknown ISU Member {code!r}: not a Member seen at World Cups nor in the "
            "database (an organiser adds a new Member in the admin first)",
        )
        return False

    # -- the calendar --------------------------------------------------------------

    def check_calendar(self) -> None:
        plan = self.plan
        for record in self.records.seasons:
            known = plan.seasons.setdefault(record.key, record)
            if known is not record and _differences(known, record):
                self.error(
                    record,
                    "season",
                    f"season {record.key} is described differently on {known.file}:{known.line}",
                )
        for record in self.records.competitions:
            self.member_known(record, record.country, "country")
            key = (record.season, record.number)
            known = plan.competitions.setdefault(key, record)
            if known is not record and _differences(known, record):
                self.error(
                    record,
                    "competition",
                    f"competition {record.number} of {record.season} is described differently on {known.file}:{known.line}",
                )
        for record in self.records.distance_races:
            key = (record.season, record.competition, record.distance, record.instance)
            known = plan.distance_races.setdefault(key, record)
            if known is not record and _differences(known, record):
                self.error(
                    record,
                    "finals_at",
                    f"the {race_title(key)} is given another finals time on {known.file}:{known.line}",
                )

    def season_known(self, record, season: str) -> bool:
        if season in self.plan.seasons or season in self.db_seasons:
            return True
        self.error(
            record, "season", f"unknown season {season!r}: import its calendar first or with it"
        )
        return False

    def competition_known(self, record, season: str, number: int) -> bool:
        if not self.season_known(record, season):
            return False
        if (season, number) in self.plan.competitions or (season, number) in self.db_competitions:
            return True
        self.error(
            record, "competition", f"competition {number} is not in the calendar of season {season}"
        )
        return False

    def race_known(self, record, key: RaceKey) -> bool:
        if not self.competition_known(record, key[0], key[1]):
            return False
        if not self.season_races(record, key):
            return False
        if key in self.plan.distance_races or key in self.db_distance_races:
            return True
        self.error(
            record,
            "race",
            f"the {race_title(key)} is not in the calendar of competition {key[1]} of {key[0]}",
        )
        return False

    def season_races(self, record, key: RaceKey) -> bool:
        """Does the season's rule set name this distance (and the record's round, if any)?"""
        try:
            rules = season_rules(self.rules_key(key[0]))
        except (KeyError, ValueError):
            return True  # an unknown rule set is refused where the season is checked
        distance = distance_by_key(key[2])
        if not rules.races_distance(distance.key):
            self.error(
                record,
                "race",
                f"the {key[0]} season has no {distance.label}: its rules name "
                f"{', '.join(d.label for d in rules.season_distances())}",
            )
            return False
        kind = getattr(record, "round", None)
        if kind is not None and not rules.skates_round(kind):
            self.error(
                record,
                "round",
                f"the {key[0]} season has no {RoundKind(kind).label}: its rules "
                f"name {', '.join(k.label for k in rules.rounds)}",
            )
            return False
        return True

    def time_zone(self, season: str, number: int) -> str:
        known = (
            self.plan.competitions.get((season, number)) or self.db_competitions[(season, number)]
        )
        return known.time_zone

    def rules_key(self, season: str) -> str:
        known = self.plan.seasons.get(season)
        return (known.rules or known.key) if known else self.db_seasons[season].rules_key

    # -- skaters -------------------------------------------------------------------

    def check_skaters(self) -> None:
        """Match each skater record to a skater of the database or of this import."""
        planned = self.plan.skaters
        db_by_isu = {s.isu_id: s for s in self.known_skaters.values() if s.isu_id}
        db_by_name = defaultdict(list)
        for s in self.known_skaters.values():
            db_by_name[(s.member, full_name_key(s.family_name, s.given_name))].append(s)
        seen_isu: dict[str, SkaterRecord] = {}
        for record in self.records.skaters:
            if not self.member_known(record, record.member):
                continue
            self.plan.members.add(record.member)
            name = full_name_key(record.family_name, record.given_name)
            if record.isu_id:
                first = seen_isu.setdefault(record.isu_id, record)
                if full_name_key(first.family_name, first.given_name) != name:
                    self.error(
                        record,
                        "isu_id",
                        f"ISU id {record.isu_id} is already used for {first.family_name} {first.given_name} "
                        f"on {first.file}:{first.line}",
                    )
                    continue
                in_db = db_by_isu.get(record.isu_id)
                if in_db and full_name_key(in_db.family_name, in_db.given_name) != name:
                    self.error(
                        record,
                        "isu_id",
                        f"ISU id {record.isu_id} belongs to {in_db.name} ({in_db.member}) in the database",
                    )
                    continue
            else:
                in_db = None
            namesakes = db_by_name.get((record.member, name), [])
            if in_db is None and namesakes:
                if record.isu_id:
                    # a namesake without an ISU id is this skater; one with another id is not
                    in_db = next((s for s in namesakes if not s.isu_id), None)
                elif len(namesakes) == 1:
                    in_db = namesakes[0]
                else:
                    self.error(
                        record,
                        "isu_id",
                        f"two skaters of {record.member} are named {namesakes[0].name}: give the ISU id",
                    )
                    continue
            key = (
                in_db.key
                if in_db
                else (
                    record.isu_id
                    or skater_key(record.member, record.family_name, record.given_name)
                )
            )
            skater = PlannedSkater(
                key,
                record.isu_id or (in_db.isu_id if in_db else ""),
                record.given_name,
                record.family_name,
                record.gender,
                record.birth_date or (in_db.birth_date if in_db else None),
                record.member,
                record,
            )
            earlier = planned.get(key)
            if earlier is not None:
                merged = self._merge(earlier, skater)
                if merged is None:
                    continue
                skater = merged
            planned[key] = skater
            self.known_skaters[key] = skater
        for skater in self.known_skaters.values():
            if skater.isu_id:
                self.by_isu_id[skater.isu_id] = skater
            self.by_name[
                (skater.member, full_name_key(skater.family_name, skater.given_name))
            ].append(skater)

    def _merge(self, earlier: PlannedSkater, later: PlannedSkater) -> PlannedSkater | None:
        """Two records of one skater: blanks are filled, other differences are refused."""
        for name in ("isu_id", "gender", "birth_date"):
            a, b = getattr(earlier, name), getattr(later, name)
            if a and b and a != b:
                self.error(
                    later.record,
                    name,
                    f"{later.name} is given {name} {a} on {earlier.record.file}:{earlier.record.line}",
                )
                return None
        earlier.isu_id = earlier.isu_id or later.isu_id
        earlier.birth_date = earlier.birth_date or later.birth_date
        return earlier

    def find_skater(
        self,
        record,
        name: str,
        isu_id: str,
        member: str,
        field_name: str = "name",
        gender: Gender | None = None,
    ) -> PlannedSkater | None:
        """The skater a result line names: by ISU id (whose name must agree), else by
        name among the skaters of the line's Member (of the race's gender, where two of
        one name skate: a woman and a man both PARK Ji-won)."""
        if isu_id:
            skater = self.by_isu_id.get(isu_id)
            if skater is None:
                self.error(
                    record, "isu_id", f"no skater has ISU id {isu_id}: list them in a skaters file"
                )
            elif name and name_key(name) != full_name_key(skater.family_name, skater.given_name):
                self.error(
                    record,
                    "isu_id",
                    f"ISU id {isu_id} belongs to {skater.name} ({skater.member}), not {name}",
                )
                return None
            return skater
        found = self.by_name.get((member, name_key(name)), [])
        if len(found) > 1 and gender in (Gender.WOMEN, Gender.MEN):
            found = [s for s in found if s.gender == gender.value] or found
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.error(
                record, field_name, f"two skaters of {member} are named {name}: give the ISU id"
            )
            return None
        elsewhere = [m for (m, n), s in self.by_name.items() if n == name_key(name) and s]
        if elsewhere:
            self.error(
                record,
                field_name,
                f"{name} skates for {', '.join(sorted(elsewhere))}, not {member}",
            )
        else:
            self.error(
                record,
                field_name,
                f"no skater {name} of {member} in the skaters file or the database",
            )
        return None

    # -- race results --------------------------------------------------------------

    def check_race_results(self) -> None:
        by_race: dict[tuple[RaceKey, RoundKind, int], list[RaceLineRecord]] = defaultdict(list)
        for record in self.records.race_lines:
            key = (record.season, record.competition, record.distance, record.instance)
            if self.race_known(record, key):
                by_race[(key, record.round, record.race_no)].append(record)
        compositions: dict[tuple[RaceKey, str], RaceLineRecord] = {}
        in_round: dict[tuple[RaceKey, RoundKind, str], RaceLineRecord] = {}
        for (key, round_kind, number), lines in by_race.items():
            distance = distance_by_key(key[2])
            time_zone = self.time_zone(key[0], key[1])
            official_at = lines[0].official_at
            planned = PlannedRace(
                key, round_kind, number, local(official_at, time_zone), [], lines[0].file
            )
            in_race: dict[str, RaceLineRecord] = {}
            for record in lines:
                if not self.member_known(record, record.member):
                    continue
                self.plan.members.add(record.member)
                if record.official_at != official_at:
                    self.error(
                        record,
                        "official_at",
                        f"race {number} of the {round_kind.label} is official at {official_at} "
                        f"on {lines[0].file}:{lines[0].line}",
                    )
                line = self._race_line(record, key, distance, compositions)
                if line is None:
                    continue
                earlier = in_race.setdefault(line.entrant, record)
                if earlier is not record:
                    who = record.team if distance.relay else record.name
                    self.error(
                        record,
                        "team" if distance.relay else "name",
                        f"{who} is already in this race on line {earlier.line}",
                    )
                    continue
                other = in_round.setdefault((key, round_kind, line.entrant), record)
                if other.race_no != number:
                    self.error(
                        record,
                        "team" if distance.relay else "name",
                        f"{record.team or record.name} is also in race {other.race_no} of the "
                        f"{round_kind.label} ({other.file}:{other.line})",
                    )
                    continue
                planned.lines.append(line)
            self._check_sheet(lines)
            self._check_laps(distance, planned.lines)
            self.plan.races.append(planned)
        checked: list[PlannedTeam] = []
        for (key, team_name), record in compositions.items():
            team = self.plan.teams[(key, team_name)]
            self._check_team(team, record, checked)
            checked.append(team)
        self._check_cards()

    def _race_line(
        self, record, key: RaceKey, distance: Distance, compositions
    ) -> PlannedLine | None:
        if not distance.relay:
            skater = self.find_skater(
                record, record.name, record.isu_id, record.member, gender=distance.gender
            )
            if skater is None:
                return None
            if skater.gender != distance.gender.value:
                self.error(
                    record,
                    "name",
                    f"{skater.name} skates with the {skater.gender}, not in the {distance.label}",
                )
                return None
            return PlannedLine(record, f"skater:{skater.key}", record.member, skater=skater.key)
        team = self._team(record, key, record.team)
        if team is None:
            return None
        racing: tuple[str, ...] = ()
        if record.skaters:
            keys = self._team_skaters(record, team)
            if keys is None:
                return None
            # four skate the race; names after them are the team's reserves
            racing, reserves = keys[:RELAY_SKATERS], keys[RELAY_SKATERS:]
            if len(racing) < RELAY_SKATERS or len(keys) > LARGEST_RELAY_ROSTER:
                self.error(
                    record,
                    "skaters",
                    f"relay team {team.name} names {len(keys)} skaters: the four who skated "
                    f"this race, then any reserves (at most {LARGEST_RELAY_ROSTER} in all)",
                )
                return None
            if len(set(keys)) != len(keys):
                self.error(record, "skaters", f"relay team {team.name} names a skater twice")
                return None
            if distance.gender is Gender.MIXED:
                women = sum(1 for k in racing if self.known_skaters[k].gender == "women")
                if women != 2:
                    self.error(
                        record,
                        "skaters",
                        f"mixed relay team {team.name} races {women} women and "
                        f"{RELAY_SKATERS - women} men: it must be 2 women + 2 men",
                    )
                    return None
            if team.skaters is None:
                team.where = (record.file, record.line)
                compositions[(key, team.name)] = record
            team.add(racing, reserves)
        return PlannedLine(
            record, f"team:{team.name}", team.member, team=team.name, race_skaters=racing
        )

    def _team(self, record, key: RaceKey, name: str) -> PlannedTeam | None:
        team = self.plan.teams.get((key, name))
        if team is None:
            db_race = self.db_distance_races.get(key)
            db_team = (
                db_race.relay_teams.select_related("member").filter(name=name).first()
                if db_race
                else None
            )
            if db_team and db_team.member.code != record.member:
                self.error(
                    record,
                    "member",
                    f"team {name} skates for {db_team.member.code}, not {record.member}",
                )
                return None
            team = PlannedTeam(key, name, record.member)
            self.plan.teams[(key, name)] = team
        elif team.member != record.member:
            self.error(
                record, "member", f"team {name} skates for {team.member}, not {record.member}"
            )
            return None
        return team

    def _team_skaters(self, record, team: PlannedTeam) -> tuple[str, ...] | None:
        keys = []
        ids = record.skater_isu_ids or ("",) * len(record.skaters)
        for name, isu_id in zip(record.skaters, ids, strict=True):
            skater = self.find_skater(
                record, name, isu_id, team.member, "skaters", distance_by_key(team.race[2]).gender
            )
            if skater is None:
                return None
            keys.append(skater.key)
        return tuple(keys)

    def _check_team(
        self, team: PlannedTeam, record: RaceLineRecord, checked: list[PlannedTeam]
    ) -> None:
        """Four skaters of the team's Member skate each race (2 women + 2 men in the mixed
        relay); line-ups may change from round to round, and reserves may be named."""
        distance = distance_by_key(team.race[2])
        keys = team.skaters or ()
        if len(keys) > LARGEST_RELAY_ROSTER:
            self.error(
                record,
                "skaters",
                f"relay team {team.name} names {len(keys)} skaters over the rounds: "
                f"at most {LARGEST_RELAY_ROSTER}",
            )
            return
        skaters = [self.known_skaters[k] for k in keys]
        if distance.gender is not Gender.MIXED:
            wrong = [s for s in skaters if s.gender != distance.gender.value]
            if wrong:
                self.error(
                    record,
                    "skaters",
                    f"{wrong[0].name} is not among the {distance.gender.value} of the {distance.label}",
                )
        for other in checked:
            if other.race == team.race:
                shared = set(other.skaters) & set(keys)
                if shared:
                    who = self.known_skaters[sorted(shared)[0]].name
                    self.error(record, "skaters", f"{who} is also named in relay team {other.name}")

    def _check_laps(self, distance: Distance, lines: list[PlannedLine]) -> None:
        """Lap data is what the timing can record (``rules.laps``): laps that fit the
        distance and add up to the time, positions that rank the skaters after each lap."""
        laps = []
        for line in lines:
            r = line.record
            # "no time": placed, but the timing has no finish (a fall): laps may be short
            finished = r.status is Status.FINISHED and r.time_ms is not None
            laps.append((finished, r.laps_ms, r.lap_elapsed_ms, r.lap_positions))
            for field_name, reason in line_lap_problems(
                distance,
                finished=finished,
                time_ms=r.time_ms,
                laps_ms=r.laps_ms,
                elapsed_ms=r.lap_elapsed_ms,
                positions=r.lap_positions,
            ):
                self.error(r, field_name, reason)
        for index, reason in race_lap_problems(laps):
            self.error(lines[index].record, "lap_positions", reason)

    def _check_sheet(self, records: list[RaceLineRecord]) -> None:
        """A race's sheet as printed, checked against itself (``rules.result_sheet``):
        every line of the file, whether or not its skater was found."""
        sheet = [
            SheetLine(str(r.line), r.place, r.dead_heat, r.time_ms, r.status.value) for r in records
        ]
        for finding in sheet_findings(sheet, "line", printed=True):
            record = records[finding.line] if finding.line is not None else records[0]
            self.error(record, finding.field, finding.reason)

    def _check_cards(self) -> None:
        """A competition's sheets print a second yellow card as the red card it makes
        (``rules.cards``): the yellow cards of this import and those standing in the
        database's races of the same competitions that this import does not bring."""
        yellows: dict[tuple[str, int], list[tuple[Card, RaceLineRecord | None]]] = defaultdict(list)
        imported: set[tuple[RaceKey, RoundKind, int]] = set()
        for race in self.plan.races:
            imported.add((race.race, race.round, race.number))
            name = f"race {race.number} of the {race.round.label} of the {race_title(race.race)}"
            for line in race.lines:
                if line.record.status.value == YELLOW:
                    entrant = line.entrant if line.skater else f"{race.race}:{line.entrant}"
                    yellows[race.race[:2]].append((Card(entrant, YELLOW, name), line.record))
        if not yellows:
            return
        for (key, kind, number), entrant in self._database_yellow_cards(set(yellows)):
            if (key, kind, number) not in imported:
                name = f"race {number} of the {kind.label} of the {race_title(key)}"
                yellows[key[:2]].insert(0, (Card(entrant, YELLOW, name), None))
        for cards in yellows.values():
            records = {id(card): record for card, record in cards}
            for second in second_yellow_cards([card for card, _ in cards]):
                record = records[id(second.card)]
                if record is not None:
                    self.error(record, "mark", f"{second.reason}: the sheet prints YC")

    def _database_yellow_cards(self, competitions: set[tuple[str, int]]):
        """(race, entrant) for each yellow card in the latest result of a race of these
        competitions in the database."""
        found = []
        db_races = [
            d for key, d in self.db_distance_races.items() if (key[0], key[1]) in competitions
        ]
        if not db_races:
            return found
        rows = models.RaceResultLine.objects.filter(
            status=YELLOW, result__race__round__distance_race__in=db_races
        ).select_related(
            "result__race__round__distance_race__competition__season", "skater", "team"
        )
        for row in rows:
            race = row.result.race
            if (
                race.results.order_by("-number").values_list("pk", flat=True).first()
                != row.result_id
            ):
                continue  # lifted since
            dr = race.round.distance_race
            key = (dr.competition.season.key, dr.competition.number, dr.distance, dr.instance)
            entrant = f"skater:{row.skater.key}" if row.skater else f"{key}:team:{row.team.name}"
            found.append(((key, RoundKind(race.round.kind), race.number), entrant))
        return found

    def check_rounds(self) -> None:
        """A round printed once per distance race; one printed without races (cancelled)
        is kept as printed."""
        for record in self.records.rounds:
            key = (record.season, record.competition, record.distance, record.instance)
            if not self.race_known(record, key):
                continue
            earlier = self.plan.rounds.setdefault((key, record.round), record)
            if earlier is not record and (earlier.progression, earlier.note) != (
                record.progression,
                record.note,
            ):
                self.error(
                    record,
                    "progression",
                    f"the {record.round.label} of the {race_title(key)} is printed otherwise "
                    f"on {earlier.file}:{earlier.line}",
                )

    # -- final rankings ------------------------------------------------------------

    def check_rankings(self) -> None:
        by_race: dict[RaceKey, list[RankingLineRecord]] = defaultdict(list)
        for record in self.records.ranking_lines:
            key = (record.season, record.competition, record.distance, record.instance)
            if not self.member_known(record, record.member):
                continue
            self.plan.members.add(record.member)
            if self.race_known(record, key):
                by_race[key].append(record)
        # A distance race whose races are in the database (or this import) is ranked from
        # them; ranks a podium gives fill the places its missing finals leave open.
        computed = self.compute_rankings(by_race)
        for key, records in by_race.items():
            if key in computed and not computed[key].complete:
                continue
            if key in computed:
                self.error(
                    records[0],
                    "race",
                    f"the {race_title(key)} has its finals in the race results of this import: "
                    "its ranking is computed from them, not imported",
                )
                continue
            self.plan.rankings.append(self._imported_ranking(key, records))
        self.plan.rankings += computed.values()

    def _imported_ranking(self, key: RaceKey, records: list[RankingLineRecord]) -> PlannedRanking:
        distance = distance_by_key(key[2])
        official = [r for r in records if r.official_at is not None]
        for record in official:
            if record.official_at != official[0].official_at:
                self.error(
                    record,
                    "official_at",
                    f"the ranking is official at {official[0].official_at} on {official[0].file}:{official[0].line}",
                )
        lines, seen = [], {}
        for record in records:
            if distance.relay:
                entrant = f"team:{record.team}" if record.team else f"member:{record.member}"
                who = record.team or record.member
                line = PlannedRankingLine(
                    record.rank,
                    record.member,
                    team=record.team or None,
                    final=record.final,
                    final_place=record.final_place,
                    time_ms=record.time_ms,
                    status=record.status.value,
                    note=record.note,
                )
                if record.team and self._team(record, key, record.team) is None:
                    continue
            else:
                skater = self.find_skater(
                    record, record.name, record.isu_id, record.member, gender=distance.gender
                )
                if skater is None:
                    continue
                if skater.gender != distance.gender.value:
                    self.error(
                        record,
                        "name",
                        f"{skater.name} skates with the {skater.gender}, not in the {distance.label}",
                    )
                    continue
                entrant, who = skater.key, skater.name
                line = PlannedRankingLine(
                    record.rank,
                    record.member,
                    skater=skater.key,
                    final=record.final,
                    final_place=record.final_place,
                    time_ms=record.time_ms,
                    status=record.status.value,
                    note=record.note,
                )
            earlier = seen.setdefault(entrant, record)
            if earlier is not record:
                self.error(
                    record,
                    "name" if not distance.relay else "member",
                    f"{who} is already ranked on {earlier.file}:{earlier.line}",
                )
                continue
            lines.append(line)
        time_zone = self.time_zone(key[0], key[1])
        official_at = local(official[0].official_at, time_zone) if official else None
        files = list(dict.fromkeys(r.file for r in records))
        return PlannedRanking(key, "imported", False, official_at, lines, files)

    def compute_rankings(
        self, ranked: dict[RaceKey, list[RankingLineRecord]] | None = None
    ) -> dict[RaceKey, PlannedRanking]:
        """The final ranking of every distance race whose finals are in these results
        (with the database's results of the rounds this import does not bring), and of
        every distance race ``ranked`` by ranking lines whose races are in the database."""
        imported: dict[RaceKey, dict[tuple[RoundKind, int], PlannedRace]] = defaultdict(dict)
        for race in self.plan.races:
            imported[race.race][(race.round, race.number)] = race
        ranking_files = {
            key: sorted({r.file for r in records}) for key, records in (ranked or {}).items()
        }
        for key in ranking_files:
            if key not in imported and self._database_races(key):
                imported[key] = {}
        rankings = {}
        for key, races in imported.items():
            rounds: dict[RoundKind, dict[int, tuple[datetime | None, list[PlannedLine]]]] = (
                defaultdict(dict)
            )
            for (kind, number), (official_at, lines) in self._database_races(key).items():
                rounds[kind][number] = (official_at, lines)
            for (kind, number), race in races.items():
                rounds[kind][number] = (race.official_at, race.lines)
            # A distance that reached its finals: Final A in the results, or marks sending
            # skaters to a final (QA, QB; Q from the semifinals). Without its finals the
            # ranking is incomplete (rules.ranking.missing_rounds), else still racing.
            reached = RoundKind.FINAL_A in rounds or any(
                final_of_mark(line.record.mark or "", kind is RoundKind.SEMIFINALS)
                for kind in rounds
                if not kind.final
                for _, lines in rounds[kind].values()
                for line in lines
            )
            if not reached:
                continue
            files = [r.file for r in races.values()] or ranking_files.get(key, [])
            rankings[key] = self._ranking_from_races(key, rounds, files)
        return rankings

    def _ranking_from_races(self, key: RaceKey, rounds, files: list[str]) -> PlannedRanking:
        lines_by_entrant: dict[tuple[str, RoundKind], PlannedLine] = {}
        results = []
        official = []
        for kind in skating_order(rounds):
            races = []
            for number in sorted(rounds[kind]):
                official_at, lines = rounds[kind][number]
                official.append(official_at)
                races.append(
                    tuple(
                        RaceLine(
                            line.entrant,
                            line.record.place,
                            line.record.time_ms,
                            line.record.status,
                            line.record.mark == "ADV",
                            line.record.dead_heat,
                        )
                        for line in lines
                    )
                )
                for line in lines:
                    lines_by_entrant[(line.entrant, kind)] = line
            results.append(RoundResult(kind, tuple(races)))
        rules = season_rules(self.rules_key(key[0]))
        # Who the marks of their last round sent to a final that is not in the results.
        last: dict[str, tuple[RoundKind, PlannedLine]] = {}
        for kind in skating_order(rounds):
            for number in sorted(rounds[kind]):
                for line in rounds[kind][number][1]:
                    last[line.entrant] = (kind, line)
        qualified = {
            entrant: final
            for entrant, (kind, line) in last.items()
            if not kind.final
            and (final := final_of_mark(line.record.mark or "", kind is RoundKind.SEMIFINALS))
            and final not in rounds
        }
        reason = missing_rounds(set(rounds), set(qualified.values())) or ""
        ranks: tuple[FinalRank, ...]
        if reason:
            ranks = ranking_without_finals(
                results,
                qualified,
                final_a_penalty=rules.final_a_penalty.value,
                cards=rules.cards.value,
            )
            # Final places another source of this import knows (a podium) fill the ranks
            # of the finalists the races leave unranked; the ranking stays incomplete.
            known = {}
            for record in self.records.ranking_lines:
                if (record.season, record.competition, record.distance, record.instance) != key:
                    continue
                if record.rank is None or record.status is not Status.FINISHED:
                    continue
                if distance_by_key(key[2]).relay:
                    known[f"team:{record.team or record.member}"] = record.rank
                    continue
                skater = self.by_isu_id.get(record.isu_id) if record.isu_id else None
                found = self.by_name.get((record.member, name_key(record.name)), [])
                skater = skater or (found[0] if len(found) == 1 else None)
                if skater is not None:
                    known[f"skater:{skater.key}"] = record.rank
            db_race = self.db_distance_races.get(key)
            imported = (
                db_race.rankings.filter(basis="imported").order_by("-number").first()
                if db_race is not None and not known
                else None
            )
            if imported is not None:  # a podium imported before the races
                for db_line in imported.lines.select_related("skater", "team", "member"):
                    if db_line.rank is None or db_line.status != Status.FINISHED.value:
                        continue
                    if db_line.skater is not None:
                        known[f"skater:{db_line.skater.key}"] = db_line.rank
                    else:
                        team = db_line.team.name if db_line.team else db_line.member.code
                        known[f"team:{team}"] = db_line.rank
            ranks, _ = fill_known_places(ranks, known)
        else:
            ranks = final_ranking(
                results, final_a_penalty=rules.final_a_penalty.value, cards=rules.cards.value
            )
        lines = []
        for rank in ranks:
            line = lines_by_entrant[(rank.entrant, rank.round)]
            final = rank.round.label[-1] if rank.round.final else ""
            final_place = line.record.place if final else None
            time_ms = line.record.time_ms
            if rank.entrant in qualified:  # skated a final the results do not hold
                final = qualified[rank.entrant].label[-1]
                # its place there only as a podium gave it (a Final A rank), no time known
                final_place = rank.rank if final == "A" else None
                time_ms = None
            lines.append(
                PlannedRankingLine(
                    rank.rank,
                    line.member,
                    skater=line.skater,
                    team=line.team,
                    final=final,
                    final_place=final_place,
                    time_ms=time_ms,
                    status=rank.status.value,
                )
            )
        official_at = None if any(o is None for o in official) else max(official)
        return PlannedRanking(
            key,
            "races",
            not reason,
            official_at,
            lines,
            list(dict.fromkeys(files)),
            reason=reason,
        )

    def _database_races(
        self, key: RaceKey
    ) -> dict[tuple[RoundKind, int], tuple[datetime | None, list[PlannedLine]]]:
        """The latest result of each race of this distance race already in the database."""
        db_race = self.db_distance_races.get(key)
        if db_race is None:
            return {}
        found = {}
        for race in models.Race.objects.filter(round__distance_race=db_race).select_related(
            "round"
        ):
            result = race.results.order_by("-number").first()
            if result is None:
                continue
            lines = []
            for db_line in result.lines.select_related("skater", "team", "member"):
                status, mark = Status(db_line.status), db_line.mark
                record = RaceLineRecord(
                    key[0],
                    key[1],
                    key[2],
                    key[3],
                    RoundKind(race.round.kind),
                    race.number,
                    None,
                    db_line.place,
                    db_line.start_position,
                    db_line.warnings,
                    db_line.helmet,
                    "",
                    "",
                    db_line.member.code,
                    db_line.team.name if db_line.team else "",
                    (),
                    db_line.time_ms,
                    status,
                    mark,
                    tuple(db_line.laps_ms),
                    db_line.dead_heat,
                    "database",
                    0,
                )
                if db_line.skater:
                    lines.append(
                        PlannedLine(
                            record,
                            f"skater:{db_line.skater.key}",
                            record.member,
                            skater=db_line.skater.key,
                        )
                    )
                else:
                    lines.append(
                        PlannedLine(
                            record,
                            f"team:{db_line.team.name}",
                            record.member,
                            team=db_line.team.name,
                        )
                    )
            found[(RoundKind(race.round.kind), race.number)] = (result.official_at, lines)
        return found


def plan_import(records: Records) -> ImportPlan:
    """Check every record against the others and the database; resolve what they name."""
    planner = Planner(records)
    planner.check_calendar()
    planner.check_skaters()
    planner.check_race_results()
    planner.check_rounds()
    planner.check_rankings()
    return planner.plan
