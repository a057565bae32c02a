"""The page of a round of a distance race: every race's official result sheet (a race not
raced yet: its start list, with its number in the programme, session and scheduled day and
time at the venue, as its race page says them), each linking to its race page, and the
distance's rounds in order to step between them."""

from __future__ import annotations

from shorttrack.queries.competition import (
    RaceSheets,
    printed_entrant,
    public_status,
    race_title,
    races_with_official_result,
    round_status,
)
from shorttrack.queries.distance import distance_race_of
from shorttrack.queries.public import NotFound, local_iso, now
from shorttrack.queries.race import zone_name
from shorttrack.queries.races import programme_numbers
from shorttrack.queries.references import (
    competition_ref,
    distance_race_ref,
    round_label,
    season_ref,
)
from shorttrack.rules.season import season_rules
from shorttrack.store.models import Competition, Race, Round


def printed_result(result: dict | None, convention: str) -> dict | None:
    """A race's result sheet with its names as the season prints them."""
    if result is None:
        return None
    return {**result, "lines": [printed_entrant(ln, convention) for ln in result["lines"]]}


def round_document(competition: Competition, distance_race_id: int, round_id: int) -> dict:
    """What the round page shows, as one JSON document."""
    distance_race = distance_race_of(competition, distance_race_id)
    rounds = list(Round.objects.public().filter(distance_race=distance_race).order_by("order"))
    this = next((r for r in rounds if r.pk == round_id), None)
    if this is None:
        raise NotFound(f"no round {round_id} of the {distance_race.title}")
    races = list(
        Race.objects.public().filter(round__distance_race=distance_race).select_related("session")
    )
    # The other rounds' states come from which of their races have an official result;
    # only this round's sheets are read.
    sheets = RaceSheets([r for r in races if r.round_id == this.pk], raced_start_lists=False)
    official = races_with_official_result([r.pk for r in races if r.round_id != this.pk])
    official |= set(sheets.results)
    states: dict[int, list[str]] = {}
    for race in races:
        states.setdefault(race.round_id, []).append(public_status(race, race.pk in official))
    zone = competition.time_zone
    convention = season_rules(competition.season.rules_key).korean_given.value
    numbers = programme_numbers(competition.pk)
    own = sorted((r for r in races if r.round_id == this.pk), key=lambda r: r.number)

    def link(round_: Round) -> dict:
        return {
            "id": round_.pk,
            "kind": round_.kind,
            "label": round_label(round_.kind),
            "status": round_status(states.get(round_.pk, [])),
        }

    return {
        "season": season_ref(competition.season),
        "competition": competition_ref(competition),
        "distance_race": distance_race_ref(distance_race),
        "round": link(this),
        "rounds": [link(r) for r in rounds],
        "races": [
            {
                "id": race.pk,
                "number": race.number,
                "programme_number": numbers.get(race.pk),
                "title": race_title(distance_race, this.kind, race.number, len(own)),
                "status": public_status(race, race.pk in sheets.results),
                "scheduled_at": local_iso(race.scheduled_at, zone),
                "scheduled_zone": zone_name(race.scheduled_at, zone),
                "session": race.session.name if race.session_id else None,
                "start_list": [printed_entrant(s, convention) for s in sheets.start_list(race)],
                "result": printed_result(sheets.result(race), convention),
            }
            for race in own
        ],
        "updated_at": now().isoformat(),
    }
