"""What the routers share at run time: settings, the executor, and what is known of the dataset."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fastapi import Request

from fukushi_kg.service.backends import Backend
from fukushi_kg.service.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    executor: Backend  # the embedded store's worker pool, or the remote backend
    graphs: dict[str, int] = field(default_factory=dict)  # named graph IRI -> triples
    default_triples: int = 0
    report: dict = field(default_factory=dict)  # dist/build-report.json when present

    async def refresh(self) -> None:
        """Reload the graph list and counts (at start and after every write)."""
        answer = await self.executor.run({"op": "graphs"})
        if answer.get("ok"):
            self.graphs = answer["graphs"]
            self.default_triples = answer["default"]
        path = self.settings.dist / "build-report.json"
        if path.is_file():
            try:
                self.report = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.report = {}

    @property
    def triples(self) -> int:
        return sum(self.graphs.values()) + self.default_triples


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime
