"""Named error responses (plain text, no stack traces) and the exception handlers that use them."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("fukushi_kg.service")


def problem(status: int, message: str, headers: dict | None = None) -> PlainTextResponse:
    """A plain-text error body that names the problem."""
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def bad_request(message: str) -> PlainTextResponse:
    return problem(400, message)


def forbidden(message: str) -> PlainTextResponse:
    return problem(403, message)


def unsupported_media_type(content_type: str | None, accepted: list[str]) -> PlainTextResponse:
    return problem(415, f"Unsupported Content-Type {content_type or '(none)'}; send one of: {', '.join(accepted)}")


def not_acceptable(offers: list[str]) -> PlainTextResponse:
    return problem(406, "None of the formats in Accept can be produced; available: " + ", ".join(offers))


def install_handlers(app: FastAPI) -> None:
    """HTTP errors keep their status; validation errors are 400; anything else is a bare 500."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return problem(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        parts = ["{}: {}".format(".".join(str(x) for x in e.get("loc", ())), e.get("msg", "")) for e in exc.errors()]
        return problem(400, "Bad request: " + "; ".join(parts))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        # answered outside the middleware stack, so the security headers are set here
        from fukushi_kg.service.security import HEADERS

        return problem(500, "Internal server error (logged on the server).", dict(HEADERS))
