"""`fukushi-kg serve` takes its defaults as the other commands do: the build from $FUKUSHI_KG_DIST,
the named queries and the ontology from the package, whatever the current folder holds."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, ROOT, make_dist  # noqa: E402

from bench import procs


def test_serve_reads_FUKUSHI_KG_DIST_and_the_packaged_queries(tmp_path):
    dist = make_dist(tmp_path / "built" / "dist", with_w3c_data=False)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "queries").mkdir(parents=True)  # a queries/ here must not be what is served
    port = procs.free_port()
    env = dict(
        os.environ,
        FUKUSHI_KG_DIST=str(dist),
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    log = tmp_path / "serve.log"
    process = procs.spawn(
        [sys.executable, "-m", "fukushi_kg", "serve", "--port", str(port), "--base", BASE, "--workers", "1"],
        log,
        cwd=elsewhere,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        procs.wait_ready(process, port, log, 60, name="fukushi-kg serve")
        answer = httpx.post(
            url + "/sparql",
            data={"query": f"ASK {{ <{BASE}id/program/kodomo-shokudo> ?p ?o }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        )
        assert answer.status_code == 200 and answer.json()["boolean"] is True  # the data of $FUKUSHI_KG_DIST
        names = {q["name"] for q in httpx.get(url + "/api/queries", timeout=10).json()["queries"]}
        assert "single-parent-programs-both-plans" in names  # the package's queries, not ./queries/
        assert not (elsewhere / "dist").exists()  # nothing was built in the current folder
    finally:
        procs.stop(process)
