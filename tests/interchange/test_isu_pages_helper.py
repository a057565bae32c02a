"""The test helper that reads the 2019/20 round pages for the replay (``tests/isu_pages``)
reads them as the project's importer does (``interchange.isu_results``): the same lines,
places, times and marks, so the replay's figures hold for the data the project imports."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from shorttrack.interchange.isu_results import read_folder
from tests.isu_pages import read_pages
from tests.support import shared_data


def test_the_helper_and_the_importer_read_the_same_lines():
    folder = shared_data("isu-results-2019-20")
    imported = read_folder(folder)
    ours = Counter(
        (page.path.name, number, line.place, line.time_ms, line.mark)
        for page in read_pages(folder)
        for number, race in enumerate(page.races, start=1)
        for line in race
    )
    theirs = Counter(
        (Path(line.file).name, line.race_no, line.place, line.time_ms, line.mark)
        for line in imported.race_lines
    )
    assert sum(ours.values()) == 5497
    assert ours == theirs
    progression = {
        Path(r.file).name: " ".join(filter(None, (r.progression, r.note))) for r in imported.rounds
    }
    assert progression == {page.path.name: page.progression for page in read_pages(folder)}
