"""The service killed and restarted serves the same data; a broken store stops it at start-up with the fix.

- SIGKILL of the server process (its workers and forkserver follow it; nothing lingers on the
  port) and a restart over the same dist serve the same quads; a write acknowledged (204) just
  before the kill is still there after it.
- A worker killed in the middle of a query: that request gets a clear 503, the worker is
  replaced and the next requests are served.
- A missing, dangling, corrupt or unreadable store: `python -m service` exits 2 within seconds
  with one line naming the store and `fukushi-kg build`, and no traceback.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import procmem
import pytest
from checks import served_digest
from conftest import copy_dist
from servers import BASE, ROOT, TOKEN, free_port, make_dist, start_seed_server, start_server, stop_server


def sigkill(server) -> list[int]:
    """SIGKILL the server process; return the pids of its tree (workers, forkserver) at that moment."""
    pids = procmem.tree(server.process.pid)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    return pids


def test_sigkilled_server_restarts_on_the_same_data(seed_dist, tmp_path, figures):
    dist = copy_dist(seed_dist, tmp_path / "dist")
    first = start_seed_server(dist, "--workers", "2")
    before = served_digest(first.url)
    pids = sigkill(first)
    lingering = procmem.wait_gone(pids, 15)
    assert lingering == [], f"processes of the killed server still alive: {lingering}"
    started = time.monotonic()
    second = start_seed_server(dist, "--workers", "2")
    restart_seconds = time.monotonic() - started
    try:
        assert served_digest(second.url) == before
        with second.client() as client:
            named = client.get("/api/queries/programs")
            assert named.status_code == 200 and len(named.json()["rows"]) > 200
    finally:
        stop_server(second)
    figures["service SIGKILL"] = {
        "processes killed": len(pids),
        "lingering": 0,
        "restart seconds": round(restart_seconds, 1),
        "quads before = after": before[0],
    }


def test_a_write_acknowledged_before_sigkill_survives_it(tmp_path):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "1", env={"FUKUSHI_KG_WRITE_TOKEN": TOKEN})
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        with server.client() as client:
            for i in range(20):
                done = client.post(
                    "/sparql",
                    headers=auth,
                    data={"update": f"INSERT DATA {{ GRAPH <{BASE}graph/w> {{ <urn:s{i}> <urn:p> {i} }} }}"},
                )
                assert done.status_code == 204, done.text
    finally:
        lingering = procmem.wait_gone(sigkill(server), 15)
    assert lingering == []
    again = start_server(dist, "--workers", "1")
    try:
        with again.client() as client:
            count = client.get(
                "/sparql",
                params={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{BASE}graph/w> {{ ?s ?p ?o }} }}"},
                headers={"Accept": "application/sparql-results+json"},
            )
            assert count.json()["results"]["bindings"][0]["n"]["value"] == "20"
    finally:
        stop_server(again)


def test_a_worker_killed_mid_query_costs_one_clear_503(seed_dist):
    server = start_seed_server(seed_dist, "--workers", "1", "--timeout", "20")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    try:
        # the query workers are the forkserver's children (grandchildren of the server process); the
        # forkserver itself may have used more CPU than a worker (its imports) on a loaded machine
        direct = set(procmem.children(server.process.pid))
        workers_before = [p for p in procmem.tree(server.process.pid) if p != server.process.pid and p not in direct]
        with server.client() as client:
            import threading

            answers = []
            thread = threading.Thread(target=lambda: answers.append(client.get("/sparql", params={"query": slow})))
            thread.start()
            time.sleep(1.0)
            # the worker is the busiest process of the tree
            busiest = max(workers_before, key=lambda p: _cpu_ticks(p))
            os.kill(busiest, signal.SIGKILL)
            thread.join(30)
            response = answers[0]
            assert response.status_code == 503, response.text
            assert "worker" in response.text and "Traceback" not in response.text
            for _ in range(5):
                assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    finally:
        stop_server(server)


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return -1


# ------------------------------------------------------------------ start-up errors


def _dangling(dist: Path) -> None:
    shutil.rmtree((dist / "store").resolve())


def _file(dist: Path) -> None:
    (dist / "store").unlink()
    (dist / "store").write_text("not a store\n")


def _empty(dist: Path) -> None:
    target = (dist / "store").resolve()
    shutil.rmtree(target)
    target.mkdir()


def _bad_current(dist: Path) -> None:
    ((dist / "store").resolve() / "CURRENT").write_text("garbage\n")


def _truncated(dist: Path) -> None:
    for f in glob.glob(str((dist / "store").resolve() / "*.sst")):
        data = Path(f).read_bytes()
        Path(f).write_bytes(data[: len(data) // 2])


def _flipped(dist: Path) -> None:
    for f in glob.glob(str((dist / "store").resolve() / "*.sst")):
        data = bytearray(Path(f).read_bytes())
        for i in range(64, len(data) - 64, 997):
            data[i] ^= 0xFF
        Path(f).write_bytes(bytes(data))


def _no_manifest(dist: Path) -> None:
    for f in glob.glob(str((dist / "store").resolve() / "MANIFEST-*")):
        os.remove(f)


BREAKAGES = {
    "dangling store link": _dangling,
    "a file where the store is": _file,
    "empty store directory": _empty,
    "corrupt CURRENT": _bad_current,
    "truncated data files": _truncated,
    "flipped bytes in data files": _flipped,
    "missing MANIFEST": _no_manifest,
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_broken_store_stops_startup_with_the_fix(breakage, seed_dist, tmp_path, figures):
    dist = copy_dist(seed_dist, tmp_path / "dist")
    BREAKAGES[breakage](dist)
    cmd = [sys.executable, "-m", "fukushi_kg.service", "--dist", str(dist), "--port", str(free_port())]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr, done.stderr
    message = [line for line in done.stderr.splitlines() if line.startswith("fukushi-kg serve:")]
    assert len(message) == 1, done.stderr
    assert "fukushi-kg build" in message[0] and "store" in message[0]
    figures.setdefault("start-up errors", {})[breakage] = message[0][len("fukushi-kg serve: ") :][:160]
