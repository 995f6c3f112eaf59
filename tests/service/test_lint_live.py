"""`fukushi-kg lint URL` against a live `fukushi-kg serve`: the remote mode a reviewer points at a
published endpoint. The rules run there, SHACL on a copy; the findings and the exit code are those
of linting the same data from a file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, start_server, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "lint" / "fixtures" / "REL001.trig"


def lint(target: str, *extra: str) -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "fukushi_kg.service.cli", "lint", target, "--format", "json", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def codes(report: dict) -> list[tuple[str, str]]:
    return sorted((f["code"], f["focus"]) for f in report["findings"])


def test_the_seed_graph_lints_clean_through_the_live_endpoint(seed_server):
    status, report = lint(seed_server.url + "/sparql", "--ignore", "OWL")
    assert status == 0, report
    assert report["findings"] == [] and not report["skipped"], report


def test_a_defect_is_found_through_the_endpoint_as_in_the_file(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    store = ox.Store(str(dist / "store"))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    graphs: dict[str, int] = {}
    for q in store.quads_for_pattern(None, None, None):
        graphs[q.graph_name.value] = graphs.get(q.graph_name.value, 0) + 1
    store.flush()
    del store
    (dist / "build-report.json").write_text(
        json.dumps({"triples": sum(graphs.values()), "graphs": graphs, "base": BASE})
    )
    server = start_server(dist, "--workers", "1")
    try:
        remote_status, remote = lint(server.url + "/sparql", "--ignore", "OWL")
    finally:
        stop_server(server)
    local_status, local = lint(str(FIXTURE), "--ignore", "OWL")
    assert (remote_status, local_status) == (1, 1)
    assert codes(remote) == codes(local) and ("REL001" in {c for c, _ in codes(remote)})
