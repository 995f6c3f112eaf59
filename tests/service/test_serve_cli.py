"""`fukushi-kg serve` takes its defaults as the other commands do: the build from $FUKUSHI_KG_DIST,
the named queries and the ontology from the package, whatever the current folder holds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, ROOT, free_port, make_dist  # noqa: E402


def test_serve_reads_FUKUSHI_KG_DIST_and_the_packaged_queries(tmp_path):
    dist = make_dist(tmp_path / "built" / "dist", with_w3c_data=False)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "queries").mkdir(parents=True)  # a queries/ here must not be what is served
    port = free_port()
    env = dict(
        os.environ,
        FUKUSHI_KG_DIST=str(dist),
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    log = open(tmp_path / "serve.log", "w+b")
    process = subprocess.Popen(
        [sys.executable, "-m", "fukushi_kg", "serve", "--port", str(port), "--base", BASE, "--workers", "1"],
        cwd=elsewhere,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            try:
                answer = httpx.post(
                    url + "/sparql",
                    data={"query": f"ASK {{ <{BASE}id/program/kodomo-shokudo> ?p ?o }}"},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=2,
                )
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()["boolean"] is True  # the data of $FUKUSHI_KG_DIST
        names = {q["name"] for q in httpx.get(url + "/api/queries", timeout=10).json()["queries"]}
        assert "single-parent-programs-both-plans" in names  # the package's queries, not ./queries/
        assert not (elsewhere / "dist").exists()  # nothing was built in the current folder
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()
