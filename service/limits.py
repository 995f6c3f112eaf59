"""Request-size limits: a body or URL query larger than the limit is refused with 413 before it is read.

``/sparql`` takes at most ``max_query_bytes`` (a query or update, in the URL or the body); the
upload routes (``/store`` writes, ``POST /lint``) take at most ``max_upload_bytes``; every other
route takes at most ``max_query_bytes`` of body. A declared ``Content-Length`` over the limit is
refused at once; a chunked body is counted as it arrives and refused when it passes the limit,
so a client cannot make the server buffer more than the limit.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fukushi_kg.service import errors

UPLOAD_PATHS = ("/store", "/lint")
_SIZE = re.compile(r"^\s*(\d+)\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)\s*$", re.IGNORECASE)
_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1000,
    "kib": 1024,
    "m": 1 << 20,
    "mb": 10**6,
    "mib": 1 << 20,
    "g": 1 << 30,
    "gb": 10**9,
    "gib": 1 << 30,
}


def parse_size(text: str) -> int:
    """``1048576``, ``512KiB``, ``1MiB``, ``2MB`` -> bytes (for the command-line options)."""
    m = _SIZE.match(str(text))
    if not m:
        raise ValueError(f"not a size: {text!r} (say e.g. 1048576, 512KiB or 1MiB)")
    return int(m[1]) * _UNITS[m[2].lower()]


def describe(size: int) -> str:
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int, detail: str | None = None):
        super().__init__(413, detail or f"The request body is larger than this service accepts ({describe(limit)}).")


async def capped(app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int, message: str) -> None:
    """``app`` on a request whose body may hold ``limit`` bytes: a larger declared length is refused
    with 413 (``message``) before anything is read; a body that grows past it as it arrives raises
    :class:`BodyTooLarge` (answered 413 by the HTTPException handler)."""
    declared = _content_length(scope)
    if declared is not None and declared > limit:
        await refuse(scope, receive, send, message)
        return
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        got = await receive()
        if got["type"] == "http.request":
            seen += len(got.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit, message)
        return got

    await app(scope, counted, send)


async def refuse(scope: Scope, receive: Receive, send: Send, message: str) -> None:
    """Answer 413 with ``message`` and close the connection (the body is not read)."""
    response = errors.problem(413, message, {"Connection": "close"})
    await response(scope, receive, send)


class SizeLimits:
    """ASGI middleware enforcing the limits above (outside FastAPI, so nothing reads a body first)."""

    def __init__(self, app: ASGIApp, max_query_bytes: int, max_upload_bytes: int):
        self.app = app
        self.max_query = max_query_bytes
        self.max_upload = max_upload_bytes

    def limit_for(self, path: str) -> int:
        return self.max_upload if path.startswith(UPLOAD_PATHS) else self.max_query

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string") or b"") > self.max_query:
            await refuse(
                scope,
                receive,
                send,
                f"The URL's query is longer than this service accepts "
                f"({describe(self.max_query)}); send the query by POST.",
            )
            return
        limit = self.limit_for(scope.get("path", ""))
        await capped(self.app, scope, receive, send, limit, BodyTooLarge(limit).detail)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
