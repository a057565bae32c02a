"""Two yellow cards at one competition make a red card (rules.cards)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shorttrack.rules.cards import Card, SecondYellow, second_yellow_cards

HEAT = "Women's 500m Heat 3"
SEMIFINAL = "Women's 1000m Semifinal 1"


def test_a_second_yellow_card_is_a_red_card():
    first = Card("s7", "YC", HEAT)
    second = Card("s7", "YC", SEMIFINAL)
    assert second_yellow_cards([first, second]) == [SecondYellow(second, first)]
    assert second_yellow_cards([first, second])[0].reason == (
        "a second yellow card at this competition (the first in Women's 500m Heat 3) "
        "makes a red card (RC)"
    )


def test_one_yellow_card_each_stays_yellow():
    assert second_yellow_cards([Card("s7", "YC", HEAT), Card("s8", "YC", SEMIFINAL)]) == []


def test_a_yellow_card_after_a_red_card_counts_as_the_second():
    red = Card("s7", "RC", HEAT)
    yellow = Card("s7", "YC", SEMIFINAL)
    assert second_yellow_cards([red, yellow]) == [SecondYellow(yellow, red)]


def test_a_relay_card_is_the_teams():
    assert len(second_yellow_cards([Card("t3", "YC", HEAT), Card("t3", "YC", SEMIFINAL)])) == 1


def test_a_penalty_is_not_a_card():
    with pytest.raises(ValueError, match="'PEN' is not a card"):
        second_yellow_cards([Card("s7", "PEN", HEAT)])


@given(st.lists(st.tuples(st.sampled_from(["s1", "s2", "t1"]), st.sampled_from(["YC", "RC"]))))
def test_every_yellow_card_but_an_entrants_first_card_is_a_red_card(given_cards):
    cards = [Card(entrant, kind, f"race {i}") for i, (entrant, kind) in enumerate(given_cards)]
    found = second_yellow_cards(cards)
    for entrant in {c.entrant for c in cards}:
        own = [c for c in cards if c.entrant == entrant]
        yellows = sum(1 for c in own if c.kind == "YC")
        seconds = [f for f in found if f.card.entrant == entrant]
        assert len(seconds) == yellows - (own[0].kind == "YC")
        assert all(f.first is own[0] for f in seconds)
