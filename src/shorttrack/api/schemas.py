"""The OpenAPI schemas of the public documents: the shape of each page's JSON twin.

They describe the dictionaries ``shorttrack.queries`` builds; the API returns those
dictionaries through them, and tests check that nothing is lost on the way (a field the
query adds must be added here too). Moments are ISO 8601 strings: a venue's local time with
its offset for schedules, UTC for when something became official.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class SeasonRef(Schema):
    id: int
    key: str
    slug: str
    name: str
    simulated: bool


class CompetitionRef(Schema):
    id: int
    number: int
    name: str
    city: str
    country: str
    season: str
    season_slug: str


class DistanceRaceRef(Schema):
    id: int
    distance: str
    instance: int | None
    title: str
    relay: bool
    finals_at: str | None


class Entrant(Schema):
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


class RaceResult(Schema):
    revision: int
    official_at: str
    lines: list[ResultLine]


class RankingRow(Schema):
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


class MenuItem(Schema):
    slug: str
    classification: str
    title: str
    group: str
    provisional: bool


class Final(Schema):
    distance_race_id: int
    title: str
    finals_at: str | None


class CalendarSession(Schema):
    id: int
    name: str
    starts_at: str
    ends_at: str | None


class CalendarDay(Schema):
    day: int
    date: str
    sessions: list[CalendarSession]
    finals: list[Final]


class CompetitionSummary(Schema):
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


class Broadcaster(Schema):
    country: str
    name: str
    url: str
    live_stream: bool
    covers: str
    competition: int | None


class Medals(Schema):
    gold: int
    silver: int
    bronze: int
    total: int


class NationMedals(Medals):
    nation: str
    name: str


class LeaderRow(Schema):
    rank: int
    name: str
    nation: str
    points: int
    skater_id: int | None
    fictional: bool


class Leaders(Schema):
    classification: str
    slug: str
    title: str
    provisional: bool
    rows: list[LeaderRow]


class SeasonsDocument(Schema):
    seasons: list[SeasonRef]


class SeasonDocument(Schema):
    season: SeasonRef
    slug: str
    start_date: str | None
    end_date: str | None
    competitions: list[CompetitionSummary]
    standings: list[MenuItem]
    leaders: list[Leaders]
    broadcasters: list[Broadcaster]
    medals: list[NationMedals]
    updated_at: str


class ScoredResult(Schema):
    race: str
    race_id: int
    competition: int
    rank: int | None
    points: int
    points_provisional: bool
    counted: bool
    official_at: str  # when the race's ranking was first official: its place in the season
    corrected_at: str | None  # when the ranking shown became official, if it corrected one


class StandingsRow(Schema):
    rank: int
    name: str
    nation: str
    points: int
    behind_leader: int
    behind_next: int
    skater_id: int | None
    fictional: bool
    results: list[ScoredResult]


class RaceMention(Schema):
    id: int
    name: str


class Moment(Schema):
    as_of: str | None
    after: RaceMention | None
    before: RaceMention | None


class ChartStep(Schema):
    race_id: int
    race: str


class ChartSeries(Schema):
    name: str
    nation: str
    points: list[int]


class LeadersChart(Schema):
    after: list[ChartStep]
    series: list[ChartSeries]


class SeasonFinal(Schema):
    id: int
    name: str
    distance: str
    official_at: str  # when its ranking was first official: its place in the season
    corrected_at: str | None  # when its current ranking became official, if it corrected one


class StandingsDocument(Schema):
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
    chart: LeadersChart
    finals: list[SeasonFinal]
    menu: list[MenuItem]
    updated_at: str


class ScheduledRace(Schema):
    race_id: int
    title: str
    scheduled_at: str | None
    status: str


class ScheduleSession(CalendarSession):
    races: list[ScheduledRace]


class ScheduleDay(Schema):
    day: int
    date: str
    sessions: list[ScheduleSession]
    finals: list[Final]


class EntryLine(Entrant):
    helmet: int | None
    season_best: str
    withdrawn: bool
    withdrawn_reason: str


class RaceSheet(Schema):
    id: int
    number: int
    title: str
    status: str
    scheduled_at: str | None
    start_list: list[StartLine]
    result: RaceResult | None


class RoundSheets(Schema):
    kind: str
    label: str
    races: list[RaceSheet]


class FinalRanking(Schema):
    official_at: str
    basis: str
    complete: bool
    # Why it is incomplete ("no Final A in the results: ..."); '' when complete.
    incomplete_reason: str = ""
    provisional: bool
    rows: list[RankingRow]


class DistanceResults(DistanceRaceRef):
    entries: list[EntryLine]
    rounds: list[RoundSheets]
    medalists: list[RankingRow]
    ranking: FinalRanking | None


class CompetitionDocument(Schema):
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
    distances: list[DistanceResults]
    points_table_provisional: bool
    updated_at: str


class RoundRef(Schema):
    kind: str
    label: str


class LapChartRow(Schema):
    name: str
    nation: str
    display: str
    helmet: int | None
    place: int | None
    mark: str
    positions: list[int | None]
    lap_times: list[str]


class LapChart(Schema):
    laps: int
    positions_from: str  # "recorded" (as the timing recorded them) or "lap times"
    rows: list[LapChartRow]


class SplitColumn(Schema):
    name: str
    nation: str
    display: str
    team: str | None
    skaters: list[str]
    place: int | None
    mark: str
    time: str
    elapsed_recorded: bool


class SplitCell(Schema):
    position: int | None
    lap: str
    elapsed: str


class SplitRow(Schema):
    lap: int
    cells: list[SplitCell | None]


class SplitSheet(Schema):
    laps: int
    positions_from: str | None
    columns: list[SplitColumn]
    rows: list[SplitRow]


class ResultRevision(Schema):
    revision: int
    current: bool
    official_at: str
    recorded_at: str
    recorded_by: str
    source: str
    reason: str
    lines: list[ResultLine]


class RaceEvent(Schema):
    kind: str
    status: str
    at: str
    by: str
    reason: str


class RaceDocument(Schema):
    id: int
    season: SeasonRef
    competition: CompetitionRef
    distance_race: DistanceRaceRef
    round: RoundRef
    number: int
    title: str
    status: str
    scheduled_at: str | None
    session: str | None
    start_list: list[StartLine]
    result: RaceResult | None
    lap_chart: LapChart | None
    split_sheet: SplitSheet | None
    revisions: list[ResultRevision]
    events: list[RaceEvent]
    updated_at: str


class Nation(Schema):
    code: str
    name: str


class SkaterMedals(Medals):
    wins: int


class PersonalBest(Schema):
    distance: str
    title: str
    time: str
    time_ms: int
    season: str
    competition: CompetitionRef
    date: str
    race_id: int | None
    round: str


class SkaterResult(Schema):
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


class SkaterDistance(Schema):
    distance: str
    title: str
    results: list[SkaterResult]


class StandingsPosition(Schema):
    after: str
    competition: int
    at: str
    rank: int
    points: int


class SkaterStandings(Schema):
    classification: str
    slug: str
    title: str
    positions: list[StandingsPosition]


class SkaterSeason(Schema):
    season: SeasonRef
    distances: list[SkaterDistance]
    standings: list[SkaterStandings]


class SkaterDocument(Schema):
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
    updated_at: str


class NationSkater(Schema):
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


class NationMedalTable(Schema):
    distances: list[DistanceMedals]
    total: Medals


class Podium(Schema):
    competition: int
    city: str
    distance_race_id: int
    title: str
    rank: int
    medal: str
    name: str
    skater_id: int | None


class NationDocument(Schema):
    nation: Nation
    season: SeasonRef
    skaters: list[NationSkater]
    medals: NationMedalTable
    podiums: list[Podium]
    updated_at: str


class Error(Schema):
    detail: str


# The press pages (docs/facts.md): facts with their proof, session summaries, the Globe.


class Person(Schema):
    """Someone a fact names: a skater, a relay team or a nation; ``key`` is how the
    fact's values name them ('s12', 't4', 'KOR')."""

    key: str
    name: str
    press_name: str
    nation: str
    skater_id: int | None


class Medallist(Person):
    rank: int


class FactRace(Schema):
    id: int
    name: str
    season: str
    title: str
    season_slug: str
    competition: int | None
    final_race_id: int | None


class ProofRow(Schema):
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


class Fact(Schema):
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


class RaceFactsDocument(Schema):
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
    facts: list[Fact]


class SessionCompetition(Schema):
    id: int
    season: str
    number: int
    city: str
    venue: str


class SessionEntry(Schema):
    competition: SessionCompetition
    day: str
    finals: int
    official: int
    updated: str | None


class CompetitionFactsDocument(Schema):
    season: SeasonRef
    competition: CompetitionRef
    title: str
    as_of: str
    records_from: str | None
    count: int
    distances: list[DistanceFacts]
    sessions: list[SessionEntry]
    people: dict[str, Person]
    updated_at: str


class FactsSkater(Schema):
    id: int
    name: str
    nation: str
    fictional: bool
    press_name: str


class SkaterFactsDocument(Schema):
    skater: FactsSkater
    season: SeasonRef | None
    seasons: list[SeasonRef]
    title: str
    as_of: str
    records_from: str | None
    facts: list[Fact]
    people: dict[str, Person]
    updated_at: str


class SessionSummaryEntry(Schema):
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


class SummariesDocument(Schema):
    season: SeasonRef
    title: str
    updated: str | None
    sessions: list[SessionSummaryEntry]
    updated_at: str


class Sentence(Schema):
    text: str
    facts: list[str]


class SessionFinal(Schema):
    id: int
    name: str
    official_at: str | None
    final_race_id: int | None
    podium: list[Medallist]


class NeighbourSession(Schema):
    competition: int
    city: str
    day: str


class SessionSummaryDocument(Schema):
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


class RemainingRace(Schema):
    race: str
    at: str
    distance_race_id: int
    competition: int
    finals_at: str | None


class Contender(Schema):
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


class RivalLimit(Schema):
    name: str
    at_best: int
    may_miss: bool


class ClinchingFinish(Schema):
    place: int | None
    rivals: list[RivalLimit]


class Clinch(Schema):
    name: str
    race: str
    requirements: list[ClinchingFinish]
    text: str


class GlobeDocument(Schema):
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
