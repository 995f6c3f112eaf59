"""The web service: ``create_app(settings)`` wires the routers; ``serve(settings)`` runs it on uvicorn."""

from __future__ import annotations

import asyncio
import logging
import resource
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from fukushi_kg.service import (
    api,
    dereference,
    errors,
    explore,
    head,
    lint_api,
    loop_errors,
    pages,
    security,
    sparql,
    startup,
)
from fukushi_kg.service.backends import create_backend
from fukushi_kg.service.caching import CachedStaticFiles
from fukushi_kg.service.fastlane import FrontLane
from fukushi_kg.service.limits import SizeLimits
from fukushi_kg.service.lint_runner import LintRunner
from fukushi_kg.service.protocol import protocol_class
from fukushi_kg.service.quotas import AnonymousLintLimit, ClientQuotas, LintQueue
from fukushi_kg.service.runtime import Runtime
from fukushi_kg.service.settings import Settings
from fukushi_kg.service.throttle import FailureThrottle

log = logging.getLogger("fukushi_kg.service")
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI application over ``settings.dist/store`` (which must exist), or over ``settings.store``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        loop_errors.install(asyncio.get_running_loop())
        executor = create_backend(settings)
        await executor.start()
        rt = Runtime(settings, executor, lane=FrontLane.open(settings))
        await rt.refresh()
        app.state.runtime = rt
        try:
            yield
        finally:
            if rt.lane is not None:
                rt.lane.close()
            await executor.close()

    app = FastAPI(
        title="fukushi-kg",
        summary="SPARQL endpoint and linked-data portal for Japanese municipal welfare plans",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads from a CDN; the OpenAPI document stays at /openapi.json
        redoc_url=None,
    )
    app.state.lint_runner = LintRunner(settings.lint_timeout, settings.lint_jobs, settings.lint_memory or None)
    app.state.quotas = ClientQuotas(settings.client_queries, settings.write_token, retry_after=settings.timeout)
    app.state.lint_queue = LintQueue(settings.lint_jobs, settings.lint_queue, retry_after=settings.lint_timeout)
    app.state.auth_throttle = FailureThrottle()
    errors.install_handlers(app)
    app.add_middleware(AnonymousLintLimit, max_bytes=settings.lint_max_bytes, token=settings.write_token)
    app.add_middleware(SizeLimits, max_query_bytes=settings.max_query_bytes, max_upload_bytes=settings.max_upload_bytes)
    security.install(app, settings.cors_origins)  # added after SizeLimits: its 413s get the headers too
    app.include_router(sparql.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(explore.router)
    app.include_router(dereference.router)
    app.include_router(lint_api.router)
    head.allow_head(app)  # HEAD wherever GET works
    app.mount("/static", CachedStaticFiles(directory=STATIC), name="static")
    return app


def ensure_built(settings: Settings) -> None:
    """Build ``dist/`` first when nothing is at its store path yet (a dangling link or a broken store
    is not rebuilt behind the user's back: the start-up check names it and the fix)."""
    path = settings.store_path
    if path.exists() or path.is_symlink():
        return
    try:
        from fukushi_kg.graph.build import BuildError, build
    except ImportError as error:
        startup.fail(f"{path} is missing and the build is not available ({error}); run `fukushi-kg build` first")
    log.warning("no store at %s: building it first", path)
    try:
        build(settings.dist, settings.base)
    except BuildError as error:
        startup.fail(
            f"there is no store at {path} and building it failed: {error}"
            + "".join(f"\n  {line}" for line in error.details)
        )


def serve(settings: Settings) -> None:
    """Check the settings, bind the port, build if needed, check the store, then serve on
    ``settings.host:settings.port`` until stopped. Exit 2 for bad settings or store, 3 when the
    port cannot be bound (before anything is built or any worker started)."""
    import uvicorn

    try:
        for warning in startup.check_settings(settings):
            startup.warn(warning)
    except startup.StartupError as error:
        startup.fail(str(error), startup.EXIT_USAGE)
    try:
        sock = startup.bind(settings.host, settings.port)
    except startup.StartupError as error:
        startup.fail(str(error), startup.EXIT_BIND)
    if not settings.store:  # an external store (--store URL) is neither built nor opened here
        ensure_built(settings)
        try:
            startup.check_store(settings.store_path)
        except startup.StartupError as error:
            startup.fail(str(error))
    lean_log_records()
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        server_header=False,
        proxy_headers=False,
        http=protocol_class(settings.max_query_bytes, max_connections=connection_limit(settings.max_connections)),
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])  # the socket bound above: no second bind that could fail late
    except KeyboardInterrupt:
        pass
    if not server.started:
        raise SystemExit(3)  # uvicorn's own start-up failure code (the application did not start)


def lean_log_records() -> None:
    """Log records without the caller's file and line, thread and process fields, which no format
    of the service prints (uvicorn's and ``logging.basicConfig``'s name none of them): finding the
    caller walks the stack on every access-log line, a tenth of the front process's time per
    cached page (the logging HOWTO's "Optimization" switches)."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


DESCRIPTORS_KEPT = 128  # for the store, the workers' pipes, lints, dumps and logs


def connection_limit(wanted: int) -> int:
    """``wanted`` connections, raising the soft descriptor limit to the hard one when it is lower,
    and lowered (with a warning) where the descriptors cannot hold them and the service's own files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = wanted + DESCRIPTORS_KEPT
    if soft != resource.RLIM_INFINITY and soft < need:
        raised = need if hard == resource.RLIM_INFINITY else min(need, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < need:
        fitted = max(1, soft - DESCRIPTORS_KEPT)
        log.warning(
            "--max-connections %d lowered to %d: the process may open %d files (ulimit -n)", wanted, fitted, soft
        )
        return fitted
    return wanted
