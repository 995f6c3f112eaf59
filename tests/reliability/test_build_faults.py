"""A build killed (SIGKILL) at any stage leaves the served store intact, and the next build succeeds.

`fukushi-kg build` runs as a subprocess over a copy of the seed build while a server serves that
copy; the test reads the build's progress lines on stderr and kills it at staged moments:
while the tables are read, during SHACL validation, while the dumps are written (``all`` stages only),
and while the Oxigraph store is being loaded. After every kill the served store is the one from
before (same link, same quads), the server still answers with the same data, and the next build
cleans up what the killed one left and produces the same graph.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from checks import served_digest, store_digest
from conftest import copy_dist
from servers import ROOT, start_seed_server, stop_server

# stage -> (progress line that starts it, seconds to wait after it before the kill)
STAGES = {
    "tables": ("reading tables", 0.2),
    "validate": ("validating", 1.5),
    "dumps": ("writing dumps", 0.4),
    "store": ("loading the Oxigraph store", 0.3),
}


def stages() -> list[str]:
    wanted = os.environ.get("FUKUSHI_KG_FAULT_STAGES", "tables,validate,store")
    return list(STAGES) if wanted == "all" else [s.strip() for s in wanted.split(",") if s.strip()]


def build_command(dist: Path) -> list[str]:
    return [sys.executable, "-m", "fukushi_kg.service.cli", "build", "--dist", str(dist), "--no-reasoner"]


def kill_build_at(dist: Path, stage: str) -> dict:
    """Start a build, SIGKILL it once ``stage`` has begun; what was seen."""
    marker, delay = STAGES[stage]
    process = subprocess.Popen(
        build_command(dist),
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seen: list[str] = []
    try:
        for line in process.stderr:
            seen.append(line.rstrip())
            if line.startswith(marker):
                time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                break
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert any(s.startswith(marker) for s in seen), f"the build never reached {stage!r}: {seen}"
    return {"stage": stage, "returncode": process.returncode, "last_line": seen[-1], "pid": process.pid}


def leftovers(dist: Path) -> list[str]:
    link_target = (dist / "store").resolve().name
    names = [p.name for p in dist.glob(".staging-*")] + [p.name for p in dist.glob(".store-link-*")]
    names += [f"stores/{p.name}" for p in (dist / "stores").iterdir() if p.name != link_target]
    return sorted(names)


@pytest.mark.slow
def test_killed_builds_leave_the_served_store_and_the_next_build_succeeds(seed_dist, tmp_path, figures):
    dist = copy_dist(seed_dist, tmp_path / "dist")
    before_link = os.readlink(dist / "store")
    before = store_digest(dist / "store")
    server = start_seed_server(dist, "--workers", "1")
    try:
        served_before = served_digest(server.url)
        killed = []
        for stage in stages():
            outcome = kill_build_at(dist, stage)
            assert outcome["returncode"] == -signal.SIGKILL, outcome
            # the served store is untouched: same link, same quads, and the server still answers them
            assert os.readlink(dist / "store") == before_link, f"killed in {stage}: the store link moved"
            assert store_digest(dist / "store") == before, f"killed in {stage}: the served store changed"
            assert served_digest(server.url) == served_before, f"killed in {stage}: the server answers differently"
            outcome["left_behind"] = leftovers(dist)
            killed.append(outcome)

        # the next build succeeds, removes what the killed builds left, and builds the same graph
        done = subprocess.run(build_command(dist), cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Traceback" not in done.stderr
        assert os.readlink(dist / "store") != before_link
        assert store_digest(dist / "store") == before, "the rebuilt store holds a different graph"
        remaining = leftovers(dist)
        # only the store served before the rebuild is kept (a running server may still have it open)
        assert remaining == [f"stores/{Path(before_link).name}"], remaining
        # the old server keeps answering from the store it opened; a restarted one serves the new store
        assert served_digest(server.url) == served_before
    finally:
        stop_server(server)
    restarted = start_seed_server(dist, "--workers", "1")
    try:
        assert served_digest(restarted.url) == served_before
    finally:
        stop_server(restarted)
    figures["build kills"] = {
        "killed": [
            {"stage": k["stage"], "last progress line": k["last_line"], "left behind": k["left_behind"]} for k in killed
        ],
        "store intact after every kill": True,
        "next build": "succeeded, leftovers removed, same quads",
        "quads": before[0],
    }


def test_stale_leftovers_of_dead_builds_are_removed_and_live_ones_kept(tmp_path):
    """graph.store.remove_leftovers: a dead pid's staging folder goes, a live process's stays."""
    from fukushi_kg.graph import store

    dist = tmp_path / "dist"
    (dist / "stores").mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (dist / f".staging-{dead.pid}").mkdir()
    (dist / f".staging-{dead.pid}" / "fukushi-kg.nt").write_text("half")
    os.symlink("stores/x", dist / f".store-link-{dead.pid}")
    (dist / f".build-report.json.tmp-{dead.pid}").write_text("{")
    (dist / f".staging-{os.getppid()}").mkdir()  # a live process (pytest's parent)
    removed = store.remove_leftovers(dist)
    assert sorted(p.name for p in removed) == sorted(
        [f".staging-{dead.pid}", f".store-link-{dead.pid}", f".build-report.json.tmp-{dead.pid}"]
    )
    assert (dist / f".staging-{os.getppid()}").is_dir()


def test_a_store_directory_from_the_old_layout_is_swapped_out_not_fatal(tmp_path):
    """A dist whose ``store`` is a real directory (written before the link layout) still takes a new build."""
    import pyoxigraph as ox

    from fukushi_kg.graph import store

    dist = tmp_path / "dist"
    dist.mkdir()
    old = ox.Store(str(dist / "store"))
    old.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:old")))
    old.flush()
    del old
    quad = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:new"), ox.NamedNode("urn:g"))
    store.write_store([quad], dist, "store")
    assert (dist / "store").is_symlink()
    opened = store.open_store(dist)
    assert [q.object.value for q in opened.quads_for_pattern(None, None, None)] == ["urn:new"]
    kept = [p.name for p in (dist / "stores").iterdir()]
    assert any(name.startswith("legacy-") for name in kept), kept  # the old store is kept as the previous one
