"""Limits and refusals: timeout that kills the work, row cap in headers, SSRF refusals, read-only writes."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, TOKEN  # noqa: E402

from bench import procs  # noqa: E402

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"


def test_timeout_stops_query_and_server_keeps_answering(server):
    with ThreadPoolExecutor(1) as pool, server.client() as client:
        started = time.monotonic()
        slow = pool.submit(client.get, "/sparql", params={"query": SLOW})
        time.sleep(0.3)
        quick = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        assert time.monotonic() - started < 2.5, "a quick query waited behind the slow one"
        response = slow.result(30)
        assert response.status_code == 503
        assert "Timeout" in response.text
        assert time.monotonic() - started < 10
        # both workers are usable again (the killed one was replaced)
        for _ in range(4):
            assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_row_cap_is_signalled_not_silent(client):
    capped = client.get(
        "/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert capped.status_code == 200
    assert capped.headers["Fukushi-Row-Cap"] == "100"
    assert capped.headers["Fukushi-Truncated"] == "true"
    assert len(capped.json()["results"]["bindings"]) == 100
    small = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 5"})
    assert small.headers["Fukushi-Truncated"] == "false"
    assert small.headers["Fukushi-Row-Count"] == "5"


@pytest.fixture()
def listener():
    """A local HTTP server that records every request it gets."""
    with procs.recording_server(
        "application/sparql-results+json", b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
    ) as got:
        yield got


def ssrf_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/"
    return [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{target}> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{target}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # comment }}\n SERVICE <{target}> {{ ?s ?p ?o }} }}",
    ]


def test_ssrf_queries_read_nothing_and_call_nothing(client, listener):
    port, hits = listener
    for query in ssrf_queries(port):
        response = client.post("/sparql", data={"query": query})
        assert response.status_code == 403, (query, response.status_code, response.text)
        assert "refused" in response.text or "not allowed" in response.text
        assert "root:" not in response.text
    assert hits == []


def test_strings_and_comments_mentioning_service_are_fine(client):
    query = 'SELECT * WHERE { BIND("SERVICE <http://127.0.0.1:1/>" AS ?x) } # SERVICE <http://127.0.0.1:1/>'
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_from_a_graph_of_the_dataset_is_allowed(client):
    query = f"ASK FROM <{BASE}graph/doc-a> {{ ?s a <{BASE}def/Program> }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_load_is_refused_even_with_token(writable_server, listener):
    port, hits = listener
    with writable_server.client() as client:
        response = client.post(
            "/sparql",
            data={"update": f"LOAD <http://127.0.0.1:{port}/data.ttl>"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code == 403
    assert hits == []


def test_update_and_graph_writes_are_403_when_read_only(client):
    update = client.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert update.status_code == 403
    direct = client.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert direct.status_code == 403
    for method in ("PUT", "POST", "DELETE"):
        response = client.request(
            method,
            "/store",
            params={"graph": BASE + "graph/doc-a"},
            content="<urn:a> <urn:b> <urn:c> .",
            headers={"Content-Type": "text/turtle"},
        )
        assert response.status_code == 403, method
    assert client.get("/sparql", params={"query": f"ASK {{ GRAPH <{BASE}graph/doc-a> {{ ?s ?p ?o }} }}"}).json()[
        "boolean"
    ]


def test_writes_need_the_right_bearer_token(writable_server):
    with writable_server.client() as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
            response = client.post("/sparql", data={"update": "CLEAR SILENT GRAPH <urn:x>"}, headers=headers)
            assert response.status_code == 401
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        ok = client.post(
            "/sparql",
            data={"update": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert ok.status_code == 204
        seen = client.get("/sparql", params={"query": "ASK { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"})
        assert seen.json()["boolean"] is True


def test_syntax_error_is_400_with_position(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "syntax error" in response.text and "1:" in response.text
    assert "Traceback" not in response.text


def test_wrong_method_and_media_type(client):
    assert client.put("/sparql", params={"query": "ASK {}"}).status_code == 405
    assert client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post("/sparql", content="ASK {}").status_code == 415
    utf16 = client.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert utf16.status_code == 415
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405


def test_cors_on_for_get(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://other.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Fukushi-Truncated" in response.headers["access-control-expose-headers"]
    preflight = client.options(
        "/sparql", headers={"Origin": "https://other.example", "Access-Control-Request-Method": "POST"}
    )
    assert "POST" not in preflight.headers.get("access-control-allow-methods", "")
