"""Graph Store Protocol writes beyond the W3C manifests: graphs named by their URL (direct
identification) and multipart/form-data uploads, on the real service and store."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, TOKEN  # noqa: E402

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TTL = "text/turtle"


def ask(client, query: str) -> bool:
    return client.get("/sparql", params={"query": query}).json()["boolean"]


def test_a_graph_named_by_its_url(writable_server):
    with writable_server.client() as client:
        client.delete("/store/notes/a", headers=AUTH)
        assert (
            client.put("/store/notes/a", content=b"<urn:x> <urn:p> 1 .", headers={"Content-Type": TTL}).status_code
            == 401
        )
        created = client.put("/store/notes/a", content=b"<urn:x> <urn:p> 1 .", headers={**AUTH, "Content-Type": TTL})
        assert created.status_code == 201
        iri = f"{BASE}store/notes/a"  # named under the configured base, whatever Host the request named
        assert ask(client, f"ASK {{ GRAPH <{iri}> {{ <urn:x> <urn:p> 1 }} }}")
        # the same graph by indirect identification
        same = client.get("/store", params={"graph": iri}, headers={"Accept": "application/n-triples"})
        assert same.status_code == 200 and "<urn:x> <urn:p>" in same.text
        assert client.get("/store/notes/a?graph=urn:other").status_code == 400
        assert client.delete("/store/notes/a", headers=AUTH).status_code == 204
        assert client.get("/store/notes/a").status_code == 404


def test_multipart_parts_are_merged_with_their_own_formats_and_blank_nodes(writable_server):
    files = [
        ("a", ("one.ttl", b"@prefix e: <urn:e:> . [] e:name 'first' .", "text/turtle")),
        ("b", ("two.nt", b'_:b0 <urn:e:name> "second" .\n', "application/n-triples")),
        ("c", ("three.ttl", b"<urn:e:s> <urn:e:name> 'third' .", None)),  # type from the extension
    ]
    with writable_server.client() as client:
        client.delete("/store", params={"graph": "urn:g:multi"}, headers=AUTH)
        answer = client.post("/store", params={"graph": "urn:g:multi"}, files=files, headers=AUTH)
        assert answer.status_code == 201, answer.text
        rows = client.get(
            "/sparql",
            params={"query": "SELECT ?s ?n { GRAPH <urn:g:multi> { ?s <urn:e:name> ?n } }"},
            headers={"Accept": "application/sparql-results+json"},
        ).json()["results"]["bindings"]
        assert sorted(r["n"]["value"] for r in rows) == ["first", "second", "third"]
        assert len({r["s"]["value"] for r in rows}) == 3  # two documents' blank nodes stay apart


def test_a_bad_part_changes_nothing_and_is_named(writable_server):
    files = [
        ("a", ("good.ttl", b"<urn:e:s> <urn:e:p> 'kept?' .", "text/turtle")),
        ("b", ("broken.ttl", b"<urn:e:s> <urn:e:p> .", "text/turtle")),
    ]
    with writable_server.client() as client:
        client.delete("/store", params={"graph": "urn:g:atomic"}, headers=AUTH)
        answer = client.post("/store", params={"graph": "urn:g:atomic"}, files=files, headers=AUTH)
        assert answer.status_code == 400 and "broken.ttl" in answer.text, answer.text
        assert not ask(client, "ASK { GRAPH <urn:g:atomic> { ?s ?p ?o } }")
        empty = client.post(
            "/store",
            params={"graph": "urn:g:atomic"},
            data={"field": "no file"},
            files=[("x", ("", b"", "text/plain"))],
            headers=AUTH,
        )
        assert empty.status_code in (400, 415)
        unknown = client.post(
            "/store",
            params={"graph": "urn:g:atomic"},
            files=[("a", ("data.bin", b"\x00\x01", "application/octet-stream"))],
            headers=AUTH,
        )
        assert unknown.status_code == 415 and "data.bin" in unknown.text
