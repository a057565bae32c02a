"""An import is based on the results it read before checking its files: a race corrected by
an official while the import was being checked is a conflict, and nothing is imported."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from shorttrack.services import import_plan, imports
from shorttrack.services.errors import Conflict
from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.support import SMALL_COMPETITION, table_counts

pytestmark = pytest.mark.django_db

FILES = [SMALL_COMPETITION / name for name in ("calendar.csv", "skaters.csv", "race-results.csv")]


def final_a() -> models.Race:
    return models.Race.objects.get(
        round__kind="final_a",
        round__distance_race__distance="W1000",
        round__distance_race__instance=1,
    )


def test_a_result_changed_while_the_import_is_checked_is_a_conflict(tmp_path, monkeypatch):
    import_paths(FILES)
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    text = (SMALL_COMPETITION / "race-results.csv").read_text()
    ours.write_text(text.replace("1:28.400,,,", "1:28.390,,,"))  # Ito's Final A time
    theirs.write_text(text.replace("1:28.400,,,", "1:28.410,,,"))
    checked = import_plan.plan_import
    meanwhile = []

    def checked_while_another_import_lands(records):
        plan = checked(records)
        if not meanwhile:  # another import of the same race, written while ours is checked
            meanwhile.append("theirs")
            ivan = get_user_model().objects.create_user("ivan")
            meanwhile.append(import_paths([theirs], user=ivan))
        return plan

    monkeypatch.setattr(imports, "plan_import", checked_while_another_import_lands)
    before = table_counts()

    with pytest.raises(Conflict) as conflict:
        import_paths([ours])

    assert str(conflict.value).startswith(
        "based_on: Women's 1000m (1) Final A changed since the import checked its files "
        "(revision 2: import of theirs.csv by ivan at "
    )
    assert conflict.value.current == 2
    assert meanwhile[1].created["race results"] == 1
    # Nothing of ours was written (here the other import ran inside our transaction, so it
    # went with it; from another process it stays, and ours is refused the same way).
    assert table_counts() == before
    assert [r.number for r in final_a().results.all()] == [1]


def test_an_import_of_a_result_nobody_changed_since_goes_through(tmp_path):
    import_paths(FILES)
    corrected = tmp_path / "corrected.csv"
    text = (SMALL_COMPETITION / "race-results.csv").read_text()
    corrected.write_text(text.replace("1:28.400,,,", "1:28.390,,,"))

    report = import_paths([corrected])

    assert report.created["race results"] == 1
    assert [r.number for r in final_a().results.order_by("number")] == [1, 2]
