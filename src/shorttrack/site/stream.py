"""The server-sent events endpoint, /live/<topic>/: an open page listens here and re-fetches
its main table when a message arrives. Served by the ASGI server (uvicorn); each open
connection is one subscription to the live bus (shorttrack.live), not a thread.

Events are ``update`` with a JSON body ({"topic", "at", "kind", "race", "status"}); a
comment every ``HEARTBEAT`` seconds keeps proxies from closing a quiet connection.
Opening a stream sends the announcements still to go (live.drain), and quiet heartbeats
try again now and then (live.drain_if_due), so a change committed while Redis was down
reaches open pages once it is back.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.http import Http404, StreamingHttpResponse

from shorttrack import live
from shorttrack.store.models import Competition, Race, Season

HEARTBEAT = 15.0
RETRY_MS = 2000


def topic_is_public(topic: str) -> bool:
    """A season that exists, a published competition, a race of a published competition."""
    kind, _, pk = topic.partition(":")
    if kind == "season":
        return Season.objects.filter(pk=pk).exists()
    if kind == "competition":
        return Competition.objects.public().filter(pk=pk).exists()
    return Race.objects.public().filter(pk=pk).exists()


def event(message: live.Message) -> bytes:
    return (
        f"id: {message.sequence}\nevent: update\ndata: {json.dumps(message.public())}\n\n"
    ).encode()


async def events(topic: str, heartbeat: float = HEARTBEAT) -> AsyncIterator[bytes]:
    """The event stream of one topic, from the moment of subscribing, until the client goes."""
    async with live.subscribe(topic) as subscription:
        yield f"retry: {RETRY_MS}\n: listening to {topic}\n\n".encode()
        while True:
            message = await subscription.next(timeout=heartbeat)
            if message is None:
                await sync_to_async(live.drain_if_due)()
            yield event(message) if message else b": keep-alive\n\n"


async def stream(request, topic: str):
    try:
        live.check_topic(topic)
    except ValueError as error:
        raise Http404(str(error)) from None
    if not await sync_to_async(topic_is_public)(topic):
        raise Http404(f"no live topic {topic}")
    await sync_to_async(live.drain)()
    response = StreamingHttpResponse(events(topic), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through as they come
    return response
