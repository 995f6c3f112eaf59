"""Security findings of issue 13 (reading files, SSRF, links, CORS, operator warnings), each on the
real service: a live `fukushi-kg serve` subprocess, the `fukushi-kg lint` command, a local HTTP
listener that must receive no connection.

1. POST /lint never reads a file an uploaded graph names (fk:textFile /proc/self/environ,
   ../../etc/passwd): no content in the answer, and the same answer whether the file exists (no
   oracle); the published sources are still checked. `fukushi-kg lint FILE` refuses absolute
   paths, .. and links out of the source roots; `fukushi-kg lint URL` reads no local path without
   --source-root. HermiT (owlready2) does not follow an uploaded owl:imports.
2. CORS headers on GET/HEAD only; /lint refuses text/plain.
3. SERVICE / LOAD only to what --allow names exactly, never because a graph is named like the IRI.
4. javascript: IRIs are never an href.
5. Start-up checks (whitespace token exit 2, short token warning, port in use exit 3), failed
   tokens throttled (429), no Host header reflected, JSON-LD uploads, "RDF syntax error".
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from servers import BASE, free_port, make_dist, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
FK = "https://w3id.org/fukushi-kg/def/"
SECRET = "issue13-secret-token-5f0c2a9e"  # the write token of the server the attacks run against
SRC001_FIXTURE = ROOT / "tests" / "lint" / "fixtures" / "SRC001.trig"


# ------------------------------------------------------------------ fixtures


class Listener:
    """A local HTTP server that records every request (path) it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def listener():
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, listener):
    """Writes enabled (token SECRET); --allow names the listener's /allowed path, and a prefix of its
    address that a string comparison would have let through (port 4567 is a prefix of port 45678)."""
    dist = make_dist(tmp_path_factory.mktemp("sec-read") / "dist", with_w3c_data=False)
    lookalike = f"http://127.0.0.1:{listener.port // 10}"
    server = start_server(
        dist,
        "--workers",
        "1",
        "--timeout",
        "10",
        "--allow",
        f"http://127.0.0.1:{listener.port}/allowed",
        "--allow",
        lookalike,
        env={"FUKUSHI_KG_WRITE_TOKEN": SECRET},
    )
    yield server
    stop_server(server)


AUTH = {"Authorization": f"Bearer {SECRET}"}


def hostile_graph(text_file: str) -> bytes:
    """The five triples of the attack: a document whose text file is ``text_file``, and a span of it
    whose quote does not match, so the old rule quoted the file's lines back."""
    return f"""@prefix fk: <{FK}> .
<urn:x:doc> fk:textFile "{text_file}" .
<urn:x:span> fk:document <urn:x:doc> ; fk:lineStart 1 ; fk:lineEnd 3 ; fk:quotedText "x" .
""".encode()


def lint_answer(client: httpx.Client, text_file: str) -> dict:
    response = client.post(
        "/lint", params={"select": "SRC"}, content=hostile_graph(text_file), headers={"Content-Type": "text/turtle"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    answer.pop("seconds")
    return answer


# ------------------------------------------------------------------ 1. reading files


def test_post_lint_reads_no_file_the_graph_names_and_is_no_oracle(hostile_server):
    environ = Path(f"/proc/{hostile_server.process.pid}/environ").read_bytes().split(b"\0")
    first_variable = environ[0].decode(errors="replace")[:30]
    pairs = [
        ("/proc/self/environ", "/proc/self/no-such-file"),
        ("/etc/passwd", "/etc/no-such-file-fk"),
        ("../../../../../../../../etc/passwd", "../../../../../../../../etc/no-such-file-fk"),
        ("../../etc/passwd", "../../etc/no-such-file-fk"),
    ]
    with hostile_server.client() as client:
        for existing, missing in pairs:
            got = lint_answer(client, existing)
            text = json.dumps(got, ensure_ascii=False)
            assert SECRET not in text and "root:" not in text and first_variable not in text, text
            assert got["findings"] == [] and got["summary"]["violation"] == 0
            assert any("not a source document published here" in n for n in got["notices"]), got["notices"]
            other = lint_answer(client, missing)
            # the same answer whether the file exists or not, but for the name the graph gave
            assert json.dumps(other).replace(json.dumps(missing)[1:-1], "FILE") == json.dumps(got).replace(
                json.dumps(existing)[1:-1], "FILE"
            )


def test_post_lint_still_checks_the_published_sources(hostile_server):
    with hostile_server.client() as client:
        response = client.post(
            "/lint",
            params={"select": "SRC"},
            content=SRC001_FIXTURE.read_bytes(),
            headers={"Content-Type": "application/trig"},
        )
    assert response.status_code == 200, response.text
    findings = response.json()["findings"]
    assert [f["code"] for f in findings] == ["SRC001"]
    assert findings[0]["location"]["file"] == "data/sources/000_f0d8245b60c0f4f3.txt"


def run_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "fukushi_kg.service.cli", "lint", *args, "--select", "SRC", "--format", "json"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture()
def roots(tmp_path):
    """root/ (a source root with ok.txt and link.txt -> ../outside/secret.txt) and outside/secret.txt."""
    (tmp_path / "outside").mkdir()
    secret = tmp_path / "outside" / "secret.txt"
    secret.write_text("OUTSIDE-THE-ROOT-9d2e\nsecond line\nthird line\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok.txt").write_text("INSIDE-THE-ROOT-41ab\nsecond line\nthird line\n", encoding="utf-8")
    (root / "link.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    return root, secret


def graph_naming(files: list[str]) -> str:
    lines = [f"@prefix fk: <{FK}> ."]
    for i, f in enumerate(files):
        lines.append(f'<urn:x:doc{i}> fk:textFile "{f}" .')
        lines.append(
            f'<urn:x:span{i}> fk:document <urn:x:doc{i}> ; fk:lineStart 1 ; fk:lineEnd 3 ; fk:quotedText "x" .'
        )
    return "\n".join(lines) + "\n"


def test_cli_lint_of_a_file_reads_nothing_outside_its_roots(roots):
    root, secret = roots
    escaping = [str(secret), "../outside/secret.txt", "link.txt", "/etc/passwd", "./../outside/secret.txt"]
    (root / "graph.ttl").write_text(graph_naming([*escaping, "ok.txt"]), encoding="utf-8")
    for cwd, extra in ((root, ()), (root.parent, ("--source-root", str(root)))):
        done = run_lint(str(root / "graph.ttl"), *extra, cwd=cwd)
        assert done.returncode == 1, done.stderr  # the one file inside the root is read: its quote is wrong
        out = done.stdout + done.stderr
        assert "OUTSIDE-THE-ROOT" not in out and "root:" not in out, out
        report = json.loads(done.stdout)
        assert [f["location"]["file"] for f in report["findings"]] == ["ok.txt"]
        assert "INSIDE-THE-ROOT-41ab" in report["findings"][0]["message"]["en"]
        refused = [n for n in report["notices"] if "is not read" in n]
        assert len(refused) == len(escaping), report["notices"]


def test_cli_lint_of_an_endpoint_reads_no_local_path_without_a_source_root(hostile_server, roots):
    root, secret = roots
    graph = graph_naming([str(secret), "ok.txt"]).encode()
    with hostile_server.client() as client:
        put = client.put(
            "/store",
            params={"graph": "urn:x:remote-graph"},
            content=graph,
            headers={**AUTH, "Content-Type": "text/turtle"},
        )
        assert put.status_code in (201, 204), put.text
    try:
        url = hostile_server.url + "/sparql"
        done = run_lint(url, cwd=root)  # ok.txt is in the current folder, and still not read
        assert done.returncode == 0, done.stderr
        out = done.stdout + done.stderr
        assert "OUTSIDE-THE-ROOT" not in out and "INSIDE-THE-ROOT" not in out, out
        assert json.loads(done.stdout)["findings"] == []
        given = run_lint(url, "--source-root", str(root), cwd=root.parent)  # named explicitly: read
        out = given.stdout + given.stderr
        assert given.returncode == 1 and "INSIDE-THE-ROOT-41ab" in out and "OUTSIDE-THE-ROOT" not in out, out
    finally:
        with hostile_server.client() as client:
            client.delete("/store", params={"graph": "urn:x:remote-graph"}, headers=AUTH)


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_post_lint_does_not_follow_owl_imports(hostile_server, listener):
    before = len(listener.hits)
    graph = f"""<urn:x:o> a <http://www.w3.org/2002/07/owl#Ontology> ;
    <http://www.w3.org/2002/07/owl#imports> <http://127.0.0.1:{listener.port}/ontology.owl>, <file:///etc/passwd> .
""".encode()
    with hostile_server.client() as client:
        response = client.post(
            "/lint", params={"select": "OWL"}, content=graph, headers={"Content-Type": "text/turtle"}
        )
    assert response.status_code == 200, response.text
    assert listener.hits[before:] == []


# ------------------------------------------------------------------ 2. CORS


def test_cors_headers_only_on_reads_and_lint_refuses_text_plain(hostile_server):
    origin = {"Origin": "https://attacker.example"}
    with hostile_server.client() as client:
        read = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
        assert read.status_code == 200 and read.headers["access-control-allow-origin"] == "*"
        head = client.head("/store", params={"graph": BASE + "graph/doc-a"}, headers=origin)
        assert head.headers["access-control-allow-origin"] == "*"
        writes = [
            client.post("/sparql", data={"query": "ASK {}"}, headers=origin),
            client.post("/lint", content=hostile_graph("x"), headers={**origin, "Content-Type": "text/turtle"}),
            client.post(
                "/lint", content=b"<urn:a> <urn:b> <urn:c> .\n", headers={**origin, "Content-Type": "text/plain"}
            ),
            client.put(
                "/store",
                params={"graph": "urn:x:cors"},
                content=b"<urn:a> <urn:b> <urn:c> .",
                headers={**origin, **AUTH, "Content-Type": "text/turtle"},
            ),
            client.delete("/store", params={"graph": "urn:x:cors"}, headers={**origin, **AUTH}),
        ]
        for response in writes:
            assert not any(k.startswith("access-control-") for k in response.headers), (
                response.request.method,
                response.request.url,
                dict(response.headers),
            )
        assert writes[2].status_code == 415  # text/plain would be a simple request: no preflight
        for method in ("POST", "PUT", "DELETE"):
            preflight = client.options("/lint", headers={**origin, "Access-Control-Request-Method": method})
            assert preflight.status_code == 403 and "access-control-allow-origin" not in preflight.headers
            assert preflight.headers["x-content-type-options"] == "nosniff"
        get_preflight = client.options(
            "/sparql",
            headers={**origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "accept"},
        )
        assert get_preflight.status_code == 204 and get_preflight.headers["access-control-allow-origin"] == "*"
        assert get_preflight.headers["access-control-allow-methods"] == "GET, HEAD"


def test_cors_for_configured_origins_only(tmp_path):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "1", "--cors", "https://friend.example")
    try:
        with server.client() as client:
            friend = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://friend.example"})
            assert friend.headers["access-control-allow-origin"] == "https://friend.example"
            assert "origin" in friend.headers["vary"].lower()
            stranger = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://other.example"})
            assert "access-control-allow-origin" not in stranger.headers
    finally:
        stop_server(server)


# ------------------------------------------------------------------ 3. SSRF


def test_service_and_load_reach_only_what_allow_names(hostile_server, listener):
    before = len(listener.hits)
    port = listener.port
    named_after_a_url = f"http://127.0.0.1:{port}/sparql"
    with hostile_server.client() as client:
        put = client.put(
            "/store",
            params={"graph": named_after_a_url},
            content=b"<urn:a> <urn:b> <urn:c> .",
            headers={**AUTH, "Content-Type": "text/turtle"},
        )
        assert put.status_code in (201, 204), put.text
        refused = [
            f"SELECT * {{ SERVICE <{named_after_a_url}> {{ ?s ?p ?o }} }}",  # a graph of the dataset by name
            f"SELECT * {{ SERVICE <{BASE}graph/doc-a> {{ ?s ?p ?o }} }}",
            f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/allowed-not> {{ ?s ?p ?o }} }}",  # not a segment
            f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/allowed/../admin> {{ ?s ?p ?o }} }}",
            f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",  # the lookalike prefix
        ]
        for query in refused:
            response = client.post("/sparql", data={"query": query})
            assert response.status_code == 403, (query, response.status_code, response.text)
        load = client.post("/sparql", data={"update": f"LOAD <{named_after_a_url}> INTO GRAPH <urn:x:l>"}, headers=AUTH)
        assert load.status_code == 403, load.text
        assert listener.hits[before:] == []
        # FROM a graph of the dataset is still fine (never fetched)
        from_graph = client.get(
            "/sparql", params={"query": f"ASK FROM <{named_after_a_url}> {{ <urn:a> <urn:b> <urn:c> }}"}
        )
        assert from_graph.status_code == 200 and from_graph.json()["boolean"] is True
        # what --allow names exactly does go out
        allowed = client.post(
            "/sparql", data={"query": f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/allowed/sparql> {{ ?s ?p ?o }} }}"}
        )
        assert allowed.status_code == 200, allowed.text
        assert listener.hits[before:] and listener.hits[-1].startswith("/allowed/sparql")
        client.delete("/store", params={"graph": named_after_a_url}, headers=AUTH)


# ------------------------------------------------------------------ 4. links


LINKS_TTL = f"""
@prefix fk: <{FK}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
<{BASE}id/plan/p> a fk:Plan ; rdfs:label "計画"@ja ;
    fk:legalBasis <{BASE}eli/jp/act/1/1/art_1>, <{BASE}eli/jp/act/2/2/art_2>, <{BASE}eli/jp/act/3/3/art_3> ;
    rdfs:seeAlso <javascript:alert(2)> .
<{BASE}eli/jp/act/1/1/art_1> rdfs:label "第一条"@ja ; eli:is_part_of <{BASE}eli/jp/act/1/1> .
<{BASE}eli/jp/act/1/1> rdfs:label "悪い法"@ja ; rdfs:seeAlso <javascript:alert(1)> .
<{BASE}eli/jp/act/2/2/art_2> rdfs:label "第二条"@ja ; eli:is_part_of <{BASE}eli/jp/act/2/2> .
<{BASE}eli/jp/act/2/2> rdfs:label "良い法"@ja ; rdfs:seeAlso <https://laws.e-gov.go.jp/law/325AC0000000144> .
<{BASE}eli/jp/act/3/3/art_3> rdfs:label "第三条"@ja ; rdfs:seeAlso <data:text/html,%3Cscript%3Ealert(3)%3C/script%3E> .
"""


def test_javascript_iris_are_never_an_href(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    store = ox.Store(str(dist / "store"))
    store.load(LINKS_TTL.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BASE + "graph/links"))
    store.flush()
    del store
    server = start_server(dist, "--workers", "1")
    try:
        with server.client() as client:
            page = client.get("/id/plan/p", headers={"Accept": "text/html"})
            law = client.get("/eli/jp/act/1/1", headers={"Accept": "text/html"})
    finally:
        stop_server(server)
    assert page.status_code == 200 and law.status_code == 200
    for body in (page.text, law.text):
        hrefs = re.findall(r"""href=["']?([^"'\s>]*)""", body)
        assert not [h for h in hrefs if not h.startswith(("/", "#", "?", "http://", "https://"))], hrefs
    assert 'href="https://laws.e-gov.go.jp/law/325AC0000000144"' in page.text  # a real link stays a link
    assert "javascript:alert(1)" in page.text and "data:text/html" in page.text  # shown, as text


# ------------------------------------------------------------------ 5. operator warnings, exit codes


def serve(dist: Path, *args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fukushi_kg.service", "--dist", str(dist), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_whitespace_token_is_refused_at_start_up(tmp_path):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    for token, said in (("   ", "only whitespace"), (" padded-token-of-some-length ", "whitespace")):
        done = serve(dist, "--port", str(free_port()), env={"FUKUSHI_KG_WRITE_TOKEN": token})
        assert done.returncode == 2, done.stderr
        assert said in done.stderr and "FUKUSHI_KG_WRITE_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_a_port_in_use_exits_3_before_anything_starts(tmp_path):
    busy = socket.socket()
    busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    busy.bind(("0.0.0.0", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        # no store at all: binding comes first, so nothing is built before the port is found taken
        started = time.monotonic()
        done = serve(tmp_path / "nothing-built", "--port", str(port), timeout=30)
        assert done.returncode == 3, done.stderr
        assert f"port {port}" in done.stderr and "already in use" in done.stderr and "Traceback" not in done.stderr
        assert not (tmp_path / "nothing-built").exists() and time.monotonic() - started < 20
        # a short token on a non-loopback host is warned about before that
        dist = make_dist(tmp_path / "dist", with_w3c_data=False)
        done = serve(dist, "--host", "0.0.0.0", "--port", str(port), env={"FUKUSHI_KG_WRITE_TOKEN": "short"})
        assert done.returncode == 3
        assert "warning" in done.stderr and "5 characters" in done.stderr and "0.0.0.0" in done.stderr
        assert "Waiting for application startup" not in done.stderr  # no worker was started
    finally:
        busy.close()


def test_failed_tokens_are_throttled(tmp_path):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)
    server = start_server(dist, "--workers", "1", env={"FUKUSHI_KG_WRITE_TOKEN": SECRET})
    update = {"update": "INSERT DATA { GRAPH <urn:x:t> { <urn:a> <urn:b> <urn:c> } }"}
    try:
        with server.client() as client:
            for i in range(5):
                wrong = client.post("/sparql", data=update, headers={"Authorization": f"Bearer guess-{i}"})
                assert wrong.status_code == 401
            blocked = client.post("/sparql", data=update, headers=AUTH)  # even the right token waits
            assert blocked.status_code == 429, blocked.text
            assert 1 <= int(blocked.headers["retry-after"]) <= 60
            assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # reads go on
    finally:
        stop_server(server)


def test_host_header_is_not_reflected(hostile_server):
    evil = {"Host": "evil.example"}
    with hostile_server.client() as client:
        description = client.get("/sparql", headers={**evil, "Accept": "text/turtle"})
        assert description.status_code == 200 and "evil.example" not in description.text
        assert f"<{BASE}sparql>" in description.text
        listing = client.get("/api/queries", headers=evil)
        assert "evil.example" not in listing.text
        put = client.put(
            "/store/notes/host",
            content=b"<urn:a> <urn:b> <urn:c> .",
            headers={**evil, **AUTH, "Content-Type": "text/turtle"},
        )
        assert put.status_code in (201, 204), put.text
        graphs = client.get("/sparql", params={"query": "SELECT ?g { GRAPH ?g { <urn:a> <urn:b> <urn:c> } }"}).json()[
            "results"
        ]["bindings"]
        names = {g["g"]["value"] for g in graphs}
        assert BASE + "store/notes/host" in names and not any("evil.example" in n for n in names)
        client.delete("/store/notes/host", headers=AUTH)


def test_json_ld_uploads_and_rdf_syntax_errors(hostile_server, listener):
    graph = {"graph": "urn:x:jsonld"}
    before = len(listener.hits)
    with hostile_server.client() as client:
        missing = client.put("/store", params=graph, content=b"<urn:a> <urn:b> <urn:c> .", headers=AUTH)
        assert missing.status_code == 415 and "application/ld+json" in missing.text  # listed ...
        doc = json.dumps({"@id": "urn:x:s", "urn:x:p": "v"}).encode()
        put = client.put("/store", params=graph, content=doc, headers={**AUTH, "Content-Type": "application/ld+json"})
        assert put.status_code in (201, 204), put.text  # ... and accepted
        assert client.get(
            "/sparql", params={"query": 'ASK { GRAPH <urn:x:jsonld> { <urn:x:s> <urn:x:p> "v" } }'}
        ).json()["boolean"]
        named = json.dumps({"@id": "urn:x:g", "@graph": [{"@id": "urn:x:s", "urn:x:p": "w"}]}).encode()
        refused = client.put(
            "/store", params=graph, content=named, headers={**AUTH, "Content-Type": "application/ld+json"}
        )
        assert refused.status_code == 400 and "named graph" in refused.text
        remote = json.dumps({"@context": f"http://127.0.0.1:{listener.port}/context.jsonld", "@id": "urn:x:s"}).encode()
        fetched = client.put(
            "/store", params=graph, content=remote, headers={**AUTH, "Content-Type": "application/ld+json"}
        )
        assert fetched.status_code == 400 and listener.hits[before:] == []
        broken = client.put(
            "/store",
            params=graph,
            content=b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n",
            headers={**AUTH, "Content-Type": "text/turtle"},
        )
        assert broken.status_code == 400
        assert broken.text.startswith("RDF syntax error in the body (Turtle, line 2)"), broken.text
        assert "SPARQL" not in broken.text
        client.delete("/store", params=graph, headers=AUTH)


@pytest.mark.parametrize(
    "iri, href",
    [
        ("https://laws.e-gov.go.jp/law/1", "https://laws.e-gov.go.jp/law/1"),
        ("HTTP://example.org/", "HTTP://example.org/"),
        ("/id/plan/p", "/id/plan/p"),
        ("#section", "#section"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("http:evil", None),
        ("https:///path", None),
        ("urn:isbn:1", None),
        ("", None),
    ],
)
def test_safe_href_allows_http_and_local_paths_only(iri, href):
    from fukushi_kg.service.links import safe_href

    assert safe_href(iri) == href
