"""Page throughput of the linked-data portal: resource pages of a seed build under 8 concurrent clients.

    python -m bench.page_bench --dist dist                       # this checkout, writes nothing
    python -m bench.page_bench --dist dist --source /tmp/old     # the same pages served by another checkout
    python -m bench.page_bench --dist dist --json out.json       # the figures as JSON too
    python -m bench.page_bench --dist dist --static site/        # the same pages of `fukushi-kg publish site/` under nginx

The server is ``fukushi-kg serve`` (2 workers) on a free loopback port over ``--dist`` (a build of the
seed documents: ``fukushi-kg build --dist DIST``). The pages are resource pages of several kinds
(programs, listings, plans, measures, indicators, metric tables, source spans), picked in IRI order.
Steps, each reported with the machine's load average when it ran:

1. **first views**: each page fetched once, one at a time (the server renders it; a server with a
   page cache fills it here): latency per page;
2. **warm views, one at a time**: each page three times more on one keep-alive connection: the
   latency of a page the server has seen (from its page cache, if it has one);
3. **warm views**: ``--clients`` keep-alive clients fetch the pages round-robin, ``--requests`` in all:
   pages per second and latency percentiles (a server with a page cache answers from it);
4. **conditional views**: the same with ``If-None-Match`` carrying each page's ``ETag`` from step 1
   (a server without ETags answers 200 with the page: the step then measures the same as step 2);
5. **Turtle, warm**: the same pages as ``text/turtle``.

With ``--static OUT`` (a publication of the same build, ``fukushi-kg publish OUT --dist DIST``) the
pages are picked from the service as above, which is then stopped, and the steps run against Debian's
nginx serving ``OUT`` with the generated configuration (``service.webconf.nginx_standalone``).

Only the server this script starts is addressed; every loop has a fixed number of requests and a time bound.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench.httpload import load_requests
from bench.procs import HOST, ROOT, free_port, start_service

BASE = "https://w3id.org/fukushi-kg/"
FK = "https://w3id.org/fukushi-kg/def/"
KINDS = {  # class -> pages of it
    "Program": 20,
    "Listing": 20,
    "Plan": 5,
    "Measure": 10,
    "Indicator": 10,
    "MetricTable": 10,
    "SourceSpan": 15,
}
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "Accept-Language": "ja"}
TURTLE = {"Accept": "text/turtle"}


def get(
    port: int, path: str, headers: dict[str, str], conn: http.client.HTTPConnection | None = None
) -> tuple[int, dict[str, str], bytes, float]:
    """One GET: on ``conn`` (kept open) when given, else on a connection of its own."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        seconds = time.perf_counter() - t0
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body, seconds
    finally:
        if own:
            conn.close()


def pick_pages(port: int) -> list[str]:
    """Paths of resource pages, ``KINDS[c]`` of each class ``c``, in IRI order."""
    paths = []
    for kind, n in KINDS.items():
        query = (
            f"SELECT DISTINCT ?s WHERE {{ ?s a <{FK}{kind}> FILTER(STRSTARTS(STR(?s), '{BASE}id/')) }} "
            f"ORDER BY ?s LIMIT {n}"
        )
        status, _, body, _ = get(
            port, "/sparql?query=" + quote(query, safe=""), {"Accept": "application/sparql-results+json"}
        )
        if status != 200:
            raise RuntimeError(f"picking {kind} pages: HTTP {status}: {body[:300]!r}")
        for row in json.loads(body)["results"]["bindings"]:
            paths.append("/" + quote(row["s"]["value"][len(BASE) :], safe="/:@!$&'()*+,;=-._~%"))
    return paths


def percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {}
    ms = sorted(s * 1000 for s in seconds)
    at = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return {"p50_ms": round(at(0.5), 2), "p95_ms": round(at(0.95), 2), "p99_ms": round(at(0.99), 2)}


def load_step(port: int, requests, clients: int, total: int, bound: float) -> dict:
    before = os.getloadavg()
    result = load_requests(port, requests, clients, total, bound)
    return {
        "clients": clients,
        "requests": result.answered,
        "statuses": {str(k): v for k, v in result.statuses.items()},
        "seconds": round(result.seconds, 2),
        "per_second": round(result.throughput, 1),
        **percentiles(result.latencies),
        "load_average": [round(x, 2) for x in (*before, *os.getloadavg())],
    }


def start_nginx(out: Path, work: Path) -> tuple[subprocess.Popen, int]:
    """nginx over the publication ``out`` on a free loopback port (the generated configuration)."""
    import getpass
    import shutil

    from fukushi_kg.service import webconf

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(webconf.nginx_standalone(str(out.resolve()), f"{HOST}:{port}", str(work), getpass.getuser()))
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(work), "-e", str(work / "error.log")])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not start: " + (work / "error.log").read_text(errors="replace")[-2000:])


def measure(dist: Path, source: Path, clients: int, total: int, bound: float, work: Path, static: Path | None) -> dict:
    server = start_service(dist, 2, 30, work / f"page-bench-{os.getpid()}.log", root=source)
    nginx = None
    try:
        port = server.port
        pages = pick_pages(port)
        if static is not None:
            server.stop()
            nginx, port = start_nginx(static, work)
        first: list[float] = []
        etags: dict[str, str] = {}
        sizes: list[int] = []
        load_before = os.getloadavg()
        for path in pages:
            status, headers, body, seconds = get(port, path, HTML)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            first.append(seconds)
            sizes.append(len(body))
            if "etag" in headers:
                etags[path] = headers["etag"]
        first_step = {
            "pages": len(pages),
            "mean_bytes": int(statistics.mean(sizes)),
            "mean_ms": round(statistics.mean(first) * 1000, 2),
            **percentiles(first),
            "load_average": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        }
        load_before = os.getloadavg()
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        single = [get(port, path, HTML, conn)[3] for path in pages for _ in range(3)]
        conn.close()
        warm_single = {
            "requests": len(single),
            **percentiles(single),
            "load_average": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        }
        warm = load_step(port, [(p, HTML) for p in pages], clients, total, bound)
        conditional = load_step(
            port,
            [(p, {**HTML, "If-None-Match": etags[p]} if p in etags else HTML) for p in pages],
            clients,
            total,
            bound,
        )
        for path in pages:  # Turtle: first views, then warm
            get(port, path, TURTLE)
        turtle = load_step(port, [(p, TURTLE) for p in pages], clients, total, bound)
        return {
            "source": f"nginx over {static}" if static else str(source),
            "pages_with_etag": len(etags),
            "first_views": first_step,
            "warm_single": warm_single,
            "warm_html": warm,
            "conditional_html": conditional,
            "warm_turtle": turtle,
        }
    finally:
        server.stop()
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)


def markdown(result: dict) -> str:
    rows = [
        "| step | requests | statuses | pages/s | p50 ms | p95 ms | p99 ms | load average (before → after) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    f = result["first_views"]
    la = f["load_average"]
    rows.append(
        f"| first views (one at a time) | {f['pages']} | 200 | {1000 / f['mean_ms']:.1f} | {f['p50_ms']} | "
        f"{f['p95_ms']} | {f['p99_ms']} | {la[0]:.2f} → {la[3]:.2f} |"
    )
    w = result["warm_single"]
    la = w["load_average"]
    rows.append(
        f"| warm views (one at a time, one connection) | {w['requests']} | 200 | {1000 / w['p50_ms']:.1f} | "
        f"{w['p50_ms']} | {w['p95_ms']} | {w['p99_ms']} | {la[0]:.2f} → {la[3]:.2f} |"
    )
    for key, name in (
        ("warm_html", "warm HTML"),
        ("conditional_html", "If-None-Match HTML"),
        ("warm_turtle", "warm Turtle"),
    ):
        s = result[key]
        la = s["load_average"]
        statuses = ", ".join(f"{k}: {v}" for k, v in s["statuses"].items())
        rows.append(
            f"| {name} ({s['clients']} clients) | {s['requests']} | {statuses} | {s['per_second']} | "
            f"{s.get('p50_ms', '')} | {s.get('p95_ms', '')} | {s.get('p99_ms', '')} | {la[0]:.2f} → {la[3]:.2f} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, required=True, help="a build of the seed documents")
    parser.add_argument("--source", type=Path, default=ROOT, help="source tree the server runs from (default: this)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3000, help="requests per concurrent step")
    parser.add_argument("--bound", type=float, default=120.0, help="seconds at most per concurrent step")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--static", type=Path, help="measure nginx serving this publication of --dist instead")
    ns = parser.parse_args(argv)
    if not (ns.dist / "store").exists():
        parser.error(f"no store in {ns.dist}: run `fukushi-kg build --dist {ns.dist}` first")
    with tempfile.TemporaryDirectory(prefix="page-bench-") as work:
        result = measure(ns.dist, ns.source.resolve(), ns.clients, ns.requests, ns.bound, Path(work), ns.static)
    result["cpus"] = os.cpu_count()
    result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if ns.json:
        ns.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{result['date']}, {result['cpus']} CPUs, server from {result['source']}")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
