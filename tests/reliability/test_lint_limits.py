"""POST /lint has a real time limit: past ``--lint-timeout`` the lint process and everything it
started (HermiT's JVM) are killed and the request gets 503; a second request waiting for the one
lint slot has the same limit, waiting included; the next lint is answered as usual."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from servers import make_dist, start_server, stop_server

FIXTURES = Path(__file__).resolve().parents[1] / "lint" / "fixtures"
TURTLE = {"Content-Type": "text/turtle"}


def big_turtle(triples: int) -> bytes:
    """Slow to lint whatever is installed: rdflib alone parses it in a few seconds."""
    return "\n".join(f'<urn:s{i}> <urn:p> "x{i}" .' for i in range(triples)).encode()


def lint_children() -> list[int]:
    """Processes that only a lint starts: HermiT's JVM."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"HermiT" in cmdline or b"org.semanticweb" in cmdline:
            found.append(int(pid))
    return found


@pytest.fixture(scope="module")
def lint_server(tmp_path_factory):
    dist = make_dist(tmp_path_factory.mktemp("lintlimit") / "dist", with_w3c_data=False)
    # time limits are tested here with documents over the anonymous size limit (test_security_bounds.py)
    server = start_server(dist, "--workers", "1", "--lint-timeout", "2", "--lint-max-bytes", "32MiB")
    yield server
    stop_server(server)


def test_a_lint_past_its_time_limit_is_stopped_and_the_service_goes_on(lint_server):
    body = big_turtle(400_000)
    results: dict[str, object] = {}
    with lint_server.client() as client:

        def first():
            results["first"] = client.post("/lint", content=body, headers=TURTLE, timeout=60)

        thread = threading.Thread(target=first)
        started = time.monotonic()
        thread.start()
        time.sleep(0.5)  # the first holds the only slot now
        with lint_server.client() as other:
            asked = time.monotonic()
            waiting = other.post("/lint", content=body, headers=TURTLE, timeout=60)
            waited = time.monotonic() - asked
        thread.join()
        elapsed = time.monotonic() - started
        slow = results["first"]
        assert slow.status_code == 503 and "stopped after 2 s" in slow.text, slow.text
        assert waiting.status_code == 503 and "did not finish" in waiting.text, waiting.text
        assert waited < 8, f"the waiting lint was answered after {waited:.1f} s, past its 2 s limit"
        assert elapsed < 15, f"the 2 s limit took {elapsed:.1f} s to act"
        assert "Traceback" not in slow.text + waiting.text
        assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        # an ordinary lint still works (without HermiT: with the imported vocabularies its check takes
        # longer than this server's 2 s limit; the next test kills a lint in HermiT)
        ok = client.post(
            "/lint", content=(FIXTURES / "CODE002.ttl").read_bytes(), headers=TURTLE, params={"ignore": "OWL"}
        )
        assert ok.status_code == 200 and [f["code"] for f in ok.json()["findings"]] == ["CODE002"]
    deadline = time.monotonic() + 10
    while lint_children() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert lint_children() == [], "a killed lint left its JVM running"


def test_the_jvm_of_a_lint_killed_during_hermit_is_killed_too(lint_server, seed_dist):
    """A document that parses quickly, so that the time limit falls while HermiT runs (where Java is)."""
    import shutil

    if shutil.which("java") is None:
        pytest.skip("no Java: HermiT is skipped by the linter, so there is no JVM to kill")
    seed = seed_dist / "fukushi-kg.nt"
    seen: set[int] = set()
    done = threading.Event()

    def watch():
        while not done.is_set():
            seen.update(lint_children())
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with lint_server.client() as client:
            answer = client.post(
                "/lint",
                content=seed.read_bytes(),
                headers={"Content-Type": "application/n-triples"},
                params={"select": "OWL"},
                timeout=60,
            )
    finally:
        done.set()
        watcher.join()
    assert answer.status_code == 503, answer.text  # HermiT takes far longer than 2 s on the seed graph
    deadline = time.monotonic() + 10
    while lint_children() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert lint_children() == [], "the JVM outlived its lint"
    if not seen:
        pytest.skip("the time limit fell before HermiT's JVM started (slow parse): nothing to observe")
