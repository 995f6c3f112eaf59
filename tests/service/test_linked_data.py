"""Dereferencing minted IRIs, the portal pages, dumps, the named-query API and response hygiene."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE  # noqa: E402

PROGRAM = "/id/program/kodomo-shokudo"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def triples(text: str, fmt) -> set:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(text.encode(), format=fmt)}


def test_program_page_shows_labels_plans_evidence_and_links(client):
    response = client.get(PROGRAM, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "こども食堂支援" in html and "Children&#39;s cafeteria support" in html
    assert 'href="/id/plan/kumamoto"' in html and "熊本市こども未来計画" in html  # incoming, labelled
    assert "こども食堂の運営を支援します。" in html and "412" in html  # evidence quote and line
    assert 'href="/graph/doc-a"' in html
    assert 'href="/def/Program"' in html and "事業" in html  # type label from the ontology graph
    assert 'rel="alternate"' in response.headers["link"]


def test_english_labels_with_lang(client):
    html = client.get(PROGRAM, params={"lang": "en"}, headers={"Accept": BROWSER}).text
    assert "<h1>Children&#39;s cafeteria support</h1>" in html


@pytest.mark.parametrize(
    "how, fmt",
    [
        ({"headers": {"Accept": "text/turtle"}}, ox.RdfFormat.TURTLE),
        ({"headers": {"Accept": "application/n-triples"}}, ox.RdfFormat.N_TRIPLES),
        ({"headers": {"Accept": "application/ld+json"}}, ox.RdfFormat.JSON_LD),
        ({"headers": {"Accept": "application/rdf+xml"}}, ox.RdfFormat.RDF_XML),
        ({"params": {"format": "ttl"}}, ox.RdfFormat.TURTLE),
        ({"suffix": ".ttl"}, ox.RdfFormat.TURTLE),
        ({"suffix": ".jsonld"}, ox.RdfFormat.JSON_LD),
        ({"suffix": ".nt"}, ox.RdfFormat.N_TRIPLES),
    ],
)
def test_rdf_by_accept_format_or_extension(client, how, fmt):
    how = dict(how)
    path = PROGRAM + how.pop("suffix", "")
    response = client.get(path, **how)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(fmt.media_type)
    got = triples(response.text, fmt)
    subject = BASE + PROGRAM[1:]
    assert (f"<{subject}>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"こども食堂支援"@ja') in got
    assert any(p == f"<{BASE}def/quote>" for _, p, _ in got)  # the evidence blank node comes along


def test_unknown_iri_is_404_with_a_helpful_page(client):
    response = client.get("/id/program/nothing-here", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert f"{BASE}id/program/nothing-here" in response.text and 'href="/query"' in response.text
    assert client.get("/id/program/nothing-here.ttl").status_code == 404
    assert client.get("/id/x%3E%20%7B", headers={"Accept": BROWSER}).status_code == 404


def test_not_acceptable(client):
    assert client.get(PROGRAM, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/sparql", params={"query": "ASK {}", "format": "png"}).status_code == 406


def test_named_graph_dereferences(client):
    html = client.get("/graph/doc-a", headers={"Accept": BROWSER}).text
    assert "/id/plan/kumamoto" in html
    nt = client.get("/graph/doc-a.nt")
    assert nt.status_code == 200 and f"<{BASE}id/plan/kumamoto>" in nt.text


def test_ontology_document_and_terms(client):
    page = client.get("/ontology", params={"lang": "en"})
    assert page.status_code == 200 and "Program" in page.text and "A municipal plan" in page.text
    ja = client.get("/def/", headers={"Accept": BROWSER, "Accept-Language": "ja"}).text
    assert "事業" in ja and "市町村の計画" in ja
    ttl = client.get("/def/", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and "Program" in ttl.text
    term = client.get("/def/Program", headers={"Accept": BROWSER})
    assert term.status_code == 200 and "事業" in term.text


def test_dataset_page_void_dcat_and_dumps(client, server):
    page = client.get("/dataset", headers={"Accept": BROWSER})
    assert page.status_code == 200 and "/dumps/fukushi-kg.trig" in page.text
    void = client.get("/dataset", headers={"Accept": "text/turtle"})
    got = triples(void.text, ox.RdfFormat.TURTLE)
    ds = f"<{BASE}id/dataset>"
    assert (ds, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://rdfs.org/ns/void#Dataset>") in got
    # built from --base, never from the Host the request came to
    assert (ds, "<http://rdfs.org/ns/void#sparqlEndpoint>", f"<{BASE}sparql>") in got
    assert not any(server.url in t for triple in got for t in triple)
    count = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"},
    )
    distinct = int(count.json()["results"]["bindings"][0]["n"]["value"])
    assert (ds, "<http://rdfs.org/ns/void#triples>", f'"{distinct}"^^<http://www.w3.org/2001/XMLSchema#integer>') in got
    assert (
        f"<{BASE}id/catalog>",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        "<http://www.w3.org/ns/dcat#Catalog>",
    ) in got
    spoofed = client.get("/dataset", headers={"Accept": "text/turtle", "Host": "evil.example"})
    assert spoofed.status_code == 200 and "evil.example" not in spoofed.text
    assert any(p == "<http://rdfs.org/ns/void#subset>" and o == f"<{BASE}graph/doc-a>" for s, p, o in got)
    assert any(p == "<http://rdfs.org/ns/void#exampleResource>" for _, p, _ in got)
    dump = client.get("/dumps/fukushi-kg.nq")
    assert dump.status_code == 200 and "attachment" in dump.headers["content-disposition"]
    assert client.get("/dumps/..%2Fstore").status_code == 404
    assert client.get("/dumps/store").status_code == 404


def test_dataset_iri_dereferences_by_content_negotiation(client):
    page = client.get("/id/dataset", headers={"Accept": BROWSER})
    assert page.status_code == 200 and "/dumps/fukushi-kg.trig" in page.text
    ttl = client.get("/id/dataset", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    assert f"<{BASE}id/dataset>" in ttl.text or "dcat:Dataset" in ttl.text
    assert client.get("/id/dataset.nt").text.count(f"<{BASE}id/dataset>") > 5


def test_named_query_api(client):
    listing = client.get("/api/queries").json()["queries"]
    assert {q["name"] for q in listing} == {"plans", "programs"}
    programs = next(q for q in listing if q["name"] == "programs")
    assert programs["title"] == "Programs" and programs["columns"] == ["program", "label"]
    data = client.get("/api/queries/programs").json()
    assert data["columns"] == ["program", "label"] and not data["truncated"]
    assert {"program": f"{BASE}id/program/kodomo-shokudo", "label": "こども食堂支援"} in data["rows"]
    csv = client.get("/api/queries/programs", headers={"Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("program,label\r\n")
    assert client.get("/api/queries/nope").status_code == 404
    assert client.get("/api/queries/..%2F..%2Fetc%2Fpasswd").status_code == 404


@pytest.mark.parametrize("path", ["/", "/query", "/dataset", "/ontology", "/id/program/xss", "/nope"])
def test_security_headers_and_escaping(client, path):
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "<script>alert" not in response.text
    assert "Traceback" not in response.text


def test_results_formats(client):
    query = f"SELECT ?label WHERE {{ <{BASE}id/program/kodomo-shokudo> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?label"
    for accept, marker in [
        ("application/sparql-results+json", '"xml:lang": "en"'),
        ("application/sparql-results+xml", 'xml:lang="ja"'),
        ("text/csv", "label\r\n"),
        ("text/tab-separated-values", '?label\n"Children'),
    ]:
        response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(accept) and marker in response.text, accept
    construct = f"CONSTRUCT WHERE {{ <{BASE}id/plan/kumamoto> ?p ?o }}"
    for fmt in (
        ox.RdfFormat.TURTLE,
        ox.RdfFormat.N_TRIPLES,
        ox.RdfFormat.JSON_LD,
        ox.RdfFormat.RDF_XML,
        ox.RdfFormat.TRIG,
    ):
        response = client.get("/sparql", params={"query": construct}, headers={"Accept": fmt.media_type})
        assert response.status_code == 200 and response.headers["content-type"].startswith(fmt.media_type)
        assert len(list(ox.parse(response.content, format=fmt))) == 5


def test_protocol_dataset_and_union_default(client):
    union = client.get("/sparql", params={"query": f"ASK {{ ?s a <{BASE}def/Program> }}"}).json()
    assert union["boolean"] is True
    other = client.get(
        "/sparql", params={"query": f"ASK {{ ?s a <{BASE}def/Program> }}", "default-graph-uri": BASE + "graph/ontology"}
    ).json()
    assert other["boolean"] is False
    named = client.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": BASE + "graph/doc-a"},
    ).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [BASE + "graph/doc-a"]


def test_openapi_describes_every_route(client, server):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for path in [
        "/sparql",
        "/store",
        "/api/queries",
        "/api/queries/{name}",
        "/",
        "/query",
        "/dataset",
        "/ontology",
        "/dumps/{name}",
        "/id/{path}",
        "/def/{path}",
        "/eli/{path}",
        "/graph/{path}",
    ]:
        assert path in paths, path
    assert json.dumps(spec)  # serialisable
