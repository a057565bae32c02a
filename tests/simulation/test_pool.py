"""The pool of fictional skaters (simulation/pool.py): names as each nation writes them,
a family name written by gender in the skater's form ("KOWALSKI Jakub", "KOWALSKA
Julia"), never a man with a woman's form ("LEWANDOWSKA Paweł", "GEORGIEVA Nikolay")."""

from __future__ import annotations

import pytest

from shorttrack.simulation.pool import NAMES, family_name, skater_pool

# The endings of women's family names in the nations whose names take a gender.
WOMEN_ENDINGS = {
    "POL": ("ska", "cka", "dzka"),
    "BUL": ("ova", "eva"),
    "KAZ": ("ova", "eva"),
    "UZB": ("ova", "eva"),
    "CZE": ("ová", "á"),
    "SVK": ("ová", "á"),
    "LAT": ("a", "e"),
    "LTU": ("aitė", "ūtė", "ienė", "ytė"),
}


def test_a_gendered_family_name_takes_the_skaters_form():
    assert family_name(("Kowalska", "Kowalski"), "women") == "Kowalska"
    assert family_name(("Kowalska", "Kowalski"), "men") == "Kowalski"
    assert family_name("Wójcik", "men") == family_name("Wójcik", "women") == "Wójcik"


def test_every_gendered_pair_of_the_pool_reads_as_its_language_writes_it():
    for code, endings in WOMEN_ENDINGS.items():
        pairs = [f for f in NAMES[code][0] if isinstance(f, tuple)]
        assert pairs, code
        for women, men in pairs:
            assert women.endswith(endings), (code, women)
            assert not men.endswith(endings), (code, men)


@pytest.mark.parametrize("seed", [7, 11, 2025])
def test_no_man_of_the_whole_pool_has_a_womans_family_name_nor_a_woman_a_mans(seed):
    pool = skater_pool(seed, per_gender=120)
    assert len(pool) == 240
    # (nation, form) -> the gender whose form it is, nation by nation: "Horváth" is a
    # Slovak man's form and a Hungarian name of either.
    forms = {
        (code, family): gender
        for code, (families, _, _) in NAMES.items()
        for pair in families
        if isinstance(pair, tuple)
        for family, gender in zip(pair, ("women", "men"), strict=True)
    }
    gendered = [s for s in pool if (s.member, s.family_name) in forms]
    assert {s.member for s in gendered} >= {"POL", "LAT", "KAZ"}  # both genders of each
    assert all(forms[(s.member, s.family_name)] == s.gender for s in gendered)
