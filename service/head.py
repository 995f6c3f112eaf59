"""HEAD wherever GET works, with the same headers and no body (RFC 9110 §9.3.2).

FastAPI routes answer only the methods they list, so a GET route answers HEAD with 405. Every GET
route gets HEAD too; the handler runs as for GET and the server (uvicorn) sends the headers only,
``Content-Length`` included. In the OpenAPI document each HEAD operation gets its own operation id
(FastAPI gives every method of a route the same one).
"""

from __future__ import annotations

import warnings

from fastapi import FastAPI
from fastapi.routing import APIRoute


def _routes(routes: list) -> list[APIRoute]:
    """The API routes among ``routes``, those of included routers too."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # FastAPI >= 0.16x keeps an included router as it is
            found += _routes(route.original_router.routes)
    return found


def allow_head(app: FastAPI) -> None:
    """Add HEAD to every GET route of ``app`` (call after the routers are included, before serving)."""
    for route in _routes(app.router.routes):
        if route.methods and "GET" in route.methods:
            route.methods.add("HEAD")
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Duplicate Operation ID")
            schema = generate()
        seen: set[str] = set()
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                if operation["operationId"] in seen:
                    operation["operationId"] += f"_{method}"
                seen.add(operation["operationId"])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
