"""A lean HTTP/1.1 client for the measurements: sequential timed requests and a bounded concurrent loop.

Only loopback servers that the suite started are ever addressed. The concurrent loop sends a fixed
number of requests (and stops at a time bound), so it always ends by itself.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from bench.procs import HOST

ACCEPT = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


def path_for(query: str, path: str = "/sparql") -> str:
    return path + "?query=" + quote(query, safe="")


def form_body(query: str) -> bytes:
    """A query as the body of a POST form (SPARQL 1.1 Protocol, query via URL-encoded POST)."""
    return urlencode({"query": query}).encode()


class Client:
    """One keep-alive connection; ``get`` returns (status, body bytes, seconds)."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def get(self, query: str) -> tuple[int, int, float]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        t0 = time.perf_counter()
        try:
            self.conn.request("GET", path_for(query), headers={"Accept": ACCEPT})
            response = self.conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        return response.status, len(body), time.perf_counter() - t0

    def post(self, query: str, path: str = "/sparql") -> tuple[int, bytes, float]:
        """The query by POST form to ``path``: (status, body, seconds). A kept-alive connection that
        the server closed while idle (its keep-alive timeout passed while other servers were being
        measured) is opened again and the request sent once more, not timed twice."""
        body = form_body(query)
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            t0 = time.perf_counter()
            try:
                self.conn.request("POST", path, body, headers={"Accept": ACCEPT, "Content-Type": FORM})
                response = self.conn.getresponse()
                answer = response.read()
            except (ConnectionError, http.client.RemoteDisconnected):
                self.close()
                if reused and attempt == 1:
                    continue
                raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
            return response.status, answer, time.perf_counter() - t0
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ------------------------------------------------------------------------------------------ concurrent loop
async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readline()).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


@dataclass
class LoadResult:
    clients: int
    requests: int
    ok: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def _request(query: str, port: int, path: str, post: bool) -> bytes:
    if post:
        body = form_body(query)
        return (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: {ACCEPT}\r\nContent-Type: {FORM}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
    return f"GET {path_for(query, path)} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: {ACCEPT}\r\n\r\n".encode()


async def _load(
    port: int, queries: list[str], clients: int, total: int, time_bound: float, path: str, post: bool
) -> LoadResult:
    counter = iter(range(total))
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + time_bound

    async def one_client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for i in counter:
                if time.monotonic() > deadline:
                    break
                req = _request(queries[i % len(queries)], port, path, post)
                t0 = time.perf_counter()
                writer.write(req)
                status = await _read_response(reader)
                if status == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*[one_client() for _ in range(clients)])
    seconds = time.perf_counter() - start
    return LoadResult(clients, len(latencies) + errors, len(latencies), errors, seconds, latencies)


def load(
    port: int,
    queries: list[str],
    clients: int,
    total: int,
    time_bound: float = 300.0,
    path: str = "/sparql",
    post: bool = False,
) -> LoadResult:
    """Send ``total`` requests (cycling through ``queries``; GET, or POST form with ``post``) to ``path``
    over ``clients`` keep-alive connections."""
    return asyncio.run(_load(port, queries, clients, total, time_bound, path, post))


# ------------------------------------------------------------------------------------------ any GET requests
@dataclass
class RequestLoad:
    """What ``load_requests`` measured: status counts, and the latency of every answer it counts as ok."""

    clients: int
    statuses: dict[int, int]
    seconds: float
    latencies: list[float]

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def throughput(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


async def _load_requests(
    port: int, requests: list[tuple[str, dict[str, str]]], clients: int, total: int, time_bound: float
) -> RequestLoad:
    counter = iter(range(total))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + time_bound

    async def one_client() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for i in counter:
                if time.monotonic() > deadline:
                    break
                path, headers = requests[i % len(requests)]
                lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                t0 = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{lines}\r\n".encode())
                status = await _read_response(reader)
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*[one_client() for _ in range(clients)])
    return RequestLoad(clients, dict(sorted(statuses.items())), time.perf_counter() - start, latencies)


def load_requests(
    port: int, requests: list[tuple[str, dict[str, str]]], clients: int, total: int, time_bound: float = 300.0
) -> RequestLoad:
    """Send ``total`` GET requests (cycling through ``(path, headers)``) over ``clients`` keep-alive
    connections; a 304 has no body, which ``_read_response`` reads as Content-Length 0 or none."""
    return asyncio.run(_load_requests(port, requests, clients, total, time_bound))
