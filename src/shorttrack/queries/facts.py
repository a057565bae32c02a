"""Facts for the press and the site: a race's, a session's, a competition's, a skater's;
the session summary. Each function returns a JSON-ready dict for the site and the API.

    race_facts(distance_race_id, as_of=None)
    session_facts(competition_id, day, as_of=None)
    session_summary(competition_id, day, as_of=None)
    competition_facts(competition_id, as_of=None)
    skater_facts(skater_id, season=None, as_of=None)
    sessions(season)                          # the sessions with finals, for lists and feeds
    season_summaries(season, as_of=None)      # every session's summary at once, for feeds
    race_index(as_of=None)                    # loaded once, passed as index= by a page's pieces

Only what the public may see goes in (``queries.public``): races of published competitions,
rankings and result sheets from the moment they became official. A competition, race,
skater or season that is not public is ``NotPublic`` (a 404 on the site, an error in the CLI).

A session is the finals of one competition day: the races whose Final A is in a Session
row of that local date, or, where no Session rows link the finals, whose ranking became
official (else whose finals are expected) on that local date at the venue.

Loading: the race index of every season held (one query; one ``RaceIndex`` serves all
the functions a page calls, given as ``index=``), the current ranking lines and revisions
of the season (cached per process, keyed by the count and newest id of ranking revisions:
they are only ever added), the other seasons' lines of the skaters a fact may be about
(one query), names, and result sheets (the races' current results, then their lines) and
best times (two grouped queries and the lines that set them) only where times exist. The
summaries of a season at once look for no personal best unless a summary may tell one:
of the sheets they keep each race's fastest finishers and the Final A's lines.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from shorttrack.interchange.names import sheet_family_name
from shorttrack.queries.public import NotFound
from shorttrack.rules.bests import RARITY as RECORD_RARITY
from shorttrack.rules.facts import (
    MEDAL_RANKS,
    Bests,
    Fact,
    History,
    Mark,
    Person,
    Placing,
    RaceOnRecord,
    RankingRevision,
    SheetLine,
)
from shorttrack.rules.findings import find_facts
from shorttrack.rules.leaders import race_key
from shorttrack.rules.press_names import given_name, nation_in_text, press_name
from shorttrack.rules.records import world_records
from shorttrack.rules.season import known_seasons, season_rules
from shorttrack.rules.standings import RankedResult
from shorttrack.rules.summary import (
    HEADLINE_KINDS,
    IMPLIES,
    NOTABLE_THRESHOLD,
    Summary,
    Writer,
    notable,
    summarise,
)
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Member,
    Race,
    RaceResult,
    RaceResultLine,
    Ranking,
    RankingLine,
    RelayTeam,
    Season,
    Skater,
)


class NotPublic(NotFound, ValueError):
    """No such competition, distance race, skater or season among what the public may see."""


# --- loading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Head:
    """A ranking revision: which distance race, which number, when official."""

    id: int
    race: int
    number: int
    official_at: datetime
    complete: bool
    podium: int  # lines ranked 1-3
    scoring: int  # lines with a rank that scores (within its season's points table)


@dataclass(frozen=True)
class _Rankings:
    """Every official ranking revision held, with the lines of the seasons loaded in full."""

    heads: tuple[_Head, ...]
    lines: dict[str, dict[int, tuple[Placing, ...]]]  # season -> ranking id -> lines
    revisions: dict[str, tuple[RankingRevision, ...]]  # season -> as the standings read them


_cache: dict[str, tuple[tuple, _Rankings]] = {}


def forget_loaded_facts() -> None:
    """Empty the cache (tests that roll the database back, reusing row ids, call this)."""
    _cache.clear()


def _fingerprint() -> tuple:
    # The season revisions kept below are of published races only: publishing or
    # withdrawing a competition must rebuild them. With their seasons, the public seasons
    # a history names are known without reading them again. The rankings' count and
    # newest ride on each published competition's row: one statement, not two (without a
    # published competition no ranking is public either).
    published = list(
        Competition.objects.public()
        .order_by("id")
        .annotate(
            n=_of_rankings(Count("id"), IntegerField()),
            last=_of_rankings(Max("id"), IntegerField()),
            newest=_of_rankings(Max("official_at"), DateTimeField()),
        )
        .values_list("id", "season_id", "n", "last", "newest")
    )
    n, last, newest = published[0][2:] if published else (0, None, None)
    return (n or 0, last, newest, tuple((pk, season_id) for pk, season_id, *_ in published))


def _of_rankings(aggregate, output_field) -> Subquery:
    """An aggregate of every public ranking, as a column of another query."""
    return Subquery(
        Ranking.objects.public()
        .order_by()
        .annotate(every=Value(1))
        .values("every")
        .annotate(of=aggregate)
        .values("of")[:1],
        output_field=output_field,
    )


def _rankings(fingerprint: tuple) -> _Rankings:
    """The revision heads of every season, cached while no ranking revision is added
    (``fingerprint`` as ``_fingerprint`` reads it)."""
    cached = _cache.get("heads")
    if cached and cached[0] == fingerprint:
        return cached[1]
    # A rank scores when its season's points table gives it points: 32 ranks in 2019/20,
    # 24 from 2022/23 on (rules/seasons).
    tables = {key: len(season_rules(key).points) for key in known_seasons()}
    scores = Q()
    for key, places in tables.items():
        scores |= Q(ranking__distance_race__competition__season__rules_key=key, rank__lte=places)
    counts = {
        pk: (podium, scoring)
        for pk, podium, scoring in RankingLine.objects.public()
        .filter(rank__lte=max(tables.values()))
        .values("ranking_id")
        .annotate(podium=Count("id", filter=Q(rank__lte=3)), scoring=Count("id", filter=scores))
        .values_list("ranking_id", "podium", "scoring")
    }
    heads = tuple(
        _Head(pk, race, number, official_at, complete, *counts.get(pk, (0, 0)))
        for pk, race, number, official_at, complete in Ranking.objects.public().values_list(
            "id", "distance_race_id", "number", "official_at", "complete"
        )
    )
    loaded = _Rankings(heads, {}, {})
    _cache["heads"] = (fingerprint, loaded)
    return loaded


def _season_lines(rankings: _Rankings, season: str, ranking_ids: Iterable[int]):
    """All lines of the season's ranking revisions, loaded once per cached heads."""
    if season not in rankings.lines:
        members = dict(Member.objects.values_list("id", "code"))
        ids = list(ranking_ids)
        found: dict[int, list[Placing]] = {pk: [] for pk in ids}
        race_of = {h.id: h.race for h in rankings.heads}
        for row in (
            RankingLine.objects.public()
            .filter(ranking__in=ids)
            .values_list(
                "id",
                "ranking_id",
                "rank",
                "skater_id",
                "team_id",
                "member_id",
                "final",
                "final_place",
                "time_ms",
                "status",
            )
        ):
            pk, ranking_id, rank, skater_id, team_id, member_id, final, place, time_ms, status = row
            found[ranking_id].append(
                _placing(
                    pk,
                    race_of[ranking_id],
                    members[member_id],
                    skater_id,
                    team_id,
                    rank,
                    final,
                    place,
                    time_ms,
                    status,
                )
            )
        rankings.lines[season] = {pk: tuple(lines) for pk, lines in found.items()}
    return rankings.lines[season]


def _season_revisions(rankings: _Rankings, season: str, races, lines_by_ranking):
    """Every ranking revision of the season as the standings read it, built once per heads."""
    if season not in rankings.revisions:
        heads = [h for h in rankings.heads if h.race in races and races[h.race].season == season]
        # A race keeps its place in the season (RankedResult.first_official_at): the earliest
        # moment of its revisions up to each one, as queries.standings reads them.
        first: dict[int, datetime] = {}
        earliest: dict[int, datetime] = {}
        for head in sorted(heads, key=lambda h: (h.race, h.number)):
            earliest[head.race] = min(head.official_at, earliest.get(head.race, head.official_at))
            first[head.id] = earliest[head.race]
        rankings.revisions[season] = tuple(
            RankingRevision(
                head.race,
                head.number,
                head.official_at,
                tuple(
                    _ranked(races[head.race], p, head.official_at, first[head.id])
                    for p in lines_by_ranking.get(head.id, ())
                ),
            )
            for head in heads
        )
    return rankings.revisions[season]


def _placing(pk, race, nation, skater_id, team_id, rank, final, place, time_ms, status):
    if skater_id:
        entrant, skater = f"s{skater_id}", f"s{skater_id}"
    else:
        entrant, skater = (f"t{team_id}" if team_id else f"n{nation}"), None
    return Placing(pk, race, entrant, skater, nation, rank, final, place, time_ms, status)


def _race_index(moment: datetime, rankings: _Rankings, public_seasons: set[int]):
    """Every published distance race held, with its current ranking at the moment, and the
    public seasons (those of ``public_seasons``' ids) by key, with their rules keys."""
    held = list(Season.objects.order_by("key").values_list("pk", "key", "rules_key"))
    rules = {key: season_rules(rules_key) for _, key, rules_key in held}
    seasons = tuple((key, rules_key) for pk, key, rules_key in held if pk in public_seasons)
    current: dict[int, _Head] = {}
    for head in rankings.heads:
        if head.official_at <= moment:
            known = current.get(head.race)
            if known is None or head.number > known.number:
                current[head.race] = head
    races = {}
    for row in DistanceRace.objects.public().values_list(
        "id",
        "competition__season__key",
        "competition__number",
        "competition__city",
        "competition__venue",
        "competition__time_zone",
        "competition__country",
        "distance",
        "instance",
        "finals_at",
    ):
        pk, season, number, city, venue, tz, country, distance, instance, finals_at = row
        head = current.get(pk)
        races[pk] = RaceOnRecord(
            pk,
            season,
            number,
            city,
            venue,
            tz,
            distance,
            instance,
            finals_at,
            head.official_at if head else None,
            podium_known=bool(head) and (head.complete or head.podium >= 3),
            complete=bool(head) and head.complete,
            country=country,
            scoring_known=bool(head)
            and (head.complete or head.scoring >= len(rules[season].points)),
        )
    return races, current, seasons


@dataclass(frozen=True)
class RaceIndex:
    """Every published distance race held, with its current ranking at ``moment``: what the
    facts, sessions and summaries of a page are found from, loaded once for the page; and
    the sessions found from it, by season and competition (a page's list of sessions and
    its summaries read them once)."""

    moment: datetime
    rankings: _Rankings
    races: dict[int, RaceOnRecord]
    current: dict[int, _Head]
    seasons: tuple[tuple[str, str], ...]  # the public seasons' (key, rules key), by key
    sessions: dict[tuple[int, int | None], list[SessionRef]] = field(
        default_factory=dict, compare=False, repr=False
    )


def race_index(as_of: datetime | None = None) -> RaceIndex:
    """The race index at ``as_of`` (now when None), for the functions of a page to share."""
    moment = as_of or timezone.now()
    fingerprint = _fingerprint()
    rankings = _rankings(fingerprint)
    public_seasons = {season_id for _, season_id in fingerprint[-1]}
    races, current, seasons = _race_index(moment, rankings, public_seasons)
    return RaceIndex(moment, rankings, races, current, seasons)


def load_history(
    season: Season,
    targets: Sequence[int],
    as_of: datetime | None = None,
    subjects: Iterable[int] = (),
    *,
    index: RaceIndex | None = None,
    personal_bests: bool = True,
) -> History:
    """What the facts of the ``targets`` (distance race ids of ``season``) are found in, as
    of ``as_of`` (now when None; the index's moment when an ``index`` is given); ``subjects``
    adds skaters whose careers are looked at. Without ``personal_bests`` the result sheets
    hold each race's fastest finishers and the Final A's lines only, what every fact but a
    personal best is found in: the personal bests found in them are not facts."""
    index = index or race_index(as_of)
    moment, rankings, races, current = index.moment, index.rankings, index.races, index.current
    seasons = index.seasons
    rules = {key: season_rules(rules_key) for key, rules_key in seasons}

    lines_by_ranking = _season_lines(
        rankings,
        season.key,
        [h.id for h in rankings.heads if h.race in races and races[h.race].season == season.key],
    )

    placings: dict[int, tuple[Placing, ...]] = {}
    for race_id, head in current.items():
        if race_id in races and races[race_id].season == season.key:
            placings[race_id] = lines_by_ranking.get(head.id, ())
    revisions = [
        revision
        for revision in _season_revisions(rankings, season.key, races, lines_by_ranking)
        if revision.official_at <= moment
    ]

    wanted = {int(p.skater[1:]) for r in targets for p in placings.get(r, ()) if _subject(p)}
    wanted |= set(subjects)
    held = list(Member.objects.values_list("id", "code", "name"))
    members = {pk: code for pk, code, _ in held}
    _add_careers(placings, races, current, season.key, wanted, members)

    sheets, bests = _sheets_and_bests(season, targets, races, moment, members, personal_bests)
    nations = {code: name for _, code, name in held}
    people = _people(placings, sheets, nations, rules[season.key].korean_given.value)
    return History(
        seasons=tuple(key for key, _ in seasons),
        rules=rules,
        races=races,
        placings=placings,
        people=people,
        full_seasons=frozenset({season.key}),
        revisions={season.key: tuple(revisions)},
        sheets=sheets,
        bests=bests,
        world_records=world_records(),
    )


def _subject(p: Placing) -> bool:
    """Skaters whose careers a fact of the race may be about: medallists and A finalists."""
    return p.skater is not None and (p.rank in MEDAL_RANKS or p.final == "A")


def _ranked(
    race: RaceOnRecord, p: Placing, official_at: datetime, first_official_at: datetime
) -> RankedResult:
    return RankedResult(
        race_key(race.id),
        race.distance,
        p.entrant,
        p.nation,
        p.rank,
        official_at,
        p.skater,
        first_official_at,
    )


def _add_careers(
    placings, races, current, season_key: str, skaters: set[int], members: dict
) -> None:
    """The other seasons' current ranking lines of these skaters."""
    if not skaters:
        return
    heads = {head.id: race_id for race_id, head in current.items()}
    extra: dict[int, list[Placing]] = {}
    for pk, ranking_id, rank, skater_id, member_id, final, place, time_ms, status in (
        RankingLine.objects.public()
        .filter(skater_id__in=skaters)
        .exclude(ranking__distance_race__competition__season__key=season_key)
        .values_list(
            "id",
            "ranking_id",
            "rank",
            "skater_id",
            "member_id",
            "final",
            "final_place",
            "time_ms",
            "status",
        )
    ):
        race_id = heads.get(ranking_id)
        if race_id is None or race_id not in races:
            continue
        extra.setdefault(race_id, []).append(
            _placing(
                pk,
                race_id,
                members[member_id],
                skater_id,
                None,
                rank,
                final,
                place,
                time_ms,
                status,
            )
        )
    for race_id, lines in extra.items():
        placings[race_id] = tuple(lines)


def _current_results(before: datetime | None = None, at_most: datetime | None = None):
    """The newest revision of each race's result official before ``before`` (or at
    ``at_most`` at the latest)."""
    return RaceResult.objects.newest_official(at_most=at_most, before=before)


def _sheets_and_bests(
    season: Season, targets, races, moment: datetime, members: dict, personal_bests: bool = True
):
    """The result sheets of the target races' distances at their competitions, and the best
    times held before the first of them; nothing when no time was recorded there. Without
    ``personal_bests``: of each race the fastest finishers' lines only (a record is the
    fastest time of a race) and every line of a Final A (its incidents), and no skater's
    best."""
    if not targets:
        return {}, Bests()
    competitions = {(races[r].season, races[r].competition) for r in targets}
    distances = {races[r].distance for r in targets}
    nearby = [
        r.id
        for r in races.values()
        if (r.season, r.competition) in competitions and r.distance in distances
    ]
    # The races' current results first, then their lines by result: each result's columns
    # (its race, round, official moment) read once, not once per line.
    results = {
        pk: rest
        for pk, *rest in _current_results(at_most=moment)
        .filter(race__round__distance_race_id__in=nearby)
        .order_by()  # a dict: the models' order would join five tables for nothing
        .values_list(
            "id",
            "race__round__distance_race_id",
            "race__round__kind",
            "race__number",
            "official_at",
        )
    }
    lines = RaceResultLine.objects.public().filter(result_id__in=list(results))
    if not personal_bests:
        # The facts found in the lines follow their order only in a list of every fact (a
        # Final A's incidents); a summary's notable facts are the rarest, whatever their
        # order: unordered, the lines join no table to be sorted by their races.
        lines = lines.order_by()
    rows = list(
        lines.values_list(
            "id",
            "result_id",
            "skater_id",
            "team_id",
            "member_id",
            "place",
            "time_ms",
            "status",
            "warnings",
        )
    )
    # The bests that stand are those before the first time skated, of every line read:
    # (result id, skater id) of each line with a time.
    timed = [(row[1], row[2]) for row in rows if row[6]]
    if not personal_bests:
        rows = _fastest_and_final_a(rows, results)
    sheets: dict[int, list[SheetLine]] = {}
    for pk, result_id, skater_id, team_id, member_id, place, time_ms, status, warnings in rows:
        race_id, kind, number, official_at = results[result_id]
        nation = members[member_id]
        entrant = f"s{skater_id}" if skater_id else (f"t{team_id}" if team_id else f"n{nation}")
        sheets.setdefault(race_id, []).append(
            SheetLine(
                pk,
                race_id,
                kind,
                number,
                official_at,
                entrant,
                entrant if skater_id else None,
                nation,
                place,
                time_ms,
                status,
                warnings,
            )
        )
    held = {k: tuple(v) for k, v in sheets.items()}
    if not timed:
        return held, Bests()
    start = min(results[result_id][3] for result_id, _ in timed)
    skaters = {skater_id for _, skater_id in timed if skater_id} if personal_bests else set()
    return held, _bests(season, distances, skaters, start, members)


def _fastest_and_final_a(rows: list[tuple], results: dict) -> list[tuple]:
    """Of the sheets' rows (as ``_sheets_and_bests`` reads them), in their order: the
    lines of each race's fastest finishers and every line of a Final A."""
    fastest: dict[int, int] = {}
    for _, result_id, _, _, _, _, time_ms, status, _ in rows:
        if status == "finished" and time_ms:
            fastest[result_id] = min(time_ms, fastest.get(result_id, time_ms))
    kept = []
    for row in rows:
        _, result_id, _, _, _, _, time_ms, status, _ = row
        final_a = results[result_id][1] == "final_a"
        if final_a or (status == "finished" and time_ms and time_ms == fastest[result_id]):
            kept.append(row)
    return kept


def _bests(season, distances, skaters: set[int], start, members) -> Bests:
    """Best times held before ``start``: per distance, venue, skater (of ``skaters``) and of
    the season, each with the line that set it."""
    # Grouped, or ordered as asked: the models' order (five tables) is no use to them.
    lines = (
        RaceResultLine.objects.public()
        .filter(
            result__in=_current_results(before=start),
            status="finished",
            time_ms__isnull=False,
            result__race__round__distance_race__distance__in=distances,
        )
        .order_by()
    )
    distance = "result__race__round__distance_race__distance"
    competition = "result__race__round__distance_race__competition"
    # The world's, each track's and the season's bests are the fastest of each distance at
    # each venue in each season, and the skaters' the fastest of each distance of theirs:
    # one query for the four, grouped by the skater too when one of ``skaters`` skated.
    whose = Case(
        When(skater_id__in=list(skaters), then=F("skater_id")),
        default=None,
        output_field=IntegerField(),
    )
    places = (
        lines.annotate(whose=whose if skaters else Value(None, IntegerField()))
        .values_list(
            distance,
            f"{competition}__venue",
            f"{competition}__city",
            f"{competition}__season_id",
            "whose",
        )
        .annotate(best=Min("time_ms"))
    )
    world_ms: dict[str, int] = {}
    track_ms: dict[tuple[str, str], int] = {}
    season_ms: dict[str, int] = {}
    personal_ms: dict[tuple[str, str], int] = {}
    for d, venue, city, season_id, skater_id, best in places:
        world_ms[d] = min(best, world_ms.get(d, best))
        track = (d, venue or city)
        track_ms[track] = min(best, track_ms.get(track, best))
        if season_id == season.pk:
            season_ms[d] = min(best, season_ms.get(d, best))
        if skater_id:
            mine = (d, f"s{skater_id}")
            personal_ms[mine] = min(best, personal_ms.get(mine, best))
    best_times = {*world_ms.values(), *track_ms.values(), *personal_ms.values()}
    candidates = {}
    for (
        pk,
        time_ms,
        d,
        venue,
        city,
        season_key,
        skater_id,
        team_id,
        member_id,
        race_id,
    ) in (
        lines.filter(time_ms__in=best_times)
        .order_by("result__official_at", "id")
        .values_list(
            "id",
            "time_ms",
            distance,
            f"{competition}__venue",
            f"{competition}__city",
            f"{competition}__season__key",
            "skater_id",
            "team_id",
            "member_id",
            "result__race__round__distance_race_id",
        )
    ):
        entrant = (
            f"s{skater_id}"
            if skater_id
            else (f"t{team_id}" if team_id else f"n{members[member_id]}")
        )
        mark = Mark(time_ms, pk, entrant, race_id)
        for key in (
            ("world", d, time_ms),
            ("track", (d, venue or city), time_ms),
            ("personal", (d, entrant), time_ms),
            ("season", (d, season_key), time_ms),
        ):
            candidates.setdefault(key, mark)  # the earliest line with the time set it
    return Bests(
        {d: candidates[("world", d, ms)] for d, ms in world_ms.items()},
        {key: candidates[("track", key, ms)] for key, ms in track_ms.items()},
        {key: candidates[("personal", key, ms)] for key, ms in personal_ms.items()},
        {d: candidates[("season", (d, season.key), ms)] for d, ms in season_ms.items()},
    )


def _people(placings, sheets, nations: dict[str, str], convention: str) -> _People:
    """Names of every skater, team and nation in the placings and sheets loaded: skaters as
    the season prints them (``convention``: its ``[names] korean_given``), nations and
    teams as ISU news names them in running text ("Korea", "the Netherlands")."""
    keys = {p.entrant for lines in placings.values() for p in lines}
    keys |= {s.entrant for lines in sheets.values() for s in lines}
    skater_ids = {int(k[1:]) for k in keys if k.startswith("s")}
    team_ids = {int(k[1:]) for k in keys if k.startswith("t")}
    people = {
        f"n{code}": Person(f"n{code}", code, nation_in_text(code, name), code)
        for code, name in nations.items()
    }
    skaters = {
        f"s{row[0]}": row
        for row in Skater.objects.filter(pk__in=skater_ids)
        .order_by()
        .values_list("pk", "given_name", "family_name", "gender", "birth_date", "member__code")
    }
    for pk, name, code in (
        RelayTeam.objects.public().filter(pk__in=team_ids).values_list("pk", "name", "member__code")
    ):
        suffix = name[len(code) :].strip() if name.startswith(code) else ""
        in_text = nation_in_text(code, nations.get(code))
        people[f"t{pk}"] = Person(f"t{pk}", name, f"{in_text} {suffix}".strip(), code)
    return _People(people, skaters, convention)


class _People(Mapping[str, Person]):
    """The people of a history by key: skaters named when first asked for (a season's
    history holds hundreds, its facts and sentences name a few dozen)."""

    def __init__(self, named: dict[str, Person], skaters: dict[str, tuple], convention: str):
        self._named = named
        self._skaters = skaters  # key -> (pk, given, family, gender, born, code)
        self._convention = convention

    def __getitem__(self, key: str) -> Person:
        person = self._named.get(key)
        if person is None:
            pk, given, family, gender, born, code = self._skaters[key]
            convention = self._convention
            person = self._named[key] = Person(
                key,
                f"{sheet_family_name(family)} {given_name(given, code, convention)}".strip(),
                press_name(given, family, code, convention),
                code,
                gender,
                born,
                pk,
                family,
            )
        return person

    def __contains__(self, key: object) -> bool:
        return key in self._named or key in self._skaters

    def __iter__(self) -> Iterator[str]:
        yield from self._named
        yield from (key for key in self._skaters if key not in self._named)

    def __len__(self) -> int:
        return len(self._named.keys() | self._skaters.keys())


# --- sessions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRef:
    """The finals of one competition day."""

    competition: Competition
    day: date
    races: tuple[int, ...]  # distance races whose finals are that day


def finals_days(competition: Competition, races: dict[int, RaceOnRecord]) -> dict[int, date]:
    """distance race id -> the local day of its finals: the day of the Session its Final A
    is in, else the day its ranking became official, else the day it is expected."""
    return _finals_days([competition], races)[competition.pk]


def _finals_days(
    competitions: Sequence[Competition], races: dict[int, RaceOnRecord]
) -> dict[int, dict[int, date]]:
    """``finals_days`` of each competition (by id), the Session rows of all read at once."""
    linked = dict(
        Race.objects.public()
        .filter(
            round__distance_race__competition__in=[c.pk for c in competitions],
            round__kind="final_a",
            session__isnull=False,
        )
        .values_list("round__distance_race_id", "session__starts_at")
    )
    held = {(c.season.key, c.number): c for c in competitions}
    days: dict[int, dict[int, date]] = {c.pk: {} for c in competitions}
    for race in races.values():
        competition = held.get((race.season, race.competition))
        if competition is None:
            continue
        when = linked.get(race.id) or race.official_at or race.finals_at
        if when is not None:
            days[competition.pk][race.id] = when.astimezone(ZoneInfo(competition.time_zone)).date()
    return days


def _competition(competition_id: int) -> Competition:
    try:
        return Competition.objects.public().select_related("season").get(pk=competition_id)
    except Competition.DoesNotExist:
        raise NotPublic(f"no published competition with id {competition_id}") from None


def _season(season: Season | str) -> Season:
    if isinstance(season, Season):
        return season
    try:
        return Season.objects.get(key=season)
    except Season.DoesNotExist:
        raise NotPublic(f"no season {season}") from None


def find_session(
    competition: Competition,
    day: date,
    as_of: datetime | None = None,
    *,
    index: RaceIndex | None = None,
) -> SessionRef:
    """The session of a competition on a local day; a clear error for a day without finals."""
    index = index or race_index(as_of)
    races = index.races
    days = finals_days(competition, races)
    found = tuple(sorted((r for r, d in days.items() if d == day), key=lambda r: races[r].order))
    if not found:
        held = ", ".join(sorted({d.isoformat() for d in days.values()})) or "none"
        raise ValueError(
            f"no finals at {competition.city} (World Cup {competition.number}) on {day}: "
            f"finals days are {held}"
        )
    return SessionRef(competition, day, found)


def _listed_session(competition: Competition, day: date, index: RaceIndex) -> SessionRef | None:
    """The session of a competition on a day, when the index holds its season's (or the
    competition's) sessions already: a page listing them, then summarising one."""
    listed = index.sessions  # the index's lists, not a related manager
    for key in ((competition.season_id, None), (competition.season_id, competition.pk)):
        for session in listed.get(key, ()):
            if session.competition.pk == competition.pk and session.day == day:
                return session
    return None


def _season_sessions(
    season: Season,
    index: RaceIndex,
    competition: Competition | None = None,
    published: Sequence[Competition] | None = None,
) -> list[SessionRef]:
    """The sessions of a season (of one of its competitions), in order; ``published``, the
    season's published competitions by number when the caller has read them."""
    key = (season.pk, competition.pk if competition else None)
    if key in index.sessions:
        return index.sessions[key]
    if competition:
        competitions = [competition]
    elif published is not None:
        competitions = list(published)
    else:
        competitions = list(season.competitions.public().order_by("number"))
    races = index.races
    days = _finals_days(competitions, races)
    found = []
    for held in competitions:
        of_competition = days[held.pk]
        for day in sorted(set(of_competition.values())):
            ids = sorted(
                (r for r, d in of_competition.items() if d == day), key=lambda r: races[r].order
            )
            found.append(SessionRef(held, day, tuple(ids)))
    index.sessions[key] = found
    return found


def sessions(
    season: Season | str,
    as_of: datetime | None = None,
    *,
    competition: Competition | None = None,
    index: RaceIndex | None = None,
) -> list[dict]:
    """Every session with finals of a season (or of one of its competitions), in order:
    for lists of summaries and feeds."""
    season = _season(season)
    index = index or race_index(as_of)
    found = []
    for session in _season_sessions(season, index, competition):
        official = [index.races[r].official_at for r in session.races if index.races[r].official_at]
        found.append(
            {
                "competition": _competition_document(session.competition),
                "day": session.day.isoformat(),
                "races": len(session.races),
                "official": len(official),
                "updated": max(official).isoformat() if official else None,
            }
        )
    return found


# --- panels --------------------------------------------------------------------------------


def race_facts(
    distance_race_id: int, as_of: datetime | None = None, *, race: DistanceRace | None = None
) -> dict:
    """The facts of one distance race; ``race``, when the caller has read it as public (with
    its competition and season), is not read again."""
    if race is None or race.pk != distance_race_id:
        try:
            race = (
                DistanceRace.objects.public()
                .select_related("competition__season")
                .get(pk=distance_race_id)
            )
        except DistanceRace.DoesNotExist:
            raise NotPublic(
                f"no distance race {distance_race_id} in a published competition"
            ) from None
    index = race_index(as_of)
    history = load_history(race.competition.season, [race.pk], index=index)
    facts = find_facts(history, [race.pk], until=index.moment)
    document = _facts_document(history, facts, index.moment)
    document["race"] = _race_document(history, history.race(race.pk))
    return document


def session_facts(competition_id: int, day: date, as_of: datetime | None = None) -> dict:
    """The facts of the finals of one competition day."""
    history, session, facts, moment = _session(competition_id, day, race_index(as_of))
    document = _facts_document(history, facts, moment)
    document["session"] = _session_document(history, session)
    return document


def session_summary(
    competition_id: int,
    day: date,
    as_of: datetime | None = None,
    *,
    index: RaceIndex | None = None,
    competition: Competition | None = None,
) -> dict:
    """The summary of a session: sentences in the house style, each naming the facts it
    was written from; the notable facts ranked by rarity; all facts. ``competition``, when
    the caller has read it as published (with its season), is not read again."""
    history, session, facts, moment = _session(
        competition_id, day, index or race_index(as_of), competition
    )
    return _summary_document(history, session, facts, moment)


def season_summaries(
    season: Season | str,
    as_of: datetime | None = None,
    *,
    index: RaceIndex | None = None,
    all_facts: bool = True,
    published: Sequence[Competition] | None = None,
) -> list[dict]:
    """The summary of every session of a season with an official final, in order, each as
    ``session_summary`` gives it: one history and one pass of the finders for them all
    (the summaries page and the Atom feed ask for every one at once). Without
    ``all_facts`` each lists its notable facts only, and the people they name: the
    summaries page and the feed show no more, and describing every fact is half the work.
    Nor are the medallists' standings looked for then (no summary tells one), nor personal
    bests unless a summary may tell one (``_tops_up``; most lines of a sheet are only read
    for them). ``published``: the season's published competitions by number, when the
    caller has read them.
    """
    season = _season(season)
    index = index or race_index(as_of)
    held = [
        session
        for session in _season_sessions(season, index, published=published)
        if any(index.races[r].official_at for r in session.races)
    ]
    targets = [r for session in held for r in session.races]
    light = not all_facts and _PERSONAL_BESTS_TOP_UP_ONLY
    standing = all_facts or not _STANDING_UNTOLD
    history = load_history(season, targets, index=index, personal_bests=not light)
    found = _facts_by_race(history, targets, index.moment, standing, personal_bests=not light)
    whole: tuple[History, dict[int, list[Fact]]] | None = None  # every line read, if needed
    documents = []
    for session in held:
        loaded, of_race = history, found
        summary = _summarise(loaded, session, _session_facts(session, of_race))
        if light and _tops_up(loaded, session, summary):
            if whole is None:
                every_line = load_history(season, targets, index=index)
                whole = every_line, _facts_by_race(every_line, targets, index.moment, standing)
            loaded, of_race = whole
            summary = _summarise(loaded, session, _session_facts(session, of_race))
        documents.append(
            _summary_document(
                loaded,
                session,
                _session_facts(session, of_race),
                index.moment,
                notable_only=not all_facts,
                summary=summary,
            )
        )
    return documents


# A personal best makes no other fact needless (``IMPLIES``), is no headline and is below
# ``NOTABLE_THRESHOLD``: a summary says one only to top its notable facts up to the least it
# lists (``rules.summary.notable``).
_PERSONAL_BESTS_TOP_UP_ONLY = (
    RECORD_RARITY["personal_best"] < NOTABLE_THRESHOLD
    and "personal_best" not in IMPLIES
    and "personal_best" not in HEADLINE_KINDS
)
_NOTABLE_AT_LEAST = inspect.signature(notable).parameters["minimum"].default
# A medallist's standing after a race is a headline fact, which no sentence of a summary
# is written from: the summaries of the summaries page do not look for them.
_STANDING_UNTOLD = "standing" in HEADLINE_KINDS and "standing" not in IMPLIES


def _tops_up(history: History, session: SessionRef, summary: Summary) -> bool:
    """Might a personal best be among the notable facts of this summary, written without
    them? When fewer than the least it lists reach ``NOTABLE_THRESHOLD`` and a finisher of
    one of its finals was timed."""
    rare = sum(f.rarity >= NOTABLE_THRESHOLD for f in summary.notable)
    return rare < _NOTABLE_AT_LEAST and any(
        line.time_ms and line.status == "finished"
        for r in session.races
        for line in history.sheets.get(r, ())
    )


def _facts_by_race(
    history: History,
    targets: Sequence[int],
    moment: datetime,
    standing: bool,
    personal_bests: bool = True,
) -> dict[int, list[Fact]]:
    """The facts of the target races, by race; without ``personal_bests`` none (the sheets
    of a history loaded without them hold too few lines to find them)."""
    found: dict[int, list[Fact]] = {}
    for fact in find_facts(history, targets, until=moment, standing=standing):
        if personal_bests or fact.kind != "personal_best":
            found.setdefault(fact.race, []).append(fact)
    return found


def _session_facts(session: SessionRef, of_race: dict[int, list[Fact]]) -> list[Fact]:
    return [f for r in session.races for f in of_race.get(r, ())]


def _summarise(history: History, session: SessionRef, facts: Sequence[Fact]) -> Summary:
    official = [r for r in session.races if history.race(r).official_at is not None]
    return summarise(history, official, facts)


def _summary_document(
    history: History,
    session: SessionRef,
    facts,
    moment: datetime,
    notable_only: bool = False,
    summary: Summary | None = None,
) -> dict:
    summary = summary or _summarise(history, session, facts)
    notable = [_fact_document(history, Writer(history), f) for f in summary.notable]
    if notable_only:
        document = _facts_document(history, summary.notable, moment, list(notable))
    else:
        document = _facts_document(history, facts, moment)
    document |= {
        "session": _session_document(history, session),
        "title": _session_title(history, session),
        "text": summary.text,
        "sentences": [{"text": s.text, "facts": list(s.facts)} for s in summary.sentences],
        "notable": notable,
        "footnote": summary.footnote,
    }
    return document


def competition_facts(
    competition_id: int,
    as_of: datetime | None = None,
    *,
    index: RaceIndex | None = None,
    competition: Competition | None = None,
) -> dict:
    """The facts of every race of a competition; ``competition``, when the caller has read
    it as published (with its season), is not read again."""
    if competition is None or competition.pk != competition_id:
        competition = _competition(competition_id)
    index = index or race_index(as_of)
    # The index holds every published distance race, in the models' order: the
    # competition's, in the order its own query would give them.
    held = (competition.season.key, competition.number)
    races = index.races  # the index's races, not a related manager
    ids = [r.id for r in races.values() if (r.season, r.competition) == held]
    history = load_history(competition.season, ids, index=index)
    facts = find_facts(history, ids, until=index.moment)
    document = _facts_document(history, facts, index.moment)
    document["competition"] = _competition_document(competition)
    return document


def skater_facts(
    skater_id: int,
    season: str | None = None,
    as_of: datetime | None = None,
    *,
    skater: Skater | None = None,
    seasons: Iterable[Season] = (),
) -> dict:
    """The facts about one skater in a season (their latest season by default): from every
    race they won a medal or skated Final A in. ``skater`` (with its member) and ``seasons``
    (rows the caller holds), when given, are not read again."""
    moment = as_of or timezone.now()
    if skater is None or skater.pk != skater_id:
        try:
            skater = Skater.objects.select_related("member").get(pk=skater_id)
        except Skater.DoesNotExist:
            raise NotPublic(f"no skater {skater_id}") from None
    lines = RankingLine.objects.official_at(moment).filter(skater=skater)
    if season is None:
        season = (
            lines.order_by("-ranking__distance_race__competition__season__key")
            .values_list("ranking__distance_race__competition__season__key", flat=True)
            .first()
        )
    if season is None:
        return {
            "as_of": moment.isoformat(),
            "records_from": None,
            "facts": [],
            "people": {},
            "skater": _skater_document(skater),
            "season": None,
        }
    season_row = next((s for s in seasons if s.key == season), None) or _season(season)
    ids = sorted(
        set(
            lines.filter(ranking__distance_race__competition__season=season_row)
            .filter(Q(rank__lte=3) | Q(final="A"))
            .values_list("ranking__distance_race_id", flat=True)
        )
    )
    history = load_history(season_row, ids, moment, subjects=[skater.pk])
    key = f"s{skater.pk}"
    facts = [f for f in find_facts(history, ids, until=moment) if f.subject == key]
    document = _facts_document(history, facts, moment)
    convention = season_rules(season_row.rules_key).korean_given.value
    document |= {"skater": _skater_document(skater, convention), "season": season}
    return document


def _session(
    competition_id: int, day: date, index: RaceIndex, competition: Competition | None = None
):
    if competition is None or competition.pk != competition_id:
        competition = _competition(competition_id)
    session = _listed_session(competition, day, index) or find_session(
        competition, day, index=index
    )
    history = load_history(competition.season, session.races, index=index)
    facts = find_facts(history, session.races, until=index.moment)
    return history, session, facts, index.moment


# --- documents -----------------------------------------------------------------------------


def _facts_document(
    history: History,
    facts: Sequence[Fact],
    moment: datetime,
    documents: list[dict] | None = None,
) -> dict:
    """The facts (``documents``: already written), the people they name."""
    if documents is None:
        # Each fact's text stands alone: a new writer names everyone in full.
        documents = [_fact_document(history, Writer(history), f) for f in facts]
    keys = {f.subject for f in facts} | {k for f in facts for k in _entrants(f.values)}
    return {
        "as_of": moment.isoformat(),
        "records_from": history.seasons[0] if history.seasons else None,
        "facts": documents,
        "people": {k: _person_document(history, k) for k in sorted(keys)},
    }


def _fact_document(history: History, writer: Writer, fact: Fact) -> dict:
    race = history.race(fact.race)
    return {
        "key": fact.key,
        "kind": fact.kind,
        "text": writer.describe(fact),
        "rarity": round(fact.rarity, 2),
        "at": fact.at.isoformat(),
        "race": {"id": race.id, "name": race_name(race), "season": race.season},
        "subject": _person_document(history, fact.subject),
        "values": dict(fact.values),
        "proof": [{"kind": p.kind, "id": p.id} for p in fact.proof],
    }


def _entrants(value) -> Iterable[str]:
    """Entrant keys ('s12', 't4', 'nKOR') and nation codes named in a fact's values."""
    if isinstance(value, str):
        if (value[:1] in "st" and value[1:].isdigit()) or (
            len(value) == 3 and value.isalpha() and value.isupper()
        ):
            yield value
        elif value[:1] == "n" and len(value) == 4 and value[1:].isupper():
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _entrants(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _entrants(v)


def _person_document(history: History, key: str) -> dict:
    person = history.person(key if key[:1].islower() else f"n{key}")
    return {
        "key": key,
        "name": person.name,
        "press_name": person.press_name,
        "nation": person.nation,
    }


def race_name(race: RaceOnRecord) -> str:
    """'Almaty, Men's 1000m (2)', as ``queries.standings.race_name``."""
    d = race.rules_distance
    return f"{race.city}, {d.label}" + (f" ({race.instance})" if race.instance else "")


def _race_document(history: History, race: RaceOnRecord) -> dict:
    podium = sorted(
        (p for p in history.placings.get(race.id, ()) if p.rank in MEDAL_RANKS),
        key=lambda p: (p.rank, p.line),
    )
    return {
        "id": race.id,
        "name": race_name(race),
        "season": race.season,
        "competition": race.competition,
        "official_at": race.official_at.isoformat() if race.official_at else None,
        "podium": [{"rank": p.rank} | _person_document(history, p.entrant) for p in podium],
    }


def _competition_document(competition: Competition) -> dict:
    return {
        "id": competition.pk,
        "season": competition.season.key,
        "number": competition.number,
        "city": competition.city,
        "venue": competition.venue,
    }


def _session_document(history: History, session: SessionRef) -> dict:
    races = [history.race(r) for r in session.races]
    return {
        "competition": _competition_document(session.competition),
        "day": session.day.isoformat(),
        "races": [_race_document(history, r) for r in races if r.official_at],
        "pending": [race_name(r) for r in races if not r.official_at],
    }


def _session_title(history: History, session: SessionRef) -> str:
    c = session.competition
    series = history.rules[c.season.key].series
    return f"{series} {c.number}, {c.city}: finals of {session.day:%A} {session.day.day} {session.day:%B %Y}"


def _skater_document(skater: Skater, convention: str = "as_stored") -> dict:
    """The skater a page is about, named as the season shown prints names (as stored when
    no season is shown)."""
    code = skater.member.code
    given = given_name(skater.given_name, code, convention)
    return {
        "id": skater.pk,
        "name": f"{sheet_family_name(skater.family_name)} {given}".strip(),
        "press_name": press_name(skater.given_name, skater.family_name, code, convention),
        "nation": code,
    }
