"""Every kind of fact, checked again from the store by other means than the facts engine.

``check(fact)`` takes a fact as the JSON documents of ``queries.facts`` give it and
re-derives it with plain ORM queries and the standings query: the counts are counted
again, the streaks walked again, the standings computed again at the fact's moment. It
raises AssertionError, saying what the data does not support, for any fact that is wrong,
whose proof is not the rows it should be, or whose kind it does not know.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shorttrack.queries.globe import race_for_the_globe
from shorttrack.queries.standings import standings
from shorttrack.rules.distances import DISTANCES
from shorttrack.rules.records import world_records
from shorttrack.store.models import (
    DistanceRace,
    RaceResultLine,
    Ranking,
    RankingLine,
    Skater,
)

MEDALS = (1, 2, 3)
JUST_BEFORE = timedelta(microseconds=1)


def check(fact: dict) -> None:
    kind = fact["kind"]
    if kind not in CHECKS:
        raise AssertionError(f"no check for facts of kind {kind!r}: {fact['text']}")
    CHECKS[kind](fact)


# --- the store, read plainly -----------------------------------------------------------------


def at(fact: dict) -> datetime:
    return datetime.fromisoformat(fact["at"])


def current_ranking(race_id: int, moment: datetime) -> Ranking | None:
    return (
        Ranking.objects.filter(distance_race_id=race_id, official_at__lte=moment)
        .order_by("-number")
        .first()
    )


def races_until(moment: datetime, **filters) -> list[tuple[DistanceRace, Ranking]]:
    """Distance races with a ranking official at the moment, in official order."""
    found = []
    for race in DistanceRace.objects.filter(competition__published=True, **filters).select_related(
        "competition__season"
    ):
        ranking = current_ranking(race.pk, moment)
        if ranking is not None:
            found.append((race, ranking))
    return sorted(found, key=lambda pair: (pair[1].official_at, pair[0].pk))


def individual(race: DistanceRace, gender: str) -> bool:
    d = DISTANCES[race.distance]
    return d.individual and d.gender.value == gender


def skater_of(key: str) -> Skater:
    assert key.startswith("s"), f"{key} is not a skater"
    return Skater.objects.get(pk=int(key[1:]))


def line_of(ranking: Ranking, skater: Skater) -> RankingLine | None:
    return ranking.lines.filter(skater=skater).first()


def proof(fact: dict, kind: str = "ranking_line") -> list[int]:
    return [p["id"] for p in fact["proof"] if p["kind"] == kind]


def this_race(fact: dict) -> DistanceRace:
    return DistanceRace.objects.select_related("competition__season").get(pk=fact["race"]["id"])


def before_this(fact: dict, **filters):
    """Races official before this one (in official order), and this race's position."""
    races = races_until(at(fact), **filters)
    ids = [r.pk for r, _ in races]
    index = ids.index(fact["race"]["id"])
    return races[:index], races[index]


# --- podium, margins, Final A -------------------------------------------------------------------


def check_podium(fact):
    race = this_race(fact)
    ranking = current_ranking(race.pk, at(fact))
    lines = list(ranking.lines.filter(rank__in=MEDALS).order_by("rank", "id"))
    assert sorted(proof(fact)) == sorted(line.pk for line in lines), fact["text"]
    assert [p["rank"] for p in fact["values"]["places"]] == [line.rank for line in lines]
    winner = lines[0]
    key = (
        f"s{winner.skater_id}"
        if winner.skater_id
        else (f"t{winner.team_id}" if winner.team_id else f"n{winner.member.code}")
    )
    assert winner.rank == 1 and key == fact["subject"]["key"], fact["text"]


def check_margin(fact):
    first, second = (RankingLine.objects.get(pk=pk) for pk in proof(fact))
    assert (first.rank, second.rank, first.final, second.final) == (1, 2, "A", "A")
    assert second.time_ms - first.time_ms == fact["values"]["margin_ms"], fact["text"]


def check_incident(fact):
    status = fact["values"]["status"]
    expected = {"final_penalty": ("PEN",), "final_card": ("YC", "RC"), "final_dnf": ("DNF",)}
    assert status in expected.get(fact["kind"], ("DNS",))
    sheet = proof(fact, "race_result_line")
    if sheet:
        line = RaceResultLine.objects.select_related("result__race__round").get(pk=sheet[0])
        assert line.result.race.round.kind == "final_a"
        assert line.result.race.round.distance_race_id == fact["race"]["id"]
    else:
        line = RankingLine.objects.get(pk=proof(fact)[0])
        assert line.final == "A"
    assert line.status == status, fact["text"]


# --- counts ---------------------------------------------------------------------------------------


def _wins_and_medals(fact, *, season_only: bool, distance: str | None = None, ranks=MEDALS):
    race = this_race(fact)
    skater = skater_of(fact["subject"]["key"])
    filters = {"competition__season": race.competition.season} if season_only else {}
    earlier, (_, ranking) = before_this(fact, **filters)
    found = []
    for other, other_ranking in earlier:
        if not individual(other, skater.gender):
            continue
        if distance and other.distance != distance:
            continue
        line = line_of(other_ranking, skater)
        if line and line.rank in ranks:
            found.append(line)
    own = line_of(ranking, skater)
    assert own is not None and own.rank in ranks, fact["text"]
    return found + [own]


def check_season_wins(fact):
    wins = _wins_and_medals(fact, season_only=True, ranks=(1,))
    assert len(wins) == fact["values"]["n"], fact["text"]
    assert proof(fact) == [w.pk for w in wins]


def check_season_distance_wins(fact):
    race = this_race(fact)
    wins = _wins_and_medals(fact, season_only=True, distance=race.distance, ranks=(1,))
    assert len(wins) == fact["values"]["n"], fact["text"]
    assert proof(fact) == [w.pk for w in wins]


def check_career(fact):
    ranks = (1,) if "win" in fact["kind"] else MEDALS
    found = _wins_and_medals(fact, season_only=False, ranks=ranks)
    expected = 1 if fact["kind"].startswith("first") else fact["values"]["n"]
    assert len(found) == expected, fact["text"]


def check_first_final_a(fact):
    skater = skater_of(fact["subject"]["key"])
    earlier, (_, ranking) = before_this(fact)
    assert line_of(ranking, skater).final == "A"
    for _, other_ranking in earlier:
        line = line_of(other_ranking, skater)
        assert not (line and line.final == "A"), fact["text"]


def check_since(fact):
    ranks = (1,) if fact["kind"] == "first_win_since" else MEDALS
    skater = skater_of(fact["subject"]["key"])
    earlier, (race, ranking) = before_this(fact)
    previous_id = fact["values"]["previous_race"]
    ids = [r.pk for r, _ in earlier]
    assert previous_id in ids
    previous_race, previous_ranking = earlier[ids.index(previous_id)]
    previous = line_of(previous_ranking, skater)
    assert previous.rank == fact["values"]["previous_rank"] and previous.rank in ranks
    assert previous_race.competition.season.key != race.competition.season.key
    for other, other_ranking in earlier[ids.index(previous_id) + 1 :]:
        if individual(other, skater.gender):
            line = line_of(other_ranking, skater)
            assert not (line and line.rank in ranks), f"{fact['text']}: {other}"
    assert line_of(ranking, skater).rank in ranks


def check_streak(fact):
    skater = skater_of(fact["subject"]["key"])
    race = this_race(fact)
    ranks = (1,) if fact["kind"] == "win_streak" else MEDALS
    earlier, current = before_this(fact)
    run = [
        (r, rk)
        for r, rk in [*earlier, current]
        if individual(r, skater.gender)
        and (fact["kind"] != "win_streak" or r.distance == race.distance)
    ]
    n = fact["values"]["n"]
    for other, other_ranking in run[-n:]:
        line = line_of(other_ranking, skater)
        assert line and line.rank in ranks, f"{fact['text']}: {other}"
    if len(run) > n:
        line = line_of(run[-n - 1][1], skater)
        assert not (line and line.rank in ranks), f"{fact['text']}: the run is longer"


# --- age and nations -----------------------------------------------------------------------------


def _age(skater: Skater, race: DistanceRace, moment: datetime) -> int:
    day = moment.astimezone(ZoneInfo(race.competition.time_zone)).date()
    born = skater.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_age(fact):
    skater = skater_of(fact["subject"]["key"])
    assert _age(skater, this_race(fact), at(fact)) == fact["values"]["age"], fact["text"]


def check_youngest_or_oldest(fact):
    race = this_race(fact)
    skater = skater_of(fact["subject"]["key"])
    earlier, _ = before_this(fact, competition__season=race.competition.season)
    mine = (at(fact).date() - skater.birth_date).days
    for other, other_ranking in earlier:
        if not individual(other, skater.gender):
            continue
        winner = other_ranking.lines.get(rank=1).skater
        if winner == skater:
            continue
        theirs = (other_ranking.official_at.date() - winner.birth_date).days
        if fact["kind"] == "youngest_winner":
            assert mine < theirs, f"{fact['text']}: {winner}"
        else:
            assert mine > theirs, f"{fact['text']}: {winner}"


def check_nation_first(fact):
    nation = fact["values"]["nation"]
    ranks = (1,) if fact["kind"] == "nation_first_win" else MEDALS
    race = this_race(fact)
    earlier, (_, ranking) = before_this(fact, competition__season=race.competition.season)
    assert ranking.lines.filter(member__code=nation, rank__in=ranks).exists()
    for _, other_ranking in earlier:
        assert not other_ranking.lines.filter(member__code=nation, rank__in=ranks).exists(), fact[
            "text"
        ]


def check_sweep(fact):
    lines = RankingLine.objects.filter(pk__in=proof(fact))
    assert sorted(line.rank for line in lines) == [1, 2, 3]
    assert {line.member.code for line in lines} == {fact["values"]["nation"]}


# --- records ---------------------------------------------------------------------------------------


def check_record(fact):
    line = RaceResultLine.objects.select_related(
        "result__race__round__distance_race__competition__season"
    ).get(pk=proof(fact, "race_result_line")[0])
    assert line.time_ms == fact["values"]["time_ms"] and line.status == "finished"
    race = line.result.race.round.distance_race
    competition = race.competition
    earlier = RaceResultLine.objects.filter(
        result__official_at__lt=line.result.official_at,
        result__race__round__distance_race__competition__published=True,
        result__race__round__distance_race__distance=race.distance,
        status="finished",
        time_ms__isnull=False,
    )
    if fact["kind"] == "track_record":
        earlier = earlier.filter(
            result__race__round__distance_race__competition__venue=competition.venue,
            result__race__round__distance_race__competition__city=competition.city,
        )
    elif fact["kind"] == "season_best":
        earlier = earlier.filter(
            result__race__round__distance_race__competition__season=competition.season
        )
    elif fact["kind"] == "personal_best":
        earlier = earlier.filter(skater=line.skater)
    times = list(earlier.values_list("time_ms", flat=True))
    best = min(times, default=None)
    if fact["kind"] == "world_record":
        record = world_records()[race.distance]
        assert record.year < line.result.official_at.year
        best = min([record.time_ms, *times])
    assert best is not None, f"{fact['text']}: nothing to beat"
    assert fact["values"]["previous_ms"] == best, fact["text"]
    assert line.time_ms < best, fact["text"]


# --- standings --------------------------------------------------------------------------------------


def _tables(fact):
    season = this_race(fact).competition.season
    key = fact["values"]["classification"]
    after, loaded = standings(season, key, at(fact))
    before, _ = standings(season, key, at(fact) - JUST_BEFORE)
    return before, after, loaded


def _leaders(table) -> set[str]:
    return {row.entrant for row in table.leaders}


def check_new_leader(fact):
    before, after, _ = _tables(fact)
    subject = fact["subject"]["key"]
    assert subject in _leaders(after) and subject not in _leaders(before), fact["text"]
    assert sorted(_leaders(before)) == fact["values"]["previous"]
    assert after.rows[0].points == fact["values"]["points"]


def check_lead(fact):
    _, after, _ = _tables(fact)
    assert sorted(_leaders(after)) == sorted(fact["values"]["leaders"]), fact["text"]
    assert after.rows[0].points == fact["values"]["points"]
    chasers = [row for row in after.rows if row.rank != 1]
    if chasers:
        assert after.rows[0].points - chasers[0].points == fact["values"]["gap"]


def check_lead_ended(fact):
    before, after, _ = _tables(fact)
    subject = fact["subject"]["key"]
    assert subject in _leaders(before) and subject not in _leaders(after), fact["text"]
    since = datetime.fromisoformat(fact["values"]["since"])
    season = this_race(fact).competition.season
    key = fact["values"]["classification"]
    moments = sorted(
        {
            m
            for m in Ranking.objects.filter(
                distance_race__competition__season=season, official_at__lt=at(fact)
            ).values_list("official_at", flat=True)
        }
    )
    led_from = None
    for moment in reversed(moments):
        table, _ = standings(season, key, moment)
        if subject not in _leaders(table):
            break
        led_from = moment
    assert led_from == since, f"{fact['text']}: led from {led_from}"
    assert fact["values"]["seconds"] == int((at(fact) - since).total_seconds())


def check_standing(fact):
    _, after, _ = _tables(fact)
    row = after.row(fact["subject"]["key"])
    assert (row.rank, row.points) == (fact["values"]["rank"], fact["values"]["points"])
    assert after.rows[0].points - row.points == fact["values"]["behind_leader"], fact["text"]


def check_clinched(fact):
    season = this_race(fact).competition.season
    key = fact["values"]["classification"]
    now = race_for_the_globe(season, key, at(fact))
    before = race_for_the_globe(season, key, at(fact) - JUST_BEFORE)
    name = fact["subject"]["press_name"]
    verdict = next(c["verdict"] for c in now["contenders"] if c["press_name"] == name)
    assert verdict == fact["values"]["verdict"], fact["text"]
    assert len(now["remaining"]) == fact["values"]["races_left"]
    assert not any(c["verdict"] == "clinched" for c in before["contenders"])


CHECKS = {
    "podium": check_podium,
    "margin": check_margin,
    "final_penalty": check_incident,
    "final_card": check_incident,
    "final_dnf": check_incident,
    "final_dns": check_incident,
    "season_wins": check_season_wins,
    "season_distance_wins": check_season_distance_wins,
    "first_medal": check_career,
    "career_medals": check_career,
    "first_win": check_career,
    "career_wins": check_career,
    "first_final_a": check_first_final_a,
    "first_medal_since": check_since,
    "first_win_since": check_since,
    "win_streak": check_streak,
    "medal_streak": check_streak,
    "age": check_age,
    "youngest_winner": check_youngest_or_oldest,
    "oldest_winner": check_youngest_or_oldest,
    "nation_first_medal": check_nation_first,
    "nation_first_win": check_nation_first,
    "nation_sweep": check_sweep,
    "world_record": check_record,
    "track_record": check_record,
    "season_best": check_record,
    "personal_best": check_record,
    "new_leader": check_new_leader,
    "lead": check_lead,
    "lead_ended": check_lead_ended,
    "standing": check_standing,
    "clinched": check_clinched,
}
