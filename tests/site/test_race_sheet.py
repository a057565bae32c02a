"""The race page reads as the ISU's results pages: the columns Place, Start Pos., Warn., #,
Name, ISU Member, Results, Qual.; PEN, DNF, DNS where the place and the time would be,
"no time" for a finisher the timing missed; names as the season prints them ("CHOI Ha
Eun"); and the start list with the race's number in the programme, its session and its
scheduled time at the venue."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.support import FIXTURES

pytestmark = pytest.mark.django_db

ISU_PAGES = FIXTURES / "isu-results"  # trimmed from the real 2019/20 pages
ISU_COLUMNS = ["Place", "Start Pos.", "Warn.", "#", "Name", "ISU Member", "Results", "Qual."]
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<t([hd])[^>]*>(.*?)</t\1>", re.S)


def cells(row: str) -> list[str]:
    text = (html.unescape(re.sub(r"<[^>]+>", "", c)) for _, c in CELL.findall(row))
    return [" ".join(t.split()) for t in text]


def result_rows(page: str) -> list[list[str]]:
    """The header and lines of the race page's result table, as text."""
    start = page.index('<table class="result">')
    return [cells(row) for row in ROW.findall(page[start : page.index("</table>", start)])]


def isu_rows(stem: str, race_no: int) -> list[list[str]]:
    """The same race on the ISU page: its header and lines, without the empty column the
    ISU prints between Results and Qual."""
    page = (ISU_PAGES / "round" / f"{stem}.html").read_text(encoding="utf-8")
    start = page.index(f"id='race{race_no}'")
    table = page[start : page.index("</table>", start)]
    rows = [cells(row) for row in ROW.findall(table)]
    return [row[:7] + row[8:] for row in rows]


def race_page(client, city: str, distance: str, kind: str, number: int) -> str:
    race = models.Race.objects.get(
        round__distance_race__competition__city=city,
        round__distance_race__distance=distance,
        round__kind=kind,
        number=number,
    )
    response = client.get(f"/races/{race.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def isu_pages():
    import_paths([ISU_PAGES])


@pytest.mark.parametrize(
    ("stem", "city", "distance", "race_no"),
    [
        # 1 Q, 2 "no time", DNF, PEN
        ("2019-2020-ISUWorldCup2019_20-SaltLakeCity,UT(USA)-500m(2)-m-Rep.Quarterfinals",
         "Salt Lake City", "M500", 3),
        ("2019-2020-ISUWorldCup2019_20-SaltLakeCity,UT(USA)-500m(2)-m-Rep.Quarterfinals",
         "Salt Lake City", "M500", 4),
        # a dead heat for 4th, printed 4 and 4; a penalty
        ("2019-2020-ISUWorldCup2019_20-Dresden(GER)-1000m-m-Rep.Quarterfinals",
         "Dresden", "M1000", 4),
    ],
)  # fmt: skip
def test_a_race_reads_as_the_isu_page_printed_it(client, isu_pages, stem, city, distance, race_no):
    ours = result_rows(race_page(client, city, distance, "rep_quarterfinals", race_no))
    isu = isu_rows(stem, race_no)

    assert ours[0] == isu[0] == ISU_COLUMNS
    assert [comparable(row) for row in ours[1:]] == [comparable(row) for row in isu[1:]]


def comparable(row: list[str]) -> list:
    """A line as both sheets print it. The page marks a shared place as a dead heat where
    the ISU prints the place twice; the ISU prints a few names "Mateusz KRZEMINSKI" where
    the page, as the rest of that sheet, writes "KRZEMINSKI Mateusz"; the page repeats a
    yellow card in Warn., as the ISU did for 1 of the 11 in 2019/20 (YC in Place and
    Results for all 11)."""
    place, start, warn, helmet, name, member, results, qualification = row
    if place == "YC":
        warn = warn.removeprefix("YC").strip()
    return [place.removesuffix(" DH"), start, warn, helmet, sorted(name.split()), member,
            results, qualification]  # fmt: skip


def test_penalty_dnf_and_no_time_stand_where_the_place_and_the_time_would(client, isu_pages):
    rows = result_rows(race_page(client, "Salt Lake City", "M500", "rep_quarterfinals", 3))

    assert rows[1:] == [
        ["1", "4", "", "35", "SITNIKOV Pavel", "RUS", "41.155", "Q"],
        ["2", "1", "", "81", "LI Wenlong", "CHN", "no time", ""],
        ["DNF", "2", "", "114", "KRZEMINSKI Mateusz", "POL", "DNF", ""],
        ["PEN", "3", "", "134", "HAN Muhammed Emir", "TUR", "PEN", ""],
    ]


def test_a_yellow_card_shows_in_warnings(client, isu_pages):
    line = models.RaceResultLine.objects.get(skater__family_name="IWASA")
    models.RaceResultLine.objects.filter(pk=line.pk).update(
        status="YC", place=None, time_ms=None, warnings="cross-tracking"
    )

    rows = result_rows(race_page(client, "Salt Lake City", "M500", "rep_quarterfinals", 4))

    assert ["YC", "3", "YC cross-tracking", "165", "IWASA Dan", "JPN", "YC", ""] in rows


def test_korean_given_names_print_as_the_season_writes_them(read_page, small_competition):
    heat = models.Race.objects.get(
        round__kind="heats", number=1, round__distance_race__distance="W1000"
    )
    page, doc = read_page(f"/races/{heat.pk}/")

    # Stored "Ha-eun" (as the Korean press romanises it); the 2023/24 rules: "spaced".
    assert models.Skater.objects.get(family_name="Choi").given_name == "Ha-eun"
    assert ["3", "4", "", "13", "CHOI Ha Eun", "KOR", "1:29.500", "q"] in result_rows(page)
    choi = next(line for line in doc["result"]["lines"] if line["nation"] == "KOR")
    assert (choi["name"], choi["display"]) == ("CHOI Ha Eun", "CHOI Ha Eun (KOR)")


def test_the_start_list_gives_the_race_number_session_and_local_time(read_page, small_competition):
    """Montreal on Sunday 22 October 2023: the Finals session at 13:00 EDT, the women's
    1000m Final A rerun at 14:05 EDT: the first race the schedule places. The races of
    the earlier days, imported without their schedule, have no number."""
    race = models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")
    finals = models.Session.objects.create(
        competition=small_competition,
        day=3,
        name="Finals",
        starts_at=datetime(2023, 10, 22, 17, 0, tzinfo=UTC),
    )
    rerun = models.Race.objects.create(
        round=race.round,
        number=2,
        session=finals,
        scheduled_at=datetime(2023, 10, 22, 18, 5, tzinfo=UTC),
    )
    adams = models.Skater.objects.get(family_name="Adams")
    models.StartListLine.objects.create(
        race=rerun, skater=adams, member=adams.member, start_position=1, helmet=11
    )

    page, doc = read_page(f"/races/{rerun.pk}/")

    assert (doc["programme_number"], doc["session"]) == (1, "Finals")
    assert (doc["scheduled_at"], doc["scheduled_zone"]) == ("2023-10-22T14:05:00-04:00", "EDT")
    assert (
        "Start list of race 1, Finals, scheduled Sun 22 Oct 2023 at 14:05 EDT (local time)."
        in html.unescape(page)
    )
    start = page.index('<table class="start-list">')
    rows = [cells(r) for r in ROW.findall(page[start : page.index("</table>", start)])]
    assert rows == [
        ["Start Pos.", "#", "Name", "ISU Member", "Qualified by"],
        ["1", "11", "ADAMS Alice", "CAN", ""],
    ]
    first_heat = models.Race.objects.get(
        round__kind="heats", number=1, round__distance_race__distance="W1000"
    )
    page, heat = read_page(f"/races/{first_heat.pk}/")
    assert heat["programme_number"] is None
    lead = re.search(r'<p class="lead">(.*?)</p>', page, re.S)[1]
    assert "Race" not in lead and "ISU World Cup Short Track 1, Montreal" in lead
