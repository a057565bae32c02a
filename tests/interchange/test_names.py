"""Names as the ISU sheets print them: the family name in capitals with its particles as the
source printed them ("de VRIES Rianne", never "DE VRIES"), with real names of the 2019/20
pages; and a name printed either way finds the same skater."""

from __future__ import annotations

import pytest

from shorttrack.interchange.names import (
    full_name_key,
    name_key,
    sheet_family_name,
    sheet_name,
    split_printed_name,
)

# Printed on the 2019/20 round pages (isu-results-2019-20/round), each more than once.
PRINTED = [
    "de VRIES Rianne",
    "van RUIJVEN Lara",
    "van KERKHOF Yara",
    "de LAAT Itzhak",
    "de CLEMENTE Clayton",
    "de ROSE Ethan",
    "PIERRON Veronique",
    "Sean McANUFF",
]


@pytest.mark.parametrize("printed", PRINTED)
def test_a_printed_name_comes_back_as_printed(printed):
    given, family = split_printed_name(printed)
    name = sheet_name(family, given)
    if printed.startswith("Sean"):  # printed given name first: the sheet puts it after
        assert name == "McANUFF Sean"
    else:
        assert name == printed
    assert name_key(name) == full_name_key(family, given)


@pytest.mark.parametrize(
    ("family", "printed"),
    [
        ("de VRIES", "de VRIES"),
        ("van 'T WOUT", "van 'T WOUT"),  # as the ISU prints Jens van 't Wout
        ("van 't Wout", "van 't WOUT"),  # as the 2022/23 press wrote him
        ("van der Berg", "van der BERG"),
        ("Park", "PARK"),
        ("DE BOER-SMIT", "DE BOER-SMIT"),  # a capital De is part of the name
        ("Yılmaz", "YILMAZ"),
        ("park", "PARK"),  # all in lower case: no particle to keep
    ],
)
def test_the_family_name_in_capitals_with_its_particles_as_printed(family, printed):
    assert sheet_family_name(family) == printed


def test_a_name_with_particles_still_finds_the_skater_in_capitals():
    assert name_key("DE VRIES Rianne") == full_name_key("de VRIES", "Rianne")
    assert name_key("de Vries Rianne") == full_name_key("de VRIES", "Rianne")
