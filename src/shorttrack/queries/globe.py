"""The race for the Crystal Globe at any moment, as a JSON-ready dict for the site and API.

    race_for_the_globe(season, classification="overall-men", as_of=None)

The remaining races are the distance races of the season in the classification without an
official ranking at the moment; the calculator (``rules.globe``) honours the season's
counting rule and points table. Standings come from ``queries.standings``.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from shorttrack.queries.standings import Entrant, standings
from shorttrack.rules.globe import FIELD, RemainingRace, clinch_sentence, outlook, place_words
from shorttrack.rules.press_names import nation_in_text, press_name
from shorttrack.rules.summary import capital
from shorttrack.store.models import Ranking, Season, Skater

# Said first when a race behind the standings has places that score but are not known (only
# its podium was published): every total, and so what each needs, is of the places held.
INCOMPLETE = (
    "The totals are incomplete: not every place that scores points is known in the races "
    "behind these standings."
)


def race_for_the_globe(
    season: Season | str, classification: str = "overall-men", as_of: datetime | None = None
) -> dict:
    """What each contender of a classification needs, with the races still to be skated."""
    moment = as_of or timezone.now()
    table, loaded = standings(season, classification, moment)
    spec = table.spec
    known = {r.race for r in loaded.results}
    remaining = []
    for key, race in loaded.races.items():
        if race.distance not in spec.distances or key in known:
            continue
        when = race.finals_at or moment
        label = f"{race.label} in {race.competition.city}"
        remaining.append(RemainingRace(key, race.distance, label, when, race.competition.country))
    view = outlook(loaded.rules, spec, loaded.results, remaining, moment)
    names = _press_names(loaded, [c.entrant for c in view.contenders])
    names[FIELD] = "a skater without points yet"
    pronoun = {"women": "she", "men": "he"}.get(spec.gender.value if spec.gender else "", "it")
    if spec.entrant == "nation" or spec.relay:
        pronoun = "it"
    title = _title(spec, loaded.rules.series)
    scoring = len(loaded.rules.points)
    held = {r.race for r in loaded.results if r.distance in spec.distances}
    scoring_known = _scoring_known(loaded, held, moment)
    contenders = []
    for c in view.contenders:
        entrant = loaded.entrants.get(c.entrant) or Entrant(c.entrant, c.entrant, c.nation)
        contenders.append(
            {
                "rank": c.rank,
                "name": entrant.name,
                "press_name": names.get(c.entrant, entrant.name),
                "nation": c.nation,
                "skater_id": int(c.entrant[1:]) if c.entrant.startswith("s") else None,
                "fictional": entrant.fictional,
                "points": c.points,
                "max_points": c.max_points,
                "behind_leader": c.behind_leader,
                "verdict": c.verdict,
                "assured_share": c.assured_share,
                "text": _contender_sentence(c, names, view, title, scoring_known),
            }
        )
    clinches = [
        {
            "name": names.get(c.entrant, c.entrant),
            "race": c.race.label,
            "requirements": [
                {
                    "place": r.place,
                    "rivals": [
                        {
                            "name": names.get(limit.rival, limit.rival),
                            "at_best": limit.at_best,
                            "may_miss": limit.may_miss,
                        }
                        for limit in r.rivals
                    ],
                }
                for r in c.requirements
            ],
            "text": clinch_sentence(c, names, pronoun, scoring, title),
        }
        for c in view.clinches
    ]
    alive = [c for c in contenders if c["verdict"] != "out"]
    text = [c["text"] for c in alive] + [c["text"] for c in clinches]
    if not scoring_known:
        text.insert(0, INCOMPLETE)
    return {
        "season": loaded.season.key,
        "classification": spec.key,
        "title": spec.title,
        "race_for": title,
        "counting": spec.counting.value.describe(),
        "provisional": table.provisional,
        "as_of": moment.isoformat(),
        "remaining": [
            {
                "race": r.label,
                "at": r.at.isoformat(),
                "distance_race_id": loaded.races[r.race].pk,
                "competition": loaded.races[r.race].competition.number,
            }
            for r in view.remaining
        ],
        "points_available": view.points_available,
        "scoring_known": scoring_known,
        "field_max": view.field_max,
        "contenders": contenders,
        "clinches": clinches,
        "text": " ".join(text),
    }


def _scoring_known(loaded, races: set[str], moment: datetime) -> bool:
    """Is every place that scores points known in every race behind these standings? Not
    when rankings hold only podiums (history imported from the press, as 2022/23)."""
    ids = [loaded.races[key].pk for key in races]
    newest: dict[int, tuple[int, bool]] = {}
    for race_id, number, complete in (
        Ranking.objects.official_at(moment)
        .filter(distance_race_id__in=ids)
        .values_list("distance_race_id", "number", "complete")
    ):
        if race_id not in newest or number > newest[race_id][0]:
            newest[race_id] = (number, complete)
    scoring = len(loaded.rules.points)
    ranked: dict[str, set[int]] = {}
    for r in loaded.results:
        if r.race in races and r.rank and r.rank <= scoring:
            ranked.setdefault(r.race, set()).add(r.rank)
    return all(
        newest.get(loaded.races[key].pk, (0, False))[1] or len(ranked.get(key, ())) >= scoring
        for key in races
    )


def _press_names(loaded, entrants) -> dict[str, str]:
    """Each contender as a sentence names it: a skater as the season prints names, a nation
    as ISU news writes it ("Korea"), a relay team by its name."""
    ids = [int(e[1:]) for e in entrants if e.startswith("s")]
    convention = loaded.rules.korean_given.value
    names = {
        f"s{pk}": press_name(given, family, code, convention)
        for pk, given, family, code in Skater.objects.filter(pk__in=ids).values_list(
            "pk", "given_name", "family_name", "member__code"
        )
    }
    for e in entrants:
        if e not in names:
            entrant = loaded.entrants.get(e)
            if entrant and entrant.key == entrant.nation:  # a nation, keyed by its code
                names[e] = nation_in_text(entrant.nation, entrant.name)
            else:
                names[e] = entrant.name if entrant else e
    return names


def _title(spec, series: str) -> str:
    if spec.kind == "overall":
        return f"the {spec.gender.value}'s Crystal Globe"
    if spec.kind == "nations":
        return f"the {spec.title[0].lower() + spec.title[1:]} classification"
    return f"the {spec.title[0].lower() + spec.title[1:]} {series} title"


def _contender_sentence(c, names, view, title: str, scoring_known: bool) -> str:
    """One contender's outlook; totals from incomplete rankings are said to be so."""
    who = capital(names.get(c.entrant, c.entrant))  # "The Netherlands leads with ..."
    points = f"{c.points} points" + ("" if scoring_known else " from the places known")
    if c.verdict == "won":
        return f"{who} won {title} with {points}."
    if c.verdict == "shared":
        return f"{who} shares {title} with {points}."
    if c.verdict == "clinched":
        left = len(view.remaining)
        return f"{who} has clinched {title} with {left} race{'s' if left != 1 else ''} to go."
    if c.verdict == "out":
        return f"{who} can no longer win {title}."
    if c.rank == 1:
        return f"{who} leads with {points}; {view.points_available} are still available."
    joint = "joint " if sum(1 for o in view.contenders if o.rank == c.rank) > 1 else ""
    return (
        f"{who} ({joint}{place_words(c.rank)}, {points}) is {c.behind_leader} behind "
        f"and can reach {c.max_points}."
    )
