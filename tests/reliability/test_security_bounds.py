"""Security findings of issue 13: what one request, one client or one connection may take.

Each test reproduces a finding against a real server (real Oxigraph store, uvicorn subprocess) and
checks the bound that fixes it: a query worker's memory, an answer's bytes, a client's share of the
workers and of the lint queue, what an upload may declare and nest, the size and the arrival time
of a request head, the number of connections, the event loop's error log, and a whole-dataset read.
The figures measured are printed in the ``reliability figures`` section (docs/reliability.md).
"""

from __future__ import annotations

import resource
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import procmem
import pyoxigraph as ox
import pytest
from servers import BASE, TOKEN, Server, make_dist, start_server, stop_server

from fukushi_kg.graph.vocab import NS as FK

MIB = 1 << 20
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = "application/sparql-results+json"
# 4-way cartesian product of ~150 triples: runs into any timeout
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"


def doubled(times: int, start: int = 1024) -> str:
    """BINDs that double a ``start``-byte literal ``times`` times (``?x{times}``)."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(times))
    return f'BIND("{"x" * start}" AS ?x0) {binds}'


def client_from(server: Server, address: str, **kwargs) -> httpx.Client:
    """A client that connects from its own loopback address (the server tells clients apart by address)."""
    return httpx.Client(base_url=server.url, timeout=60, transport=httpx.HTTPTransport(local_address=address), **kwargs)


def ask(client: httpx.Client) -> int:
    return client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code


@pytest.fixture(scope="module")
def bounds_server(tmp_path_factory):
    """Defaults (2 workers, 1 GiB per worker, 256 MiB answers, per-client share 1) with a 10 s timeout."""
    dist = make_dist(tmp_path_factory.mktemp("bounds") / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "2", "--timeout", "10", env={"FUKUSHI_KG_WRITE_TOKEN": TOKEN})
    yield server
    stop_server(server)


# ------------------------------------------------------------------ 1. a query worker's memory


def test_a_query_that_doubles_a_literal_stops_at_the_worker_memory_limit(bounds_server, figures):
    """Twenty doublings of a 1 KiB literal (a 1.7 KB query) took a worker to 3.1 GB in 6 s."""
    query = f"SELECT (STRLEN(?x20) AS ?n) WHERE {{ {doubled(20)} }}"
    assert len(query) < 2000
    with bounds_server.client() as client, procmem.Sampler(bounds_server.process.pid, 0.05) as memory:
        started = time.monotonic()
        answer = client.get("/sparql", params={"query": query})
        seconds = time.monotonic() - started
    assert answer.status_code == 503, answer.text
    assert "memory" in answer.text and "1 MiB" not in answer.text and "--worker-memory" in answer.text
    assert "1024 MiB" in answer.text or "1 GiB" in answer.text or "1073741824" in answer.text
    assert seconds < 10, "stopped by the timeout, not by the memory limit"
    peak = memory.peak - memory.samples[0]
    assert peak < 1600 * MIB, f"the server grew by {procmem.mib(peak)} MiB"
    with bounds_server.client() as client:  # a fresh worker took its place
        assert [ask(client) for _ in range(4)] == [200] * 4
    figures["worker memory limit"] = {"status": 503, "seconds": round(seconds, 2), "growth_mib": procmem.mib(peak)}


# ------------------------------------------------------------------ 2. an answer's bytes


@pytest.fixture(scope="module")
def byte_capped(tmp_path_factory):
    dist = make_dist(tmp_path_factory.mktemp("bytecap") / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "1", "--timeout", "20", "--max-answer-bytes", "6MiB")
    yield server
    stop_server(server)


def rows_of_64k(n: int) -> str:
    values = " ".join(str(i) for i in range(n))
    return f"SELECT ?i ?big WHERE {{ VALUES ?i {{ {values} }} {doubled(6).replace('?x6', '?big')} }}"


@pytest.mark.parametrize("n, fmt", [(40, "csv"), (200, "json"), (200, "csv")])
def test_answers_are_cut_at_a_whole_row_by_the_byte_cap(byte_capped, n, fmt):
    """40 rows of 64 MiB wrote a 2.5 GiB spool file: the row cap limits rows, not bytes. Here 64 KiB
    rows: 40 (2.5 MiB, answered from memory) and 200 (12.5 MiB, spooled past 4 MiB) under a 6 MiB cap."""
    with byte_capped.client() as client:
        answer = client.get("/sparql", params={"query": rows_of_64k(n), "format": fmt})
    assert answer.status_code == 200, answer.text
    assert answer.headers["Fukushi-Byte-Cap"] == str(6 * MIB)
    size = len(answer.content)
    assert size <= 6 * MIB
    count = int(answer.headers["Fukushi-Row-Count"])
    if fmt == "json":
        rows = answer.json()["results"]["bindings"]
        assert all(len(r["big"]["value"]) == 64 * 1024 for r in rows)
    else:
        rows = answer.text.splitlines()[1:]
        assert all(len(r.split(",")[1]) == 64 * 1024 for r in rows)
    assert len(rows) == count
    if n == 40:
        assert answer.headers["Fukushi-Truncated"] == "false" and count == 40
    else:
        assert answer.headers["Fukushi-Truncated"] == "true"
        assert 80 < count < 96 and size > 6 * MIB - 70 * 1024  # as many whole rows as fit


def test_graph_answers_are_cut_by_the_byte_cap(byte_capped):
    values = " ".join(str(i) for i in range(200))
    query = (
        f"CONSTRUCT {{ ?s <{BASE}def/big> ?big }} WHERE {{ VALUES ?i {{ {values} }} "
        f"BIND(IRI(CONCAT('urn:row:', STR(?i))) AS ?s) {doubled(6).replace('?x6', '?big')} }}"
    )
    with byte_capped.client() as client:
        for accept in ("application/n-triples", "text/turtle", "application/rdf+xml"):
            answer = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
            assert answer.status_code == 200, answer.text
            assert answer.headers["Fukushi-Truncated"] == "true"
            assert len(answer.content) <= 6 * MIB
            fmt = ox.RdfFormat.from_media_type(accept)
            triples = list(ox.parse(answer.content, format=fmt))
            assert len(triples) == int(answer.headers["Fukushi-Row-Count"]) > 50


# ------------------------------------------------------------------ 3. a client's share of the workers


def test_one_anonymous_client_cannot_hold_every_worker(bounds_server, figures):
    """Two runaway queries of one client held both workers for the whole timeout."""
    with ThreadPoolExecutor(4) as pool, client_from(bounds_server, "127.0.0.5") as runaway:
        first = pool.submit(runaway.get, "/sparql", params={"query": RUNAWAY})
        time.sleep(0.5)  # the first holds one worker
        started = time.monotonic()
        second = pool.submit(runaway.get, "/sparql", params={"query": RUNAWAY + " LIMIT 1"})
        time.sleep(0.3)  # the second runs as a guest on the idle worker
        # no worker idle: refused at once (a query of its own, so no cached answer stands in for it)
        third = runaway.get("/sparql", params={"query": f"ASK {{}} # {time.time_ns()}"})
        assert time.monotonic() - started < 1.5
        assert third.status_code == 429 and "Retry-After" in third.headers, third.text
        assert "--per-client-queries" in third.text
        with client_from(bounds_server, "127.0.0.6") as other:
            asked = time.monotonic()
            assert ask(other) == 200
            waited = time.monotonic() - asked
        guest = second.result(30)
        guest_seconds = time.monotonic() - started
        assert guest.status_code == 429 and int(guest.headers["Retry-After"]) >= 1, guest.text
        assert "2 s" in guest.text
        assert guest_seconds < 5, "the guest query ran past its short limit"
        assert waited < 5, f"another client waited {waited:.1f} s for a worker"
        assert first.result(30).status_code == 503  # the client's own share runs to the timeout
    figures["per-client share"] = {
        "refused_status": 429,
        "guest_stopped_after_s": round(guest_seconds, 2),
        "other_client_waited_s": round(waited, 2),
    }


def test_the_write_token_holder_is_not_limited_per_client(bounds_server):
    """The same two runaway queries with the write token: the second is no guest, it runs to the timeout."""
    with ThreadPoolExecutor(2) as pool, client_from(bounds_server, "127.0.0.7", headers=AUTH) as trusted:
        first = pool.submit(trusted.get, "/sparql", params={"query": RUNAWAY})
        time.sleep(0.5)
        started = time.monotonic()
        second = trusted.get("/sparql", params={"query": RUNAWAY + " LIMIT 1"})
        assert second.status_code == 503 and "Timeout" in second.text, second.text
        assert time.monotonic() - started > 8
        assert first.result(30).status_code == 503


# ------------------------------------------------------------------ 4. uploads


def laughs(levels: int) -> bytes:
    entities = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">\n' for i in range(1, levels + 1))
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a0 "lol">\n' + entities + "]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&a{levels};</ex:p></rdf:Description></rdf:RDF>'
    ).encode()


def nested(depth: int) -> bytes:
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        + "<rdf:Description><ex:p>" * depth
        + "x"
        + "</ex:p></rdf:Description>" * depth
        + "</rdf:RDF>"
    ).encode()


RDFXML = {"Content-Type": "application/rdf+xml", **AUTH}


def test_rdf_xml_uploads_may_not_declare_entities_or_nest_deep(bounds_server, figures):
    """A 931-byte billion-laughs document expanded its entities while every read waited."""
    bomb = laughs(7)  # 10^7 "lol": 30 MB from under 1 KB
    assert len(bomb) < 1000
    seconds = {}
    with bounds_server.client() as client:
        for body, words in ((bomb, "DTD"), (nested(2000), "levels deep")):
            started = time.monotonic()
            answer = client.put("/store", params={"graph": BASE + "graph/upload"}, content=body, headers=RDFXML)
            assert answer.status_code == 400 and words in answer.text, answer.text
            seconds[words] = round(time.monotonic() - started, 3)
            assert seconds[words] < 3
            assert client.get("/store", params={"graph": BASE + "graph/upload"}).status_code == 404
        # an ordinary RDF/XML document still loads, parsed before the write
        ok = client.put("/store", params={"graph": BASE + "graph/upload"}, content=nested(20), headers=RDFXML)
        assert ok.status_code in (201, 204), ok.text
        assert (
            len(
                client.get(
                    "/store", params={"graph": BASE + "graph/upload"}, headers={"Accept": "application/n-triples"}
                ).text.splitlines()
            )
            == 20
        )
        assert client.delete("/store", params={"graph": BASE + "graph/upload"}, headers=AUTH).status_code == 204
    figures["RDF/XML uploads refused (s)"] = seconds


def test_a_30_mib_literal_is_413_not_a_crash(bounds_server):
    body = b'<http://example.org/s> <http://example.org/p> "' + b"x" * (30 * MIB) + b'" .\n'
    with bounds_server.client() as client:
        put = client.put(
            "/store",
            params={"graph": BASE + "graph/big"},
            content=body,
            headers={"Content-Type": "text/turtle", **AUTH},
        )
        assert put.status_code == 413 and "16 MiB" in put.text, put.text
        lint = client.post("/lint", content=body, headers={"Content-Type": "text/turtle", **AUTH})
        assert lint.status_code == 413 and "too large" in lint.text, lint.text
        assert ask(client) == 200


# ------------------------------------------------------------------ 5. request heads and connections


def raw(port: int, data: bytes, wait: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        received = b""
        try:
            while chunk := s.recv(65536):
                received += chunk
        except OSError:
            pass
        return received


def port_of(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def test_header_fields_are_limited_in_size(bounds_server):
    port = port_of(bounds_server)
    one_big = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (100 << 10) + b"\r\n\r\n"
    assert raw(port, one_big).startswith(b"HTTP/1.1 431 ")
    many = b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 1000) for i in range(100))
    answer = raw(port, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ") and b"64 KiB" in answer
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:  # a 64 MiB header, sent on and on
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        sent, answer = 0, b""
        try:
            while sent < 64 * MIB:
                s.sendall(b"z" * 65536)
                sent += 65536
        except OSError:
            pass
        try:
            answer = s.recv(4096)
        except OSError:
            pass
    assert sent < 8 * MIB, "the server read on past the header limit"
    assert answer.startswith(b"HTTP/1.1 431 ") or answer == b""
    with bounds_server.client() as client:
        assert ask(client) == 200


def test_half_sent_requests_are_closed_after_the_header_timeout(bounds_server, figures):
    port = port_of(bounds_server)
    sockets = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", port), timeout=20)
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        sockets.append(s)
    started = time.monotonic()
    deadline = started + 15  # the whole wait is bounded, whether the server closes them or not
    closed = []
    try:
        for s in sockets:
            answer = b""
            try:
                while True:
                    s.settimeout(max(0.01, deadline - time.monotonic()))
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
            except OSError:
                pass
            closed.append((time.monotonic() - started, answer[:12]))
    finally:
        for s in sockets:
            s.close()
    slowest = max(t for t, _ in closed)
    assert slowest < 13, f"half-sent requests were held {slowest:.1f} s"
    assert all(a == b"HTTP/1.1 408" for _, a in closed), {a for _, a in closed}
    with bounds_server.client() as client:
        assert ask(client) == 200
    figures["header timeout"] = {"connections": len(sockets), "all_closed_after_s": round(slowest, 1)}


def start_limited_server(dist: Path, nofile: int, *extra: str) -> Server:
    """The service with a soft and hard descriptor limit of ``nofile``."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    return start_server(dist, *extra, preexec_fn=limit)


def test_connections_are_limited_and_descriptor_exhaustion_is_logged_quietly(tmp_path, figures):
    """Near the descriptor limit asyncio logged every failed accept with its traceback (750k lines in
    20 s); connections past the limit are now answered 503 at once, and the log stays short."""
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    server = start_limited_server(dist, 256, "--workers", "1", "--max-connections", "100")
    port = port_of(server)
    held = []
    try:
        for _ in range(600):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
            except OSError:
                break
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        time.sleep(4)
        refused = 0
        for s in held[100:]:
            s.settimeout(0.5)
            try:
                refused += s.recv(64).startswith(b"HTTP/1.1 503")
            except OSError:
                pass
        for s in held:
            s.close()
        time.sleep(1)
        with server.client() as client:
            assert ask(client) == 200
        log = (dist.parent / f"server-{port}.log").read_text(errors="replace")
        lines = log.count("\n")
    finally:
        stop_server(server)
    assert refused >= 50, f"only {refused} of {len(held) - 100} connections past the limit were refused"
    assert lines < 200, f"{lines} log lines in 5 s"
    figures["connection limit"] = {"opened": len(held), "refused_503": refused, "log_lines": lines}


# ------------------------------------------------------------------ 6. lints and whole-dataset reads


def turtle_triples(n: int) -> bytes:
    return "".join(f'<urn:s:{i}> <urn:p:{i % 7}> "value {i}" .\n' for i in range(n)).encode()


def failing_components(n: int) -> bytes:
    """1.8 MiB for 20,000: plan components that break three shapes each (60,000 findings), so a lint
    runs pySHACL on every one of them, not only the quick checks that find nothing may fail."""
    text = "".join(f'<urn:s:{i}> a <{FK}PlanComponent> ; <urn:p:{i % 7}> "value {i}" .\n' for i in range(n))
    return text.encode()


def test_anonymous_lints_have_smaller_limits(bounds_server):
    """An anonymous 30 MiB /lint grew to 1.6 GB and held the only lint slot for up to 120 s."""
    body = b"# padding\n" * (500 * 1024) + b"<urn:s> <urn:p> <urn:o> .\n"  # 5 MiB that lints at once
    turtle = {"Content-Type": "text/turtle"}
    with bounds_server.client() as client:
        anonymous = client.post("/lint", content=body, headers=turtle)
        assert anonymous.status_code == 413 and "--lint-max-bytes" in anonymous.text and "4 MiB" in anonymous.text

        def chunks():
            for _ in range(80):
                yield b"# padding padding padding padding padding padding\n" * 1300

        chunked = client.post("/lint", content=chunks(), headers=turtle)
        assert chunked.status_code == 413
        trusted = client.post("/lint", content=body, headers={**turtle, **AUTH})
        assert trusted.status_code == 200, trusted.text


@pytest.fixture(scope="module")
def lint_queue_server(tmp_path_factory):
    dist = make_dist(tmp_path_factory.mktemp("lintqueue") / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "1", "--lint-jobs", "1", "--lint-queue", "2", "--lint-timeout", "6")
    yield server
    stop_server(server)


def test_the_lint_queue_and_each_client_s_lints_are_bounded(lint_queue_server):
    """Queued lints sat in the front process without bound; one client could fill the queue."""
    # about 20 s of SHACL (past the 6 s lint timeout). Triples no shape targets lint in a second now
    # (graph/shacl_core.py finds that nothing may fail): they no longer keep a lint running meanwhile
    body = failing_components(20_000)
    turtle = {"Content-Type": "text/turtle"}
    a = client_from(lint_queue_server, "127.0.0.11")
    b = client_from(lint_queue_server, "127.0.0.12")
    c = client_from(lint_queue_server, "127.0.0.13")
    try:
        with ThreadPoolExecutor(3) as pool:
            running = pool.submit(a.post, "/lint", content=body, headers=turtle)
            time.sleep(1.0)
            waiting = pool.submit(a.post, "/lint", content=body, headers=turtle)
            time.sleep(0.5)
            started = time.monotonic()
            third = a.post("/lint", content=body, headers=turtle)  # the client's third: refused at once
            assert third.status_code == 429 and "lints under way" in third.text, third.text
            other = pool.submit(b.post, "/lint", content=body, headers=turtle)  # fills the queue (2 + 1)
            time.sleep(0.5)
            full = c.post("/lint", content=body, headers=turtle)
            assert full.status_code == 429 and "--lint-queue" in full.text, full.text
            assert int(full.headers["Retry-After"]) >= 1
            assert time.monotonic() - started < 3
            for f in (running, waiting, other):
                assert f.result(60).status_code in (200, 503)
        # the queue drained: the refused client is admitted now (200, or 503 where HermiT's JVM outlasts 6 s)
        assert c.post("/lint", content=b"<urn:s> <urn:p> <urn:o> .", headers=turtle).status_code in (200, 503)
    finally:
        for x in (a, b, c):
            x.close()


def test_a_lint_past_its_memory_limit_is_stopped(tmp_path, figures):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "1", "--lint-memory", "300MiB")
    try:
        with server.client() as client, procmem.Sampler(server.process.pid, 0.05) as memory:
            started = time.monotonic()
            big = client.post("/lint", content=failing_components(20_000), headers={"Content-Type": "text/turtle"})
            seconds = time.monotonic() - started
            small = client.post("/lint", content=turtle_triples(100), headers={"Content-Type": "text/turtle"})
    finally:
        stop_server(server)
    assert big.status_code == 413 and "--lint-memory" in big.text and "300 MiB" in big.text, big.text
    assert small.status_code == 200, small.text
    figures["lint memory limit"] = {
        "limit_mib": 300,
        "status": big.status_code,
        "seconds": round(seconds, 2),
        "server_peak_mib": procmem.mib(memory.peak),
    }


@pytest.fixture(scope="module")
def large_dataset(tmp_path_factory) -> Path:
    """A dist/ whose dataset serialises to about 60 MB of N-Quads."""
    dist = make_dist(tmp_path_factory.mktemp("dataset") / "dist", with_w3c_data=False)
    store = ox.Store(str(dist / "store"))
    graph = ox.NamedNode(BASE + "graph/large")
    pad = "x" * 200
    store.extend(
        ox.Quad(ox.NamedNode(f"{BASE}id/r/{i}"), ox.NamedNode(f"{BASE}def/v"), ox.Literal(f"{i} {pad}"), graph)
        for i in range(200_000)
    )
    store.flush()
    del store
    return dist


def test_the_whole_dataset_is_streamed_not_built_in_memory(large_dataset, figures):
    server = start_server(large_dataset, "--workers", "1", "--timeout", "60")
    try:
        with server.client() as client:
            head = client.head("/store", headers={"Accept": "application/n-quads"})
            assert head.status_code == 200
            with procmem.Sampler(server.process.pid, 0.05) as memory:
                size = 0
                with client.stream("GET", "/store", headers={"Accept": "application/n-quads"}) as answer:
                    assert answer.status_code == 200
                    assert answer.headers.get("transfer-encoding") == "chunked"
                    lines = 0
                    for chunk in answer.iter_bytes():
                        size += len(chunk)
                        lines += chunk.count(b"\n")
            assert size == int(head.headers["content-length"]) > 50 * MIB
            assert lines > 200_000
            growth = memory.peak - memory.samples[0]
            assert growth < 40 * MIB, f"the server grew by {procmem.mib(growth)} MiB to send {procmem.mib(size)} MiB"
    finally:
        stop_server(server)
    figures["whole dataset read"] = {"mib_sent": procmem.mib(size), "server_growth_mib": procmem.mib(growth)}
