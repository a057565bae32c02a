"""Who the 2019/20 World Cup sent into its repechage rounds and where they went next,
matched by the ISU id in the name links across the round pages of one distance at one
competition (../shared/data/isu-results-2019-20). The counts are in docs/rules.md
("Repechage")."""

from __future__ import annotations

from collections import Counter, defaultdict

from shorttrack.rules.ranking import RoundKind
from tests.isu_pages import RoundPage, read_pages
from tests.support import shared_data

K = RoundKind
GOES_ON = ("Q", "q", "ADV")


def events() -> dict[tuple[str, str, str], dict[RoundKind, RoundPage]]:
    found: dict[tuple[str, str, str], dict[RoundKind, RoundPage]] = defaultdict(dict)
    for page in read_pages(shared_data("isu-results-2019-20")):
        found[page.event][page.kind] = page
    return found


def who(page: RoundPage, marks: tuple[str, ...] | None = None) -> set[str]:
    return {
        line.race_line().entrant
        for race in page.races
        for line in race
        if marks is None or line.mark in marks
    }


def test_who_goes_into_the_repechage_and_where_its_qualifiers_go():
    counts: Counter[str] = Counter()
    for (_, distance, _), rounds in events().items():
        if K.REP_SEMIFINALS not in rounds:
            continue
        # 500 m and 1000 m: the heats feed the repechage; 1500 m: the quarterfinals.
        source = rounds[K.QUARTERFINALS] if distance.startswith("1500") else rounds[K.HEATS]
        feeds = K.SEMIFINALS if distance.startswith("1500") else K.QUARTERFINALS
        rep_qf, rep_sf = rounds[K.REP_QUARTERFINALS], rounds[K.REP_SEMIFINALS]
        first_rep = rep_qf if rep_qf.races else rep_sf  # one Rep. Quarterfinals cancelled
        in_rep = who(first_rep)
        for race in source.races:
            for line in race:
                if line.mark in GOES_ON:
                    assert line.race_line().entrant not in in_rep
                    continue
                went = "in" if line.race_line().entrant in in_rep else "not in"
                status = "finished" if line.status in ("FINISHED", "NO TIME") else line.status
                counts[f"{source.kind.value} {status}, {went} the repechage"] += 1
        assert in_rep <= who(source)  # nobody enters the repechage from elsewhere
        if rep_qf.races:
            assert who(rep_sf) == who(rep_qf, GOES_ON)
        assert who(rep_sf, GOES_ON) <= who(rounds[feeds])
        counts[f"rep_semifinals qualifiers, in the {feeds.value}"] += len(who(rep_sf, GOES_ON))
    assert counts == {
        "heats finished, in the repechage": 771,
        "heats finished, not in the repechage": 12,
        "heats PEN, not in the repechage": 57,
        "heats DNS, not in the repechage": 13,
        "heats DNF, not in the repechage": 1,
        "heats YC, not in the repechage": 2,
        "quarterfinals finished, in the repechage": 356,
        "quarterfinals finished, not in the repechage": 6,
        "quarterfinals PEN, not in the repechage": 34,
        "quarterfinals DNF, not in the repechage": 1,
        "quarterfinals YC, not in the repechage": 3,
        "rep_semifinals qualifiers, in the quarterfinals": 73,
        "rep_semifinals qualifiers, in the semifinals": 38,
    }


def test_a_relay_repechage_is_skated_by_teams_not_seeded_into_the_quarterfinals():
    counts: Counter[str] = Counter()
    for (_, distance, _), rounds in events().items():
        if "Relay" not in distance or K.REPECHAGE not in rounds:
            continue
        repechage, quarterfinals = rounds[K.REPECHAGE], rounds[K.QUARTERFINALS]
        goes_on = who(repechage, GOES_ON)
        assert goes_on <= who(quarterfinals)
        counts["repechages"] += 1
        counts["teams in the repechage"] += len(who(repechage))
        counts["of them in the quarterfinals"] += len(goes_on)
        counts["quarterfinal teams seeded straight in"] += len(who(quarterfinals) - goes_on)
    # Each quarterfinal round: ten teams seeded straight in, the others from the repechage.
    assert counts == {
        "repechages": 14,
        "teams in the repechage": 82,
        "of them in the quarterfinals": 28,
        "quarterfinal teams seeded straight in": 140,
    }


HOSTS = {"Dordrecht(NED)": "NED", "Dresden(GER)": "GER", "Nagoya(JPN)": "JPN"}


def test_the_skaters_seen_first_after_the_heats_are_the_hosts():
    """Entered straight into a quarterfinal (500 m, 1000 m) or a semifinal (1500 m)."""
    first_seen = []
    for (competition, distance, _), rounds in events().items():
        if "Relay" in distance:
            continue
        later = K.SEMIFINALS if distance.startswith("1500") else K.QUARTERFINALS
        before = set().union(
            *(
                who(page)
                for kind, page in rounds.items()
                if kind not in (later, K.SEMIFINALS, K.FINAL_B)
            )
        )
        for race in rounds[later].races:
            for line in race:
                if line.race_line().entrant not in before:
                    first_seen.append((competition, line.member))
    host = {c: HOSTS.get(c, "USA" if c.startswith("SaltLake") else "?") for c, _ in first_seen}
    assert len(first_seen) == 13
    assert all(member == host[competition] for competition, member in first_seen)
