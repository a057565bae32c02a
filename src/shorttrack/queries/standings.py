"""World Cup standings of a season at any moment, from the rankings in the store.

A ranking revision counts from its ``official_at``; for each distance race the newest
revision official at the moment is used, so a correction made official later never
changes the standings shown for an earlier moment. A race keeps its place in the season
(``RankedResult.first_official_at``, the earliest ``official_at`` of its revisions): the
order results count in, the finals list, the leaders chart, and the moments just before
and after it; a correction shows its own moment as ``corrected_at``.
"""

from __future__ import annotations

import dataclasses
import gc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from shorttrack.interchange.names import sheet_name
from shorttrack.queries import coverage
from shorttrack.queries.public import NotFound, season_slug
from shorttrack.queries.races import first_official_at
from shorttrack.rules.distances import ALL_DISTANCES
from shorttrack.rules.press_names import given_name
from shorttrack.rules.season import SeasonRules, season_rules, shared_ranks
from shorttrack.rules.standings import (
    RankedResult,
    Standings,
    StandingsRow,
    all_classifications,
    classify,
    in_season_order,
)
from shorttrack.store.models import DistanceRace, Member, Ranking, RankingLine, Season, Skater


@dataclass(frozen=True)
class Entrant:
    """Who a standings row is about, ready to print."""

    key: str
    name: str  # "PARK Ji-won" or "Republic of Korea"
    nation: str
    fictional: bool = False  # a skater the simulator made up

    @property
    def display(self) -> str:
        return f"{self.name} ({self.nation})" if self.name != self.nation else self.name


# A season's official ranking revisions: (distance race id, revision number, official_at,
# its results), in revision order.
Revisions = tuple[tuple[int, int, datetime, tuple[RankedResult, ...]], ...]


@dataclass(frozen=True)
class SeasonResults:
    season: Season
    rules: SeasonRules
    results: tuple[RankedResult, ...]
    races: dict[str, DistanceRace]  # RankedResult.race -> distance race
    entrants: dict[str, Entrant]
    # Every official ranking revision of the season, to pick the results of an earlier
    # moment from without loading the season again.
    revisions: Revisions = ()

    def as_of(self, moment: datetime) -> SeasonResults:
        """The results that stood at an earlier ``moment``: the newest revision of each
        race official then (a correction made later is not known at it)."""
        return dataclasses.replace(self, results=_official_at(self.revisions, moment))


def race_key(distance_race_id: int) -> str:
    """The opaque race id the rules core sees; zero-padded so that it sorts as it was created."""
    return f"{distance_race_id:09d}"


def get_season(key: str) -> Season:
    try:
        return Season.objects.get(key=key)
    except Season.DoesNotExist:
        known = ", ".join(Season.objects.values_list("key", flat=True)) or "none imported"
        raise ValueError(f"unknown season {key!r}: seasons in the database are {known}") from None


@dataclass(frozen=True)
class _SeasonRankings:
    """Every ranking revision of a season, ready for the rules core: (distance race id,
    revision number, official_at, its results), in revision order."""

    revisions: tuple[tuple[int, int, datetime, tuple[RankedResult, ...]], ...]


# Loaded rankings per season, keyed by what they derive from: every official ranking
# revision of the season with the moment its revision was recorded. Revisions are only
# ever added, and the recorded moment tells a new row from an old id handed out again
# (SQLite reuses the ids of rolled-back rows).
_loaded_rankings: dict[int, tuple[tuple, _SeasonRankings]] = {}


def forget_loaded_rankings() -> None:
    """Empty the season cache (tests that roll the database back call this)."""
    _loaded_rankings.clear()


def _season_rankings(season: Season, races: dict[str, DistanceRace]) -> _SeasonRankings:
    revisions = Ranking.objects.public().filter(
        distance_race_id__in=[dr.pk for dr in races.values()]
    )
    rows = tuple(
        revisions.order_by("id").values_list(
            "id", "distance_race_id", "number", "official_at", "revision__recorded_at"
        )
    )
    fingerprint = rows
    cached = _loaded_rankings.get(season.pk)
    if cached and cached[0] == fingerprint:
        return cached[1]

    members = dict(Member.objects.values_list("id", "code"))
    heads = {
        ranking_id: (race_id, number, official_at)
        for ranking_id, race_id, number, official_at, _ in rows
    }
    # When each race was first official as each revision knows it: the earliest moment of
    # its revisions up to this one (the newest official at a moment is the one used then).
    first: dict[int, datetime] = {}
    earliest: dict[int, datetime] = {}
    for ranking_id, (race_id, _, official_at) in sorted(
        heads.items(), key=lambda h: (h[1][0], h[1][1])
    ):
        earliest[race_id] = min(official_at, earliest.get(race_id, official_at))
        first[ranking_id] = earliest[race_id]
    lines: dict[int, list[RankedResult]] = {ranking_id: [] for ranking_id in heads}
    for ranking_id, rank, skater_id, team_id, member_id in (
        RankingLine.objects.public()
        .filter(ranking_id__in=heads)
        .values_list("ranking_id", "rank", "skater_id", "team_id", "member_id")
    ):
        race_id, _, official_at = heads[ranking_id]
        nation = members[member_id]
        if skater_id:
            entrant = skater = f"s{skater_id}"
        else:
            entrant, skater = (f"t{team_id}" if team_id else f"n{nation}"), None
        key = race_key(race_id)
        lines[ranking_id].append(
            RankedResult(
                key,
                races[key].distance,
                entrant,
                nation,
                rank,
                official_at,
                skater,
                first[ranking_id],
            )
        )
    loaded = _SeasonRankings(
        tuple(
            (race_id, number, official_at, tuple(lines[ranking_id]))
            for ranking_id, (race_id, number, official_at) in sorted(
                heads.items(), key=lambda h: (h[1][0], h[1][1])
            )
        )
    )
    _loaded_rankings[season.pk] = (fingerprint, loaded)
    # The cache is long-lived and free of reference cycles: moving it out of the collector's
    # generations stops full collections from walking it on every standings request
    # (measured: p95 of all classifications 70 ms -> 23 ms, bench/standings.py).
    gc.freeze()
    return loaded


def season_results(season: Season | str, as_of: datetime | None = None) -> SeasonResults:
    """Every final rank of the season that was official at ``as_of`` (now when None)."""
    if isinstance(season, str):
        season = get_season(season)
    moment = as_of or timezone.now()
    races = {
        race_key(dr.pk): dr
        for dr in DistanceRace.objects.public()
        .filter(competition__season=season)
        .select_related("competition")
    }
    revisions = _season_rankings(season, races).revisions
    results = _official_at(revisions, moment)

    rules = season_rules(season.rules_key)
    skater_ids = {int(r.skater[1:]) for r in results if r.skater}
    # Standings print names as the season's sheets do ("PARK Ji Won"), as its race pages.
    convention = rules.korean_given.value
    entrants = {
        f"s{pk}": Entrant(
            f"s{pk}", sheet_name(family, given_name(given, code, convention)), code, fictional
        )
        for pk, family, given, code, fictional in Skater.objects.filter(
            pk__in=skater_ids
        ).values_list("pk", "family_name", "given_name", "member__code", "fictional")
    }
    for code, name in Member.objects.values_list("code", "name"):
        entrants[code] = Entrant(code, name, code)
    return SeasonResults(season, rules, results, races, entrants, revisions)


def _official_at(revisions: Revisions, moment: datetime) -> tuple[RankedResult, ...]:
    """The newest revision of each distance race that was official at the moment."""
    current: dict[int, tuple[RankedResult, ...]] = {}
    for race_id, _, official_at, results in revisions:
        if official_at <= moment:
            current[race_id] = results
    return tuple(r for race_results in current.values() for r in race_results)


def standings(
    season: Season | str, classification: str, as_of: datetime | None = None
) -> tuple[Standings, SeasonResults]:
    """One classification ('overall-women', 'M1000', 'W3000R', 'nations') at ``as_of``."""
    loaded = season_results(season, as_of)
    spec = loaded.rules.classification(classification)
    return classify(loaded.rules, spec, loaded.results, as_of), loaded


def every_standings(
    season: Season | str, as_of: datetime | None = None
) -> tuple[dict[str, Standings], SeasonResults]:
    loaded = season_results(season, as_of)
    return all_classifications(loaded.rules, loaded.results, as_of), loaded


def classification_key(classification: str, gender: str | None) -> str:
    """The key of a classification from the words a person types:
    ('overall', 'women') -> 'overall-women'; ('1500m', 'men') -> 'M1500';
    ('relay', 'women') -> 'W3000R'; ('mixed-relay', None) -> 'X2000R'; ('nations', None)."""
    from shorttrack.rules.distances import Gender, find_distance

    word = classification.strip().lower()
    if word in ("nations", "team", "nation"):
        return "nations"
    if word in ("mixed-relay", "mixed relay", "mixed"):
        return "X2000R"
    if gender is None:
        raise ValueError(f"classification {classification!r} needs a gender: women or men")
    g = Gender.parse(gender)
    if word == "overall":
        return f"overall-{g.value}"
    return find_distance(g, word).key


def race_name(race: DistanceRace) -> str:
    """'Montreal, Men's 1000m (2)' — how a race is named in a standings breakdown."""
    return f"{race.competition.city}, {race.title}"


def _dead_heats(loaded: SeasonResults) -> dict[str, set]:
    """The ranks shared by more than one entrant, per race."""
    ranks: dict[str, list[int | None]] = {}
    for result in loaded.results:
        ranks.setdefault(result.race, []).append(result.rank)
    return {race: set(shared_ranks(held)) for race, held in ranks.items()}


def _points_provisional(loaded: SeasonResults, result: RankedResult, dead_heats: dict) -> bool:
    """Points of a relay or of a dead heat rest on those rules too: provisional where they are."""
    return loaded.rules.points_provisional(
        result.rank,
        relay=ALL_DISTANCES[result.distance].relay,
        dead_heat=result.rank in dead_heats.get(result.race, ()),
    )


def _entrant(row: StandingsRow, loaded: SeasonResults) -> Entrant:
    return loaded.entrants.get(row.entrant) or Entrant(row.entrant, row.entrant, row.nation)


def leader_row(row: StandingsRow, loaded: SeasonResults) -> dict:
    """A row of the season page's leaders: the standings row without its results."""
    entrant = _entrant(row, loaded)
    return {
        "rank": row.rank,
        "name": entrant.name,
        "nation": row.nation,
        "points": row.points,
        "skater_id": int(row.entrant[1:]) if row.entrant.startswith("s") else None,
        "fictional": entrant.fictional,
    }


def standings_document(table: Standings, loaded: SeasonResults) -> dict:
    """The JSON form of a classification, shared by the CLI, the site and the API."""
    leader_points = table.rows[0].points if table.rows else 0
    dead_heats = _dead_heats(loaded)
    rows = []
    for i, row in enumerate(table.rows):
        entrant = _entrant(row, loaded)
        rows.append(
            {
                "rank": row.rank,
                "name": entrant.name,
                "nation": row.nation,
                "points": row.points,
                "behind_leader": leader_points - row.points,
                "behind_next": (table.rows[i - 1].points - row.points) if i else 0,
                "skater_id": int(row.entrant[1:]) if row.entrant.startswith("s") else None,
                "fictional": entrant.fictional,
                "results": [
                    {
                        "race": race_name(loaded.races[s.result.race]),
                        "race_id": loaded.races[s.result.race].pk,
                        "competition": loaded.races[s.result.race].competition.number,
                        "rank": s.result.rank,
                        "points": s.points,
                        "points_provisional": _points_provisional(loaded, s.result, dead_heats),
                        "counted": s.counted,
                        "official_at": s.result.season_moment.isoformat(),
                        "corrected_at": corrected_at(s.result),
                    }
                    for s in row.results
                ],
            }
        )
    spec = table.spec
    return {
        "season": loaded.season.key,
        "classification": spec.key,
        "title": spec.title,
        "counting": spec.counting.value.describe(),
        "provisional": table.provisional,
        "as_of": table.as_of.isoformat() if table.as_of else None,
        "rows": rows,
    }


def grid_columns(table: Standings, loaded: SeasonResults) -> tuple[list[str], dict]:
    """The columns of the standings as the ISU classification sheet prints them: one per
    race of the season in the classification's distances ("500m (1)", "500m (2)"), grouped
    by competition in the order they were raced (the total follows them). Returns the
    races (``RankedResult.race``) in column order, and the ``competitions`` and
    ``columns`` as the grid's document shows them."""
    wanted = set(table.spec.distances)
    first_seen: dict[str, RankedResult] = {}
    for result in sorted((r for r in loaded.results if r.distance in wanted), key=in_season_order):
        first_seen.setdefault(result.race, result)
    races = sorted(
        first_seen,
        key=lambda race: (
            loaded.races[race].competition.start_date,
            loaded.races[race].competition.number,
            in_season_order(first_seen[race]),
        ),
    )
    columns = []
    competitions: list[dict] = []
    for race in races:
        dr = loaded.races[race]
        competition = dr.competition
        if not competitions or competitions[-1]["number"] != competition.number:
            competitions.append(
                {"number": competition.number, "city": competition.city, "races": 0}
            )
        competitions[-1]["races"] += 1
        columns.append(
            {
                "race_id": dr.pk,
                "competition": competition.number,
                "label": dr.label,
                "name": race_name(dr),
            }
        )
    return races, {"competitions": competitions, "columns": columns}


def grid_cells(
    rows: tuple[StandingsRow, ...], races: list[str], loaded: SeasonResults
) -> list[list[dict | None]]:
    """Each row's cells in the order of ``races`` (``grid_columns``): the points of that
    race (``points`` counted, ``dropped_points`` dropped by the counting rule), the best
    rank, whether the points are provisional; None where the entrant has no result. A
    nation's cell adds up its skaters in that race."""
    index = {race: i for i, race in enumerate(races)}
    dead_heats = _dead_heats(loaded)
    cells_of_rows = []
    for row in rows:
        cells: list[dict | None] = [None] * len(races)
        for scored in row.results:
            i = index[scored.result.race]
            cell = cells[i] or {
                "points": 0,
                "dropped_points": 0,
                "rank": None,
                "provisional": False,
            }
            cell["points" if scored.counted else "dropped_points"] += scored.points
            rank = scored.result.rank
            if rank is not None and (cell["rank"] is None or rank < cell["rank"]):
                cell["rank"] = rank
            cell["provisional"] |= _points_provisional(loaded, scored.result, dead_heats)
            cells[i] = cell
        cells_of_rows.append(cells)
    return cells_of_rows


# The public pages name a classification in words: /standings/overall-women/, /500m-men/.
_SLUG_OF_DISTANCE = {
    "W500": "500m-women",
    "W1000": "1000m-women",
    "W1500": "1500m-women",
    "W3000R": "relay-women",
    "M500": "500m-men",
    "M1000": "1000m-men",
    "M1500": "1500m-men",
    "M5000R": "relay-men",
    "X2000R": "mixed-relay",
}
_MENU_ORDER = [
    "overall-women",
    "W500",
    "W1000",
    "W1500",
    "W3000R",
    "overall-men",
    "M500",
    "M1000",
    "M1500",
    "M5000R",
    "X2000R",
    "nations",
]
CHART_LEADERS = 5


def classification_slug(key: str) -> str:
    """'overall-women' -> 'overall-women'; 'M1000' -> '1000m-men'; 'X2000R' -> 'mixed-relay'."""
    return _SLUG_OF_DISTANCE.get(key, key)


def classification_of_slug(rules: SeasonRules, slug: str) -> str:
    """The classification key a page's slug names in this season; ValueError when none."""
    for spec in rules.classifications:
        if classification_slug(spec.key) == slug:
            return spec.key
    known = ", ".join(classification_slug(s.key) for s in rules.classifications)
    raise ValueError(f"season {rules.key} has no standings {slug!r}: it has {known}")


def standings_menu(rules: SeasonRules) -> list[dict]:
    """The season's classifications in the order a reader looks for them: women, men,
    mixed relay, nations (where the season has a team classification)."""
    specs = {spec.key: spec for spec in rules.classifications}
    ordered = [specs[key] for key in _MENU_ORDER if key in specs]
    ordered += [spec for spec in rules.classifications if spec.key not in _MENU_ORDER]
    return [
        {
            "slug": classification_slug(spec.key),
            "classification": spec.key,
            "title": spec.title,
            "group": spec.gender.value if spec.gender and spec.kind != "nations" else "other",
            "provisional": rules.classification_provisional(spec),
        }
        for spec in ordered
    ]


def corrected_at(result: RankedResult) -> str | None:
    """When the revision behind a result became official, where it corrected an earlier
    one (None for a race's first ranking)."""
    if result.official_at == result.season_moment:
        return None
    return result.official_at.isoformat()


def season_finals(loaded: SeasonResults) -> list[dict]:
    """The distance races whose final ranking is official, in the order they were first
    official: the moments a reader can pick ('just after the 1000m final'), each with when
    its ranking was corrected, if it was."""
    finals: dict[str, RankedResult] = {}
    for result in loaded.results:
        finals[result.race] = result
    return [
        {
            "id": loaded.races[race].pk,
            "name": race_name(loaded.races[race]),
            "distance": loaded.races[race].distance,
            "official_at": result.season_moment.isoformat(),
            "corrected_at": corrected_at(result),
        }
        for race, result in sorted(finals.items(), key=lambda item: in_season_order(item[1]))
    ]


def leaders_chart(table: Standings, loaded: SeasonResults, moments: int = 0) -> dict:
    """The points of the leading entrants after each final of the classification, up to the
    table's moment: the data of the chart on the standings page and of its text table.

    ``loaded`` holds the rankings official at the table's moment; each final is placed
    where it was first official, with its points as that moment knows them (a corrected
    final counts its correction from its own place), so the last step is the table."""
    wanted = set(table.spec.distances)
    leaders = [row.entrant for row in table.rows[:CHART_LEADERS]]
    known = [
        r
        for r in loaded.results
        if r.distance in wanted and (table.as_of is None or r.official_at <= table.as_of)
    ]
    steps: dict[str, datetime] = {}
    for result in sorted(known, key=in_season_order):
        steps.setdefault(result.race, result.season_moment)
    ordered = list(steps.items())
    series: dict[str, list[int]] = {entrant: [] for entrant in leaders}
    for _, moment in ordered:
        held = [r for r in known if r.season_moment <= moment]
        after = classify(loaded.rules, table.spec, held)
        for entrant in leaders:
            row = after.row(entrant)
            series[entrant].append(row.points if row else 0)
    return {
        "after": [
            {"race_id": loaded.races[race].pk, "race": race_name(loaded.races[race])}
            for race, _ in ordered
        ],
        "series": [
            {
                "name": (loaded.entrants.get(entrant) or Entrant(entrant, entrant, "")).name,
                "nation": table.row(entrant).nation,
                "points": series[entrant],
            }
            for entrant in leaders
        ],
    }


def resolve_moment(
    season: Season, as_of: str | None = None, after: str | None = None, before: str | None = None
) -> tuple[datetime | None, dict]:
    """The moment a standings page is asked for: ``as_of`` (ISO 8601, UTC unless it has an
    offset), ``after`` or ``before`` a distance race (its id) was first official (a
    correction keeps its race's place). Returns the moment (None: now) and how the page
    describes it."""
    given = [
        name for name, value in (("as_of", as_of), ("after", after), ("before", before)) if value
    ]
    if len(given) > 1:
        raise ValueError(f"give one of as_of, after and before, not {' and '.join(given)}")
    if as_of:
        try:
            moment = datetime.fromisoformat(as_of)
        except ValueError:
            raise ValueError(
                f"as_of {as_of!r} is not a moment: write it as 2022-11-05T20:00 (UTC) or with an offset"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment, {"as_of": moment.isoformat(), "after": None, "before": None}
    reference = after or before
    if reference:
        if not reference.isdigit():
            raise ValueError(f"after/before takes a distance race id, not {reference!r}")
        race = (
            DistanceRace.objects.public()
            .select_related("competition")
            .filter(pk=int(reference), competition__season=season)
            .first()
        )
        first = first_official_at(race) if race else None
        if first is None:
            raise ValueError(
                f"no distance race {reference} with an official ranking in {season.key}"
            )
        moment = first if after else first - timedelta(microseconds=1)
        described = {"id": race.pk, "name": race_name(race)}
        return moment, {
            "as_of": moment.isoformat(),
            "after": described if after else None,
            "before": described if before else None,
        }
    return None, {"as_of": None, "after": None, "before": None}


def _classified(
    season: Season,
    slug: str,
    as_of: str | None,
    after: str | None,
    before: str | None,
):
    """The classification a page's slug names, classified at the moment asked for: its
    table, the results that stood then, those official now (the finals a reader can
    pick) and how the page describes the moment."""
    rules = season_rules(season.rules_key)
    try:
        key = classification_of_slug(rules, slug)
    except ValueError as error:
        raise NotFound(str(error)) from None
    moment, described = resolve_moment(season, as_of, after, before)
    current = season_results(season)  # the finals a reader can pick: all official now
    # The rankings that stood at the moment (a correction made later is not known then).
    past = moment is not None and moment < timezone.now()
    loaded = current.as_of(moment) if past else current
    spec = loaded.rules.classification(key)
    return classify(loaded.rules, spec, loaded.results, moment), loaded, current, described


def _page_of(season: Season, slug: str, loaded: SeasonResults, described: dict) -> dict:
    """What the standings page and its grid page both say of the season and the moment."""
    return {
        "coverage": coverage.of_season(season),
        "slug": slug,
        "season_id": season.pk,
        "season_slug": season_slug(season.key),
        "season_name": season.name,
        "simulated": season.simulated,
        "moment": described,
        "menu": standings_menu(loaded.rules),
        "updated_at": timezone.now().isoformat(),
    }


def standings_page_document(
    season: Season,
    slug: str,
    as_of: str | None = None,
    after: str | None = None,
    before: str | None = None,
) -> dict:
    """Everything the standings page of one classification shows, as one JSON document:
    the table with gaps and per-row breakdown, the leaders' points after each final, the
    moments a reader can ask for, and the menu of the season's other classifications.
    The points race by race are the grid page's (``grid_page_document``)."""
    table, loaded, current, described = _classified(season, slug, as_of, after, before)
    document = standings_document(table, loaded)
    document.update(
        {
            **_page_of(season, slug, loaded, described),
            "chart": leaders_chart(table, loaded),
            "finals": [
                final
                for final in season_finals(current)
                if final["distance"] in table.spec.distances
            ],
        }
    )
    return document


# A grid page holds at most this many cells (rows times race columns). A whole season's
# overall classification is 24 races: bench/synthetic.py's, 120 skaters who each raced
# every race, was 189 KB of HTML and 216 KB of JSON on one page (about 67 and 77 bytes a
# cell); 1,200 cells keep each page under 100 KB of either, leaders first.
GRID_PAGE_CELLS = 1200


def grid_rows_per_page(columns: int) -> int:
    """How many rows each page of a grid of ``columns`` races holds: as many as keep it
    within GRID_PAGE_CELLS, in tens, and at least ten (the 24 races of a season's overall
    classification: 50; the 8 of a distance: 150)."""
    return max(10, GRID_PAGE_CELLS // max(columns, 1) // 10 * 10)


def grid_page_number(page: str | int | None) -> int:
    """The page a grid is asked for (``?page=``): the first when none is given."""
    if page is None or page == "":
        return 1
    if isinstance(page, int) or page.isdigit():
        number = int(page)
        if number >= 1:
            return number
    raise ValueError(f"page takes a page number from 1, not {page!r}")


def _grid_paging(rows: tuple[StandingsRow, ...], per_page: int, number: int) -> dict:
    """Which page of the grid this is, and the ranks each page holds (a reader looking for
    a skater ranked 73rd goes to the page of ranks 51-100)."""
    starts = range(0, len(rows), per_page)
    pages = [
        {
            "number": i + 1,
            "first_rank": rows[start].rank,
            "last_rank": rows[min(start + per_page, len(rows)) - 1].rank,
        }
        for i, start in enumerate(starts)
    ]
    count = max(len(pages), 1)
    if number > count:
        raise NotFound(f"the grid has {count} page{'s' if count > 1 else ''}, not {number}")
    return {
        "page": {
            "number": number,
            "of": count,
            "rows_per_page": per_page,
            "rows": len(rows),
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < count else None,
        },
        "pages": pages,
    }


def grid_page_document(
    season: Season,
    slug: str,
    as_of: str | None = None,
    after: str | None = None,
    before: str | None = None,
    page: str | int | None = None,
) -> dict:
    """A page of the grid of one classification: the standings as the ISU classification
    sheet prints them (``grid_columns``, ``grid_cells``), each row its rank, name, total and a cell
    per race, at the moment asked for as on the standings page. A season's grid has
    thousands of cells: it is in pages of ``grid_rows_per_page`` rows, by rank, the
    leaders on the first; ``page`` and ``pages`` say which one this is and what each holds."""
    number = grid_page_number(page)
    table, loaded, _, described = _classified(season, slug, as_of, after, before)
    races, grid = grid_columns(table, loaded)
    per_page = grid_rows_per_page(len(races))
    paging = _grid_paging(table.rows, per_page, number)
    shown = table.rows[(number - 1) * per_page : number * per_page]
    rows = [
        leader_row(row, loaded) | {"cells": cells}
        for row, cells in zip(shown, grid_cells(shown, races, loaded), strict=True)
    ]
    document = standings_document(dataclasses.replace(table, rows=()), loaded)
    return document | {
        "rows": rows,
        "grid": grid,
        **paging,
        **_page_of(season, slug, loaded, described),
    }
