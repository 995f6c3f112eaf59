"""The one SPARQL client of lint and `serve --store`, against real HTTP servers on the loopback:
GET or form POST, SELECT/ASK JSON and CONSTRUCT N-Triples, timeouts, Basic and Digest auth, clear
errors, and no redirect followed (to another host least of all), for both of its users."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from fukushi_kg.graph.lint.inputs import InputError, RemoteInput
from fukushi_kg.graph.sparql_client import (
    MAX_GET_URL,
    SparqlClient,
    SparqlRefused,
    SparqlTimeout,
    SparqlUnavailable,
)
from fukushi_kg.service.remote import Endpoint, RemoteStore, RemoteUnavailable

DATA = '<http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .\n<http://ex.org/a> <http://ex.org/q> "x"@ja .\n'


class Seen:
    """What a server received: (method, path, query text, headers)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str, dict[str, str]]] = []


Handler = Callable[[BaseHTTPRequestHandler, str], None]


def _query_of(h: BaseHTTPRequestHandler) -> str:
    if h.command == "GET":
        return parse_qs(urlsplit(h.path).query).get("query", [""])[0]
    body = h.rfile.read(int(h.headers.get("Content-Length", 0))).decode()
    return parse_qs(body).get("query", [""])[0]


@pytest.fixture
def serve() -> Iterator[Callable[..., tuple[str, Seen]]]:
    """Start a server on 127.0.0.1 (or ``host``) whose answer is ``respond(handler, query)``."""
    servers = []

    def start(respond: Handler, host: str = "127.0.0.1") -> tuple[str, Seen]:
        seen = Seen()

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_one(self):
                query = _query_of(self)
                seen.requests.append((self.command, self.path, query, dict(self.headers)))
                respond(self, query)

            do_GET = do_POST = handle_one

        server = ThreadingHTTPServer((host, 0), H)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://{host}:{server.server_address[1]}/sparql", seen

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, media: str, headers: dict | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", media)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def oxigraph(h: BaseHTTPRequestHandler, query: str) -> None:
    """A real SPARQL answer from an in-memory Oxigraph store holding DATA."""
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.N_TRIPLES)
    result = store.query(query)
    if isinstance(result, ox.QueryTriples):
        send(h, 200, ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES), "application/n-triples")
    else:
        media = "application/sparql-results+json"
        send(h, 200, result.serialize(format=ox.QueryResultsFormat.JSON), media)


def test_select_ask_construct_by_get_and_by_form_post(serve):
    url, seen = serve(oxigraph)
    with SparqlClient(url) as client:
        data, _ = client.select("SELECT ?o WHERE { ?s <http://ex.org/q> ?o }")
        assert data["results"]["bindings"] == [{"o": {"type": "literal", "value": "x", "xml:lang": "ja"}}]
        assert client.select("ASK { ?s ?p ?o }")[0]["boolean"] is True
        triples, _ = client.construct("CONSTRUCT WHERE { ?s <http://ex.org/p> ?o }")
        assert triples == [
            ox.Triple(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"), ox.NamedNode("http://ex.org/b"))
        ]
        long = "ASK { ?s ?p ?o } #" + "x" * MAX_GET_URL
        assert client.select(long)[0]["boolean"] is True
    methods = [(m, h.get("Accept")) for m, _, _, h in seen.requests]
    assert methods == [
        ("GET", "application/sparql-results+json"),
        ("GET", "application/sparql-results+json"),
        ("GET", "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"),
        ("POST", "application/sparql-results+json"),
    ]
    assert seen.requests[-1][3]["Content-Type"] == "application/x-www-form-urlencoded"  # never sparql-query


def test_virtuoso_style_results_are_made_standard(serve):
    body = json.dumps(
        {
            "head": {"vars": ["n", "b"]},
            "results": {
                "bindings": [
                    {
                        "n": {
                            "type": "typed-literal",
                            "value": "3",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                        },
                        "b": {"type": "bnode", "value": "nodeID://b10001"},
                    }
                ]
            },
        }
    ).encode()
    url, _ = serve(lambda h, q: send(h, 200, body, "application/sparql-results+json; charset=UTF-8"))
    with SparqlClient(url) as client:
        row = client.select("SELECT * {}")[0]["results"]["bindings"][0]
    assert row["n"]["type"] == "literal" and row["b"]["value"] == "nodeID___b10001"


@pytest.mark.parametrize(
    "status, body, media, error, words",
    [
        (400, b"Parse error: unexpected }", "text/plain", SparqlRefused, ["refused the request (400)", "unexpected }"]),
        (503, b"overloaded", "text/plain", SparqlUnavailable, ["answered 503: overloaded"]),
        (200, b"<html>hello</html>", "text/html", SparqlUnavailable, ["answered text/html, not SPARQL JSON"]),
        (200, b'{"head": {}}', "application/sparql-results+json", SparqlUnavailable, ["not SPARQL results"]),
        (200, b"{not json", "application/sparql-results+json", SparqlUnavailable, ["not JSON"]),
    ],
)
def test_errors_name_the_endpoint_and_the_cause(serve, status, body, media, error, words):
    url, _ = serve(lambda h, q: send(h, status, body, media))
    with SparqlClient(url) as client, pytest.raises(error) as caught:
        client.select("SELECT * {}")
    assert url in str(caught.value) or "the endpoint" in str(caught.value)
    for w in words:
        assert w in str(caught.value)


def test_a_graph_answer_that_is_not_a_graph_is_an_error(serve):
    url, _ = serve(lambda h, q: send(h, 200, b"<a> <b> .", "application/n-triples"))
    with SparqlClient(url) as client, pytest.raises(SparqlUnavailable, match="cannot be read"):
        client.construct("CONSTRUCT WHERE { ?s ?p ?o }")


def test_unreachable_timeout_and_oversized_answers(serve):
    with (
        SparqlClient("http://127.0.0.1:9/sparql", timeout=5) as client,
        pytest.raises(SparqlUnavailable, match="cannot reach the endpoint at http://127.0.0.1:9/sparql"),
    ):
        client.select("ASK {}")

    def slow(h, q):
        time.sleep(3)
        send(h, 200, b'{"boolean": true}', "application/sparql-results+json")

    url, _ = serve(slow)
    started = time.monotonic()
    with SparqlClient(url, timeout=0.5) as client, pytest.raises(SparqlTimeout, match="did not answer within 0.5 s"):
        client.select("ASK {}")
    assert time.monotonic() - started < 2.5
    with SparqlClient(url) as client, pytest.raises(SparqlTimeout):
        client.select("ASK {}", deadline=time.monotonic() + 0.3)  # the caller's deadline wins

    big, _ = serve(lambda h, q: send(h, 200, b"[" + b" " * 100_000 + b"]", "application/sparql-results+json"))
    with SparqlClient(big, max_body=10_000) as client, pytest.raises(SparqlUnavailable, match="larger than"):
        client.select("ASK {}")


def _basic_ok(h: BaseHTTPRequestHandler) -> bool:
    expected = "Basic " + base64.b64encode(b"reviewer:s3cret").decode()
    return h.headers.get("Authorization") == expected


def test_basic_auth_after_the_servers_challenge(serve):
    def guarded(h, q):
        if not _basic_ok(h):
            send(h, 401, b"who?", "text/plain", {"WWW-Authenticate": 'Basic realm="sparql"'})
        else:
            oxigraph(h, q)

    url, seen = serve(guarded)
    with SparqlClient(url, user="reviewer", password="s3cret") as client:
        assert client.select("ASK { ?s ?p ?o }")[0]["boolean"] is True
        assert client.select("ASK { ?s ?p ?o }")[0]["boolean"] is True
    assert [("Authorization" in h) for _, _, _, h in seen.requests] == [False, True, True]  # challenged once
    with SparqlClient(url) as client, pytest.raises(SparqlRefused, match="401"):
        client.select("ASK {}")
    with SparqlClient(url, user="reviewer", password="wrong") as client, pytest.raises(SparqlRefused, match="401"):
        client.select("ASK {}")


def test_digest_auth(serve):
    realm, nonce = "virtuoso", "abc123"

    def guarded(h, q):
        header = h.headers.get("Authorization", "")
        if header.startswith("Digest "):
            parts = dict(p.strip().split("=", 1) for p in header[len("Digest ") :].split(","))
            parts = {k: v.strip('"') for k, v in parts.items()}
            ha1 = hashlib.md5(f"dba:{realm}:pw".encode()).hexdigest()
            ha2 = hashlib.md5(f"{h.command}:{parts['uri']}".encode()).hexdigest()
            if "qop" in parts:
                want = hashlib.md5(
                    f"{ha1}:{nonce}:{parts['nc']}:{parts['cnonce']}:{parts['qop']}:{ha2}".encode()
                ).hexdigest()
            else:
                want = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
            if parts.get("response") == want:
                oxigraph(h, q)
                return
        send(h, 401, b"", "text/plain", {"WWW-Authenticate": f'Digest realm="{realm}", nonce="{nonce}", qop="auth"'})

    url, _ = serve(guarded)
    with SparqlClient(url, user="dba", password="pw") as client:
        assert client.select("ASK { ?s ?p ?o }")[0]["boolean"] is True


@pytest.fixture
def redirect_elsewhere(serve):
    """An endpoint that redirects (302) every request to a server on another host (127.0.0.2)."""
    other, other_seen = serve(oxigraph, host="127.0.0.2")

    def redirect(h, q):
        send(h, 302, b"", "text/plain", {"Location": other + "?" + urlsplit(h.path).query})

    url, _ = serve(redirect)
    return url, other, other_seen


def test_no_redirect_is_followed_by_the_client(redirect_elsewhere):
    url, other, other_seen = redirect_elsewhere
    with SparqlClient(url, user="reviewer", password="s3cret") as client:
        with pytest.raises(SparqlUnavailable) as caught:
            client.select("ASK { ?s ?p ?o }")
    message = str(caught.value)
    assert "redirects (302) to http://127.0.0.2:" in message and "not followed" in message
    assert other_seen.requests == []  # the query, and the credentials, never reached the other host


def test_no_redirect_is_followed_by_lint_or_by_serve_store(redirect_elsewhere):
    url, other, other_seen = redirect_elsewhere
    remote = RemoteInput(url)
    with pytest.raises(InputError, match="redirects"):
        remote.select("SELECT * { ?s ?p ?o }")
    remote.close()
    endpoint = Endpoint(url, user="dba", password="pw")
    store = RemoteStore(endpoint, [], time.monotonic() + 10)
    with pytest.raises(RemoteUnavailable, match="redirects"):
        store.query("ASK { ?s ?p ?o }")
    endpoint.close()
    assert other_seen.requests == []


def test_lint_reads_rows_and_a_copy_through_the_client(serve):
    url, seen = serve(oxigraph)
    remote = RemoteInput(url, timeout=10)
    rows = remote.select("SELECT ?o WHERE { ?s <http://ex.org/q> ?o }")
    assert [(r["o"].kind, r["o"].value, r["o"].lang) for r in rows] == [("literal", "x", "ja")]
    copy = remote.local()
    assert len(list(copy.store.quads_for_pattern(ox.NamedNode("http://ex.org/a"), None, None))) == 2
    remote.close()
    assert {m for m, *_ in seen.requests} == {"GET"}
