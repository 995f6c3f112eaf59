"""A bounded load generator for a fukushi-kg server on loopback.

N concurrent clients, each on its own keep-alive HTTP/1.1 connection, send a deterministic mix of
requests (named queries, dereferenced pages and RDF, dumps, small SPARQL queries) until the
duration has passed or the request budget is spent, whichever comes first. Optionally one more
client keeps sending a pathological query (a cartesian product) that can only end in the
server's timeout. Every response is read to its end; latency is from the first byte sent to the
last byte read.

Standalone, for the figures in docs/reliability.md:

    python3 tests/reliability/loadgen.py --dist dist --seconds 60 --clients 100 [--pathological]

starts `python -m service` on a free loopback port over DIST, runs the load and prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

HOST = "127.0.0.1"
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
NAMED = [
    "programs",
    "single-parent-programs",
    "single-parent-programs-both-plans",
    "programs-by-division",
    "relisted-programs",
    "indicators",
    "plan-foundations",
]
DUMPS = ["fukushi-kg.trig", "fukushi-kg.nt", "fukushi-kg.nq", "fukushi-kg.jsonld"]
SAMPLE_QUERY = """PREFIX fk: <https://w3id.org/fukushi-kg/def/>
SELECT ?kind (COUNT(?s) AS ?n) WHERE { ?s a ?kind } GROUP BY ?kind ORDER BY DESC(?n) LIMIT 20"""
SAMPLE_IRIS = """PREFIX fk: <https://w3id.org/fukushi-kg/def/>
SELECT ?s WHERE {{ ?s a fk:{cls} }} ORDER BY ?s LIMIT {n}"""


@dataclass(frozen=True)
class Request:
    kind: str  # named-query | page | rdf | dump | sparql | pathological
    path: str
    accept: str = "*/*"


@dataclass
class Result:
    kind: str
    status: int  # 0: no response (connection error or client timeout)
    seconds: float
    size: int
    error: str = ""


@dataclass
class Report:
    seconds: float
    clients: int
    results: list[Result] = field(default_factory=list)
    rss_start: int = 0
    rss_peak: int = 0
    rss_end: int = 0

    def summary(self) -> dict:
        main = [r for r in self.results if r.kind != "pathological"]
        slow = [r for r in self.results if r.kind == "pathological"]
        by_kind: dict[str, list[Result]] = defaultdict(list)
        for r in main:
            by_kind[r.kind].append(r)
        failed = [r for r in main if r.status != 200]
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": len(main),
            "requests_per_second": round(len(main) / self.seconds, 1) if self.seconds else 0,
            "failed": len(failed),
            "server_errors": sum(1 for r in main if r.status >= 500),
            "failures": sorted({f"{r.kind} {r.status} {r.error}".strip() for r in failed})[:10],
            "latency_ms": _percentiles([r.seconds for r in main]),
            "by_kind": {
                k: {"requests": len(v), **_percentiles([r.seconds for r in v])} for k, v in sorted(by_kind.items())
            },
            "megabytes_read": round(sum(r.size for r in main) / (1 << 20), 1),
            "pathological": {
                "sent": len(slow),
                "statuses": sorted({r.status for r in slow}),
                "seconds": [round(r.seconds, 1) for r in slow],
            },
            "server_rss_mib": {"start": _mib(self.rss_start), "peak": _mib(self.rss_peak), "end": _mib(self.rss_end)},
        }


def _mib(n: int) -> float:
    return round(n / (1 << 20), 1)


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {}
    v = sorted(values)

    def at(p: float) -> float:
        return round(1000 * v[min(len(v) - 1, int(p * len(v)))], 1)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(1000 * v[-1], 1)}


def mix(iris: list[str], base: str) -> list[Request]:
    """The weighted request mix: named queries 35%, HTML pages 30%, RDF 20%, SPARQL 10%, dumps 5%."""
    paths = ["/" + iri[len(base) :] for iri in iris if iri.startswith(base)]
    out: list[Request] = []
    out += [Request("named-query", f"/api/queries/{n}", "application/json") for n in NAMED] * 5
    out += [Request("page", p, HTML) for p in paths[: max(1, len(paths))]]
    out += [Request("rdf", p, "text/turtle") for p in paths[: max(1, (len(paths) * 2) // 3)]]
    out += [Request("sparql", "/sparql?query=" + quote(SAMPLE_QUERY, safe=""), "application/sparql-results+json")] * 10
    out += [Request("dump", f"/dumps/{d}") for d in DUMPS]
    return out


def client_address(i: int) -> str:
    """The loopback address client ``i`` connects from: each client is its own address, as on a real
    network (the server limits queries per client address, service.quotas)."""
    return f"127.0.{1 + i // 250}.{2 + i % 250}"


class Connection:
    def __init__(self, port: int, address: str | None = None):
        self.port = port
        self.address = address
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, req: Request) -> tuple[int, int]:
        """Send ``req``, read the whole response; (status, body bytes)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                HOST, self.port, limit=1 << 20, local_addr=(self.address, 0) if self.address else None
            )
        self.writer.write(
            f"GET {req.path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nAccept: {req.accept}\r\n"
            f"Accept-Language: ja\r\n\r\n".encode()
        )
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed before a response")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        size = 0
        if "content-length" in headers:
            size = int(headers["content-length"])
            await self._skip(size)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                n = int((await self.reader.readline()).split(b";")[0], 16)
                if n == 0:
                    while (await self.reader.readline()) not in (b"\r\n", b""):
                        pass
                    break
                await self._skip(n)
                size += n
                await self.reader.readexactly(2)
        else:
            size = len(await self.reader.read())
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, size

    async def _skip(self, n: int) -> None:
        while n > 0:
            chunk = await self.reader.read(min(n, 1 << 20))
            if not chunk:
                raise ConnectionError("connection closed in the body")
            n -= len(chunk)


async def _client(
    port: int,
    requests: list[Request],
    rng: random.Random,
    deadline: float,
    budget: list[int],
    results: list[Result],
    timeout: float,
    address: str | None = None,
) -> None:
    conn = Connection(port, address)
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            req = rng.choice(requests)
            t0 = time.perf_counter()
            try:
                status, size = await asyncio.wait_for(conn.request(req), timeout)
                results.append(Result(req.kind, status, time.perf_counter() - t0, size))
            except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as error:
                results.append(Result(req.kind, 0, time.perf_counter() - t0, 0, type(error).__name__))
                await conn.close()
    finally:
        await conn.close()


async def _pathological(port: int, deadline: float, results: list[Result], timeout: float) -> None:
    req = Request("pathological", "/sparql?query=" + quote(PATHOLOGICAL, safe=""), "application/sparql-results+json")
    conn = Connection(port)
    try:
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                status, size = await asyncio.wait_for(conn.request(req), timeout)
                results.append(Result(req.kind, status, time.perf_counter() - t0, size))
            except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError) as error:
                results.append(Result(req.kind, 0, time.perf_counter() - t0, 0, type(error).__name__))
                await conn.close()
    finally:
        await conn.close()


async def run(
    port: int,
    requests: list[Request],
    *,
    clients: int,
    seconds: float,
    max_requests: int,
    pathological: bool = False,
    timeout: float = 120.0,
    seed: int = 7,
) -> Report:
    """Run the load; the caller samples memory around it."""
    results: list[Result] = []
    budget = [max_requests]
    start = time.monotonic()
    deadline = start + seconds
    tasks = [
        _client(port, requests, random.Random(seed * 1000 + i), deadline, budget, results, timeout, client_address(i))
        for i in range(clients)
    ]
    if pathological:
        tasks.append(_pathological(port, deadline, results, timeout))
    await asyncio.gather(*tasks)
    return Report(seconds=time.monotonic() - start, clients=clients, results=results)


def sample_iris(url: str, per_class: int = 15) -> list[str]:
    """A few IRIs of each kind of resource a page exists for, read from the server."""
    import httpx

    iris: list[str] = []
    for cls in ("Program", "Listing", "Plan", "Measure", "Initiative", "Indicator", "SourceSpan", "MetricTable"):
        query = SAMPLE_IRIS.format(cls=cls, n=per_class)
        answer = httpx.get(
            url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60
        ).json()
        iris += [b["s"]["value"] for b in answer["results"]["bindings"]]
    return iris


def main() -> None:
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import procmem
    from servers import start_seed_server, stop_server

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dist", type=Path, default=Path("dist"))
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--max-requests", type=int, default=1_000_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--timeout", type=float, default=5, help="the server's query timeout (default 5 s)")
    p.add_argument("--pathological", action="store_true", help="keep a cartesian-product query running too")
    ns = p.parse_args()
    server = start_seed_server(ns.dist.resolve(), "--workers", str(ns.workers), "--timeout", str(ns.timeout))
    try:
        requests = mix(sample_iris(server.url), "https://w3id.org/fukushi-kg/")
        with procmem.Sampler(server.process.pid) as sampler:
            report = asyncio.run(
                run(
                    server.port,
                    requests,
                    clients=ns.clients,
                    seconds=ns.seconds,
                    max_requests=ns.max_requests,
                    pathological=ns.pathological,
                )
            )
        report.rss_start, report.rss_peak, report.rss_end = sampler.samples[0], sampler.peak, sampler.samples[-1]
        print(json.dumps(report.summary(), indent=2))
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
