"""The nine World Cup distances and the individual 3000 m of earlier seasons, their laps
and the labels the sport uses for them.

A distance is identified by a short key (``W500``, ``M5000R``, ``X2000R``); the label a
reader sees is "Women's 500m", "Men's 5000m relay", "Mixed 2000m relay". When one distance
is raced twice at a competition each race is its own instance: "1500m (1)", "1500m (2)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

TRACK_LENGTH_M = 111.12


class Gender(StrEnum):
    WOMEN = "women"
    MEN = "men"
    MIXED = "mixed"

    @property
    def possessive(self) -> str:
        return {"women": "Women's", "men": "Men's", "mixed": "Mixed"}[self.value]

    @classmethod
    def parse(cls, text: str) -> Gender:
        """Accept the ways gender is written in result files: women/men/mixed, W/M/X, ladies."""
        key = text.strip().lower()
        aliases = {
            "w": "women",
            "women": "women",
            "woman": "women",
            "ladies": "women",
            "f": "women",
            "m": "men",
            "men": "men",
            "man": "men",
            "x": "mixed",
            "mixed": "mixed",
            "mix": "mixed",
        }
        if key not in aliases:
            raise ValueError(f"unknown gender {text!r}: expected women, men or mixed")
        return cls(aliases[key])


@dataclass(frozen=True)
class Distance:
    key: str
    gender: Gender
    metres: int
    laps: float
    relay: bool

    @property
    def mixed(self) -> bool:
        return self.gender is Gender.MIXED

    @property
    def individual(self) -> bool:
        return not self.relay

    @property
    def short_label(self) -> str:
        """'500m', '3000m relay', '2000m mixed relay': the form used inside race labels."""
        if self.mixed:
            return f"{self.metres}m mixed relay"
        return f"{self.metres}m relay" if self.relay else f"{self.metres}m"

    @property
    def label(self) -> str:
        """ "Women's 1500m", "Men's 5000m relay", "Mixed 2000m relay"."""
        if self.mixed:
            return f"Mixed {self.metres}m relay"
        return f"{self.gender.possessive} {self.short_label}"

    @property
    def team_size(self) -> int:
        return 4 if self.relay else 1

    def race_label(self, instance: int | None = None) -> str:
        """'1500m' for a distance raced once, '1500m (2)' for the second of two."""
        return self.short_label if not instance else f"{self.short_label} ({instance})"

    def __str__(self) -> str:
        return self.label


DISTANCES: dict[str, Distance] = {
    d.key: d
    for d in (
        Distance("W500", Gender.WOMEN, 500, 4.5, False),
        Distance("W1000", Gender.WOMEN, 1000, 9, False),
        Distance("W1500", Gender.WOMEN, 1500, 13.5, False),
        Distance("M500", Gender.MEN, 500, 4.5, False),
        Distance("M1000", Gender.MEN, 1000, 9, False),
        Distance("M1500", Gender.MEN, 1500, 13.5, False),
        Distance("W3000R", Gender.WOMEN, 3000, 27, True),
        Distance("M5000R", Gender.MEN, 5000, 45, True),
        Distance("X2000R", Gender.MIXED, 2000, 18, True),
    )
}


# Distances earlier seasons raced and today's do not: the individual 3000 m (27 laps),
# last raced at World Cups before 2019/20. A season's rule set that names one
# (``distances = [...]``) holds it: the store keeps it and the importers read it like the
# others, and the import refuses it for a season whose rules do not name it.
# ``DISTANCES`` stays the nine of today (a season file without a list, the simulator);
# ``distance(key)`` looks up any of them.
EARLIER_DISTANCES: dict[str, Distance] = {
    d.key: d
    for d in (
        Distance("W3000", Gender.WOMEN, 3000, 27, False),
        Distance("M3000", Gender.MEN, 3000, 27, False),
    )
}
ALL_DISTANCES: dict[str, Distance] = {**DISTANCES, **EARLIER_DISTANCES}


def distance(key: str) -> Distance:
    """The distance with this key (today's nine, or one of ``EARLIER_DISTANCES``); a clear
    error for anything else."""
    try:
        return ALL_DISTANCES[key]
    except KeyError:
        known = ", ".join(ALL_DISTANCES)
        raise ValueError(f"unknown distance {key!r}: expected one of {known}") from None


def find_distance(gender: Gender | str, text: str) -> Distance:
    """The distance a result file means by a gender and a text such as '1500m', '1500',
    '3000m relay', '2000m mixed relay' or just 'relay'; '3000m' without 'relay' is the
    individual 3000 m of earlier seasons."""
    g = gender if isinstance(gender, Gender) else Gender.parse(gender)
    words = text.strip().lower()
    relay = "relay" in words
    metres = re.search(r"\d+", words)
    for d in ALL_DISTANCES.values():
        if d.gender is not g or d.relay != relay:
            continue
        if (metres and int(metres.group()) == d.metres) or (not metres and relay):
            return d
    raise ValueError(f"unknown distance {text!r} for {g.value}")


def parse_race_label(label: str) -> tuple[str, int | None]:
    """Split '1500m (2)' into ('1500m', 2) and '500m' into ('500m', None)."""
    text = label.strip()
    if text.endswith(")") and "(" in text:
        head, _, tail = text.rpartition("(")
        number = tail.rstrip(")").strip()
        if not number.isdigit():
            raise ValueError(f"race label {label!r}: instance must be a number, as in '1500m (2)'")
        return head.strip(), int(number)
    return text, None
