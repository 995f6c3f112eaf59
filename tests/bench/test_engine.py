"""bench/engine.py: the service and the Oxigraph server run side by side on the same store and are
asked the same things, so the benchmark compares like with like. Nothing here is timed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import engine, procs, suite, synth  # noqa: E402


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    work = tmp_path_factory.mktemp("engine")
    nq = work / "synth.nq"
    quads = synth.write_file(nq, 20_000, 0)
    dist = work / "dist"
    suite.make_dist(nq, dist, quads)
    service = procs.start_service(dist, 2, 30, work / "service.log", 120)
    service.name = "fukushi-kg"
    try:
        server = procs.start_oxigraph(dist / "store", work, work / "oxigraph.log", 30, 120)
    except BaseException:
        service.stop()
        raise
    yield dist, [service, server]
    server.stop()
    service.stop()


def test_the_oxigraph_server_and_the_service_return_the_same_rows(servers):
    _, both = servers
    opts = engine.Options(work=Path("."), budget=0, min_rounds=1, max_rounds=1)
    result = engine.interleaved(both, opts, say=lambda _: None)
    names = {q.name for q in engine.named_queries()}
    assert set(result["queries"]) == names
    for name, q in result["queries"].items():
        assert "failed" not in q, (name, q)
        assert q["rows_agree"], (name, q["rows"])
        assert q["n"] == 1 and q["ratio"] > 0
    assert sum(q["rows"]["fukushi-kg"] for q in result["queries"].values()) > 0  # the synthetic data answers
    assert len(result["load_average"]) == 6


def test_one_row_throughput_counts_every_answer_of_both(servers):
    dist, both = servers
    opts = engine.Options(work=Path("."), clients=4, requests=40, repeats=1)
    result = engine.throughput(both, engine.point_queries(dist / "store", 20), opts, say=lambda _: None)
    for name in ("fukushi-kg", "oxigraph server"):
        (run,) = result["runs"][name]
        assert run["ok"] == 40 and run["errors"] == 0, (name, run)
    assert result["share"] > 0
