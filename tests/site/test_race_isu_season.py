"""Every individual race of a real competition reads on its race page as the ISU's results
site printed it: the 2019/20 Dordrecht World Cup imported from its saved round pages, then
each race page's result table compared with that race's table on the ISU page, line by
line in the ISU's columns (Place, Start Pos., Warn., #, Name, ISU Member, Results, Qual.)."""

from __future__ import annotations

import re
import shutil

import pytest

from shorttrack.rules.distances import find_distance
from shorttrack.rules.ranking import RoundKind
from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.site.test_race_sheet import ISU_COLUMNS, ROW, cells, comparable, result_rows
from tests.support import FIXTURES, shared_data

# A real competition's 40 individual round pages: slow, run once, in the SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_only]

DORDRECHT = "2019-2020-ISUWorldCup2019_20-Dordrecht(NED)-"
PAGE = re.compile(
    r"-(?P<distance>\d+m)(?:\((?P<instance>\d)\))?-(?P<gender>[wm])-(?P<round>[^-]+)\.html$"
)
GENDERS = {"w": "women", "m": "men"}


def isu_races(text: str) -> dict[int, list[list[str]]]:
    """race number -> the header and lines of that race's table on an ISU round page,
    without the empty column the ISU prints between Results and Qual."""
    races = {}
    for match in re.finditer(r"id='race(\d+)'", text):
        table = text[match.end() : text.index("</table>", match.end())]
        races[int(match[1])] = [row[:7] + row[8:] for row in map(cells, ROW.findall(table))]
    return races


def tied(rows: list[list[str]]) -> list:
    """Lines as both sheets print them (``comparable``), those sharing a place in any
    order: the ISU pages keep no one order within a tie (start position in 11 of 18)."""
    lines = [comparable(row) for row in rows]
    return [sorted((line for line in lines if line[0] == place), key=str) for place in
            dict.fromkeys(line[0] for line in lines)]  # fmt: skip


def round_of(name: str) -> models.Round:
    """The stored round a page holds: 'Dordrecht(NED)-1000m(1)-m-Rep.Quarterfinals.html'."""
    match = PAGE.search(name)
    distance = find_distance(GENDERS[match["gender"]], match["distance"])
    kind = RoundKind.parse(re.sub(r"(?<=[a-z.])(?=[A-Z])", " ", match["round"]))
    return models.Round.objects.get(
        distance_race__competition__city="Dordrecht",
        distance_race__distance=distance.key,
        distance_race__instance=int(match["instance"]) if match["instance"] else None,
        kind=kind.value,
    )


def test_every_individual_race_of_dordrecht_reads_as_the_isu_printed_it(client, tmp_path):
    pages = shared_data("isu-results-2019-20")
    folder = tmp_path / "dordrecht"
    (folder / "round").mkdir(parents=True)
    (folder / "split").mkdir()
    shutil.copy(FIXTURES / "isu-results" / "calendar.csv", folder)  # the reader's calendar
    round_pages = sorted(
        p for p in (pages / "round").glob(f"{DORDRECHT}*.html") if "Relay" not in p.name
    )
    for page in round_pages:
        shutil.copy(page, folder / "round")
    import_paths([folder])

    races = lines = 0
    for page in round_pages:
        round_ = round_of(page.name)
        for number, isu in isu_races(page.read_text(encoding="utf-8")).items():
            race = round_.races.get(number=number)
            ours = result_rows(client.get(f"/races/{race.pk}/").content.decode())
            assert ours[0] == isu[0] == ISU_COLUMNS, page.name
            assert tied(ours[1:]) == tied(isu[1:]), f"{page.name}, race {number}"
            races, lines = races + 1, lines + len(isu) - 1
    # Measured: every heat, quarterfinal, repechage and semifinal the ISU pages hold.
    assert (races, lines) == (173, 921)
