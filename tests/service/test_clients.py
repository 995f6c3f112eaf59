"""The endpoint as common SPARQL clients call it: SPARQLWrapper (the real library, over HTTP).

SPARQLWrapper repeats its return format in ``format``, ``output`` and ``results`` and, for
JSON-LD, sends a second ``format`` with a comma-separated list of media types; for N3 it sends
``format=n3``. Every return format it offers must get an answer it accepts, not a 406.
"""

import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.service.conftest import BASE

CONSTRUCT = f"CONSTRUCT {{ ?p <{BASE}def/label> ?l }} WHERE {{ ?p a <{BASE}def/Program> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
SELECT = f"SELECT ?l WHERE {{ <{BASE}id/program/kodomo-shokudo> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} ORDER BY ?l"
PROGRAM = URIRef(f"{BASE}id/program/kodomo-shokudo")


def _wrapper(server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("fmt", [JSONLD, N3, TURTLE, RDFXML, XML, JSON])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_construct_in_every_sparqlwrapper_format(server, fmt, method):
    result = _wrapper(server, CONSTRUCT, fmt, method).query()
    graph = result.convert()
    if not isinstance(graph, Graph):  # JSON and N3/Turtle come back as bytes or a parsed document
        parsed = Graph()
        body = graph if isinstance(graph, (bytes, str)) else result.response.read()
        kind = {JSONLD: "json-ld", JSON: "json-ld", N3: "turtle", TURTLE: "turtle"}.get(fmt, "xml")
        parsed.parse(data=body, format=kind)
        graph = parsed
    labels = set(graph.objects(PROGRAM, URIRef(f"{BASE}def/label")))
    assert Literal("こども食堂支援", lang="ja") in labels


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_in_every_sparqlwrapper_format(server, fmt):
    converted = _wrapper(server, SELECT, fmt).query().convert()
    if fmt == JSON:
        values = [b["l"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == XML:
        values = [n.firstChild.firstChild.data for n in converted.getElementsByTagName("binding")]
    else:
        text = converted.decode("utf-8") if isinstance(converted, bytes) else converted
        values = [line.strip().strip('"').split('"@')[0] for line in text.splitlines()[1:]]
    assert "こども食堂支援" in values


def test_the_format_lists_sparqlwrapper_sends_name_what_is_served(client):
    """The raw requests: the second format= is a comma-separated list; n3 is answered in Turtle."""
    query = {"query": CONSTRUCT}
    r = client.get(
        "/sparql",
        params=[*query.items(), ("format", "json-ld"), ("format", "application/ld+json,application/x-json+ld")],
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    r = client.get("/sparql", params=[*query.items(), ("format", "n3"), ("output", "n3")])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = client.get("/sparql", params=[*query.items(), ("format", "image/png")])
    assert r.status_code == 406


def test_named_query_parameter_over_the_api(seed_server):
    with seed_server.client() as c:
        listed = {q["name"]: q for q in c.get("/api/queries").json()["queries"]}
        assert listed["single-parent-programs"]["parameters"][0]["choices"] == ["broad", "strict"]
        broad = c.get("/api/queries/single-parent-programs").json()["rows"]
        strict = c.get("/api/queries/single-parent-programs", params={"reading": "strict"}).json()["rows"]
        assert len(broad) == 19 and len(strict) == 18
        csv = c.get("/api/queries/single-parent-programs", params={"reading": "strict", "format": "csv"})
        assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == 19
        bad = c.get("/api/queries/single-parent-programs", params={"reading": "loose"})
        assert bad.status_code == 400 and "broad, strict" in bad.text
