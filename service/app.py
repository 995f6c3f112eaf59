"""The web service: ``create_app(settings)`` wires the routers; ``serve(settings)`` runs it on uvicorn."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service import api, errors, pages, security, sparql
from service.executor import Executor
from service.runtime import Runtime
from service.settings import Settings

log = logging.getLogger("fukushi_kg.service")
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI application over ``settings.dist/store`` (which must exist)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        executor = Executor(settings.store_path, settings.workers, settings.timeout)
        await executor.start()
        rt = Runtime(settings, executor)
        await rt.refresh()
        app.state.runtime = rt
        try:
            yield
        finally:
            await executor.close()

    app = FastAPI(
        title="fukushi-kg",
        summary="SPARQL endpoint and linked-data portal for Japanese municipal welfare plans",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads from a CDN; the OpenAPI document stays at /openapi.json
        redoc_url=None,
    )
    errors.install_handlers(app)
    security.install(app, settings.cors_origins)
    app.include_router(sparql.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def ensure_built(settings: Settings) -> None:
    """Build ``dist/`` first when its store is missing."""
    if settings.store_path.is_dir():
        return
    try:
        from graph.build import build
    except ImportError as error:
        raise SystemExit(f"{settings.store_path} is missing and the build is not available ({error}); "
                         "run `fukushi-kg build` first") from None
    log.warning("no store at %s: building it first", settings.store_path)
    build(settings.dist, settings.base)


def serve(settings: Settings) -> None:
    """Build if needed, then serve on ``settings.host:settings.port`` until stopped."""
    import uvicorn

    ensure_built(settings)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                server_header=False, proxy_headers=False)
