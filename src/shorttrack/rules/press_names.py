"""Names as the ISU prints them: skaters under the season's convention, nations in running text.

Stored names are never rewritten: a skater stored "PARK" / "Ji-won" (as the Korean press
romanises) prints "PARK Ji Won" on a sheet and "Park Ji Won" in a sentence in a season
whose rule file says ``[names] korean_given = { rule = "spaced" }`` (the ISU's results
pages and news of 2019/20 and 2022/23), and "Ji-won" under ``rule = "as_stored"``.
``given_name`` is the one function that applies the convention (``press_name`` builds on
it; a sheet writes ``interchange.names.sheet_family_name(family)`` and it).

Nations come from ``nations_in_text.toml``: "Korea", "China", "the Netherlands", "the
United States" in sentences (never "the Republic of Korea"), "the Canadian" for a skater
named before, and which nations write the family name first ("Park Ji Won", "Wu Dajing").

Pure: no Django.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NATIONS_FILE = Path(__file__).parent / "nations_in_text.toml"
# The conventions a season file may name for Korean given names (rules.season checks them).
KOREAN_GIVEN = {
    "spaced": "Korean given names print as syllables with spaces, each capitalised: 'Ji Won'",
    "as_stored": "given names print as stored: 'Ji-won' stays 'Ji-won'",
}


@dataclass(frozen=True)
class NationInText:
    code: str
    text: str  # "Korea", "the Netherlands"
    skater: str | None  # "Korean", "Dutch skater": said after "the"
    family_name_first: bool
    korean_given_names: bool


@cache
def nations() -> dict[str, NationInText]:
    """Every nation of ``nations_in_text.toml``; a clear error naming the code and key."""
    raw = tomllib.loads(NATIONS_FILE.read_text(encoding="utf-8"))
    allowed = {"text", "skater", "family_name_first", "given_names"}
    found = {}
    for code, entry in raw.items():
        unknown = set(entry) - allowed
        if unknown or not isinstance(entry.get("text"), str):
            raise ValueError(
                f"{NATIONS_FILE.name}: [{code}]: needs text and may have "
                f"{', '.join(sorted(allowed - {'text'}))}, not {sorted(unknown) or 'no text'}"
            )
        if entry.get("given_names", "korean") != "korean":
            raise ValueError(f"{NATIONS_FILE.name}: [{code}] given_names: only 'korean' is known")
        found[code] = NationInText(
            code,
            entry["text"],
            entry.get("skater"),
            bool(entry.get("family_name_first", False)),
            entry.get("given_names") == "korean" or code in ("KOR", "PRK"),
        )
    return found


def nation_in_text(code: str, member_name: str | None = None) -> str:
    """'KOR' -> 'Korea', 'NED' -> 'the Netherlands'; a code not in the table: the ISU
    Member's name when given ('LUX', 'Luxembourg' -> 'Luxembourg'), else the code."""
    known = nations().get(code)
    return known.text if known else (member_name or code)


def skater_of(code: str) -> str | None:
    """'CAN' -> 'Canadian' (as in "ahead of the Canadian"); None where none is written."""
    known = nations().get(code)
    return known.skater if known else None


def family_name_first(code: str) -> bool:
    known = nations().get(code)
    return bool(known and known.family_name_first)


def given_name(given: str, nation: str, convention: str = "as_stored") -> str:
    """A given name as the season prints it: 'Ji-won' of KOR under 'spaced' -> 'Ji Won';
    under 'as_stored', or of a nation whose names are not Korean, unchanged."""
    if convention not in KOREAN_GIVEN:
        known = ", ".join(KOREAN_GIVEN)
        raise ValueError(f"names korean_given {convention!r} is not a convention: {known}")
    known = nations().get(nation)
    if convention == "as_stored" or not (known and known.korean_given_names):
        return given
    return " ".join(part[:1].upper() + part[1:] for part in given.replace("-", " ").split())


def prose_family_name(family: str) -> str:
    """A family name in capitals on the sheet as a name in a sentence: 'PARK' -> 'Park',
    "van 'T WOUT" -> "van 't Wout", 'PIERRE-GILLES' -> 'Pierre-Gilles', 'McANUFF' ->
    'McAnuff'; a name not in capitals stays as stored ('van der Berg')."""
    out = []
    for word in family.split():
        if word == "'T":
            out.append("'t")
        elif word.startswith("Mc") and word[2:].isupper():
            out.append("Mc" + word[2:].capitalize())
        elif word.isupper():
            out.append("-".join(part.capitalize() for part in word.split("-")))
        else:
            out.append(word)
    return " ".join(out)


def press_name(given: str, family: str, nation: str, convention: str = "as_stored") -> str:
    """A skater in a sentence: 'Ji-won', 'PARK', 'KOR' -> 'Park Ji Won' under 'spaced'
    ('Park Ji-won' as stored); 'Jens', "van 't Wout", 'NED' -> "Jens van 't Wout"."""
    family = prose_family_name(family)
    given = given_name(given, nation, convention)
    if not given:
        return family
    return f"{family} {given}" if family_name_first(nation) else f"{given} {family}"


def surname(family: str) -> str:
    """What a sentence calls a skater named before: 'PARK' -> 'Park'."""
    return prose_family_name(family)


SHEET_HOLDER = re.compile(r"(?P<name>.+?)\s*\((?P<code>[A-Z]{3})\)")


def holder_in_text(holder: str, convention: str = "as_stored") -> str:
    """A name as a list of records prints it, in a sentence: 'HWANG Dae-heon (KOR)' ->
    'Hwang Dae Heon (KOR)' under 'spaced', 'Sjinkie KNEGT (NED)' -> 'Sjinkie Knegt (NED)'; a
    relay's nation 'NED' -> 'the Netherlands'. The family name is the words in capitals; a
    name that has none is left as written."""
    if re.fullmatch(r"[A-Z]{3}", holder):
        return nation_in_text(holder)
    found = SHEET_HOLDER.fullmatch(holder.strip())
    if not found:
        return holder
    words = found["name"].split()
    family = [w for w in words if w.isupper() and len(w) > 1]
    given = [w for w in words if w not in family]
    if not family:
        return holder
    code = found["code"]
    return f"{press_name(' '.join(given), ' '.join(family), code, convention)} ({code})"
