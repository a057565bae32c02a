"""How skaters and ISU Members are named in files, and how a name finds its skater.

Result files write a skater the ISU way, family name first in capitals, its particles as
printed: "PARK Ji-won", "van 'T WOUT Jens", "de VRIES Rianne". A name matches a skater
when it reads the same as "family given" once case, accents, hyphens and spacing are set
aside, so "PARK Ji Won" is Park Ji-won.
Case is set aside through the capitals a sheet writes: a name is put in capitals before it
is folded, so "YILMAZ" (what ``sheet_name`` writes for Yılmaz: Python's upper case of the
dotless ı is I) finds Yılmaz, and "WEISS" finds Weiß. Stored names are never rewritten.
A skater without an ISU id gets a key built from Member and name: "KOR-park-ji-won".
"""

from __future__ import annotations

import re
import unicodedata

MEMBER_CODE = re.compile(r"^[A-Z]{3}$")

# The ISU Members seen at World Cups (the 2019/20 ISU pages, the 2022/23 press, the
# simulator's pool); the import refuses any other code unless the database holds it.
MEMBER_NAMES = {
    "AUS": "Australia",
    "AUT": "Austria",
    "BEL": "Belgium",
    "BLR": "Belarus",
    "BUL": "Bulgaria",
    "CAN": "Canada",
    "CHN": "China",
    "COL": "Colombia",
    "CRO": "Croatia",
    "CZE": "Czechia",
    "ESP": "Spain",
    "EST": "Estonia",
    "FIN": "Finland",
    "FRA": "France",
    "GBR": "Great Britain",
    "GER": "Germany",
    "HKG": "Hong Kong, China",
    "HUN": "Hungary",
    "IND": "India",
    "IRL": "Ireland",
    "ISR": "Israel",
    "ITA": "Italy",
    "JPN": "Japan",
    "KAZ": "Kazakhstan",
    "KOR": "Republic of Korea",
    "LAT": "Latvia",
    "LTU": "Lithuania",
    "LUX": "Luxembourg",
    "MAS": "Malaysia",
    "MGL": "Mongolia",
    "NED": "Netherlands",
    "NOR": "Norway",
    "NZL": "New Zealand",
    "PHI": "Philippines",
    "POL": "Poland",
    "PRK": "Democratic People's Republic of Korea",
    "ROU": "Romania",
    "RUS": "Russia",
    "SGP": "Singapore",
    "SLO": "Slovenia",
    "SRB": "Serbia",
    "SUI": "Switzerland",
    "SVK": "Slovakia",
    "SWE": "Sweden",
    "THA": "Thailand",
    "TPE": "Chinese Taipei",
    "TUR": "Türkiye",
    "UKR": "Ukraine",
    "USA": "United States of America",
    "UZB": "Uzbekistan",
}


def check_member_code(text: str) -> str:
    """'KOR' -> 'KOR'; anything but three capital letters is refused."""
    code = text.strip()
    if not MEMBER_CODE.match(code):
        raise ValueError(f"member code {text!r} is not three capital letters, as in KOR or NED")
    return code


def member_name(code: str) -> str:
    return MEMBER_NAMES.get(code, code)


def name_key(text: str) -> str:
    """What a name is compared by: 'PARK Ji Won' and 'Park Ji-won' both give 'park ji won';
    'YILMAZ Emir' and 'Yılmaz Emir' both give 'yilmaz emir'."""
    # Upper case first: casefold alone keeps the dotless ı apart from the I of 'YILMAZ'.
    return _folded(text.upper())


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("-", " ").split())


def full_name_key(family_name: str, given_name: str) -> str:
    return name_key(f"{family_name} {given_name}")


def sheet_name(family_name: str, given_name: str) -> str:
    """'PARK Ji-won', 'de VRIES Rianne': the form result files use (``sheet_family_name``)."""
    return f"{sheet_family_name(family_name)} {given_name}".strip()


def sheet_family_name(family_name: str) -> str:
    """The family name in capitals, as ISU sheets print it, its particles as the source
    printed them: 'Park' -> 'PARK', 'de VRIES' -> 'de VRIES' (not 'DE VRIES'),
    "van 'T WOUT" and 'McANUFF' stay. The particles are the words in lower case before the
    first word with a capital; a name all in lower case is put in capitals whole."""
    words = family_name.split()
    particles = 0
    while particles < len(words) - 1 and words[particles] == words[particles].lower():
        particles += 1
    if any(c.isupper() for c in family_name) or particles == 0:
        rest = [w if _capital_word(w) else w.upper() for w in words[particles:]]
        return " ".join(words[:particles] + rest)
    return family_name.upper()


def skater_key(member: str, family_name: str, given_name: str) -> str:
    """The key of a skater known without an ISU id: 'KOR-park-ji-won'."""
    # Folded as before upper-case matching came in, so that keys already stored stay.
    slug = re.sub(r"[^a-z0-9]+", "-", _folded(f"{family_name} {given_name}")).strip("-")
    return f"{member}-{slug}"[:80]


def _capital_word(word: str) -> bool:
    """'VRIES', "'T", 'McANUFF': a word of a family name as ISU pages print it."""
    if word.startswith("Mc") and word[2:3].isupper():
        word = word[2:]
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def split_printed_name(text: str) -> tuple[str, str]:
    """A name as the ISU results pages print it, in either order, split into
    (given name, family name): the family name is the run of words in capitals, with the
    lower-case particles just before it: 'PIERRON Veronique' -> ('Veronique', 'PIERRON'),
    'de VRIES Rianne' -> ('Rianne', 'de VRIES'), "Melle van 'T WOUT" -> ('Melle',
    "van 'T WOUT"), 'Sean McANUFF' -> ('Sean', 'McANUFF'). Capitals stay as printed.
    Raises ValueError for a name with no family name in capitals, or capitals in two places."""
    words = text.split()
    capitals = [i for i, word in enumerate(words) if _capital_word(word)]
    if not capitals:
        raise ValueError(f"name {text!r}: no family name in capitals")
    first, last = capitals[0], capitals[-1]
    if last - first + 1 != len(capitals):
        raise ValueError(
            f"name {text!r}: words in capitals in two places, which is the family name?"
        )
    while first > 0 and words[first - 1].islower():
        first -= 1
    if first == 0:
        return " ".join(words[last + 1 :]), " ".join(words[: last + 1])
    if last == len(words) - 1:
        return " ".join(words[:first]), " ".join(words[first:])
    raise ValueError(f"name {text!r}: the family name in capitals is neither first nor last")
