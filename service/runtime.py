"""What the routers share at run time: settings, the executor, and what is known of the dataset."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from starlette.responses import Response

from fukushi_kg import resources
from fukushi_kg.graph import source_texts
from fukushi_kg.service import caching
from fukushi_kg.service.backends import Backend
from fukushi_kg.service.caching import CacheState, Representation, build_identity
from fukushi_kg.service.executor import QueryTimeout, WorkerDied
from fukushi_kg.service.fastlane import FrontLane
from fukushi_kg.service.settings import Settings

log = logging.getLogger("fukushi_kg.service")


@dataclass
class Runtime:
    settings: Settings
    executor: Backend  # the embedded store's worker pool, or the remote backend
    graphs: dict[str, int] = field(default_factory=dict)  # named graph IRI -> triples
    default_triples: int = 0
    report: dict = field(default_factory=dict)  # dist/build-report.json when present
    cache: CacheState = field(default_factory=CacheState)  # validators' build identity, writes, page cache
    texts: dict[str, Path] = field(default_factory=dict)  # the source texts served (graph/source_texts.py)
    lane: FrontLane | None = None  # bounded queries answered in this process (service.fastlane), or None

    async def refresh(self) -> None:
        """Reload the graph list and counts (at start and after every write); when they cannot be
        read now (a timeout, a worker lost), the previous ones stay and the next write tries again."""
        try:
            answer = await self.executor.run({"op": "graphs"})
        except (QueryTimeout, WorkerDied) as error:
            log.warning("the graph list was not refreshed: %s", error)
            answer = {}
        if answer.get("ok"):
            self.graphs = answer["graphs"]
            self.default_triples = answer["default"]
        path = self.settings.dist / "build-report.json"
        if path.is_file():
            try:
                self.report = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.report = {}
        self.texts = source_texts.served(self.settings.dist, self.report)
        # an external store may change behind the service's back: no build identity, no validators
        self.cache.identity = None if self.settings.store else build_identity(self.settings.dist)

    def written(self) -> None:
        """A write went to the store (SPARQL Update, Graph Store): validators and cached pages change."""
        self.cache.written()

    async def serve(self, request: Request, rep: Representation, make) -> Response:
        """``make()``'s answer with validators and caching headers, or a 304, or the cached copy
        (``service.caching.serve``); answers read from a writable store are ``no-cache``."""
        return await caching.serve(request, self.cache, rep, make, writable=bool(self.settings.write_token))

    @property
    def queries_dir(self) -> Path:
        return self.settings.queries_dir or resources.QUERIES

    @property
    def ontology_dir(self) -> Path:
        return self.settings.ontology_dir or resources.ONTOLOGY_DIR

    @property
    def triples(self) -> int:
        return sum(self.graphs.values()) + self.default_triples


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime
