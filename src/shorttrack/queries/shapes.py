"""The shapes of the public documents: the one declaration of each page's JSON document.

A query of this package builds a page's document as a plain dictionary; ``documents``
checks it against its shape here when it is built, before the page, its JSON twin or the
API sees it. The API returns the documents through these classes and django-ninja writes
the OpenAPI document from them, so the three cannot drift: a field a query adds without
declaring it here, or a field it leaves out, or a value of another type, fails the first
page built with it (every page and API test), naming the field. Shapes forbid fields they
do not declare and are strict: no string taken for a number, no tuple for a list.

Moments are ISO 8601 strings: a venue's local time with its offset for schedules, UTC for
when something became official.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Shape(BaseModel):
    """A document or a part of one: every field declared, each of its declared type."""

    model_config = ConfigDict(extra="forbid", strict=True)


class SeasonRef(Shape):
    id: int
    key: str
    slug: str
    name: str
    simulated: bool


class CompetitionRef(Shape):
    id: int
    number: int
    name: str
    city: str
    country: str
    season: str
    season_slug: str


class DistanceRaceRef(Shape):
    id: int
    distance: str
    instance: int | None
    title: str
    relay: bool
    finals_at: str | None


class Entrant(Shape):
    name: str
    nation: str
    display: str
    skater_id: int | None
    fictional: bool
    team: str | None
    team_skaters: list[str]


class ResultLine(Entrant):
    place: int | None
    dead_heat: bool
    start_position: int | None
    helmet: int | None
    time: str
    time_ms: int | None
    status: str
    qualification: str
    mark: str
    warnings: str
    laps: list[str]
    laps_ms: list[int | None]  # None: a lap the timing did not record
    lap_elapsed_ms: list[int | None]
    lap_positions: list[int | None]
    race_skaters: list[str]


class StartLine(Entrant):
    start_position: int
    helmet: int | None
    qualified_by: str


class RaceResult(Shape):
    revision: int
    official_at: str
    lines: list[ResultLine]


class RankingRow(Shape):
    rank: int | None
    name: str
    nation: str
    final: str
    final_place: int | None
    time: str
    status: str
    points: int
    points_provisional: bool
    skater_id: int | None
    fictional: bool


class MenuItem(Shape):
    slug: str
    classification: str
    title: str
    group: str
    provisional: bool


class Final(Shape):
    distance_race_id: int
    title: str
    finals_at: str | None


class CalendarSession(Shape):
    id: int
    name: str
    starts_at: str
    ends_at: str | None


class CalendarDay(Shape):
    day: int
    date: str
    sessions: list[CalendarSession]
    finals: list[Final]


class CompetitionSummary(Shape):
    number: int
    name: str
    city: str
    country: str
    venue: str
    time_zone: str
    start_date: str
    end_date: str
    status: str
    days: list[CalendarDay]


class Broadcaster(Shape):
    country: str
    name: str
    url: str
    live_stream: bool
    covers: str
    competition: int | None


class Medals(Shape):
    gold: int
    silver: int
    bronze: int
    total: int


class NationMedals(Medals):
    nation: str
    name: str


class LeaderRow(Shape):
    rank: int
    name: str
    nation: str
    points: int
    skater_id: int | None
    fictional: bool


class Leaders(Shape):
    classification: str
    slug: str
    title: str
    provisional: bool
    rows: list[LeaderRow]


class SeasonsDocument(Shape):
    seasons: list[SeasonRef]


class SeasonDocument(Shape):
    season: SeasonRef
    slug: str
    start_date: str | None
    end_date: str | None
    competitions: list[CompetitionSummary]
    standings: list[MenuItem]
    leaders: list[Leaders]
    broadcasters: list[Broadcaster]
    medals: list[NationMedals]
    coverage: Coverage  # what the store holds of its results (queries/coverage.py)
    updated_at: str


class GridCell(Shape):
    """One entrant's points in one race of the classification grid."""

    points: int  # counted
    dropped_points: int  # dropped by the counting rule
    rank: int | None  # the best rank (a nation may have several skaters in a race)
    provisional: bool


class StandingsRow(Shape):
    rank: int
    name: str
    nation: str
    points: int
    behind_leader: int
    behind_next: int
    skater_id: int | None
    fictional: bool
    # The races behind the points: the grid's (StandingsGridDocument), a cell per race.


class GridCompetition(Shape):
    number: int
    city: str
    races: int  # how many columns it has


class GridColumn(Shape):
    race_id: int  # the distance race
    competition: int
    label: str  # "500m (1)", as the ISU classification sheets head it
    name: str  # "Montreal, Women's 500m (1)"


class ClassificationGrid(Shape):
    """The classification as the ISU sheet prints it: a column per race, by competition."""

    competitions: list[GridCompetition]
    columns: list[GridColumn]


class Coverage(Shape):
    """How much of the results the store holds (queries/coverage.py): a season imported
    from published podiums is not complete, and its totals are lower than published."""

    complete: bool
    totals_complete: bool  # every final ranking knows every place
    final_rankings: int
    partial_rankings: int
    imported_partial: int
    with_race_results: int  # final rankings whose races have result sheets
    note: str | None  # what a reader must know, in words; None when complete


class RaceMention(Shape):
    id: int
    name: str


class Moment(Shape):
    as_of: str | None
    after: RaceMention | None
    before: RaceMention | None


class ChartStep(Shape):
    race_id: int
    race: str


class ChartSeries(Shape):
    name: str
    nation: str
    points: list[int]


class LeadersChart(Shape):
    after: list[ChartStep]
    series: list[ChartSeries]


class SeasonFinal(Shape):
    id: int
    name: str
    distance: str
    official_at: str  # when its ranking was first official: its place in the season
    corrected_at: str | None  # when its current ranking became official, if it corrected one


class StandingsDocument(Shape):
    season: str
    season_id: int
    season_slug: str
    season_name: str
    simulated: bool
    classification: str
    slug: str
    title: str
    counting: str
    provisional: bool
    as_of: str | None
    moment: Moment
    rows: list[StandingsRow]
    coverage: Coverage
    chart: LeadersChart
    finals: list[SeasonFinal]
    menu: list[MenuItem]
    updated_at: str


class GridRow(Shape):
    """A row of the classification grid: the standings row's entrant, rank and total."""

    rank: int
    name: str
    nation: str
    points: int
    skater_id: int | None
    fictional: bool
    cells: list[GridCell | None]  # in the order of the grid's columns; None: no result


class GridPage(Shape):
    """Which page of a classification grid a document is (queries/standings.py)."""

    number: int
    of: int  # how many pages the grid has
    rows_per_page: int
    rows: int  # rows of the whole classification
    previous: int | None
    next: int | None


class GridPageRanks(Shape):
    number: int
    first_rank: int
    last_rank: int


class StandingsGridDocument(Shape):
    """A classification race by race, as the ISU classification sheet prints it (the grid
    page of a standings page): a page of its rows, by rank."""

    season: str
    season_id: int
    season_slug: str
    season_name: str
    simulated: bool
    classification: str
    slug: str
    title: str
    counting: str
    provisional: bool
    as_of: str | None
    moment: Moment
    rows: list[GridRow]
    grid: ClassificationGrid
    page: GridPage
    pages: list[GridPageRanks]  # every page, with the ranks it holds
    coverage: Coverage
    menu: list[MenuItem]
    updated_at: str


class ScheduledRace(Shape):
    race_id: int
    programme_number: int | None  # "Race 23" (rules/programme.py); None: unscheduled
    title: str
    scheduled_at: str | None
    status: str


class ScheduledRound(Shape):
    """A round's races in one session, as the competition's schedule lists them: "Men's
    1000m, Heats: 16 races from 10:00, 12 official"."""

    round_id: int
    distance_race_id: int
    title: str
    races: int
    official: int
    first_at: str | None
    last_at: str | None


class ScheduleSession(CalendarSession):
    rounds: list[ScheduledRound]


class ScheduleDay(Shape):
    day: int
    date: str
    sessions: list[ScheduleSession]
    finals: list[Final]


class EntryLine(Entrant):
    helmet: int | None
    season_best: str
    withdrawn: bool
    withdrawn_reason: str


class RaceSheet(Shape):
    id: int
    number: int
    programme_number: int | None  # "Race 23" (rules/programme.py); None: unscheduled
    title: str
    status: str
    scheduled_at: str | None
    scheduled_zone: str | None  # the venue's zone at scheduled_at: "CET"
    session: str | None  # "Qualifying"; None: in no session
    # A race not raced yet; [] once its result is official (its lines say where each started).
    start_list: list[StartLine]
    result: RaceResult | None


class FinalRanking(Shape):
    official_at: str
    basis: str
    complete: bool
    # Why it is incomplete ("no Final A in the results: ..."); '' when complete.
    incomplete_reason: str
    provisional: bool
    rows: list[RankingRow]


class RankingState(Shape):
    """Whether a distance's final ranking is official and complete, without its rows."""

    official_at: str
    basis: str
    complete: bool
    incomplete_reason: str


class RaceState(Shape):
    id: int
    number: int
    status: str
    scheduled_at: str | None


class RoundOverview(Shape):
    id: int
    kind: str
    label: str
    races: list[RaceState]


class PodiumPlace(Entrant):
    rank: int
    time: str
    status: str


class DistanceOverview(DistanceRaceRef):
    status: str  # "scheduled", "racing", or "official" once its final ranking is
    entries: int  # not withdrawn
    rounds: list[RoundOverview]
    final_race_id: int | None  # Final A, once it has an official result
    podium: list[PodiumPlace]
    ranking: RankingState | None


class CompetitionDocument(Shape):
    """The competition's overview: its schedule by day and session, what is on now and
    next, each distance's rounds, podium and state; each distance and round has a page."""

    id: int
    number: int
    name: str
    city: str
    country: str
    season: SeasonRef
    season_slug: str
    venue: str
    time_zone: str
    start_date: str
    end_date: str
    status: str
    schedule: list[ScheduleDay]
    on_now: list[ScheduledRace]
    up_next: list[ScheduledRace]
    distances: list[DistanceOverview]
    points_table_provisional: bool
    coverage: Coverage  # what the store holds of its results (queries/coverage.py)
    updated_at: str


class RoundLink(Shape):
    id: int
    kind: str
    label: str
    status: str  # "scheduled", "racing" or "official"


class AdvancingLine(Entrant):
    place: int | None
    dead_heat: bool
    time: str
    mark: str


class RaceOutcome(Shape):
    """A race of a round as the distance page folds it: the winner and who went on (a
    final: its first three)."""

    id: int
    number: int
    programme_number: int | None  # "Race 136" of the programme; None: unscheduled
    title: str
    status: str
    scheduled_at: str | None
    scheduled_zone: str | None  # the venue's zone at scheduled_at: "CET"
    session: str | None  # "Qualifying"; None: in no session
    lines: list[AdvancingLine]


class RoundOutcome(RoundLink):
    races: list[RaceOutcome]


class DistanceDocument(Shape):
    """A distance race of a competition: its entries, its rounds in order with each
    race's winner and qualifiers, its medalists and final ranking with World Cup points."""

    season: SeasonRef
    competition: CompetitionRef
    distance_race: DistanceRaceRef
    # The entry list until the final ranking is official; then [] (the ranking and the
    # round pages name every skater).
    entries: list[EntryLine]
    rounds: list[RoundOutcome]
    medalists: list[RankingRow]
    ranking: FinalRanking | None
    points_table_provisional: bool
    updated_at: str


class RoundDocument(Shape):
    """A round of a distance race: every race's official result (or start list), and the
    distance's rounds to step to."""

    season: SeasonRef
    competition: CompetitionRef
    distance_race: DistanceRaceRef
    round: RoundLink
    rounds: list[RoundLink]
    races: list[RaceSheet]
    updated_at: str


class RoundRef(Shape):
    kind: str
    label: str


class LapChartRow(Shape):
    name: str
    nation: str
    display: str
    helmet: int | None
    place: int | None
    mark: str
    positions: list[int | None]
    lap_times: list[str]


class LapChart(Shape):
    laps: int
    positions_from: str  # "recorded" (as the timing recorded them) or "lap times"
    rows: list[LapChartRow]


class SplitColumn(Shape):
    name: str
    nation: str
    display: str
    team: str | None
    skaters: list[str]
    place: int | None
    mark: str
    time: str
    elapsed_recorded: bool


class SplitCell(Shape):
    position: int | None
    lap: str
    elapsed: str


class SplitRow(Shape):
    lap: int
    cells: list[SplitCell | None]


class SplitSheet(Shape):
    laps: int
    positions_from: str | None
    columns: list[SplitColumn]
    rows: list[SplitRow]


class ResultRevision(Shape):
    revision: int
    current: bool
    official_at: str
    recorded_at: str
    recorded_by: str
    source: str
    reason: str
    lines: list[ResultLine]


class RaceEvent(Shape):
    kind: str
    status: str
    at: str
    by: str
    reason: str


class HistoryCheck(Shape):
    """Whether the race's history reads back as the results system wrote it
    (queries/history.py): ``breaks`` rows of the race or links of its competition's chain
    that do not; ``head`` the digest of the chain's newest link."""

    verified: bool
    links: int
    head: str
    breaks: int


class RaceDocument(Shape):
    id: int
    season: SeasonRef
    competition: CompetitionRef
    distance_race: DistanceRaceRef
    round: RoundRef
    number: int
    programme_number: int | None  # in its competition's programme; None: not scheduled
    title: str
    status: str
    scheduled_at: str | None
    scheduled_zone: str | None  # the venue's zone at that moment: "CET"
    session: str | None
    start_list: list[StartLine]
    result: RaceResult | None
    lap_chart: LapChart | None
    split_sheet: SplitSheet | None
    revisions: list[ResultRevision]
    events: list[RaceEvent]
    history: HistoryCheck | None
    updated_at: str


class Nation(Shape):
    code: str
    name: str


class SkaterMedals(Medals):
    wins: int


class PersonalBest(Shape):
    distance: str
    title: str
    time: str
    time_ms: int
    season: str
    competition: CompetitionRef
    date: str
    race_id: int | None
    round: str


class SkaterResult(Shape):
    season: str
    competition: CompetitionRef
    distance_race_id: int
    distance: str
    title: str
    relay: bool
    team: str | None
    rank: int | None
    points: int
    points_provisional: bool
    final: str
    final_place: int | None
    time: str
    status: str
    official_at: str


class SkaterDistance(Shape):
    distance: str
    title: str
    results: list[SkaterResult]


class StandingsPosition(Shape):
    after: str
    competition: int
    at: str
    rank: int
    points: int


class SkaterStandings(Shape):
    classification: str
    slug: str
    title: str
    positions: list[StandingsPosition]


class SkaterSeason(Shape):
    season: SeasonRef
    coverage: Coverage  # the season's: its podiums alone leave the skater's points short
    distances: list[SkaterDistance]
    standings: list[SkaterStandings]


class SkaterDocument(Shape):
    id: int
    name: str
    given_name: str
    family_name: str
    isu_id: str | None
    gender: str
    nation: Nation
    birth_date: str | None
    age: int | None
    fictional: bool
    medals: SkaterMedals
    relay_medals: SkaterMedals
    personal_bests: list[PersonalBest]
    seasons: list[SkaterSeason]
    rivals: list[Rival]  # the skaters met most: a head-to-head with each
    updated_at: str


class Rival(Shape):
    id: int
    name: str
    nation: str
    fictional: bool
    races: int  # official races both skated
    rankings: int  # final rankings of distance races both were ranked in


class NationSkater(Shape):
    id: int
    name: str
    nation: str
    fictional: bool
    gender: str
    rankings: int
    best_rank: int | None
    medals: Medals


class DistanceMedals(Medals):
    distance: str
    title: str


class NationMedalTable(Shape):
    distances: list[DistanceMedals]
    total: Medals


class Podium(Shape):
    competition: int
    city: str
    distance_race_id: int
    title: str
    rank: int
    medal: str
    name: str
    skater_id: int | None


class NationDocument(Shape):
    nation: Nation
    season: SeasonRef
    skaters: list[NationSkater]
    medals: NationMedalTable
    podiums: list[Podium]
    updated_at: str


# The press pages (docs/facts.md): facts with their proof, session summaries, the Globe.


class Person(Shape):
    """Someone a fact names: a skater, a relay team or a nation; ``key`` is how the
    fact's values name them ('s12', 't4', 'KOR')."""

    key: str
    name: str
    press_name: str
    nation: str
    skater_id: int | None


class Medallist(Person):
    rank: int


class FactRace(Shape):
    id: int
    name: str
    season: str
    title: str
    season_slug: str
    competition: int | None
    final_race_id: int | None


class ProofRow(Shape):
    """A row a fact rests on, in words, with the page that shows it: a race page
    (``race_id``), a distance race on its competition page, or a skater page."""

    kind: str
    id: int
    text: str
    race_id: int | None
    distance_race_id: int | None
    season_slug: str | None
    competition: int | None
    skater_id: int | None


class Fact(Shape):
    key: str
    kind: str
    text: str
    rarity: float
    at: str
    race: FactRace
    subject: Person
    values: dict[str, Any]
    proof: list[ProofRow]


class FactsDistanceRace(DistanceRaceRef):
    name: str
    final_race_id: int | None


class RaceFactsDocument(Shape):
    season: SeasonRef
    competition: CompetitionRef
    distance_race: FactsDistanceRace
    title: str
    as_of: str
    records_from: str | None
    official_at: str | None
    podium: list[Medallist]
    facts: list[Fact]
    people: dict[str, Person]
    updated_at: str


class DistanceFacts(FactsDistanceRace):
    count: int  # the distance race's facts, all on its own facts page
    facts: list[Fact]  # its rarest few


class SessionCompetition(Shape):
    id: int
    season: str
    number: int
    city: str
    venue: str


class SessionEntry(Shape):
    competition: SessionCompetition
    day: str
    finals: int
    official: int
    updated: str | None


class CompetitionFactsDocument(Shape):
    season: SeasonRef
    competition: CompetitionRef
    title: str
    as_of: str
    records_from: str | None
    count: int
    notable: list[Fact]  # the competition's rarest
    distances: list[DistanceFacts]
    sessions: list[SessionEntry]
    people: dict[str, Person]
    updated_at: str


class FactsSkater(Shape):
    id: int
    name: str
    nation: str
    fictional: bool
    press_name: str


class SkaterFactsDocument(Shape):
    skater: FactsSkater
    season: SeasonRef | None
    seasons: list[SeasonRef]
    title: str
    as_of: str
    records_from: str | None
    facts: list[Fact]
    people: dict[str, Person]
    updated_at: str


class SessionSummaryEntry(Shape):
    competition: CompetitionRef
    day: str
    finals: int
    official: int
    updated: str | None
    title: str
    text: str
    notable: list[Fact]
    pending: list[str]
    footnote: str | None


class SummariesDocument(Shape):
    season: SeasonRef
    title: str
    updated: str | None
    sessions: list[SessionSummaryEntry]
    updated_at: str


class Sentence(Shape):
    text: str
    facts: list[str]


class SessionFinal(Shape):
    id: int
    name: str
    official_at: str | None
    final_race_id: int | None
    podium: list[Medallist]


class NeighbourSession(Shape):
    competition: int
    city: str
    day: str


class SessionSummaryDocument(Shape):
    season: SeasonRef
    competition: CompetitionRef
    day: str
    title: str
    as_of: str
    records_from: str | None
    updated: str | None
    text: str
    sentences: list[Sentence]
    notable: list[Fact]
    footnote: str | None
    finals: list[SessionFinal]
    pending: list[str]
    facts: list[Fact]
    people: dict[str, Person]
    previous: NeighbourSession | None
    next: NeighbourSession | None
    updated_at: str


class RemainingRace(Shape):
    race: str
    at: str
    distance_race_id: int
    competition: int
    finals_at: str | None


class Contender(Shape):
    rank: int
    name: str
    press_name: str
    nation: str
    skater_id: int | None
    fictional: bool
    points: int
    max_points: int
    behind_leader: int
    verdict: str
    assured_share: bool
    text: str


class RivalLimit(Shape):
    name: str
    at_best: int
    may_miss: bool


class ClinchingFinish(Shape):
    place: int | None
    rivals: list[RivalLimit]


class Clinch(Shape):
    name: str
    race: str
    requirements: list[ClinchingFinish]
    text: str


class GlobeDocument(Shape):
    season: str
    season_id: int
    season_slug: str
    season_name: str
    simulated: bool
    classification: str
    slug: str
    title: str
    race_for: str
    counting: str
    provisional: bool
    as_of: str
    moment: Moment
    remaining: list[RemainingRace]
    points_available: int
    scoring_places: int
    scoring_known: bool
    field_max: int
    contenders: list[Contender]
    clinches: list[Clinch]
    text: str
    finals: list[SeasonFinal]
    menu: list[MenuItem]
    updated_at: str


# The head-to-head page: two skaters, every race both skated.


class HeadToHeadSkater(Shape):
    id: int
    name: str
    nation: str
    fictional: bool


class HeadToHeadTotals(Shape):
    a: int  # races (or rankings) the first skater finished ahead in
    b: int
    neither: int  # a dead heat, or neither had a place
    races: int


class HeadToHeadLine(Shape):
    place: int | None
    time: str
    status: str
    mark: str


class HeadToHeadRace(Shape):
    race_id: int
    distance: str
    competition: CompetitionRef
    distance_race_id: int
    title: str
    round: str
    race_number: int
    a: HeadToHeadLine
    b: HeadToHeadLine
    ahead: Literal["a", "b"] | None


class HeadToHeadDistance(Shape):
    distance: str
    title: str
    totals: HeadToHeadTotals
    races: list[HeadToHeadRace]


class HeadToHeadSeason(Shape):
    season: SeasonRef
    totals: HeadToHeadTotals
    distances: list[HeadToHeadDistance]


class HeadToHeadRank(Shape):
    rank: int | None
    time: str


class HeadToHeadRanking(Shape):
    distance_race_id: int
    season: str
    competition: CompetitionRef
    distance: str
    title: str
    a: HeadToHeadRank
    b: HeadToHeadRank
    ahead: Literal["a", "b"] | None


class HeadToHeadDocument(Shape):
    a: HeadToHeadSkater
    b: HeadToHeadSkater
    totals: HeadToHeadTotals
    seasons: list[HeadToHeadSeason]
    rankings: list[HeadToHeadRanking]
    ranking_totals: HeadToHeadTotals
    coverage: list[SeasonCoverage]  # seasons either was ranked in that are held in part
    updated_at: str


class SeasonCoverage(Shape):
    season: SeasonRef
    coverage: Coverage


# Finding things (queries/search.py): skaters, nations and competitions by name.


class SkaterHit(Shape):
    id: int
    name: str
    nation: str
    fictional: bool
    gender: str


class NationHit(Nation):
    seasons: list[str]  # slugs, newest first: the seasons with a final ranking of it


class SearchCounts(Shape):
    skaters: int
    nations: int
    competitions: int


class SearchDocument(Shape):
    query: str
    skaters: list[SkaterHit]
    nations: list[NationHit]
    competitions: list[CompetitionRef]
    counts: SearchCounts  # how many of each kind match; at most queries.search.LIMIT shown
    updated_at: str


# The indexes (queries/index.py): a season's skaters by nation, the nations, a nation's
# skaters.


class SkaterGroup(Nation):
    skaters: list[SkaterHit]


class SeasonSkatersDocument(Shape):
    season: SeasonRef
    nations: list[SkaterGroup]
    count: int  # skaters in the season
    updated_at: str


class NationRow(Nation):
    seasons: list[str]  # slugs, newest first
    skaters: int


class NationsDocument(Shape):
    nations: list[NationRow]
    updated_at: str


class IndexSkater(SkaterHit):
    seasons: list[str]  # slugs, newest first


class NationSkatersDocument(Shape):
    nation: Nation
    seasons: list[str]
    skaters: list[IndexSkater]
    updated_at: str
