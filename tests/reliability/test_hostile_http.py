"""Hostile requests: oversized bodies and URLs, deeply nested and long-chained queries, huge literals.

Every one gets a clear 4xx (413 for size, 414 for a URL the HTTP parser cannot take, 400 for a query too complex to evaluate safely), the
server's memory (RSS of the server and its workers) stays flat, and the next ordinary request is
served. Security headers are on every response, errors included; an internal error answers a
bare 500 without a stack trace or the exception's text.
"""

from __future__ import annotations

import socket
from urllib.parse import quote

import httpx
import procmem
import pytest
from servers import BASE, make_dist, start_server, stop_server

MIB = 1 << 20
QUERY = "application/sparql-query"


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    dist = make_dist(tmp_path_factory.mktemp("hostile") / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "2", "--timeout", "5")
    yield server
    stop_server(server)


def healthy(client: httpx.Client) -> bool:
    answer = client.get("/sparql", params={"query": f"ASK {{ ?s a <{BASE}def/Program> }}"})
    return answer.status_code == 200 and answer.json()["boolean"] is True


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def literal_query(n: int) -> str:
    return 'ASK { FILTER(STRLEN("' + "x" * n + '") > 0) }'


def test_oversized_bodies_are_413_before_being_read(small_server):
    with small_server.client() as client:
        declared = client.post("/sparql", content=literal_query(2 * MIB).encode(), headers={"Content-Type": QUERY})
        assert declared.status_code == 413 and "1 MiB" in declared.text

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(40):
                yield b"#" * 65536

        chunked = client.post("/sparql", content=chunks(), headers={"Content-Type": QUERY})
        assert chunked.status_code == 413
        form = client.post("/sparql", data={"query": literal_query(MIB + 10)})
        assert form.status_code == 413
        upload = client.post("/lint", content=b"#" * (33 * MIB), headers={"Content-Type": "text/turtle"})
        assert upload.status_code == 413 and "32 MiB" in upload.text
        for response in (declared, chunked, form, upload):
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "Traceback" not in response.text
        near_limit = client.post("/sparql", content=literal_query(MIB - 100).encode(), headers={"Content-Type": QUERY})
        assert near_limit.status_code == 200 and near_limit.json()["boolean"] is True
        assert healthy(client)


def test_the_query_limit_is_configurable_and_applies_to_urls(tmp_path):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "1", "--max-query-bytes", "4KiB")
    try:
        port = int(server.url.rsplit(":", 1)[1])
        status, body = raw_get(port, "/sparql?query=" + quote(literal_query(5000), safe=""))
        assert status == 413 and b"4 KiB" in body
        with server.client() as client:
            assert client.post("/sparql", data={"query": literal_query(5000)}).status_code == 413
            assert client.get("/sparql", params={"query": literal_query(1000)}).status_code == 200
    finally:
        stop_server(server)


def raw_exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused and closed before the whole request was sent: the answer is already queued
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def test_a_url_past_the_http_layer_limit_is_414_and_past_the_query_limit_413(small_server):
    """The HTTP parser cannot take URLs over 65,535 bytes: those under the query limit get 414 naming
    POST, those over it the 413 any oversized query gets; either way with the security headers."""
    port = int(small_server.url.rsplit(":", 1)[1])
    just_fits = "/sparql?query=" + quote(literal_query(60_000), safe="")
    assert len(just_fits) < 65_536
    status, body = raw_get(port, just_fits)
    assert status == 200 and b"true" in body
    status, headers, body = raw_exchange(
        port, f"GET /sparql?query={quote(literal_query(200_000), safe='')} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    )
    assert status == 414 and b"POST" in body and b"1 MiB" in body
    assert headers["x-content-type-options"] == "nosniff" and headers["connection"] == "close"
    huge = "/sparql?query=" + "x" * (3 * MIB)  # refused as it arrives, never held whole
    status, headers, body = raw_exchange(port, f"GET {huge} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert status == 413 and b"1 MiB" in body and headers["x-frame-options"] == "DENY"
    status, headers, body = raw_exchange(port, b"NOT HTTP AT ALL\r\n\r\n")
    assert status == 400 and headers["x-content-type-options"] == "nosniff" and b"Traceback" not in body
    with small_server.client() as client:
        assert healthy(client)


HOSTILE = {
    "nested braces x100000": "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000,
    "nested parentheses x50000": "SELECT * WHERE { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }",
    "UNION chain x20000": "SELECT * WHERE { " + " UNION ".join(["{}"] * 20_000) + " }",
    "path chain x50000": "ASK { ?s " + "/".join(["<urn:p>"] * 50_000) + " ?o }",
    "sum x100000": "SELECT (" + "+".join(["1"] * 100_000) + " AS ?x) {}",
    "BIND chain x30000": "SELECT * { " + " ".join(f"BIND(1 AS ?x{i})" for i in range(30_000)) + " }",
}


def test_deep_and_long_queries_are_refused_without_growing_memory(small_server, figures):
    pid = small_server.process.pid
    measured = {}
    with small_server.client() as client:
        client.get("/sparql", params={"query": "ASK {}"})
        baseline = procmem.tree_rss(pid)
        with procmem.Sampler(pid, 0.05) as sampler:
            for name, query in HOSTILE.items():
                assert len(query.encode()) < MIB, name
                response = client.post("/sparql", content=query.encode(), headers={"Content-Type": QUERY})
                assert response.status_code == 400, (name, response.status_code, response.text[:200])
                assert "too complex" in response.text and "Traceback" not in response.text
                measured[name] = response.text.split(":", 1)[1].strip()[:80]
            for _ in range(5):  # huge literals: answered, not refused
                big = client.post("/sparql", content=literal_query(MIB - 100).encode(), headers={"Content-Type": QUERY})
                assert big.status_code == 200
            assert healthy(client)
        after = procmem.tree_rss(pid)
    growth = after - baseline
    assert growth < 64 * MIB, f"server RSS grew by {procmem.mib(growth)} MiB"
    assert sampler.peak - baseline < 200 * MIB, (
        f"server RSS peaked {procmem.mib(sampler.peak - baseline)} MiB above baseline"
    )
    figures["hostile queries"] = {
        "refused": measured,
        "1 MiB literal x5": "200",
        "server RSS MiB before/peak/after": [procmem.mib(baseline), procmem.mib(sampler.peak), procmem.mib(after)],
    }


def test_security_headers_on_pages_errors_and_refusals(small_server):
    with small_server.client() as client:
        responses = [
            client.get("/", headers={"Accept": "text/html"}),
            client.get("/id/program/kodomo-shokudo", headers={"Accept": "text/html"}),
            client.get("/id/does-not-exist", headers={"Accept": "text/html"}),
            client.get("/sparql", params={"query": "SELECT * WHERE {"}),
            client.post("/sparql", data={"update": "CLEAR ALL"}),
            client.get("/query"),
        ]
    for response in responses:
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "Traceback" not in response.text


def test_an_internal_error_is_a_bare_500(tmp_path, monkeypatch):
    """Force an exception inside a route: the client gets the plain 500, never the exception or a traceback."""
    import warnings

    with warnings.catch_warnings():  # starlette deprecates its TestClient on httpx; it still works
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from fukushi_kg.service import named_queries
    from fukushi_kg.service.app import create_app
    from fukushi_kg.service.settings import Settings

    dist = make_dist(tmp_path / "dist", with_w3c_data=False)

    def broken(*args, **kwargs):
        raise RuntimeError("SECRET-DETAIL /etc/shadow line 1")

    monkeypatch.setattr(named_queries, "list_queries", broken)
    app = create_app(Settings(dist=dist, base=BASE, workers=1, queries_dir=dist.parent / "queries"))
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/api/queries", "/query"):
            response = client.get(path)
            assert response.status_code == 500, path
            assert response.text.strip() == "Internal server error (logged on the server)."
            assert "SECRET" not in response.text and "Traceback" not in response.text
            assert response.headers["x-content-type-options"] == "nosniff"
