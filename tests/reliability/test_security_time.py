"""Security findings of issue 13 about time: slow readers and writes past the timeout.

- Clients that ask for a large streamed answer and then never read it hold no worker and no lock:
  ASK, a plan page and a write are answered at once, and the server closes those connections when
  the query's timeout has passed (it used to keep both workers until the clients went away).
- A Graph Store PUT is one transaction whose status says what happened: read within the timeout,
  it is committed and answered 204 however long the commit takes; not read in time, it wrote
  nothing and the 503 says so (a PUT used to be cleared-then-added in two transactions, killed
  between them, and reported as failed after it had been committed).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import procmem
import pytest
from conftest import copy_dist
from servers import BASE, ROOT, SEED_BASE, TOKEN, make_dist, start_server, stop_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TIMEOUT = 3.0  # --timeout of the slow-reader server
GRACE = 5.0  # service.streaming.MARKER_GRACE: how long a stopped client keeps its connection past the timeout
# Every quad of the seed build (51,923 rows): about 10 MiB of CSV results, far more than the socket
# buffers of a client that does not read hold, so its stream blocks.
BIG = "SELECT * WHERE { ?s ?p ?o }"
PLAN = "SELECT ?plan WHERE { ?plan a <https://w3id.org/fukushi-kg/def/Plan> } ORDER BY ?plan LIMIT 1"


# ------------------------------------------------------------------ helpers


def server_peers(pid: int) -> set[int]:
    """Remote ports of the TCP connections the process ``pid`` holds open: its socket descriptors
    (/proc/PID/fd) matched by inode with the kernel's table (/proc/net/tcp, tcp6)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[2].rsplit(":", 1)[1], 16))
    return ports


def deleted_files(pid: int) -> int:
    """Open descriptors of ``pid`` on unlinked files (the spool files of streamed answers are such files)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).endswith("(deleted)")
        except OSError:
            pass
    return count


def stalled_reader(url: str, query: str, attempts: int = 3) -> tuple[socket.socket, bytes]:
    """A raw connection that asks for ``query`` as CSV, reads the response head, then stops reading
    (its receive buffer is made small, so the server's sending blocks soon). A 503 (the answer not
    written within the timeout on a busy machine) is asked again, up to ``attempts`` times."""
    port = urlsplit(url).port
    for _ in range(attempts):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(30)
        sock.connect(("127.0.0.1", port))
        target = "/sparql?" + urlencode({"query": query, "format": "csv"})
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            assert chunk, "the server closed the connection before the response head"
            head += chunk
        if b" 503 " not in head.split(b"\r\n", 1)[0]:
            break
        sock.close()
    return sock, head


def read_to_end(sock: socket.socket, limit: float) -> tuple[bytes, bool]:
    """Everything the connection still delivers, and whether it ended (EOF or reset) within ``limit`` s."""
    sock.settimeout(limit)
    data = bytearray()
    try:
        while chunk := sock.recv(1 << 20):
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass
    except TimeoutError:
        return bytes(data), False
    return bytes(data), True


def timed(call) -> tuple[httpx.Response | None, float]:
    started = time.monotonic()
    try:
        response = call()
    except httpx.TimeoutException:
        response = None
    return response, time.monotonic() - started


# ------------------------------------------------------------------ 1. readers that stop reading


@pytest.fixture(scope="module")
def slow_reader_server(seed_dist, tmp_path_factory):
    """The seed build (a copy: it is written to) with two workers, a 3 s timeout and writes enabled."""
    dist = copy_dist(seed_dist, tmp_path_factory.mktemp("slow-readers") / "dist")
    srv = start_server(
        dist,
        "--base",
        SEED_BASE,
        "--queries",
        str(ROOT / "queries"),
        "--ontology",
        str(ROOT / "ontology"),
        "--workers",
        "2",
        "--timeout",
        str(TIMEOUT),
        "--row-cap",
        "100000",
        env={"FUKUSHI_KG_WRITE_TOKEN": TOKEN},
    )
    yield srv
    stop_server(srv)


def test_clients_that_stop_reading_hold_no_worker_and_are_cut_off(slow_reader_server, figures):
    server = slow_reader_server
    with server.client() as client:
        plan = client.get("/sparql", params={"query": PLAN, "format": "json"}).json()
        plan_path = "/" + plan["results"]["bindings"][0]["plan"]["value"][len(SEED_BASE) :]
    stalled = []
    try:
        for _ in range(2):  # as many as there are workers
            sock, head = stalled_reader(server.url, BIG)
            assert b" 200 " in head.split(b"\r\n", 1)[0], head[:300]
            assert b"transfer-encoding: chunked" in head.lower(), head[:600]
            stalled.append(sock)
        answered = time.monotonic()  # both answers are ready: their time runs out within TIMEOUT from now
        ports = {s.getsockname()[1] for s in stalled}
        assert ports <= server_peers(server.process.pid), "the server should hold both stalled connections"

        with httpx.Client(base_url=server.url, timeout=10) as client:
            ask, ask_s = timed(lambda: client.get("/sparql", params={"query": "ASK {}"}))
            page, page_s = timed(lambda: client.get(plan_path, headers={"Accept": "text/html"}))
            write, write_s = timed(
                lambda: client.post(
                    "/sparql",
                    headers=AUTH,
                    data={
                        "update": f"INSERT DATA {{ GRAPH <{SEED_BASE}graph/slow-reader-check> {{ <urn:a> <urn:b> 1 }} }}"
                    },
                )
            )
            after, after_s = timed(lambda: client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}))
        assert ask is not None and ask.status_code == 200, f"ASK {{}}: {ask and ask.status_code} after {ask_s:.1f} s"
        assert ask_s < 2.0, f"ASK {{}} took {ask_s:.1f} s while two clients were not reading"
        assert page is not None and page.status_code == 200, f"plan page: {page and page.status_code} ({page_s:.1f} s)"
        assert page_s < 3.0, f"the plan page took {page_s:.1f} s"
        assert write is not None and write.status_code == 204, f"write: {write and write.text} ({write_s:.1f} s)"
        assert write_s < TIMEOUT, f"the write waited {write_s:.1f} s behind clients that do not read"
        assert after is not None and after.status_code == 200

        # Past the timeout (and the grace for the error line), the server has closed both connections.
        closed_by = answered + TIMEOUT + GRACE + 2.0
        while time.monotonic() < closed_by and ports & server_peers(server.process.pid):
            time.sleep(0.2)
        still_open = ports & server_peers(server.process.pid)
        closed_after = time.monotonic() - answered
        assert not still_open, f"the server still holds {len(still_open)} stalled connections {closed_after:.0f} s on"
        spools = sum(deleted_files(pid) for pid in procmem.tree(server.process.pid))
        assert spools == 0, f"{spools} spool files are still open (they are deleted when closed)"
        for sock in stalled:
            body, ended = read_to_end(sock, 10)
            assert ended, "the connection should end once its buffered bytes are read"
            assert not body.endswith(b"0\r\n\r\n"), "a stream cut by the timeout must not end like a complete body"
    finally:
        for sock in stalled:
            sock.close()
    figures["slow readers (issue 13)"] = {
        "stalled clients": 2,
        "ASK {} seconds": round(ask_s, 2),
        "plan page seconds": round(page_s, 2),
        "write seconds": round(write_s, 2),
        "connections closed after (s)": round(closed_after, 1),
        "timeout": TIMEOUT,
    }


# ------------------------------------------------------------------ 2. writes past the timeout


def triples(n: int, tag: str) -> bytes:
    """``n`` N-Triples, each with the predicate ``<urn:fk-test:{tag}>``."""
    return "".join(
        f'<{BASE}id/{tag}/{i}> <urn:fk-test:{tag}> "{tag} value {i} with some text" .\n' for i in range(n)
    ).encode()


def count(client: httpx.Client, graph: str, predicate: str | None = None) -> int:
    pattern = f"?s <{predicate}> ?o" if predicate else "?s ?p ?o"
    r = client.get(
        "/sparql",
        params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}", "format": "json"},
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def put(client: httpx.Client, graph: str, body: bytes) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    r = client.put(
        "/store", params={"graph": graph}, content=body, headers={**AUTH, "Content-Type": "application/n-triples"}
    )
    return r, time.monotonic() - started


def check_outcome(client: httpx.Client, graph: str, response: httpx.Response, old: int, new: int) -> str:
    """The status must say what the store holds: 201/204 and the new graph whole, or 503 saying that
    nothing was written and the old graph whole."""
    now_old, now_new = count(client, graph, "urn:fk-test:old"), count(client, graph, "urn:fk-test:new")
    total = count(client, graph)
    if response.status_code in (201, 204):
        assert (total, now_new, now_old) == (new, new, 0), f"{response.status_code} but the graph holds {total}"
        return "replaced"
    assert response.status_code == 503, response.text
    assert (total, now_old) == (old, old), f"503 but the graph holds {total} triples ({now_old} of the {old} old)"
    assert "nothing was written" in response.text, response.text
    assert "LIMIT" not in response.text, response.text
    return "unchanged"


def write_server(tmp_path: Path, timeout: float):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    # the reads made meanwhile all come from this test's address: no per-client share (test_security_bounds.py)
    return start_server(
        dist,
        "--workers",
        "1",
        "--timeout",
        str(timeout),
        "--per-client-queries",
        "0",
        env={"FUKUSHI_KG_WRITE_TOKEN": TOKEN},
    )


def test_a_put_read_in_time_is_committed_and_answered_however_long_the_commit(tmp_path, figures):
    """150,000 triples (about 15 MiB) are read in a fraction of the 3 s timeout, but replacing the
    graph takes longer than it: the PUT must commit whole and answer 204 (it used to be killed after
    clearing the graph: 503 and an empty graph). On a machine so busy that reading took the whole
    timeout, the 503 must say that nothing was written, and the PUT is tried again."""
    timeout, old, new = 3.0, 1000, 150_000
    server = write_server(tmp_path, timeout)
    graph = BASE + "graph/replaced"
    outcomes = []
    try:
        with httpx.Client(base_url=server.url, timeout=600) as client:
            first, _ = put(client, graph, triples(old, "old"))
            assert first.status_code == 201, first.text
            # meanwhile a second write and a read get an answer bounded by the timeout, never a hang
            others: dict[str, object] = {}

            def meanwhile() -> None:
                time.sleep(timeout)  # the big PUT is committing by now
                with httpx.Client(base_url=server.url, timeout=60) as other:
                    others["put"] = put(other, BASE + "graph/second", triples(10, "new"))
                    others["ask"] = timed(lambda: other.get("/sparql", params={"query": "ASK {}"}))

            thread = threading.Thread(target=meanwhile)
            thread.start()
            for _ in range(5):
                response, took = put(client, graph, triples(new, "new"))
                outcomes.append(check_outcome(client, graph, response, old, new))
                if response.status_code != 503:
                    break
            thread.join(120)
            assert response.status_code == 204, f"{outcomes}, last {response.status_code}: {response.text}"
            assert took > timeout / 2, f"the PUT took {took:.1f} s: too fast to show anything"
            second, second_s = others["put"]
            assert second.status_code in (201, 503), second.text
            # bounded: its upload is parsed on a reader (at most the timeout, beside the write), then the
            # write waits for the writer at most the timeout; moving the upload between the processes
            # takes several seconds more on a loaded machine (14.8 s seen at load 6, 22 s at load 5 with
            # other suites running, while the big PUT itself took longer still); unbounded before. So the
            # bound scales with the machine: no longer than the big write it shares the writer with
            assert second_s < max(4 * timeout + 8, took + 2 * timeout), (
                f"the second write waited {second_s:.1f} s (the big PUT took {took:.1f} s)"
            )
            second_count = count(client, BASE + "graph/second")
            if second.status_code == 503:
                assert "nothing was written" in second.text and second_count == 0, (second.text, second_count)
            else:
                assert second_count == 10
            ask, ask_s = others["ask"]
            assert ask is not None and ask.status_code in (200, 503), ask
    finally:
        stop_server(server)
    figures["PUT past the timeout (issue 13)"] = {
        "timeout": timeout,
        "triples": new,
        "seconds": round(took, 1),
        "status": response.status_code,
        "graph": outcomes,
        "second write meanwhile": f"{second.status_code} after {second_s:.1f} s",
        "read meanwhile": f"{ask.status_code} after {ask_s:.1f} s",
    }


def test_a_put_not_read_in_time_writes_nothing_and_says_so(tmp_path, figures):
    """25 MiB of N-Triples cannot be read within a 0.2 s timeout: 503 saying that nothing was written,
    and the old graph is there whole (the message used to be the query's "add a LIMIT")."""
    timeout, old, new = 0.2, 1000, 250_000
    server = write_server(tmp_path, timeout)
    graph = BASE + "graph/kept"
    try:
        with httpx.Client(base_url=server.url, timeout=300) as client:
            first, _ = put(client, graph, triples(old, "old"))
            assert first.status_code == 201, first.text
            response, took = put(client, graph, triples(new, "new"))
            outcome = check_outcome(client, graph, response, old, new)
            assert response.status_code == 503, f"{response.status_code} in {took:.1f} s"
    finally:
        stop_server(server)
    figures["PUT not read in time (issue 13)"] = {
        "timeout": timeout,
        "triples": new,
        "seconds": round(took, 2),
        "status": response.status_code,
        "graph": outcome,
        "message": response.text.strip()[:160],
    }
