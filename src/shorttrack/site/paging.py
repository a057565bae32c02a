"""The pages of a document read in pages (a classification's grid): the URL of each page,
which keeps the moment the reader asked for, and the Link header (RFC 8288) naming the
first, previous, next and last pages of a JSON twin, as paginated APIs do."""

from __future__ import annotations


def page_url(request, number: int, *, fragment: bool = False) -> str:
    """The URL asked for, at page ``number``: its other parameters kept (``as_of``,
    ``after``, ``format``), ``page`` left out for the first, ``fragment`` only when asked
    (the live part's own fetch)."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("fragment", None)
    if number > 1:
        query["page"] = str(number)
    if fragment:
        query["fragment"] = "main"
    return request.path + (f"?{query.urlencode()}" if query else "")


def link_header(request, page: dict) -> str:
    """``Link: <...?page=2>; rel="next", ...`` for a document's ``page``; the URLs are
    relative to the request's (the page cache keeps one copy per host and URL)."""
    links = [(1, "first")]
    if page["previous"]:
        links.append((page["previous"], "prev"))
    if page["next"]:
        links.append((page["next"], "next"))
    links.append((page["of"], "last"))
    return ", ".join(f'<{page_url(request, number)}>; rel="{rel}"' for number, rel in links)
