"""Where jobs run: the embedded store's worker processes, or a remote SPARQL endpoint.

The service hands every store access to a backend as a job (a dict with ``op``: query, rows,
describe, graphs, graph_get, update, graph_write; see :mod:`service.worker`) and gets a dict
back. Both backends answer the same jobs with the same answers, so the protocol and page code
never know which one runs:

- :class:`~service.executor.Executor`: worker processes over ``dist/store`` (killed at the timeout);
- :class:`RemoteBackend`: the same job functions in threads, on a :class:`~service.remote.RemoteStore`
  that speaks the SPARQL 1.1 Protocol to ``--store URL``. A timeout, an unreachable store or a
  server error is an answer with status 503 (a 4xx from the server is 400), never an exception.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Protocol, cast

import pyoxigraph as ox

from fukushi_kg.service import worker
from fukushi_kg.service.executor import Executor
from fukushi_kg.service.remote import (
    EMPTY_GRAPH,
    Endpoint,
    RemoteRefused,
    RemoteStore,
    RemoteTimeout,
    RemoteUnavailable,
    discover_graphs,
)
from fukushi_kg.service.settings import Settings

log = logging.getLogger("fukushi_kg.service")


class Backend(Protocol):
    generation: int

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def run(self, job: dict, timeout: float | None = None, reads_store: bool = True) -> dict: ...

    async def write(self, job: dict, timeout: float | None = None) -> dict: ...


def create_backend(settings: Settings) -> Backend:
    """The remote backend when ``settings.store`` names an endpoint, else the embedded worker pool."""
    if settings.store:
        return RemoteBackend(settings)
    return Executor(settings.store_path, settings.workers, settings.timeout, settings.worker_memory or None)


def dataset_graphs(settings: Settings) -> list[str]:
    """The named graphs of the loaded build (``dist/build-report.json``), or [] without a report."""
    path = settings.dist / "build-report.json"
    try:
        return sorted(json.loads(path.read_text(encoding="utf-8")).get("graphs", {}))
    except (OSError, ValueError, AttributeError):
        return []


class RemoteBackend:
    """Jobs answered by a SPARQL 1.1 Protocol endpoint; at most ``4 × workers`` requests at a time."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.timeout = settings.timeout
        self.generation = 0
        self.graphs: list[str] = []
        self.endpoint: Endpoint | None = None
        self._slots = asyncio.Semaphore(max(1, settings.workers) * 4)
        self._write_lock = asyncio.Lock()

    async def start(self) -> None:
        s = self.settings
        if not s.store:
            raise ValueError("the remote backend needs settings.store, the endpoint's URL")
        self.endpoint = Endpoint(s.store, s.store_update or s.store, s.store_user, s.store_password)
        self.graphs = dataset_graphs(s)
        if not self.graphs:
            try:
                self.graphs = await asyncio.to_thread(self._discover)
            except (RemoteTimeout, RemoteUnavailable, RemoteRefused) as error:
                log.warning("cannot list the graphs of %s: %s", s.store, error)
        log.info("serving %d named graphs from %s", len(self.graphs), s.store)

    async def close(self) -> None:
        if self.endpoint is not None:
            self.endpoint.close()

    def _started(self) -> Endpoint:
        if self.endpoint is None:
            raise RuntimeError("the remote backend was not started")
        return self.endpoint

    def _discover(self) -> list[str]:
        return discover_graphs(self._started(), self.settings.base + "graph/", time.monotonic() + self.timeout)

    def _handle(self, job: dict, deadline: float) -> dict:
        store = RemoteStore(self._started(), self.graphs, deadline, job.get("row_cap"))
        try:
            if job["op"] == "graph_write":
                answer = graph_write(store, job)
            else:
                # RemoteStore has the part of ox.Store's interface that the job code uses (see service/remote.py)
                answer = worker.handle(cast(ox.Store, store), job)
        except RemoteTimeout as error:
            if job["op"] in ("update", "graph_write"):
                return {
                    "ok": False,
                    "status": 503,
                    "error": f"Timeout: {error}; the service stopped waiting for the write, which the store may "
                    "still complete: read the graph to see whether it was written.",
                }
            return {
                "ok": False,
                "status": 503,
                "error": f"Timeout: {error}; the service stopped waiting (the store may still be running it). "
                "Narrow the query or add a LIMIT.",
            }
        except RemoteUnavailable as error:
            return {"ok": False, "status": 503, "error": f"The store is unavailable: {error}"}
        if answer.get("ok") and store.server_truncated and "truncated" in answer:
            answer["truncated"] = True
        return answer

    async def run(self, job: dict, timeout: float | None = None, reads_store: bool = True) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)  # reads_store: the remote store keeps its own locks
        async with self._slots:
            return await asyncio.to_thread(self._handle, job, deadline)

    async def write(self, job: dict, timeout: float | None = None) -> dict:
        """Writes go one at a time; afterwards the dataset's graph list is read again."""
        async with self._write_lock:
            answer = await self.run(job, timeout)
            if answer.get("ok"):
                if job.get("op") == "graph_write" and job.get("graph") and job["method"] != "DELETE":
                    self.graphs = sorted(set(self.graphs) | {job["graph"]})
                elif job.get("op") == "graph_write" and job["method"] == "DELETE":
                    self.graphs = [g for g in self.graphs if g != job.get("graph")]
                try:
                    found = await asyncio.to_thread(self._discover)
                    self.graphs = sorted(set(self.graphs) | set(found))
                except (RemoteTimeout, RemoteUnavailable, RemoteRefused) as error:
                    log.warning("cannot list the graphs of %s after a write: %s", self.settings.store, error)
                self.generation += 1
            return answer


def graph_write(store: RemoteStore, job: dict) -> dict:
    """Graph Store PUT / POST / DELETE on one named graph, as SPARQL Update on the remote store."""
    graph, method = job.get("graph"), job["method"]
    if graph is None:
        return {
            "ok": False,
            "status": 400,
            "error": "On an external store the default graph is the union of the dataset's graphs: name a graph.",
        }
    if not graph or any(c in '<>"{}|^`\\ ' for c in graph) or graph == EMPTY_GRAPH:
        return {"ok": False, "status": 400, "error": f"not a graph IRI: {graph!r}"}
    existed = store.contains_named_graph(ox.NamedNode(graph))
    if method == "DELETE":
        if not existed:
            return {"ok": False, "status": 404, "error": "no such graph"}
        store.update(f"DROP SILENT GRAPH <{graph}>")
        return {"ok": True, "created": False}
    try:
        triples = worker.parse_upload(job, graph)
    except worker.UnsupportedUpload as error:
        return {"ok": False, "status": 415, "error": str(error)}
    except worker.UploadSyntaxError as error:
        return {"ok": False, "status": 400, "error": str(error)}
    body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()  # bytes without an output
    steps = [f"DROP SILENT GRAPH <{graph}>"] if method == "PUT" else []
    steps.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
    store.update(" ;\n".join(steps))
    return {"ok": True, "created": not existed}
