"""CORS for reads only: cross-site GET and HEAD (and their preflight), never a write or ``/lint``.

Starlette's ``CORSMiddleware`` restricts the *preflight* to the allowed methods but adds
``Access-Control-Allow-Origin`` to every simple request whatever its method, so a page on any
site could send a ``POST /lint`` (``text/plain`` needs no preflight) and read the answer. Here the
CORS headers go on GET and HEAD answers only; a preflight for any other method is refused (403,
no CORS headers), so the browser never sends it, and other methods' answers carry none, so no
page can read them.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fukushi_kg.service import errors

READ_METHODS = ("GET", "HEAD")
ALLOWED_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")  # reads and revalidation
MAX_AGE = "600"


class ReadOnlyCors:
    """ASGI middleware: CORS headers for ``origins`` (``*`` for any) on GET/HEAD only."""

    def __init__(self, app: ASGIApp, origins: tuple[str, ...], expose: list[str]):
        self.app = app
        self.any_origin = "*" in origins
        self.origins = set(origins)
        self.expose = ", ".join(expose)

    def allowed_origin(self, origin: str) -> str | None:
        if self.any_origin:
            return "*"
        return origin if origin in self.origins else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        method = scope["method"]
        if origin is not None and method == "OPTIONS" and "access-control-request-method" in headers:
            await self.preflight(headers, origin)(scope, receive, send)
            return
        allow = self.allowed_origin(origin) if origin is not None and method in READ_METHODS else None

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", []))
                out = MutableHeaders(raw=message["headers"])
                for name in [k for k in out.keys() if k.startswith("access-control-")]:
                    del out[name]  # only this middleware speaks CORS
                if allow is not None:
                    out["Access-Control-Allow-Origin"] = allow
                    out["Access-Control-Expose-Headers"] = self.expose
                if not self.any_origin:
                    out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def preflight(self, headers: Headers, origin: str):
        requested = headers["access-control-request-method"].strip().upper()
        wanted = [h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",") if h.strip()]
        allow = self.allowed_origin(origin)
        if requested not in READ_METHODS or allow is None or any(h not in ALLOWED_HEADERS for h in wanted):
            return errors.problem(
                403,
                f"Cross-origin {requested or 'request'} refused: this service allows cross-site GET and HEAD only "
                "(with Accept, Accept-Language, If-None-Match and If-Modified-Since headers), from its configured "
                "origins.",
            )
        answer = {
            "Access-Control-Allow-Origin": allow,
            "Access-Control-Allow-Methods": ", ".join(READ_METHODS),
            "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
            "Access-Control-Max-Age": MAX_AGE,
        }
        if not self.any_origin:
            answer["Vary"] = "Origin"
        return Response(status_code=204, headers=answer)
