"""Race times as the sport writes them, held as whole milliseconds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.times import format_split, format_time, parse_time, split_digits


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("41.416", 41_416),  # Velzeboer's 500m world record
        ("1:25.958", 85_958),  # Schulting's 1000m world record
        ("2:14.354", 134_354),
        ("6:29.052", 389_052),  # men's 5000m relay world record
        ("41.4", 41_400),
        ("41.41", 41_410),
        (" 1:23.456 ", 83_456),
        ("0.000", 0),
    ],
)
def test_parse_time(text, ms):
    assert parse_time(text) == ms


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (41_416, "41.416"),
        (83_456, "1:23.456"),
        (60_000, "1:00.000"),
        (5, "0.005"),
        (389_052, "6:29.052"),
        (None, ""),
    ],
)
def test_format_time(ms, text):
    assert format_time(ms) == text


def test_a_minute_and_more_is_written_with_minutes():
    with pytest.raises(
        ValueError, match=re.escape("'75.000' has 75 seconds: write a minute and more as 1:15.000")
    ):
        parse_time("75.000")
    assert format_time(75_000) == "1:15.000"


@pytest.mark.parametrize("text", ["４１.４１６", "-abc"])
def test_only_ascii_digits_make_a_time(text):
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(text)


@pytest.mark.parametrize(
    "text", ["1:2x.3", "", "41", "41.4167", "1:5.300", "1.23.456", "41,416", "abc"]
)
def test_a_time_that_is_not_a_time(text):
    message = f"{text!r} is not a time: expected seconds as 41.416 or minutes as 1:23.456"
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_time(text)


def test_a_negative_time():
    with pytest.raises(ValueError, match=r"time '-41.416' is negative"):
        parse_time("-41.416")
    with pytest.raises(ValueError, match="time -1 ms is negative"):
        format_time(-1)


@pytest.mark.parametrize("text", ["1:60.000", "2:75.123"])
def test_seconds_must_be_under_60_after_the_minutes(text):
    seconds = text.split(":")[1].split(".")[0]
    message = f"time '{text}' has {seconds} seconds: must be under 60 after the minutes"
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_time(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=100 * 60_000 - 1))
def test_format_then_parse_gives_the_same_milliseconds(ms):
    assert parse_time(format_time(ms)) == ms


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 999))
def test_minutes_seconds_thousandths(minutes, seconds, thousandths):
    text = f"{minutes}:{seconds:02d}.{thousandths:03d}"
    assert parse_time(text) == (minutes * 60 + seconds) * 1000 + thousandths


def test_split_times_print_as_isu_split_sheets():
    assert [format_split(ms) for ms in (9_320, 61_830, 443_490, None)] == [
        "9.32",
        "1:01.83",
        "7:23.49",
        "",
    ]
    # The finish, to the thousandth where the timing gives it (Dordrecht 500m heat 1).
    assert format_split(41_722) == "41.722"


def test_one_sheet_prints_every_figure_at_its_precision():
    # Montreal 2025/26 (simulated), men's 1500m Final A: laps of 10.460 and 10.243 read
    # "10.460" and "10.243" on the same sheet, not "10.46" next to "10.243".
    sheet = [10_460, 10_243, 6_970, 6_986]
    digits = split_digits(sheet)
    assert [format_split(ms, digits) for ms in sheet] == ["10.460", "10.243", "6.970", "6.986"]
    # A sheet the timing gave in hundredths prints hundredths throughout.
    hundredths = [9_320, 61_830, 10_460]
    assert [format_split(ms, split_digits(hundredths)) for ms in hundredths] == [
        "9.32",
        "1:01.83",
        "10.46",
    ]


def test_a_split_sheet_of_neither_two_nor_three_decimals_is_refused():
    with pytest.raises(ValueError, match="2 or 3 decimals"):
        format_split(10_460, 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 600_000)), min_size=1, max_size=60))
def test_every_figure_of_a_sheet_has_as_many_decimals(sheet):
    digits = split_digits(sheet)
    printed = [format_split(ms, digits) for ms in sheet if ms is not None]
    assert {len(text.rpartition(".")[2]) for text in printed} <= {digits}
    # Thousandths only where some figure has them; each figure reads back as itself when
    # printed to the thousandth, and to the hundredth only when it had none.
    assert (digits == 3) == any(ms is not None and ms % 10 for ms in sheet)
    assert [parse_time(text) for text in printed] == [ms for ms in sheet if ms is not None]
