"""Who finished ahead of whom, for a head-to-head of two skaters: in a race by their
places, in a distance's final ranking by their ranks."""

from __future__ import annotations

from typing import Literal


def ahead(place_a: int | None, place_b: int | None) -> Literal["a", "b"] | None:
    """Who finished ahead, "a" or "b": a skater with a place beats one without (a penalty,
    did not finish or start), and the lower place wins; equal places (a dead heat) or no
    place for either: no one (None). Ranks of a final ranking compare the same way."""
    if place_a is None and place_b is None:
        return None
    if place_b is None or (place_a is not None and place_a < place_b):
        return "a"
    if place_a is None or place_b < place_a:
        return "b"
    return None
