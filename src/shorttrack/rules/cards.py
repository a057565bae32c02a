"""The referee's cards at a competition: two yellow cards make a red card.

RULES.md section 2: a yellow card (YC) takes the skater out of that race and the rest of
the distance at that competition; two yellow cards in one competition make a red card (RC),
which excludes the skater from the competition. In relays a card applies to the team. A
skater who already holds a red card cannot be given a card in another race of the
competition without it counting as the second.

The rule sees cards as plain data: the entrant (an opaque id, as everywhere in the rules
core), the card and the race it was given in, named for people. The console asks it about
the yellow cards a referee gives now, against the cards standing in the competition's other
races; the import asks it about every card a competition's sheets print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

YELLOW = "YC"
RED = "RC"


@dataclass(frozen=True)
class Card:
    """A card standing in one race: ``kind`` YC or RC, ``race`` the race's name."""

    entrant: str
    kind: str
    race: str


@dataclass(frozen=True)
class SecondYellow:
    """A yellow card given to an entrant who already holds ``first`` at the competition:
    it is a red card."""

    card: Card
    first: Card

    @property
    def reason(self) -> str:
        return (
            f"a second yellow card at this competition (the first in {self.first.race}) "
            "makes a red card (RC)"
        )


def second_yellow_cards(cards: Sequence[Card]) -> list[SecondYellow]:
    """The yellow cards, in the order given, of entrants who hold an earlier card of the
    sequence: each of them is a red card. Pass the cards in the order they were given."""
    first: dict[str, Card] = {}
    found: list[SecondYellow] = []
    for card in cards:
        if card.kind not in (YELLOW, RED):
            raise ValueError(f"{card.kind!r} is not a card: expected {YELLOW} or {RED}")
        held = first.get(card.entrant)
        if held is not None and card.kind == YELLOW:
            found.append(SecondYellow(card, held))
        first.setdefault(card.entrant, card)
    return found
