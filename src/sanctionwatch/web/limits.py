"""A cap on request bodies: a body over the limit is answered 413 before anything parses it.

The cap is per route. Every route takes at most 1 MiB (a full batch of 100 examples is a few
tens of KiB), buffered here and replayed. A case's attachment upload
(``POST /api/cases/{id}/attachments``, and the case page's form at
``/cases/{id}/attachments``) takes up to the ``attachments_max_bytes`` setting plus room for
the multipart framing, and is NOT buffered: it streams through to the route (which
spools it to disk while hashing), counted as it passes, and answered 413 the moment it goes
over (its ``Content-Length``, when sent, is checked first).
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1 << 20  # 1 MiB
MULTIPART_OVERHEAD = 64 << 10  # boundaries and part headers around one file
UPLOAD_PATH = re.compile(r"^/(api/)?cases/[^/]+/attachments/?$")  # the API and the case page


def upload_limit(scope: Scope) -> int | None:
    """The streaming limit for an attachment upload, None for every other request."""
    if scope.get("method") != "POST" or not UPLOAD_PATH.match(scope.get("path", "")):
        return None
    app: Any = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    most = getattr(settings, "attachments_max_bytes", MAX_BODY_BYTES)
    return int(most) + MULTIPART_OVERHEAD


class BodySizeLimit:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        streamed = upload_limit(scope)
        limit = self.limit if streamed is None else streamed
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        if streamed is not None:
            await self._stream(scope, receive, send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), send)

    async def _stream(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass the body through as it comes; over ``limit``, answer 413 ourselves, tell the
        app the client left, and drop whatever the app then tries to answer."""
        size = 0
        refused = False

        async def counted() -> Message:
            nonlocal size, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    refused = True
                    await _refuse(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:  # the app's own failure: not ours to hide
                raise


async def _refuse(send: Send, limit: int) -> None:
    detail = f"request body over {limit} bytes"
    payload = json.dumps({"detail": detail}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed
