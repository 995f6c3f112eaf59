"""Load: 100 concurrent clients mixing named queries, dereferencing and dumps hold without a failure.

Loopback only, bounded by a duration (``FUKUSHI_KG_LOAD_SECONDS``, default 20 per phase) and a
request budget. Phase 1 is the mix alone; phase 2 is the same mix while one more client keeps a
cartesian-product query running into the server's timeout. Both phases: no 5xx, no failed
request; p99 latency and the peak RSS of the server's process tree are reported.
"""

from __future__ import annotations

import asyncio

import loadgen
import procmem
import pytest
from conftest import env_number
from servers import SEED_BASE, start_seed_server, stop_server

SECONDS = env_number("FUKUSHI_KG_LOAD_SECONDS", 20)
CLIENTS = int(env_number("FUKUSHI_KG_LOAD_CLIENTS", 100))
MAX_REQUESTS = 200_000
TIMEOUT = 3  # the server's query timeout in these runs (seconds)


@pytest.fixture(scope="module")
def load_server(seed_dist):
    server = start_seed_server(seed_dist, "--workers", "2", "--timeout", str(TIMEOUT))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def requests(load_server):
    iris = loadgen.sample_iris(load_server.url)
    assert len(iris) > 50
    return loadgen.mix(iris, SEED_BASE)


def run_phase(server, requests, pathological: bool) -> dict:
    port = int(server.url.rsplit(":", 1)[1])
    with procmem.Sampler(server.process.pid) as sampler:
        report = asyncio.run(
            loadgen.run(
                port, requests, clients=CLIENTS, seconds=SECONDS, max_requests=MAX_REQUESTS, pathological=pathological
            )
        )
    report.rss_start, report.rss_peak, report.rss_end = sampler.samples[0], sampler.peak, sampler.samples[-1]
    return report.summary()


@pytest.mark.slow
def test_mixed_load_without_a_failure(load_server, requests, figures):
    summary = run_phase(load_server, requests, pathological=False)
    figures[f"load {CLIENTS} clients x {SECONDS:g} s"] = summary
    assert summary["requests"] > CLIENTS
    assert summary["server_errors"] == 0, summary["failures"]
    assert summary["failed"] == 0, summary["failures"]
    assert set(summary["by_kind"]) == {"named-query", "page", "rdf", "sparql", "dump"}


@pytest.mark.slow
def test_mixed_load_while_a_cartesian_product_times_out(load_server, requests, figures):
    summary = run_phase(load_server, requests, pathological=True)
    figures[f"load {CLIENTS} clients x {SECONDS:g} s + cartesian product"] = summary
    assert summary["server_errors"] == 0, summary["failures"]
    assert summary["failed"] == 0, summary["failures"]
    assert summary["requests"] > CLIENTS
    slow = summary["pathological"]
    assert slow["sent"] >= 1 and slow["statuses"] == [503], slow  # stopped by the timeout, every time
    assert all(s < TIMEOUT + 30 for s in slow["seconds"]), slow
