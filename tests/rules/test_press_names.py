"""Record holders as the list of world records prints them, in a sentence (rules.press_names)."""

from __future__ import annotations

from shorttrack.rules.press_names import holder_in_text
from shorttrack.rules.records import world_records


def test_the_world_record_holders_in_running_text():
    held = {key: record.holder for key, record in world_records().items()}

    assert holder_in_text(held["M1000"], "spaced") == "Hwang Dae Heon (KOR)"
    assert holder_in_text(held["M1000"], "as_stored") == "Hwang Dae-heon (KOR)"
    assert holder_in_text(held["W1500"], "spaced") == "Choi Min Jeong (KOR)"
    assert holder_in_text(held["M500"], "spaced") == "Wu Dajing (CHN)"
    assert holder_in_text(held["M1500"], "spaced") == "Sjinkie Knegt (NED)"
    assert holder_in_text(held["W3000R"]) == "the Netherlands"
    assert holder_in_text(held["M5000R"]) == "the United States"


def test_a_holder_written_otherwise_is_left_as_written():
    assert holder_in_text("Jens van 't Wout") == "Jens van 't Wout"
    assert holder_in_text("a Dutch team (NED)") == "a Dutch team (NED)"
