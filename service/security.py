"""Security headers on every response, and CORS as configured (GET/HEAD only: ``service.cors``)."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fukushi_kg.service.cors import ReadOnlyCors

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
EXPOSED = [
    "Fukushi-Row-Cap",
    "Fukushi-Byte-Cap",
    "Fukushi-Truncated",
    "Fukushi-Row-Count",
    "Location",
    "Link",
    "ETag",
    "Content-Location",
]


class SecurityHeaders:
    """Adds :data:`HEADERS` to every HTTP response. Plain ASGI rather than ``BaseHTTPMiddleware``, which
    would finish a streamed body normally when the app fails mid-stream (see ``service.sparql._stream``)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", []))
                headers = MutableHeaders(raw=message["headers"])
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, cors_origins: tuple[str, ...]) -> None:
    if cors_origins:
        app.add_middleware(ReadOnlyCors, origins=tuple(cors_origins), expose=EXPOSED)
    app.add_middleware(SecurityHeaders)  # outermost: CORS refusals get the headers too
