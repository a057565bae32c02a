"""The reader of saved ISU results pages (interchange/isu_results.py): small pages trimmed
from the real 2019/20 ones in tests/fixtures/isu-results, and the whole real season."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from shorttrack.interchange import isu_results
from shorttrack.interchange.names import split_printed_name
from shorttrack.interchange.reading import read_paths
from shorttrack.rules.ranking import RoundKind, Status
from tests.support import FIXTURES, shared_data

FOLDER = FIXTURES / "isu-results"
SLC_500 = "2019-2020-ISUWorldCup2019_20-SaltLakeCity,UT(USA)-500m(2)-m-Rep.Quarterfinals"
DRESDEN_1000 = "2019-2020-ISUWorldCup2019_20-Dresden(GER)-1000m-m-Rep.Quarterfinals"
DORDRECHT_RELAY = "2019-2020-ISUWorldCup2019_20-Dordrecht(NED)-3000mRelay-w-Semifinals"
NAGOYA_CANCELLED = "2019-2020-ISUWorldCup2019_20-Nagoya(JPN)-1500m(2)-w-Rep.Quarterfinals"


@pytest.fixture(scope="module")
def records():
    read = isu_results.read_folder(FOLDER)
    assert read.errors == []
    return read


def lines_of(records, stem, race_no):
    return [
        line
        for line in records.race_lines
        if Path(line.file).stem == stem and line.race_no == race_no
    ]


def by_name(lines):
    return {line.name or line.team: line for line in lines}


def copy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(FOLDER, folder)
    return folder


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def round_page(folder: Path, stem: str) -> Path:
    return folder / "round" / f"{stem}.html"


def split_page(folder: Path, stem: str, race: int) -> Path:
    return folder / "split" / f"{stem}-race_{race}-splits.html"


# -- what the pages give ----------------------------------------------------------------


def test_every_line_of_every_race_is_read(records):
    pages = (FOLDER / "round").glob("*.html")
    printed = sum(
        len(re.findall(r'<tr class="(?:tablecol(?:even|odd)|leader)"', p.read_text()))
        for p in pages
    )
    assert printed == 24
    assert len(records.race_lines) == printed
    assert [(s.key, s.name, s.rules) for s in records.seasons] == [("2019/20", "", "")]


def test_competition_distance_round_and_race_come_from_the_page(records):
    line = by_name(lines_of(records, DRESDEN_1000, 4))["DUBOIS Steven"]
    assert (line.season, line.competition, line.distance, line.instance) == (
        "2019/20",
        5,
        "M1000",
        None,
    )
    assert line.round is RoundKind.REP_QUARTERFINALS
    slc = lines_of(records, SLC_500, 3)[0]
    assert (slc.competition, slc.distance, slc.instance, slc.round) == (
        1,
        "M500",
        2,
        RoundKind.REP_QUARTERFINALS,
    )
    assert sorted({line.race_no for line in records.race_lines if SLC_500 in line.file}) == [3, 4]
    races = {(r.competition, r.distance, r.instance) for r in records.distance_races}
    assert races == {(1, "M500", 2), (3, "W1500", 2), (5, "M1000", None), (6, "W3000R", None)}
    assert all(r.finals_at is None for r in records.distance_races)


def test_calendar_gives_numbers_dates_and_time_zones(records):
    dresden = next(c for c in records.competitions if c.city == "Dresden")
    assert (dresden.season, dresden.number, dresden.country, dresden.venue) == (
        "2019/20",
        5,
        "GER",
        "EnergieVerbund Arena",
    )
    assert dresden.time_zone == "Europe/Berlin"
    assert (str(dresden.start_date), str(dresden.end_date)) == ("2020-02-07", "2020-02-09")
    assert len(records.competitions) == 6


def test_places_times_and_marks_as_printed(records):
    race = by_name(lines_of(records, DRESDEN_1000, 4))
    dubois, watanabe = race["DUBOIS Steven"], race["WATANABE Keita"]
    assert (dubois.place, dubois.time_ms, dubois.mark, dubois.isu_id) == (1, 88675, "Q", "9092")
    assert (dubois.start_position, dubois.helmet, dubois.member) == (7, 9, "CAN")
    assert (watanabe.place, watanabe.time_ms, watanabe.mark) == (2, 89036, "q")
    assert race["VISCARDI Davide"].mark == ""
    relay = by_name(lines_of(records, DORDRECHT_RELAY, 1))
    assert [relay[t].mark for t in ("NED", "CAN", "JPN", "FRA")] == ["QA", "QA", "QB", "QB"]


def test_pen_dnf_and_no_time(records):
    race = by_name(lines_of(records, SLC_500, 3))
    assert set(race) == {"SITNIKOV Pavel", "LI Wenlong", "KRZEMINSKI Mateusz", "HAN Muhammed Emir"}
    li = race["LI Wenlong"]  # 'no time': finished, placed as printed
    assert (li.place, li.status, li.time_ms, li.mark) == (2, Status.FINISHED, None, "")
    krzeminski = race["KRZEMINSKI Mateusz"]
    assert (krzeminski.place, krzeminski.status, krzeminski.time_ms) == (None, Status.DNF, None)
    han = race["HAN Muhammed Emir"]
    assert (han.place, han.status, han.time_ms) == (None, Status.PEN, None)


def test_a_place_printed_twice_is_a_dead_heat(records):
    race = by_name(lines_of(records, DRESDEN_1000, 4))
    tied = {name for name, line in race.items() if line.dead_heat}
    assert tied == {"YATES Westley", "McANUFF Sean"}  # as printed, not MCANUFF
    assert {race[n].place for n in tied} == {4}
    assert {race[n].time_ms for n in tied} == {90524}


def test_names_printed_either_way_are_split_family_and_given(records):
    skaters = {s.isu_id: s for s in records.skaters}
    assert (skaters["9412"].given_name, skaters["9412"].family_name) == ("Mateusz", "KRZEMINSKI")
    assert (skaters["9198"].given_name, skaters["9198"].family_name) == ("Sean", "McANUFF")
    assert (skaters["8333"].given_name, skaters["8333"].family_name) == ("Rianne", "de VRIES")
    assert (skaters["7976"].given_name, skaters["7976"].family_name) == (
        "Tifany",
        "HUOT MARCHAND",
    )
    assert skaters["9198"].gender == "men" and skaters["8333"].gender == "women"
    assert (skaters["9198"].member, skaters["8333"].member) == ("IRL", "NED")
    assert split_printed_name("Melle van 'T WOUT") == ("Melle", "van 'T WOUT")
    assert split_printed_name("PIERRON Veronique") == ("Veronique", "PIERRON")
    assert split_printed_name("Tereza PFEIFEROVA") == ("Tereza", "PFEIFEROVA")
    assert split_printed_name("JUNG Hyun Woo (Andy)") == ("Hyun Woo (Andy)", "JUNG")
    with pytest.raises(ValueError):
        split_printed_name("Nobody in capitals")


def test_one_skater_record_per_isu_id(records):
    ids = [s.isu_id for s in records.skaters]
    assert len(ids) == len(set(ids)) and all(ids)
    # HAN Muhammed Emir races at Salt Lake City and at Dresden: one skater
    assert ids.count("9589") == 1
    # every skater of the lines, and no team link (NETHERLANDS is ath=9040)
    named = {line.isu_id for line in records.race_lines if line.isu_id}
    named |= {i for line in records.race_lines for i in line.skater_isu_ids}
    assert set(ids) == named
    assert "9040" not in ids


def test_relay_lines_name_team_and_the_skaters_of_that_race(records):
    ned = by_name(lines_of(records, DORDRECHT_RELAY, 1))["NED"]
    assert (ned.name, ned.isu_id, ned.member, ned.team) == ("", "", "NED", "NED")
    assert ned.skaters == (  # the particles as printed
        "de VRIES Rianne",
        "SCHULTING Suzanne",
        "van KERKHOF Yara",
        "van RUIJVEN Lara",
    )
    assert ned.skater_isu_ids == ("8333", "8493", "7422", "7710")
    assert (ned.place, ned.time_ms, ned.start_position, ned.helmet) == (1, 248980, 1, 340)
    assert ned.warnings == ""


def test_laps_as_printed(records):
    sitnikov = by_name(lines_of(records, SLC_500, 3))["SITNIKOV Pavel"]
    assert sitnikov.lap_positions == (1, 1, 1, 1, 1)
    assert sitnikov.lap_elapsed_ms == (6910, 15700, 24020, 32450, 41150)
    assert sitnikov.laps_ms == (6910, 8790, 8320, 8430, 8700)
    # the page prints only position and lap time for these, and stops at their last lap
    li = by_name(lines_of(records, SLC_500, 3))["LI Wenlong"]
    assert li.lap_positions == (3, 3, 2, 3)
    assert li.lap_elapsed_ms == (None, None, None, None)
    assert li.laps_ms == (7060, 9040, 8490, 33230)
    assert by_name(lines_of(records, SLC_500, 3))["KRZEMINSKI Mateusz"].lap_positions == (2, 2, 4)
    # a column printed 'Sean McANUFF' / 'Davide VISCARDI' finds 'VISCARDI Davide'
    dresden = by_name(lines_of(records, DRESDEN_1000, 4))
    assert dresden["McANUFF Sean"].lap_positions == (2, 4, 4, 6, 6, 5, 5, 5, 4)
    assert dresden["McANUFF Sean"].lap_elapsed_ms[-1] == 90524  # thousandths on the last lap
    assert len(dresden["VISCARDI Davide"].lap_positions) == 9
    # relays: columns by the team's printed name
    ned = by_name(lines_of(records, DORDRECHT_RELAY, 1))["NED"]
    assert len(ned.lap_positions) == 27 and set(ned.lap_positions) == {1}
    assert ned.lap_elapsed_ms[:3] == (12920, 22520, 31910) and ned.lap_elapsed_ms[-1] == 248980
    assert ned.laps_ms[:3] == (12920, 9600, 9390)
    # no split page for race 2: no laps
    assert all(line.lap_positions == () for line in lines_of(records, DORDRECHT_RELAY, 2))


def test_split_cells_all_land_on_lines(records):
    printed = sum(
        len(re.findall(r"\[\d+\]", p.read_text())) for p in (FOLDER / "split").glob("*.html")
    )
    kept = sum(sum(p is not None for p in line.lap_positions) for line in records.race_lines)
    assert kept == printed == 5 * 4 - 3 + 7 * 9 + 4 * 27


def test_rounds_with_progression_text_and_note(records):
    rounds = {Path(r.file).stem: r for r in records.rounds}
    relay = rounds[DORDRECHT_RELAY]
    assert relay.progression == (
        "The first and second placed teams from each race qualify for Final A, "
        "the third and fourth placed teams from each race qualify for Final B."
    )
    assert relay.note == ""
    cancelled = rounds[NAGOYA_CANCELLED]
    assert (cancelled.progression, cancelled.note) == ("", "this round has been cancelled")
    assert (cancelled.round, cancelled.distance, cancelled.instance) == (
        RoundKind.REP_QUARTERFINALS,
        "W1500",
        2,
    )
    assert not any(NAGOYA_CANCELLED in line.file for line in records.race_lines)


def test_read_paths_reads_such_a_folder_with_progress():
    seen = []
    read = read_paths([FOLDER], progress=lambda *step: seen.append(step))
    assert read.errors == []
    assert len(read.race_lines) == 24
    assert seen[-1] == ("reading ISU pages", 8, 8)
    assert {Path(f.path).name for f in read.files} >= {"calendar.csv", f"{SLC_500}.html"}


# -- names and skaters across pages -----------------------------------------------------


def test_both_name_orders_of_one_isu_id_are_one_skater(tmp_path):
    folder = copy_folder(tmp_path)
    edit(round_page(folder, SLC_500), "Muhammed Emir HAN", "HAN Muhammed Emir")
    read = isu_results.read_folder(folder)
    assert read.errors == []
    han = [s for s in read.skaters if s.isu_id == "9589"]
    assert [(s.given_name, s.family_name, s.gender) for s in han] == [
        ("Muhammed Emir", "HAN", "men")
    ]
    assert {line.name for line in read.race_lines if line.isu_id == "9589"} == {"HAN Muhammed Emir"}


def test_namesakes_are_kept_apart_by_isu_id(tmp_path):
    folder = copy_folder(tmp_path)
    edit(round_page(folder, SLC_500), "ath=9589&", "ath=19589&")
    read = isu_results.read_folder(folder)
    assert read.errors == []
    hans = sorted(s.isu_id for s in read.skaters if s.family_name == "HAN")
    assert hans == ["19589", "9589"]


def test_mixed_relay_skater_of_unknown_gender_is_an_error(tmp_path):
    folder = copy_folder(tmp_path)
    page = round_page(folder, DORDRECHT_RELAY)
    edit(page, "<b>Ladies</b>", "<b>Mixed</b>")
    edit(page, "3000 m Relay</a>", "2000 m Relay</a>", count=1)
    page.rename(page.with_name(page.name.replace("3000mRelay-w", "2000mRelay-x")))
    split_page(folder, DORDRECHT_RELAY, 1).unlink()
    read = isu_results.read_folder(folder)
    unknown = [e for e in read.errors if e.field == "gender"]
    assert len(unknown) == 32  # 8 teams of 4
    assert "de VRIES Rianne (NED, ISU id 8333)" in str(unknown[0])
    assert "mixed relays" in unknown[0].reason


# -- what cannot be read ----------------------------------------------------------------


def test_truncated_page_is_an_error_naming_it_and_gives_no_records(tmp_path):
    folder = copy_folder(tmp_path)
    page = round_page(folder, SLC_500)
    text = page.read_text()
    page.write_text(text[: len(text) // 2])
    read = isu_results.read_folder(folder)
    assert [(Path(e.file).name, e.field) for e in read.errors] == [(page.name, "page")]
    assert "truncated" in read.errors[0].reason
    assert not any(SLC_500 in line.file for line in read.race_lines)
    assert not any(SLC_500 in r.file for r in read.rounds)
    assert len(read.race_lines) == 24 - 9


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00binary",
        b"<html><body>" + b"<div>" * 50000 + b"</body></html>",
        b'<div id="contentrightlarge"><<<>>>&#xffffffff;<tr class="tablecoleven"><td>1'
        b'</td></tr><div id="footer">',
        b'<div id="eventline"><div id="navileft"><div id="contentrightlarge"><div id="footer">',
        # nested deep, closed by stray end tags: read in time linear in its size
        b'<div id="eventline"><div id="navileft"><div id="contentrightlarge">'
        + b"<div>" * 100_000
        + b"</p>" * 100_000
        + b'<div id="footer">',
    ],
    ids=["binary", "deep", "broken", "empty", "deep and stray"],
)
def test_hostile_page_is_an_error_naming_it(tmp_path, content):
    folder = copy_folder(tmp_path)
    page = round_page(folder, DRESDEN_1000)
    page.write_bytes(content)
    read = isu_results.read_folder(folder)
    assert read.errors and {Path(e.file).name for e in read.errors} == {page.name}
    assert not any(DRESDEN_1000 in line.file for line in read.race_lines)


def test_unknown_mark_names_file_line_and_field(tmp_path):
    folder = copy_folder(tmp_path)
    page = round_page(folder, DRESDEN_1000)
    text = page.read_text()
    # DUBOIS Steven's Q
    at = text.index("DUBOIS Steven")
    q = text.index("\t\t\t\t\t\tQ\n", at)
    page.write_text(text[:q] + "\t\t\t\t\t\tQX\n" + text[q + 8 :])
    read = isu_results.read_folder(folder)
    [error] = read.errors
    row = text[:at].rindex('<tr class="tablecol')
    assert (Path(error.file).name, error.field) == (page.name, "mark")
    assert error.line == text.count("\n", 0, row) + 1
    assert "'QX'" in error.reason


def test_split_column_matching_no_line_is_an_error(tmp_path):
    folder = copy_folder(tmp_path)
    split = split_page(folder, DRESDEN_1000, 4)
    edit(split, '<th scope="col">Sean McANUFF</th>', '<th scope="col">Sean McANUF</th>')
    read = isu_results.read_folder(folder)
    [error] = read.errors
    assert (Path(error.file).name, error.field) == (split.name, "splits")
    assert "'Sean McANUF'" in error.reason
    assert not any(DRESDEN_1000 in line.file for line in read.race_lines)


def test_a_finisher_the_split_page_leaves_out_keeps_no_laps(tmp_path):
    """The real pages print no column for DNS, PEN or 'no time' lines, and once none for a
    finisher (Salt Lake City, 500 m (1), heat 7): such a line has no laps, which is what
    the page prints; every column is still matched to a line."""
    folder = copy_folder(tmp_path)
    split = split_page(folder, SLC_500, 3)
    text = split.read_text()
    text = text.replace('<th scope="col">SITNIKOV Pavel</th>', "")
    text = re.sub(r'<td style="width:25%;">\s*<span[^>]*>\[1\]</span>[^<]*</td>', "", text)
    split.write_text(text)
    read = isu_results.read_folder(folder)
    assert read.errors == []
    assert by_name(lines_of(read, SLC_500, 3))["SITNIKOV Pavel"].lap_positions == ()


def test_split_page_of_no_race_on_the_round_page_is_an_error(tmp_path):
    folder = copy_folder(tmp_path)
    shutil.copy(split_page(folder, SLC_500, 3), split_page(folder, SLC_500, 9))
    read = isu_results.read_folder(folder)
    [error] = read.errors
    assert Path(error.file).name == split_page(folder, SLC_500, 9).name
    assert "race 9" in error.reason


def test_competition_missing_from_the_calendar_is_an_error(tmp_path):
    folder = copy_folder(tmp_path)
    calendar = folder / "calendar.csv"
    calendar.write_text(
        "\n".join(row for row in calendar.read_text().splitlines() if "Dresden" not in row)
    )
    read = isu_results.read_folder(folder)
    [error] = read.errors
    assert (Path(error.file).name, error.field) == (f"{DRESDEN_1000}.html", "competition")


def test_is_results_folder(tmp_path):
    assert isu_results.is_results_folder(FOLDER)
    assert not isu_results.is_results_folder(tmp_path)
    assert not isu_results.is_results_folder(FIXTURES / "small-competition")


# -- the real season --------------------------------------------------------------------


def test_the_real_season_reads_every_line_and_lap():
    folder = shared_data("isu-results-2019-20")
    read = isu_results.read_folder(folder)
    assert read.errors == []
    round_pages = sorted((folder / "round").glob("*.html"))
    split_pages = sorted((folder / "split").glob("*.html"))
    assert (len(round_pages), len(split_pages)) == (292, 1079)
    # a line is a row of a results table; the World Cup leader's row is class "leader"
    printed_lines = sum(
        len(re.findall(r'<tr class="(?:tablecol|leader)', p.read_text(encoding="utf-8")))
        for p in round_pages
    )
    assert len(read.race_lines) == printed_lines == 5497
    printed_cells = sum(
        len(re.findall(r"\[\d+\]</span>", p.read_text(encoding="utf-8"))) for p in split_pages
    )
    kept_cells = sum(sum(p is not None for p in line.lap_positions) for line in read.race_lines)
    # one page prints its race twice (Dresden, women's 500 m heat 1: 5 skaters, laps 1-5
    # again as laps 10-14): it is read once
    assert kept_cells == printed_cells - 25
    assert len(read.rounds) == 292
    assert [s.key for s in read.seasons] == ["2019/20"]
    assert len(read.competitions) == 6
    marks = {line.mark for line in read.race_lines}
    assert marks == {"", "Q", "q", "QA", "QB", "qA", "qB", "ADV", "ADA", "ADB"}
    statuses = {line.status for line in read.race_lines}
    assert statuses == {Status.FINISHED, Status.PEN, Status.DNS, Status.DNF, Status.YC}
    assert [line.warnings for line in read.race_lines if line.warnings] == ["YC"]
    ids = [s.isu_id for s in read.skaters]
    assert len(ids) == len(set(ids))
    cancelled = [r for r in read.rounds if r.note]
    assert [r.note for r in cancelled] == ["this round has been cancelled"]


def test_pages_read_on_two_processes_give_the_same_records(records, monkeypatch):
    monkeypatch.setattr(isu_results, "PARALLEL_FROM", 1)
    monkeypatch.setattr(isu_results, "_spare_core", lambda: True)
    from_worker = []
    next_unit = isu_results._Worker.next_unit

    def counted(worker):
        unit = next_unit(worker)
        from_worker.append(unit is not None)
        return unit

    monkeypatch.setattr(isu_results._Worker, "next_unit", counted)
    parallel = isu_results.read_folder(FOLDER)
    assert from_worker == [True, True]  # pages 2 and 4 of 4
    assert parallel.errors == []
    assert parallel.race_lines == records.race_lines
    assert parallel.skaters == records.skaters
    assert parallel.rounds == records.rounds
    assert parallel.files == records.files


def test_a_members_second_team_is_named_by_its_number(tmp_path):
    folder = copy_folder(tmp_path)
    edit(round_page(folder, DORDRECHT_RELAY), ">NETHERLANDS</a>", ">NETHERLANDS 2</a>")
    edit(split_page(folder, DORDRECHT_RELAY, 1), ">NETHERLANDS</th>", ">NETHERLANDS 2</th>")
    read = isu_results.read_folder(folder)
    assert read.errors == []
    team = by_name(lines_of(read, DORDRECHT_RELAY, 1))["NED 2"]
    assert (team.member, team.team, len(team.lap_positions)) == ("NED", "NED 2", 27)


def test_a_calendar_that_is_no_csv_is_an_error(tmp_path):
    folder = copy_folder(tmp_path)
    (folder / "calendar.csv").write_bytes(b"competition,city\x00\n1,\x00")
    read = isu_results.read_folder(folder)
    assert {Path(e.file).name for e in read.errors} >= {"calendar.csv"}
    assert read.race_lines == []


def test_a_worker_that_fails_leaves_its_pages_to_the_caller(records, monkeypatch):
    monkeypatch.setattr(isu_results, "PARALLEL_FROM", 1)
    monkeypatch.setattr(isu_results, "_spare_core", lambda: True)
    monkeypatch.setattr(isu_results.sys, "executable", "/nonexistent/python")
    read = isu_results.read_folder(FOLDER)
    assert read.errors == [] and read.race_lines == records.race_lines
    monkeypatch.setattr(isu_results.sys, "executable", "/bin/true")
    read = isu_results.read_folder(FOLDER)
    assert read.errors == [] and read.race_lines == records.race_lines


def test_a_split_table_printed_twice_is_read_once():
    """Dresden 2020, women's 500 m heat 1, as printed: laps 1-5, then the same positions and
    lap times as laps 10-14 with elapsed times summed from them. Read once, the first
    printing's elapsed times end at the finish; a lap time they contradict is not kept."""
    page = isu_results._read_split_tree(
        isu_results._tree(
            """<div id="contentrightlarge"><div class="tabletitle"><p>ISU World Cup 2019/20 - Dresden (GER) - 500 m - Heats - Ladies</p></div>
<table><tr class="tablehead"><th scope="col">&nbsp;</th><th scope="col">FAN Kexin</th></tr>
<tr class="tablecoleven"><td>1</td><td>[2] 7.55 (7.55)</td></tr>
<tr class="tablecolodd"><td>2</td><td>[1] 16.88 (9.33)</td></tr>
<tr class="tablecoleven"><td>3</td><td>[1] 25.75 (8.87)</td></tr>
<tr class="tablecolodd"><td>4</td><td>[1] 34.73 (8.98)</td></tr>
<tr class="tablecoleven"><td>5</td><td>[1] 43.982 (9.27)</td></tr>
<tr class="tablecolodd"><td>10</td><td>[2] 7.55 (7.55)</td></tr>
<tr class="tablecoleven"><td>11</td><td>[1] 16.88 (9.33)</td></tr>
<tr class="tablecolodd"><td>12</td><td>[1] 25.75 (8.87)</td></tr>
<tr class="tablecoleven"><td>13</td><td>[1] 34.73 (8.98)</td></tr>
<tr class="tablecolodd"><td>14</td><td>[1] 44.00 (9.27)</td></tr>
</table></div><div id="footer"></div>""",
            navigation=False,
        )
    )
    [fan] = page.columns
    assert fan.positions == [2, 1, 1, 1, 1]
    assert fan.elapsed == [7_550, 16_880, 25_750, 34_730, 43_982]
    assert fan.laps == [7_550, 9_330, 8_870, 8_980, None]  # 9.27 contradicts 34.73 -> 43.982
