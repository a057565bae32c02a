"""The adapter for the podiums of the real 2019/20 World Cup (podiums.csv)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shorttrack.interchange import worldcup_2019_20 as adapter
from shorttrack.rules.ranking import Status
from tests.support import shared_data

FIXTURE = Path(__file__).parent.parent / "fixtures" / "worldcup-2019-20"


def test_final_a_places_are_ranks_and_a_penalty_has_none():
    records = adapter.read_file(FIXTURE / "podiums.csv")
    assert records.errors == []
    assert [(r.name, r.rank, r.final, r.final_place, r.status) for r in records.ranking_lines] == [
        ("SCHULTING Suzanne", 1, "A", 1, Status.FINISHED),
        ("HAN Yu Tong", 2, "A", 2, Status.FINISHED),  # as the ISU pages spell her
        ("ZHANG Chutong", 3, "A", 3, Status.FINISHED),
        ("CHOI Minjeong", None, "A", None, Status.PEN),
    ]
    first = records.ranking_lines[0]
    assert (first.season, first.competition, first.distance, first.instance) == (
        "2019/20",
        1,
        "W1000",
        None,
    )
    assert first.time_ms == 88517 and first.official_at is None
    assert first.note == "source APP753199;NIEUWS20191104;NEWSPORTS50808"
    assert adapter.is_data_folder(FIXTURE)


def test_the_real_podiums_read_without_an_error():
    folder = shared_data("worldcup-2019-20", "podiums.csv")
    records = adapter.read_folder(folder)

    assert records.errors == []
    lines = records.ranking_lines
    assert len(lines) == 212  # 213 rows; Cedric and Cedrik Blais, 4th in Dresden, are one
    blais = [r for r in lines if r.name == "BLAIS Cedrik" and r.competition == 5]
    assert [(r.rank, r.distance) for r in blais] == [(4, "M500")]
    assert "MAHU340612" in blais[0].note and "ISN20200210" in blais[0].note
    races = {(r.competition, r.distance, r.instance) for r in lines}
    # 66 finals: 63 with a Final A place, and the Dresden women's 1500m (2) with a row
    # saying who was last in its Final A (README); the other two have no line at all.
    assert len(races) == 64
    assert sum(1 for r in lines if r.rank == 1) >= 50
    finals_b = [r for r in lines if r.final == "B"]
    assert finals_b and all(r.rank is None for r in finals_b)
    relay = next(r for r in lines if r.distance == "W3000R")
    assert (relay.name, relay.member) == ("", "CHN")
    liu = {r.name for r in lines if r.member == "HUN" and "Shao" in r.name}
    assert liu == {"LIU Shaolin Sandor", "LIU Shaoang"}
    assert "PARK Ji Won" in {r.name for r in lines if r.member == "KOR"}


def test_rows_of_another_season_are_refused(tmp_path):
    text = (FIXTURE / "podiums.csv").read_text().replace("\n2019/20,1,", "\n2020/21,1,", 1)
    (tmp_path / "podiums.csv").write_text(text)
    records = adapter.read_file(tmp_path / "podiums.csv")
    assert [(e.line, e.field) for e in records.errors] == [(2, "season")]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "podiums.csv:1: header: empty file: the header is missing"),
        (b"\xff\xfe season", "podiums.csv:1: file: not UTF-8 text (invalid start byte)"),
        (
            b'season,event_no\n2019/20,"1\n',
            "podiums.csv:2: csv: malformed CSV (unexpected end of data)",
        ),
    ],
)
def test_a_podiums_file_that_is_no_csv_is_one_clear_error(tmp_path, content, error):
    path = tmp_path / "podiums.csv"
    path.write_bytes(content)

    read = adapter.read_file(path)

    assert [str(e).replace(f"{tmp_path}/", "") for e in read.errors][:1] == [error]
    assert read.ranking_lines == []
