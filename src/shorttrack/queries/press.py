"""The press pages of the public site as JSON documents: the facts of a distance race, of a
competition and of a skater; the session summaries of a season (their list, which is also
the Atom feed, and each summary's page); the race for the Crystal Globe of a classification.

Each builds on ``queries.facts`` and ``queries.globe``, which see only what the public may
see, and adds what a page links by: the season, competition and distance race, the race
page of each Final A, and every fact's proof resolved to the row it names (a line of a final
ranking or of a result sheet, a distance race, a skater's birth date) with where it shows.
Facts are listed rarest first; facts of equal rarity keep the order they were found in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import SimpleNamespace

from django.db.models import Count
from django.utils import timezone

from shorttrack.interchange.names import sheet_name
from shorttrack.queries import facts as found
from shorttrack.queries.competition import race_title
from shorttrack.queries.globe import race_for_the_globe
from shorttrack.queries.public import NotFound, local_iso, published_competitions, season_slug
from shorttrack.queries.references import (
    competition_ref,
    display_name,
    distance_race_ref,
    mark,
    season_ref,
    skater_ref,
)
from shorttrack.queries.standings import (
    classification_of_slug,
    resolve_moment,
    season_finals,
    season_results,
    standings_menu,
)
from shorttrack.rules.distances import distance
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Race,
    RaceResultLine,
    RankingLine,
    Season,
    Skater,
)

# --- facts ---------------------------------------------------------------------------------


def race_facts_document(competition: Competition, distance_race_id: int) -> dict:
    """The facts of one distance race of a competition, with its podium."""
    race = (
        DistanceRace.objects.public()
        .select_related("competition__season")
        .filter(pk=distance_race_id, competition=competition)
        .first()
    )
    if race is None:
        raise NotFound(f"no distance race {distance_race_id} at {competition.name}")
    document = found.race_facts(race.pk, race=race)
    # The Final A races of this race and of its facts' races, looked up at once.
    finals = _final_races({race.pk} | {f["race"]["id"] for f in document["facts"]})
    return {
        "season": season_ref(competition.season),
        "competition": competition_ref(competition),
        "distance_race": _distance_race(race, finals),
        "title": f"{competition.city}, {race.title}: facts",
        "as_of": document["as_of"],
        "records_from": document["records_from"],
        "official_at": document["race"]["official_at"],
        "podium": [_person(p) | {"rank": p["rank"]} for p in document["race"]["podium"]],
        "facts": laid_out(document["facts"], finals),
        "people": _people(document["people"]),
        "updated_at": timezone.now().isoformat(),
    }


# What the competition's facts page shows of each distance race: its rarest few, the rest
# on the distance race's own facts page; and of the whole competition, its rarest (the
# overview's panel).
FACTS_PER_DISTANCE = 3
NOTABLE_FACTS = 5


def competition_facts_document(competition: Competition) -> dict:
    """The index of a competition's facts: its rarest (``notable``), each distance race's
    rarest few with how many it has (all of them on the distance race's facts page), and
    the competition's sessions (the days with finals, each with a summary). Only the facts
    shown are resolved to their proof."""
    loaded = found.race_index()
    document = found.competition_facts(competition.pk, index=loaded, competition=competition)
    rarest = sorted(document["facts"], key=lambda f: -f["rarity"])
    # Through the competition's own manager each race knows its competition: no join.
    races = list(competition.distance_races.public().order_by("finals_at", "distance", "instance"))
    of_race: dict[int, list[dict]] = {race.pk: [] for race in races}
    for fact in rarest:
        of_race.setdefault(fact["race"]["id"], []).append(fact)
    shown = rarest[:NOTABLE_FACTS] + [
        f for facts in of_race.values() for f in facts[:FACTS_PER_DISTANCE]
    ]
    shown = list({f["key"]: f for f in shown}.values())
    # The Final A races of the competition's races and of the facts' races, at once.
    finals = _final_races({race.pk for race in races} | {f["race"]["id"] for f in shown})
    laid = {f["key"]: f for f in laid_out(shown, finals)}
    return {
        "season": season_ref(competition.season),
        "competition": competition_ref(competition),
        "title": f"{competition.name}: facts",
        "as_of": document["as_of"],
        "records_from": document["records_from"],
        "count": len(rarest),
        "notable": [laid[f["key"]] for f in rarest[:NOTABLE_FACTS]],
        "distances": [
            _distance_race(race, finals)
            | {
                "count": len(of_race[race.pk]),
                "facts": [laid[f["key"]] for f in of_race[race.pk][:FACTS_PER_DISTANCE]],
            }
            for race in races
        ],
        "sessions": [
            _session_entry(s)
            for s in found.sessions(competition.season, competition=competition, index=loaded)
        ],
        "people": _people(document["people"]),
        "updated_at": timezone.now().isoformat(),
    }


def skater_facts_document(skater: Skater, season: Season | None = None) -> dict:
    """The facts about one skater in a season (the latest they have results in when
    ``season`` is None), and the seasons there are facts of."""
    seasons = list(
        Season.objects.public()
        .filter(
            pk__in=RankingLine.objects.official_at(timezone.now())
            .filter(skater=skater)
            .values("ranking__distance_race__competition__season_id")
        )
        .order_by("-key")
    )
    document = found.skater_facts(
        skater.pk, season.key if season else None, skater=skater, seasons=seasons
    )
    shown = next((s for s in seasons if s.key == document["season"]), season)
    return {
        "skater": skater_ref(skater) | {"press_name": document["skater"]["press_name"]},
        "season": season_ref(shown) if shown else None,
        "seasons": [season_ref(s) for s in seasons],
        "title": f"{skater.name} ({skater.member.code}): facts"
        + (f" of {shown.key}" if shown else ""),
        "as_of": document["as_of"],
        "records_from": document["records_from"],
        "facts": laid_out(document["facts"]),
        "people": _people(document["people"]),
        "updated_at": timezone.now().isoformat(),
    }


def laid_out(facts: list[dict], finals: dict[int, int] | None = None) -> list[dict]:
    """Facts as the pages show them: rarest first, each with its race's pages (season,
    competition, Final A race) and its proof resolved to the rows it names; ``finals``, the
    Final A races of at least the facts' races when the caller has looked them up."""
    ids = {f["race"]["id"] for f in facts}
    items = [p for f in facts for p in f["proof"]]
    # The distance races of the facts and of their proofs, read at once.
    held = _distance_races(ids | {p["id"] for p in items if p["kind"] == "distance_race"})
    races = _races(ids, held, finals)
    proofs = _proofs(items, held)
    return [
        f
        | {
            "race": f["race"] | races.get(f["race"]["id"], _NO_RACE),
            "subject": _person(f["subject"]),
            "proof": [proofs.get((p["kind"], p["id"])) or _unresolved(p) for p in f["proof"]],
        }
        for f in sorted(facts, key=lambda f: -f["rarity"])
    ]


_NO_RACE = {"title": "", "season_slug": "", "competition": None, "final_race_id": None}


def _person(person: dict) -> dict:
    """A person of a facts document with the id of their page when a skater."""
    key = person["key"]
    return person | {"skater_id": int(key[1:]) if key.startswith("s") else None}


def _people(people: dict[str, dict]) -> dict[str, dict]:
    """Everyone the facts name, by the key their values use ('s12', 't4', 'KOR')."""
    return {key: _person(person) for key, person in people.items()}


def _final_races(distance_race_ids: Iterable[int]) -> dict[int, int]:
    """distance race id -> the race page of its Final A, where its races are held."""
    return dict(
        Race.objects.public()
        .filter(round__distance_race_id__in=list(distance_race_ids), round__kind="final_a")
        .order_by("-number")
        .values_list("round__distance_race_id", "id")
    )


def _distance_race(race: DistanceRace, finals: dict[int, int] | None = None) -> dict:
    """A distance race as the facts pages link it; ``finals`` are the Final A races of a
    page's distance races, looked up at once."""
    if finals is None:
        finals = _final_races([race.pk])
    return distance_race_ref(race) | {
        "name": f"{race.competition.city}, {race.title}",
        "final_race_id": finals.get(race.pk),
    }


def _title(code: str, instance: int | None) -> str:
    """A distance race's title from its columns, as ``DistanceRace.title``: "Women's 1500m (2)"."""
    label = distance(code).label
    return f"{label} ({instance})" if instance else label


def _distance_races(ids: set[int]) -> dict[int, tuple]:
    """distance race id -> (competition number, distance, instance, city, season key)."""
    if not ids:
        return {}
    return {
        pk: tuple(rest)
        for pk, *rest in DistanceRace.objects.public()
        .filter(pk__in=ids)
        .order_by()
        .values_list("pk", "competition__number", *_WHERE)
    }


def _races(
    ids: set[int], held: dict[int, tuple], finals: dict[int, int] | None = None
) -> dict[int, dict]:
    if finals is None:
        finals = _final_races(ids)
    return {
        pk: {
            "title": _title(code, instance),
            "season_slug": season_slug(season),
            "competition": number,
            "final_race_id": finals.get(pk),
        }
        for pk, (number, code, instance, _, season) in held.items()
        if pk in ids
    }


# --- proofs --------------------------------------------------------------------------------


def _proof(kind: str, pk: int, text: str, **where) -> dict:
    return {
        "kind": kind,
        "id": pk,
        "text": text,
        "race_id": where.get("race_id"),
        "distance_race_id": where.get("distance_race_id"),
        "season_slug": where.get("season_slug"),
        "competition": where.get("competition"),
        "skater_id": where.get("skater_id"),
    }


def _unresolved(proof: dict) -> dict:
    """A proof row the public may not see (none is expected: facts are found in public
    rows only); named by kind and id, linked nowhere."""
    return _proof(proof["kind"], proof["id"], f"{proof['kind'].replace('_', ' ')} {proof['id']}")


# The columns a proof names its line by (a skater, a relay team or a nation) and its distance
# race by, read as values: a page's proofs are dozens of rows, not worth a model each.
_WHO = ("skater_id", "skater__family_name", "skater__given_name", "team__name", "member__code")
_WHERE = ("distance", "instance", "competition__city", "competition__season__key")


def _time_and_mark(time_ms, status) -> str:
    """A proof line's time and mark as the sheet prints them after the name: ", 1:28.450",
    ", PEN"; nothing for neither."""
    return "".join(f", {part}" for part in (format_time(time_ms), mark(status, "")) if part)


def _who(skater_id, family, given, team, nation) -> str:
    """'PARK Ji-won (KOR)', 'NED 2', 'KOR': as ``references.entrant`` displays a line."""
    if skater_id:
        return display_name(sheet_name(family, given), nation)
    return display_name(team or nation, nation)


def _proofs(items: Iterable[dict], held: dict[int, tuple]) -> dict[tuple[str, int], dict]:
    """Each proof row, public ones only, as a sentence fragment and the page showing it;
    ``held``: the distance races named (``_distance_races``)."""
    wanted: dict[str, set[int]] = {}
    for item in items:
        wanted.setdefault(item["kind"], set()).add(item["id"])
    resolved: dict[tuple[str, int], dict] = {}
    if wanted.get("ranking_line"):
        where = tuple(f"ranking__distance_race__{c}" for c in _WHERE)
        for pk, rank, time_ms, status, race_id, number, *rest in (
            RankingLine.objects.public()
            .filter(pk__in=wanted["ranking_line"])
            .order_by()  # by key, resolved: the models' order would join four tables
            .values_list(
                "pk",
                "rank",
                "time_ms",
                "status",
                "ranking__distance_race_id",
                "ranking__distance_race__competition__number",
                *_WHO,
                *where,
            )
        ):
            who = _who(*rest[:5])
            code, instance, city, season = rest[5:]
            text = f"{city} {season}, {_title(code, instance)}, final ranking: "
            text += f"{rank}. {who}" if rank else f"{who}, not ranked"
            text += _time_and_mark(time_ms, status)
            resolved[("ranking_line", pk)] = _proof(
                "ranking_line",
                pk,
                text,
                distance_race_id=race_id,
                season_slug=season_slug(season),
                competition=number,
            )
    lines = []
    if wanted.get("race_result_line"):
        where = tuple(f"result__race__round__distance_race__{c}" for c in _WHERE)
        lines = list(
            RaceResultLine.objects.public()
            .filter(pk__in=wanted["race_result_line"])
            .order_by()  # by key, resolved: the models' order would join five tables
            .values_list(
                "pk",
                "place",
                "time_ms",
                "status",
                "result__race_id",
                "result__race__number",
                "result__race__round_id",
                "result__race__round__kind",
                "result__race__round__distance_race_id",
                "result__race__round__distance_race__competition__number",
                *_WHO,
                *where,
            )
        )
    in_round = (
        dict(
            Race.objects.public()
            .filter(round_id__in={line[6] for line in lines})
            .values("round_id")
            .annotate(n=Count("id"))
            .values_list("round_id", "n")
        )
        if lines
        else {}
    )
    for pk, place, time_ms, status, race_id, race_no, round_id, kind, dr_id, number, *rest in lines:
        code, instance, city, season = rest[5:]
        titled = SimpleNamespace(title=_title(code, instance))
        title = race_title(titled, kind, race_no, in_round[round_id])
        text = f"{city} {season}, {title}: "
        text += f"{place}. " if place else ""
        text += _who(*rest[:5])
        text += _time_and_mark(time_ms, status)
        resolved[("race_result_line", pk)] = _proof(
            "race_result_line",
            pk,
            text,
            race_id=race_id,
            distance_race_id=dr_id,
            season_slug=season_slug(season),
            competition=number,
        )
    for pk in wanted.get("distance_race", ()):
        if pk in held:
            number, code, instance, city, season = held[pk]
            resolved[("distance_race", pk)] = _proof(
                "distance_race",
                pk,
                f"{city} {season}, {_title(code, instance)}",
                distance_race_id=pk,
                season_slug=season_slug(season),
                competition=number,
            )
    if wanted.get("skater"):
        for pk, family, given, born, code in Skater.objects.filter(
            pk__in=wanted["skater"]
        ).values_list("pk", "family_name", "given_name", "birth_date", "member__code"):
            text = f"{sheet_name(family, given)} ({code})"
            text += f", born {born.day} {born:%B %Y}" if born else ""
            resolved[("skater", pk)] = _proof("skater", pk, text, skater_id=pk)
    return resolved


# --- session summaries -----------------------------------------------------------------------


def summaries_document(season: Season) -> dict:
    """Every session of a season with finals, in order: for each with an official final its
    summary (title, text, notable facts), for the others the finals still to come. The
    summaries page and the season's Atom feed."""
    published = list(published_competitions(season).select_related("season"))
    competitions = {c.pk: c for c in published}
    loaded = found.race_index()
    summaries = {
        (summary["session"]["competition"]["id"], summary["session"]["day"]): summary
        for summary in found.season_summaries(
            season, index=loaded, all_facts=False, published=published
        )
    }
    # Fact keys name their race: unique in the season, so the proofs are looked up at once.
    notable = {f["key"]: f for f in laid_out([f for s in summaries.values() for f in s["notable"]])}
    sessions = []
    for listed in found.sessions(season, index=loaded):
        competition = competitions[listed["competition"]["id"]]
        day = date.fromisoformat(listed["day"])
        entry = _session_entry(listed) | {
            "competition": competition_ref(competition),
            "title": session_title(competition, day),
            "text": "",
            "notable": [],
            "pending": [],
            "footnote": None,
        }
        summary = summaries.get((competition.pk, listed["day"]))
        if summary:
            entry |= {
                "title": summary["title"],
                "text": summary["text"],
                "notable": [notable[f["key"]] for f in summary["notable"]],
                "pending": summary["session"]["pending"],
                "footnote": summary["footnote"],
            }
        sessions.append(entry)
    official = [s["updated"] for s in sessions if s["updated"]]
    return {
        "season": season_ref(season),
        "title": f"Session summaries: {season.name}",
        "updated": max(official) if official else None,
        "sessions": sessions,
        "updated_at": timezone.now().isoformat(),
    }


def session_summary_document(competition: Competition, day: date) -> dict:
    """A session's summary: the text, each sentence with the facts it was written from, the
    notable facts ranked by rarity, the facts of those with their proof (every fact of a
    final is on its facts page: a busy day has hundreds, most of them personal bests), the
    finals with their podiums and race pages, and the sessions before and after it."""
    loaded = found.race_index()
    listed = found.sessions(competition.season, index=loaded)
    index = next(
        (
            i
            for i, s in enumerate(listed)
            if s["competition"]["id"] == competition.pk and s["day"] == day.isoformat()
        ),
        None,
    )
    if index is None:
        days = [s["day"] for s in listed if s["competition"]["id"] == competition.pk]
        raise NotFound(
            f"no finals at {competition.name} on {day.isoformat()}: "
            f"finals days are {', '.join(days) or 'none'}"
        )
    summary = found.session_summary(competition.pk, day, index=loaded, competition=competition)
    told = {key for sentence in summary["sentences"] for key in sentence["facts"]}
    told |= {f["key"] for f in summary["notable"]}
    told_facts = [f for f in summary["facts"] if f["key"] in told]
    session = summary["session"]
    # The Final A races of the session's finals and of the facts' races, at once.
    finals = _final_races(
        {r["id"] for r in session["races"]} | {f["race"]["id"] for f in told_facts}
    )
    facts = laid_out(told_facts, finals)
    by_key = {f["key"]: f for f in facts}
    return {
        "season": season_ref(competition.season),
        "competition": competition_ref(competition),
        "day": day.isoformat(),
        "title": summary["title"],
        "as_of": summary["as_of"],
        "records_from": summary["records_from"],
        "updated": listed[index]["updated"],
        "text": summary["text"],
        "sentences": summary["sentences"],
        "notable": [by_key[f["key"]] for f in summary["notable"]],
        "footnote": summary["footnote"],
        "finals": [
            {
                "id": race["id"],
                "name": race["name"],
                "official_at": race["official_at"],
                "final_race_id": finals.get(race["id"]),
                "podium": [_person(p) | {"rank": p["rank"]} for p in race["podium"]],
            }
            for race in session["races"]
        ],
        "pending": session["pending"],
        "facts": facts,
        "people": _people(summary["people"]),
        "previous": _neighbour(listed, index - 1),
        "next": _neighbour(listed, index + 1),
        "updated_at": timezone.now().isoformat(),
    }


def parse_day(text: str) -> date:
    """A session's day as a URL carries it: '2022-12-10'."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a day: write it as 2022-12-10") from None


def session_title(competition: Competition, day: date) -> str:
    """'World Cup 3, Almaty: finals of Saturday 10 December 2022', as summaries title it."""
    series = season_rules(competition.season.rules_key).series
    return (
        f"{series} {competition.number}, {competition.city}: "
        f"finals of {day:%A} {day.day} {day:%B %Y}"
    )


def _session_entry(listed: dict) -> dict:
    return {
        "competition": listed["competition"],
        "day": listed["day"],
        "finals": listed["races"],
        "official": listed["official"],
        "updated": listed["updated"],
    }


def _neighbour(listed: list[dict], index: int) -> dict | None:
    if not 0 <= index < len(listed):
        return None
    s = listed[index]
    return {
        "competition": s["competition"]["number"],
        "city": s["competition"]["city"],
        "day": s["day"],
    }


# --- the race for the Globe ----------------------------------------------------------------


def globe_document(
    season: Season,
    slug: str,
    as_of: str | None = None,
    after: str | None = None,
    before: str | None = None,
) -> dict:
    """The race for the Globe of one classification at a moment (now by default; a moment
    is asked for as on the standings pages), with the moments a reader can pick and the
    season's other classifications. What is official now is all it knows: a later moment
    shows what is known now."""
    rules = season_rules(season.rules_key)
    try:
        key = classification_of_slug(rules, slug)
    except ValueError as error:
        raise NotFound(str(error)) from None
    moment, described = resolve_moment(season, as_of, after, before)
    now = timezone.now()
    document = race_for_the_globe(season, key, min(moment, now) if moment else now)
    spec = rules.classification(key)
    scheduled = {
        pk: local_iso(finals_at, zone)
        for pk, finals_at, zone in DistanceRace.objects.public()
        .filter(pk__in=[r["distance_race_id"] for r in document["remaining"]])
        .values_list("pk", "finals_at", "competition__time_zone")
    }
    remaining = [
        r | {"finals_at": scheduled.get(r["distance_race_id"])} for r in document["remaining"]
    ]
    return document | {
        "remaining": remaining,
        "slug": slug,
        "season_id": season.pk,
        "season_slug": season_slug(season.key),
        "season_name": season.name,
        "simulated": season.simulated,
        "moment": described,
        "finals": [
            final
            for final in season_finals(season_results(season))
            if final["distance"] in spec.distances
        ],
        "menu": standings_menu(rules),
        "scoring_places": len(rules.points),
        "updated_at": now.isoformat(),
    }
