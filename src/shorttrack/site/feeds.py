"""The Atom feed (RFC 4287) of a season's session summaries: one entry per session with
an official final, its summary as HTML content, built from the summaries page's document
so the feed and the page say the same thing.

Ids are the addresses of the pages (permanent: a season, a competition number and a day
never change their meaning); an entry's ``updated`` is the moment the newest ranking of
its session became official, so a correction shows in readers as an update.
"""

from __future__ import annotations

from xml.etree import ElementTree

from django.template.loader import render_to_string
from django.urls import reverse

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ElementTree.register_namespace("", ATOM)


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes):
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def summaries_atom(doc: dict, absolute) -> bytes:
    """The feed of the summaries document ``doc``; ``absolute`` turns a path into an
    absolute URL (``request.build_absolute_uri``)."""
    season = doc["season"]
    slug = season["slug"]
    simulated = " (simulated season)" if season["simulated"] else ""
    page = absolute(reverse("site:summaries", args=[slug]))
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {XML_LANG: "en"})
    _add(feed, "id", page)
    _add(feed, "title", doc["title"] + simulated)
    _add(
        feed,
        "subtitle",
        "What happened at each session of finals and why it matters: podiums, standings, "
        "and the rarest facts, each from official results.",
    )
    _add(feed, "updated", doc["updated"] or doc["updated_at"])
    author = _add(feed, "author")
    _add(author, "name", "shorttrack results")
    _add(author, "uri", absolute(reverse("site:season", args=[slug])))
    _add(feed, "link", rel="alternate", type="text/html", href=page)
    _add(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=absolute(reverse("site:summaries-atom", args=[slug])),
    )
    _add(feed, "generator", "shorttrack")
    official = [s for s in doc["sessions"] if s["official"]]
    for session in sorted(official, key=lambda s: (s["updated"], s["day"]), reverse=True):
        number = session["competition"]["number"]
        url = absolute(reverse("site:session-summary", args=[slug, number, session["day"]]))
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        _add(entry, "title", ("Simulated: " if season["simulated"] else "") + session["title"])
        _add(entry, "updated", session["updated"])
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        html = render_to_string(
            "site/summary_entry.html", {"session": session, "season": season, "url": url}
        )
        _add(entry, "content", html.strip(), type="html")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
