"""Several service processes serve one read-only on-disk store at once (the load-balancer set-up of README.md)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import make_dist, start_server, stop_server  # noqa: E402

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_two_processes_on_one_dist_answer_concurrently(tmp_path):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    # behind a load balancer every request comes from its address: no per-client share (README)
    first = start_server(dist, "--workers", "1", "--per-client-queries", "0")
    try:
        # opens the store while the first holds it open
        second = start_server(dist, "--workers", "1", "--per-client-queries", "0")
        try:

            def ask(url: str) -> tuple[int, str]:
                with first.client() as client:
                    response = client.get(
                        url + "/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"}
                    )
                    return response.status_code, response.json()["results"]["bindings"][0]["n"]["value"]

            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(ask, [first.url, second.url] * 12))
            assert {status for status, _ in answers} == {200}
            assert len({count for _, count in answers}) == 1 and int(answers[0][1]) > 100
            with second.client() as client:
                assert client.get("/id/program/kodomo-shokudo", headers={"Accept": "text/turtle"}).status_code == 200
        finally:
            stop_server(second)
    finally:
        stop_server(first)
