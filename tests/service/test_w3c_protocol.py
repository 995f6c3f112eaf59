"""W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description manifests against the running service.

Manifests are read from the vendored copy in tests/service/w3c/ (W3C 3-clause BSD License, see its README);
a missing manifest or a trimmed copy fails, never skips. Query cases run on the read-only server; update and
graph-write cases on the server with a write token.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
import rdflib

sys.path.insert(0, str(Path(__file__).parent))
import w3c_manifest  # noqa: E402
from conftest import BASE, TOKEN, W3C  # noqa: E402

# How many cases each vendored manifest holds (tests/service/w3c/README.md): a trimmed copy fails.
EXPECTED_CASES = {
    "protocol/manifest.ttl": 34,
    "graph-store-protocol/manifest.ttl": 13,
    "service-description/manifest.ttl": 3,
}
SERVICE_DESCRIPTION_TESTS = {"returns-rdf", "has-endpoint-triple", "conforms-to-schema"}


def _load(relative: str) -> list:
    manifest = W3C / relative
    if not manifest.is_file():  # raised at collection: the run fails instead of skipping
        raise FileNotFoundError(f"{manifest} is missing: the W3C manifests are vendored in tests/service/w3c/")
    return w3c_manifest.load_cases(manifest)


def _cases(relative: str) -> list:
    return [pytest.param(case, id=case.id) for case in _load(relative)]


@pytest.mark.parametrize("relative", sorted(EXPECTED_CASES))
def test_vendored_manifest_is_complete(relative):
    """Every vendored manifest parses and holds all its cases (none lost by a partial copy)."""
    cases = _load(relative)
    assert len(cases) == EXPECTED_CASES[relative], [c.id for c in cases]
    assert len({c.id for c in cases}) == len(cases)
    if relative.startswith("protocol/"):  # its ut:graphData files are vendored beside the manifest
        files = {Path(unquote(urlsplit(d).path)) for c in cases for d in c.graph_data.values()}
        assert files == {W3C / "protocol" / f"data{n}.nt" for n in (1, 2, 3)}
        assert all(f.is_file() for f in files)


def test_service_description_manifest_names_the_checks_below():
    """The service description manifest gives no requests; the three tests below implement its three cases."""
    assert {c.id for c in _load("service-description/manifest.ttl")} == SERVICE_DESCRIPTION_TESTS


@pytest.mark.parametrize("case", _cases("protocol/manifest.ttl"))
def test_protocol(case, server, writable_server):
    target = writable_server if case.id.startswith(("update_", "bad_update")) else server
    auth = {"Authorization": f"Bearer {TOKEN}"} if target is writable_server else {}
    with target.client() as client:
        problem = w3c_manifest.run_case(case, client, {"/sparql/": "/sparql"}, auth)
    assert problem is None, problem


def _graphs_named(case) -> set[str]:
    """The ?graph= targets of a case, decoded as the server decodes them."""
    out = set()
    for r in case.requests:
        for key, value in parse_qsl(urlsplit(r.path).query, keep_blank_values=True):
            if key == "graph" and "$" not in value:
                out.add(value)
    return out


def _direct_paths(case) -> set[str]:
    """The graphs a case names by URL (direct identification: /gsp/person/1.ttl -> /store/person/1.ttl)."""
    return {
        "/store" + urlsplit(r.path).path[len("/gsp") :]
        for r in case.requests
        if urlsplit(r.path).path.startswith("/gsp/")
    }


@pytest.mark.parametrize("case", _cases("graph-store-protocol/manifest.ttl"))
def test_graph_store_protocol(case, writable_server):
    """Each case starts from a store without its graphs (the manifests assume a fresh store per test)."""
    with writable_server.client() as client:
        for graph in _graphs_named(case):
            client.delete("/store", params={"graph": graph}, headers={"Authorization": f"Bearer {TOKEN}"})
        for path in _direct_paths(case):
            client.delete(path, headers={"Authorization": f"Bearer {TOKEN}"})
        problem = w3c_manifest.run_case(case, client, {"/gsp": "/store"}, {"Authorization": f"Bearer {TOKEN}"})
    assert problem is None, problem


SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def _description(client, accept: str) -> rdflib.Graph:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200, response.text
    fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml"}[response.headers["content-type"].split(";")[0]]
    return rdflib.Graph().parse(data=response.text, format=fmt)


@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml"])
def test_service_description_returns_rdf_with_endpoint(client, server, accept):
    """returns-rdf and has-endpoint-triple: GET on the endpoint is RDF naming the endpoint URL (under the
    configured base, where the service is published, never after the request's Host header)."""
    g = _description(client, accept)
    services = list(g.subjects(rdflib.RDF.type, SD.Service))
    assert len(services) == 1
    assert (services[0], SD.endpoint, rdflib.URIRef(BASE + "sparql")) in g


def test_service_description_conforms_to_schema(client):
    """conforms-to-schema: sd: terms used with their documented domains and ranges."""
    g = _description(client, "text/turtle")
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g  # read-only server
    assert set(g.objects(service, SD.resultFormat)) >= {
        rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON"),
        rdflib.URIRef("http://www.w3.org/ns/formats/Turtle"),
    }
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, rdflib.RDF.type, SD.Dataset) in g
    assert (g.value(dataset, SD.defaultGraph), rdflib.RDF.type, SD.Graph) in g
    names = {g.value(n, SD.name) for n in g.objects(dataset, SD.namedGraph)}
    assert rdflib.URIRef("https://example.org/fk/graph/doc-a") in names
    for named in g.objects(dataset, SD.namedGraph):
        assert (named, rdflib.RDF.type, SD.NamedGraph) in g
        assert isinstance(g.value(named, SD.name), rdflib.URIRef)
