"""Best times beaten in any round (rules.bests): world, track, season and personal bests."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.bests import record_facts
from shorttrack.rules.facts import Bests, Mark, Proof, SheetLine
from tests.rules.histories import Book

SEASON = "2031/32"


def sheet(race, round_, at, *lines, race_no=1):
    """Result-sheet lines: (line id, skater key, time in ms[, status])."""
    return tuple(
        SheetLine(
            line_id,
            race,
            round_,
            race_no,
            at,
            f"s{key}",
            f"s{key}",
            "KOR",
            place,
            time_ms,
            status[0] if status else "finished",
        )
        for place, (line_id, key, time_ms, *status) in enumerate(lines, start=1)
    )


def test_a_world_record_in_the_final_beats_the_record_held_since_2016():
    book = Book()
    race = book.race(SEASON, "M1000", ["PARK", "HONG", "DUBOIS"], day=1)
    final = book.races[race].official_at
    history = book.history(
        sheets={race: sheet(race, "final_a", final, (1, "PARK", 80_800), (2, "HONG", 80_950))}
    )

    (world,) = [f for f in record_facts(history, [race]) if f.kind == "world_record"]

    assert world.subject == "sPARK"
    assert world.values == {
        "time_ms": 80_800,
        "previous_ms": 80_875,
        "round": "final_a",
        "race_no": 1,
        "previous_holder": "HWANG Dae-heon (KOR)",
        "previous_year": 2016,
    }
    # Nothing held before at the venue or in the season: no track record, no season best.
    assert {f.kind for f in record_facts(history, [race])} == {"world_record"}


def test_a_personal_best_in_the_heats_improved_again_in_the_final():
    book = Book()
    race = book.race(SEASON, "M500", ["PARK", "HONG", "DUBOIS"], day=1)
    final = book.races[race].official_at
    heats = final - timedelta(hours=4)
    bests = Bests(personal={("M500", "sPARK"): Mark(41_200, 7, "sPARK", 99)})
    sheets = sheet(race, "heats", heats, (1, "PARK", 41_100), (2, "HONG", 41_500))
    sheets += sheet(race, "final_a", final, (3, "PARK", 40_900), (4, "HONG", 41_600))

    facts = record_facts(book.history(sheets={race: sheets}, bests=bests), [race])

    (personal,) = [f for f in facts if f.kind == "personal_best"]
    # One fact per skater and race: the final's 40.900, against the heat's 41.100.
    assert (personal.values["time_ms"], personal.values["previous_ms"]) == (40_900, 41_100)
    assert personal.proof == (Proof("race_result_line", 3), Proof("race_result_line", 1))


def test_a_penalised_skater_s_time_is_no_record():
    book = Book()
    race = book.race(SEASON, "M500", ["HONG", "DUBOIS", "SIGHEL"], day=1)
    at = book.races[race].official_at
    bests = Bests(season={"M500": Mark(41_000, 7, "sLEE", 99)})
    sheets = sheet(race, "final_a", at, (1, "PARK", 40_500, "PEN"), (2, "HONG", 40_900))
    (season,) = record_facts(book.history(sheets={race: sheets}, bests=bests), [race])
    assert (season.kind, season.subject, season.values["time_ms"]) == (
        "season_best",
        "sHONG",
        40_900,
    )


def test_the_track_record_is_kept_per_venue():
    book = Book()
    here = book.race(SEASON, "M500", ["HONG", "DUBOIS", "SIGHEL"], day=1, city="Dresden")
    at = book.races[here].official_at
    bests = Bests(
        track={
            ("M500", "Dresden Arena"): Mark(41_000, 7, "sLEE", 99),
            ("M500", "Montreal Arena"): Mark(40_000, 8, "sLEE", 98),
        }
    )
    sheets = sheet(here, "final_a", at, (1, "HONG", 40_900))
    (track,) = record_facts(book.history(sheets={here: sheets}, bests=bests), [here])
    assert (track.kind, track.values["previous_ms"], track.values["previous_entrant"]) == (
        "track_record",
        41_000,
        "sLEE",
    )


@st.composite
def sheets_of_two_races(draw):
    book = Book()
    races = [
        book.race(SEASON, "M500", ["HONG", "DUBOIS", "SIGHEL"], day=1),
        book.race(SEASON, "M500", ["HONG", "DUBOIS", "SIGHEL"], day=2, city="Dresden"),
    ]
    skaters = ["PARK", "HONG", "DUBOIS", "SIGHEL"]
    sheets, line_id = {}, 1
    for race in races:
        lines = []
        for step in range(draw(st.integers(1, 3))):
            at = book.races[race].official_at - timedelta(hours=3 - step)
            for key in draw(st.lists(st.sampled_from(skaters), unique=True, min_size=1)):
                time_ms = draw(st.integers(40_000, 40_010))
                status = draw(st.sampled_from(["finished"] * 4 + ["PEN"]))
                lines.append(
                    SheetLine(
                        line_id,
                        race,
                        "heats",
                        step,
                        at,
                        f"s{key}",
                        f"s{key}",
                        "KOR",
                        1,
                        time_ms,
                        status,
                    )
                )
                line_id += 1
        sheets[race] = tuple(lines)
    return book, races, sheets


@settings(max_examples=80, deadline=None)
@given(sheets_of_two_races())
def test_every_record_is_faster_than_everything_before_it_in_its_scope(drawn):
    book, races, sheets = drawn
    history = book.history(sheets=sheets)
    all_lines = [line for lines in sheets.values() for line in lines]
    facts = record_facts(history, races)
    slots = [(f.kind, f.subject, f.race) for f in facts]
    assert len(slots) == len(set(slots))
    for fact in facts:
        line = next(s for s in all_lines if s.line == fact.proof[0].id)
        assert line.status == "finished" and line.time_ms == fact.values["time_ms"]

        def in_scope(other, fact=fact, line=line):
            if fact.kind == "personal_best":
                return other.entrant == line.entrant
            if fact.kind == "track_record":
                return history.race(other.race).city == history.race(line.race).city
            return True

        earlier = [
            s.time_ms
            for s in all_lines
            if s.official_at < line.official_at and s.status == "finished" and in_scope(s)
        ]
        if fact.kind != "world_record":
            assert fact.values["previous_ms"] == min(earlier)
        assert line.time_ms < fact.values["previous_ms"]
