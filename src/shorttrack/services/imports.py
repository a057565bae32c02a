"""Import a season's files: read all of them, check all of it, then write all of it at once.

``import_paths`` reads JSON and CSV files (docs/formats.md) and the shared 2022/23 data
folder, checks every record against the others and against the database
(``import_plan``), and only when nothing is wrong applies the whole plan in one
transaction. On any error it raises ``ImportRejected`` with every error found, and the
database is unchanged.

Importing the same files again changes nothing: each race result and ranking carries the
hash of its content on its revision, and an identical latest revision is not repeated. A
different one becomes a new revision ("import of <file>"), so nothing is overwritten.
The import is based on each race's result as it read it before checking the files
(``results_read``): a result changed since is a ``Conflict`` and nothing is imported.
A distance race whose finals are in the imported race results gets its final ranking
computed by the rules (basis "races"), official when the last of its races was.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from shorttrack import live
from shorttrack.interchange.error_groups import grouped_lines
from shorttrack.interchange.names import member_name
from shorttrack.interchange.reading import read_paths
from shorttrack.interchange.records import InputError, Records
from shorttrack.queries.race_names import race_name
from shorttrack.rules.ranking import RoundKind, skating_order
from shorttrack.rules.season import season_rules
from shorttrack.services.errors import Conflict
from shorttrack.services.import_plan import (
    ImportPlan,
    PlannedRace,
    PlannedRanking,
    PlannedRankingLine,
    RaceKey,
    local,
    plan_import,
)
from shorttrack.services.write_log import logged_write
from shorttrack.store import models
from shorttrack.store.authorship import changed_by

__all__ = ["ImportRejected", "ImportReport", "InputError", "import_paths", "import_records"]

Progress = Callable[[str, int, int], None]

KINDS = (
    ("seasons", "season"),
    ("competitions", "competition"),
    ("distance races", "distance race"),
    ("members", "member"),
    ("skaters", "skater"),
    ("relay teams", "relay team"),
    ("rounds", "round"),
    ("race results", "race result"),
    ("rankings", "ranking"),
)


class ImportRejected(Exception):
    """The input was refused; ``errors`` says every file, line, field and reason."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors  # every error, as found
        causes = grouped_lines(errors)  # errors of one cause in one line
        shown = "\n".join(causes[:50])
        more = f"\n... and {len(causes) - 50} more" if len(causes) > 50 else ""
        super().__init__(f"import refused, {len(errors)} error(s), nothing changed:\n{shown}{more}")


@dataclass
class ImportReport:
    """How many of each kind were created, updated or left unchanged."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    # What the file's "history" says of each competition's history here (history_notes).
    history: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1

    def summary(self) -> str:
        """'created 1 season, 6 competitions; unchanged 120 skaters' on one line."""
        parts = []
        for outcome in ("created", "updated", "unchanged"):
            counts = getattr(self, outcome)
            items = [
                f"{counts[plural]} {plural if counts[plural] != 1 else singular}"
                for plural, singular in KINDS
                if counts[plural]
            ]
            if items:
                parts.append(f"{outcome} {', '.join(items)}")
        return "; ".join(parts + self.history) or "nothing to import"


@logged_write(who="import")
def import_paths(
    paths: Sequence[Path], *, user=None, progress: Progress | None = None
) -> ImportReport:
    """Import these files and folders as one change, or refuse them all."""
    return _import_records(read_paths([Path(p) for p in paths], progress), user, progress)


@logged_write(who="import")
def import_records(
    records: Records, *, user=None, progress: Progress | None = None
) -> ImportReport:
    """Import records an adapter read (``interchange.worldcup_2019_20.read_file``, say)
    as one change, or refuse them all, exactly as ``import_paths`` imports files."""
    return _import_records(records, user, progress)


def _import_records(records: Records, user, progress: Progress | None) -> ImportReport:
    if records.errors:
        raise ImportRejected(records.errors)
    based_on = results_read({line.season for line in records.race_lines})
    plan = plan_import(records)
    if plan.errors:
        raise ImportRejected(plan.errors)
    notes = history_notes(records)  # before the import adds its own links
    with transaction.atomic():
        report = Apply(plan, user, progress, based_on).run()
    report.history = notes
    return report


ReadAt = tuple[RaceKey, RoundKind, int]  # a race as the plan names it


def results_read(seasons: set[str]) -> dict[ReadAt, int]:
    """The number of each stored race's latest result in these seasons, read before the
    import checks its files: what the import is based on. A race whose result changes
    between this read and the write (an official's correction meanwhile) is a conflict,
    never silently followed by the import's revision."""
    rows = (
        models.RaceResult.objects.filter(
            race__round__distance_race__competition__season__key__in=seasons
        )
        .values_list(
            "race__round__distance_race__competition__season__key",
            "race__round__distance_race__competition__number",
            "race__round__distance_race__distance",
            "race__round__distance_race__instance",
            "race__round__kind",
            "race__number",
        )
        .annotate(latest=Max("number"))
        .order_by()
    )
    return {
        ((season, competition, distance, instance), RoundKind(kind), number): latest
        for season, competition, distance, instance, kind, number, latest in rows
    }


def history_notes(records: Records) -> list[str]:
    """For each competition whose history an exported file carries: whether this database
    holds that same history (the link it names, with that digest), a newer one that
    follows from it, another one, or none yet."""
    notes = []
    for known in records.histories:
        name = f"{known.season} World Cup {known.competition}"
        competition = models.Competition.objects.filter(
            season__key=known.season, number=known.competition
        ).first()
        if competition is None:
            notes.append(f"the history of {name} starts here (exported with {known.links} links)")
            continue
        here = models.HistoryLink.objects.filter(competition=competition)
        newest = here.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        if here.filter(sequence=known.links, digest=known.head).exists():
            since = newest - known.links
            notes.append(
                f"the history of {name} is the one exported"
                + (f", with {since} links since" if since else "")
            )
        else:
            notes.append(
                f"warning: the history of {name} here is not the one exported "
                f"(link {known.links} with digest {known.head[:16]}… is not in it)"
            )
    return notes


def content_hash(content: object) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def race_result_digest(official_at, lines: list[dict]) -> str:
    """What a race result holds, as one hash: a re-import of the same result is no change."""
    official = official_at.astimezone(UTC).isoformat() if official_at else None
    return content_hash(
        {"official_at": official, "lines": sorted(json.dumps(x, sort_keys=True) for x in lines)}
    )


def stored_result_digest(result: models.RaceResult) -> str:
    """The digest of a stored result, however it was written (an import, or the officials'
    console, whose revisions carry no import hash): the same content gives the same digest."""
    lines = [
        dict(
            place=line.place,
            dead_heat=line.dead_heat,
            start_position=line.start_position,
            helmet=line.helmet,
            skater=line.skater.key if line.skater else None,
            team=line.team.name if line.team else None,
            member=line.member.code,
            time_ms=line.time_ms,
            status=line.status,
            mark=line.mark,
            warnings=line.warnings,
            laps_ms=list(line.laps_ms),
            lap_elapsed_ms=list(line.lap_elapsed_ms),
            lap_positions=list(line.lap_positions),
            race_skaters=[s.skater.key for s in line.skaters.all()],
        )
        for line in result.lines.select_related("skater", "team", "member").prefetch_related(
            "skaters__skater"
        )
    ]
    return race_result_digest(result.official_at, lines)


def ranking_digest(
    basis: str, complete: bool, official_at, lines: list[dict], reason: str = ""
) -> str:
    official = official_at.astimezone(UTC).isoformat() if official_at else None
    content = {
        "basis": basis,
        "complete": complete,
        "official_at": official,
        "lines": sorted(json.dumps(x, sort_keys=True) for x in lines),
    }
    if reason:  # only when there is one: the digests of rankings without one stay as they were
        content["incomplete_reason"] = reason
    return content_hash(content)


def stored_ranking_digest(ranking: models.Ranking) -> str:
    """The digest of a stored ranking, computed by the services or imported."""
    lines = [
        vars(
            PlannedRankingLine(
                rank=line.rank,
                member=line.member.code,
                skater=line.skater.key if line.skater else None,
                team=line.team.name if line.team else None,
                final=line.final,
                final_place=line.final_place,
                time_ms=line.time_ms,
                status=line.status,
                note=line.note,
            )
        )
        for line in ranking.lines.select_related("skater", "team", "member")
    ]
    return ranking_digest(
        ranking.basis, ranking.complete, ranking.official_at, lines, ranking.incomplete_reason
    )


# What ``Apply.save`` is given when the stage did not read the row already.
_UNREAD = object()


class Apply:
    """Write a checked plan: calendar, skaters and teams first, then results and rankings."""

    def __init__(
        self, plan: ImportPlan, user, progress: Progress | None, based_on: dict[ReadAt, int]
    ):
        self.plan = plan
        self.based_on = based_on  # each race's latest result when the import read it
        self.locked_rounds: set[int] = set()
        self.user = user
        self.progress = progress
        self.report = ImportReport()
        self.now = timezone.now()
        self.members: dict[str, models.Member] = {}
        self.seasons: dict[str, models.Season] = {}
        self.competitions: dict[tuple[str, int], models.Competition] = {}
        self.distance_races: dict[RaceKey, models.DistanceRace] = {}
        self.skaters: dict[str, models.Skater] = {}
        self.teams: dict[tuple[RaceKey, str], models.RelayTeam] = {}
        self.rounds: dict[RaceKey, dict[RoundKind, models.Round]] = {}
        self.new_rounds: set[int] = set()  # rounds this import created
        # the rounds of each distance race this import brings, to number them in skating order
        self.kinds_planned: dict[RaceKey, set[RoundKind]] = defaultdict(set)
        for race in plan.races:
            self.kinds_planned[race.race].add(race.round)
        for race_key, kind in plan.rounds:
            self.kinds_planned[race_key].add(kind)
        self.done: Counter = Counter()
        # Competitions whose results changed: announced to live pages once it commits.
        self.changed: set[models.Competition] = set()
        self.totals = {
            "calendar": len(plan.seasons) + len(plan.competitions) + len(plan.distance_races),
            "skaters": len(plan.skaters),
            "relay teams": len(plan.teams),
            "race results": len(plan.races),
            "rankings": len(plan.rankings),
        }

    def step(self, label: str) -> None:
        """One more record of this stage applied: tell ``progress``."""
        self.done[label] += 1
        if self.progress:
            self.progress(label, self.done[label], self.totals[label])

    def save(
        self,
        kind: str,
        model,
        lookup: dict,
        values: dict,
        defaults: dict | None = None,
        *,
        stored=_UNREAD,
    ):
        """Create the row, update the fields that differ, or leave it as it is. A blank
        value (or one of ``defaults``, what a blank field stands for) fills a new row only:
        a blank field of a file never erases what is stored. ``stored``: the row as a
        stage read it with the others of its kind (None: there is none), else read here."""
        row = model.objects.filter(**lookup).first() if stored is _UNREAD else stored
        if row is None:
            self.report.count(kind, "created")
            given = {k: v for k, v in values.items() if v not in ("", None)}
            return model.objects.create(**lookup, **{**values, **(defaults or {}), **given})
        changed = {k: v for k, v in values.items() if v not in ("", None) and getattr(row, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(row, k, v)
            row.save(update_fields=list(changed))
            self.report.count(kind, "updated")
        else:
            self.report.count(kind, "unchanged")
        return row

    def run(self) -> ImportReport:
        self.apply_calendar()
        self.apply_skaters()
        self.apply_teams()
        for race in self.plan.races:
            self.apply_race(race)
            self.step("race results")
        self.apply_rounds()
        for ranking in self.plan.rankings:
            self.apply_ranking(ranking)
            self.step("rankings")
        self.announce()
        return self.report

    def announce(self) -> None:
        """Tell open pages (and the page caches) that results changed: once per
        competition and season, after the import commits; nothing for an import that
        changed no result."""
        seasons = set()
        for competition in sorted(self.changed, key=lambda c: c.pk):
            live.publish(f"competition:{competition.pk}", {"kind": "import"})
            seasons.add(competition.season_id)
        for season_id in sorted(seasons):
            live.publish(f"season:{season_id}", {"kind": "import"})

    def member(self, code: str) -> models.Member:
        if code not in self.members:
            member, created = models.Member.objects.get_or_create(
                code=code, defaults={"name": member_name(code)}
            )
            self.report.count("members", "created" if created else "unchanged")
            self.members[code] = member
        return self.members[code]

    def season(self, key: str) -> models.Season:
        if key not in self.seasons:
            self.seasons[key] = models.Season.objects.get(key=key)
        return self.seasons[key]

    def competition(self, season: str, number: int) -> models.Competition:
        if (season, number) not in self.competitions:
            self.competitions[(season, number)] = models.Competition.objects.get(
                season__key=season, number=number
            )
        return self.competitions[(season, number)]

    def distance_race(self, key: RaceKey) -> models.DistanceRace:
        if key not in self.distance_races:
            self.distance_races[key] = models.DistanceRace.objects.get(
                competition=self.competition(key[0], key[1]), distance=key[2], instance=key[3]
            )
        return self.distance_races[key]

    def apply_calendar(self) -> None:
        for code in sorted(self.plan.members):
            self.member(code)
        for key, record in self.plan.seasons.items():
            rules = record.rules or key
            self.seasons[key] = self.save(
                "seasons",
                models.Season,
                {"key": key},
                {"name": record.name, "rules_key": record.rules},
                defaults={"name": season_rules(rules).name, "rules_key": rules},
            )
            self.step("calendar")
        for (season, number), record in self.plan.competitions.items():
            values = dict(
                city=record.city,
                country=record.country,
                venue=record.venue,
                time_zone=record.time_zone,
                start_date=record.start_date,
                end_date=record.end_date,
            )
            self.competitions[(season, number)] = self.save(
                "competitions",
                models.Competition,
                {"season": self.season(season), "number": number},
                values,
            )
            self.step("calendar")
        for key, record in self.plan.distance_races.items():
            competition = self.competition(key[0], key[1])
            finals_at = local(record.finals_at, competition.time_zone)
            lookup = {"competition": competition, "distance": key[2], "instance": key[3]}
            self.distance_races[key] = self.save(
                "distance races", models.DistanceRace, lookup, {"finals_at": finals_at}
            )
            self.step("calendar")

    def apply_skaters(self) -> None:
        # One read for the file's skaters, not one per skater: a season holds hundreds.
        stored = models.Skater.objects.order_by().in_bulk(list(self.plan.skaters), field_name="key")
        # The new ones are inserted together, with their history rows, as a save each would
        # write them: two statements for a season's hundreds, not two a skater.
        together = connection.features.can_return_rows_from_bulk_insert
        new: list[models.Skater] = []
        for key, skater in self.plan.skaters.items():
            values = dict(
                given_name=skater.given_name,
                family_name=skater.family_name,
                gender=skater.gender,
                member=self.member(skater.member),
            )
            if skater.isu_id:
                values["isu_id"] = skater.isu_id
            if skater.birth_date:
                values["birth_date"] = skater.birth_date
            if together and stored.get(key) is None:
                self.report.count("skaters", "created")
                self.skaters[key] = models.Skater(key=key, **values)
                new.append(self.skaters[key])
            else:
                self.skaters[key] = self.save(
                    "skaters", models.Skater, {"key": key}, values, stored=stored.get(key)
                )
            self.step("skaters")
        if new:
            bulk_create_with_history(new, models.Skater, default_user=changed_by())

    def skater(self, key: str) -> models.Skater:
        if key not in self.skaters:
            self.skaters[key] = models.Skater.objects.get(key=key)
        return self.skaters[key]

    def apply_teams(self) -> None:
        for (race, name), team in self.plan.teams.items():
            distance_race = self.distance_race(race)
            row = models.RelayTeam.objects.filter(distance_race=distance_race, name=name).first()
            created = row is None
            if created:
                row = models.RelayTeam.objects.create(
                    distance_race=distance_race, name=name, member=self.member(team.member)
                )
            changed = False
            if team.skaters is not None:
                current = [
                    (s.skater.key, s.order, s.reserve) for s in row.skaters.select_related("skater")
                ]
                # an import adds to a team's roster and never takes a skater off it: the
                # file may hold some rounds only
                keys = [k for k, _, _ in current]
                keys += [k for k in team.skaters if k not in keys]
                was_reserve = {k for k, _, reserve in current if reserve}
                racing = set(team.skaters) - set(team.reserves)
                wanted = [
                    (key, order, key not in racing and (key in team.reserves or key in was_reserve))
                    for order, key in enumerate(keys, start=1)
                ]
                if current != wanted:
                    row.skaters.all().delete()
                    models.RelayTeamSkater.objects.bulk_create(
                        models.RelayTeamSkater(
                            team=row, skater=self.skater(key), order=order, reserve=reserve
                        )
                        for key, order, reserve in wanted
                    )
                    changed = not created
            self.report.count(
                "relay teams", "created" if created else "updated" if changed else "unchanged"
            )
            self.teams[(race, name)] = row
            self.step("relay teams")

    def team(self, race: RaceKey, name: str) -> models.RelayTeam:
        if (race, name) not in self.teams:
            self.teams[(race, name)] = models.RelayTeam.objects.get(
                distance_race=self.distance_race(race), name=name
            )
        return self.teams[(race, name)]

    def revision(self, files: list[str], digest: str) -> models.Revision:
        sources = [self.plan.files[f] for f in files if f in self.plan.files]
        source = "import " + ", ".join(f"{f.name} sha256:{f.sha256[:12]}" for f in sources)
        reason = "import of " + ", ".join(f.name for f in sources)
        return models.Revision.objects.create(
            recorded_at=self.now,
            recorded_by=self.user,
            source=source[:300],
            reason=reason,
            content_hash=digest,
        )

    def round(self, key: RaceKey, kind: RoundKind) -> models.Round:
        if key not in self.rounds:
            self.rounds[key] = {RoundKind(r.kind): r for r in self.distance_race(key).rounds.all()}
        rounds = self.rounds[key]
        round_ = rounds.get(kind)
        if round_ is None:
            # rounds are numbered in skating order; a round entered elsewhere may hold the number
            order = skating_order(set(rounds) | self.kinds_planned[key] | {kind}).index(kind) + 1
            taken = {r.order for r in rounds.values()}
            if order in taken:
                order = max(taken) + 1
            round_ = rounds[kind] = models.Round.objects.create(
                distance_race=self.distance_race(key), kind=kind.value, order=order
            )
            self.new_rounds.add(round_.pk)
            self.report.count("rounds", "created")
        return round_

    def apply_rounds(self) -> None:
        for (key, kind), record in self.plan.rounds.items():
            round_ = self.round(key, kind)
            # blank is no value: an import never erases what an earlier one printed
            values = {
                name: value
                for name, value in (("progression", record.progression), ("note", record.note))
                if value and getattr(round_, name) != value
            }
            if values:
                models.Round.objects.filter(pk=round_.pk).update(**values)
            if round_.pk not in self.new_rounds:
                self.report.count("rounds", "updated" if values else "unchanged")

    def apply_race(self, planned: PlannedRace) -> None:
        distance_race = self.distance_race(planned.race)
        round_ = self.round(planned.race, planned.round)
        race, new_race = models.Race.objects.get_or_create(round=round_, number=planned.number)
        lines = []
        for line in planned.lines:
            r = line.record
            lines.append(
                dict(
                    place=r.place,
                    dead_heat=r.dead_heat,
                    start_position=r.start_position,
                    helmet=r.helmet,
                    skater=line.skater,
                    team=line.team,
                    member=line.member,
                    time_ms=r.time_ms,
                    status=r.status.value,
                    mark=r.mark,
                    warnings=r.warnings,
                    laps_ms=list(r.laps_ms),
                    lap_elapsed_ms=list(r.lap_elapsed_ms),
                    lap_positions=list(r.lap_positions),
                    race_skaters=list(line.race_skaters),
                )
            )
        digest = race_result_digest(planned.official_at, lines)
        latest = None if new_race else self.latest_as_read(race, planned)
        if latest and digest in (latest.revision.content_hash, stored_result_digest(latest)):
            self.report.count("race results", "unchanged")
            return
        result = models.RaceResult.objects.create(
            race=race,
            number=(latest.number + 1) if latest else 1,
            revision=self.revision([planned.file], digest),
            official_at=planned.official_at,
        )
        refs = ("skater", "team", "member", "race_skaters")
        stored = models.RaceResultLine.objects.bulk_create(
            models.RaceResultLine(
                result=result,
                **{k: v for k, v in line.items() if k not in refs},
                skater=self.skater(line["skater"]) if line["skater"] else None,
                team=self.team(planned.race, line["team"]) if line["team"] else None,
                member=self.member(line["member"]),
            )
            for line in lines
        )
        if any(line["race_skaters"] for line in lines):
            # bulk_create gives back ids on SQLite and PostgreSQL alike
            models.RaceLineSkater.objects.bulk_create(
                models.RaceLineSkater(line=row, skater=self.skater(key), order=order)
                for row, line in zip(stored, lines, strict=True)
                for order, key in enumerate(line["race_skaters"], start=1)
            )
        self.report.count("race results", "created")
        self.changed.add(distance_race.competition)

    def latest_as_read(self, race: models.Race, planned: PlannedRace) -> models.RaceResult | None:
        """The race's latest result, locked as the console locks it (its round, then the
        race), or ``Conflict`` when it is not the one the import read before checking."""
        if race.round_id not in self.locked_rounds:
            list(models.Round.objects.select_for_update().filter(pk=race.round_id).values("pk"))
            self.locked_rounds.add(race.round_id)
        list(models.Race.objects.select_for_update().filter(pk=race.pk).values("pk"))
        latest = race.results.select_related("revision").order_by("-number").first()
        read = self.based_on.get((planned.race, planned.round, planned.number), 0)
        if (latest.number if latest else 0) != read:
            since = race.results.filter(number__gt=read).select_related("revision__recorded_by")
            zone = ZoneInfo(race.round.distance_race.competition.time_zone or "UTC")
            raise Conflict(
                race_name(race),
                [
                    f"revision {r.number}: {r.revision.reason or 'a new result'} by "
                    f"{r.revision.recorded_by or 'the system'} at "
                    f"{r.revision.recorded_at.astimezone(zone):%H:%M:%S}"
                    for r in since.order_by("number")
                ],
                latest.number if latest else 0,
                read="the import checked its files",
            )
        return latest

    def apply_ranking(self, planned: PlannedRanking) -> None:
        distance_race = self.distance_race(planned.race)
        lines = [vars(line) for line in planned.lines]
        digest = ranking_digest(
            planned.basis, planned.complete, planned.official_at, lines, planned.reason
        )
        latest = distance_race.rankings.select_related("revision").order_by("-number").first()
        if latest and digest in (latest.revision.content_hash, stored_ranking_digest(latest)):
            self.report.count("rankings", "unchanged")
            return
        ranking = models.Ranking.objects.create(
            distance_race=distance_race,
            number=(latest.number + 1) if latest else 1,
            revision=self.revision(planned.files, digest),
            official_at=planned.official_at,
            basis=planned.basis,
            complete=planned.complete,
            incomplete_reason=planned.reason,
        )
        models.RankingLine.objects.bulk_create(
            models.RankingLine(
                ranking=ranking,
                rank=line.rank,
                skater=self.skater(line.skater) if line.skater else None,
                team=self.team(planned.race, line.team) if line.team else None,
                member=self.member(line.member),
                final=line.final,
                final_place=line.final_place,
                time_ms=line.time_ms,
                status=line.status,
                note=line.note,
            )
            for line in planned.lines
        )
        self.report.count("rankings", "created")
        self.changed.add(distance_race.competition)
