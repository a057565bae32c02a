"""The facts panels of the race, competition and skater pages: the rarest facts of the
page's facts document (queries/press.py) and the way to all of them. A panel is a short
view of a facts page, whose JSON twin holds the panel's data; the page's own document
stays as it is.

A page is built without finding a fact (finding them is most of a cold race or skater
page's time): it carries a link to its facts page, which its script replaces with the
panel, fetched from the page's ``?fragment=facts`` (the competition overview's from its
facts page's ``?fragment=main``); without JavaScript the link stays.
"""

from __future__ import annotations

from django.urls import reverse

from shorttrack.queries import documents
from shorttrack.queries.public import NotFound

# Facts a panel shows; the facts page shows them all.
PANEL_FACTS = 5


def race_panel(doc: dict) -> dict | None:
    """The facts of a race page: for a Final A those of its distance race, for any other
    race those about a line of its result sheet (a record set in a heat); a record's
    proof names the line that set it first, then the best it beat."""
    season, number = doc["season"]["slug"], doc["competition"]["number"]
    distance_race = doc["distance_race"]["id"]
    facts = _facts(lambda: documents.race_facts_document(season, number, distance_race))
    if doc["round"]["kind"] != "final_a":
        facts = [f for f in facts if f["proof"] and f["proof"][0]["race_id"] == doc["id"]]
    if not facts:
        return None
    title = doc["distance_race"]["title"]
    return _panel(
        facts,
        f"Facts of the {title}" if doc["round"]["kind"] == "final_a" else "Facts of this race",
        reverse("site:race-facts", args=[season, number, distance_race]),
        f"All facts of the {title}",
    )


def race_later(doc: dict) -> dict:
    """The race page's panel before its facts are known: a link to its distance race's
    facts page, replaced by ``race_panel`` (nothing, for a race without facts)."""
    season, number = doc["season"]["slug"], doc["competition"]["number"]
    url = reverse("site:race-facts", args=[season, number, doc["distance_race"]["id"]])
    return _later(
        url,
        f"The facts of the {doc['distance_race']['title']}",
        reverse("site:race", args=[doc["id"]]) + "?fragment=facts",
    )


def competition_later(doc: dict) -> dict:
    """The competition overview's panel before its facts are known: a link to the facts
    page, replaced by the facts page's main fragment (``competition_panel``)."""
    url = reverse("site:competition-facts", args=[doc["season"]["slug"], doc["number"]])
    return _later(url, "The facts of the competition", f"{url}?fragment=main")


def skater_later(doc: dict) -> dict:
    """The skater page's panel before its facts are known: a link to the skater's facts
    page, replaced by ``skater_panel``."""
    return _later(
        reverse("site:skater-facts", args=[doc["id"]]),
        "The skater's facts of the season",
        reverse("site:skater", args=[doc["id"]]) + "?fragment=facts",
    )


def _later(url: str, more: str, later: str) -> dict:
    return {
        "title": "Facts",
        "url": url,
        "more": f"{more}, with the results that prove each",
        "later": later,
    }


def competition_panel(facts_doc: dict) -> dict | None:
    """The panel of a competition's facts document: its rarest facts and its sessions."""
    season, number = facts_doc["season"]["slug"], facts_doc["competition"]["number"]
    sessions = [
        {
            "day": s["day"],
            "official": s["official"],
            "url": reverse("site:session-summary", args=[season, number, s["day"]]),
        }
        for s in facts_doc["sessions"]
    ]
    if not facts_doc["notable"] and not sessions:
        return None
    panel = _panel(
        facts_doc["notable"],
        "Facts",
        reverse("site:competition-facts", args=[season, number]),
        f"All {facts_doc['count']} facts of the competition",
        show_race=True,
    )
    return panel | {"sessions": sessions}


def skater_panel(skater_id: int) -> dict | None:
    """The facts of the skater's latest season (the skater's facts page's)."""
    facts_doc = documents.skater_facts_document(skater_id)
    if not facts_doc["facts"]:
        return None
    season = facts_doc["season"]["key"]
    return _panel(
        facts_doc["facts"],
        f"Facts of {season}",
        reverse("site:skater-facts", args=[skater_id]),
        f"All {len(facts_doc['facts'])} facts of {season}",
        show_race=True,
    )


def _facts(build) -> list[dict]:
    try:
        return build()["facts"]
    except NotFound:
        return []


def _panel(facts: list[dict], title: str, url: str, more: str, show_race: bool = False) -> dict:
    """``more`` names the facts page ``url`` leads to; ``show_race``: name each fact's race."""
    return {
        "title": title,
        "facts": facts[:PANEL_FACTS],
        "url": url,
        "more": f"{more}, with the results that prove each",
        "show_race": show_race,
    }
