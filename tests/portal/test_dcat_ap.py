"""The served dataset description against the official DCAT-AP 3.0.1 shapes (pySHACL, no inference),
and the portal's other needs: the catalogue is there, URLs follow --base, VoID counts what is in
the store, every line selector resolves, the dumps' checksums are right."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

SHAPES = Path(__file__).resolve().parent / "dcat-ap-3.0.1"
BASE = "https://w3id.org/fukushi-kg/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def description(portal_server) -> Graph:
    with portal_server.client() as c:
        r = c.get("/dataset", headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    return Graph().parse(data=r.text, format="turtle")


def _report(data: Graph, shapes: str) -> tuple[bool, Graph]:
    conforms, report, _text = validate(
        data, shacl_graph=Graph().parse(SHAPES / shapes), inference="none", allow_warnings=True
    )
    return conforms, report


def _results(report: Graph, severity: URIRef) -> list[str]:
    return sorted(
        f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}"
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.resultSeverity) == severity
    )


def test_a_catalogue_with_the_dataset_and_the_service_is_described(description):
    catalogs = list(description.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef(BASE + "id/catalog")]  # the shapes pass silently without one
    cat = catalogs[0]
    assert (cat, DCAT.dataset, URIRef(BASE + "id/dataset")) in description
    assert (cat, DCAT.service, URIRef(BASE + "sparql")) in description
    for p in (DCT.title, DCT.description, DCT.publisher, DCT.license, DCT.modified, DCAT.themeTaxonomy):
        assert description.value(cat, p) is not None, p


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl"])
def test_no_violation_of_the_mandatory_and_range_shapes(description, shapes):
    conforms, report = _report(description, shapes)
    violations = _results(report, SH.Violation)
    assert conforms and not violations, "\n".join(violations)


def test_recommended_shapes_warnings_are_counted(description, capsys):
    _conforms, report = _report(description, "shapes_recommended.ttl")
    warnings = _results(report, SH.Warning)
    with capsys.disabled():
        print(f"\nDCAT-AP 3.0.1 recommended-shape warnings: {len(warnings)}")
        for w in warnings:
            print("  " + w)
    # What is not met, and why: no coordinates are known for the areas (dcat:bbox, dcat:centroid of
    # each dct:Location); the publisher, a project, has no ADMS publisher type that fits (dct:type).
    # Anything else is a regression.
    allowed = (
        "http://www.w3.org/ns/dcat#bbox",
        "http://www.w3.org/ns/dcat#centroid",
        BASE + "id/agent/fukushi-kg http://purl.org/dc/terms/type",
    )
    assert [w for w in warnings if not w.endswith(allowed)] == []
    areas = set(description.subjects(RDF.type, DCT.Location))
    assert len(warnings) == 2 * len(areas) + 1


def test_urls_follow_the_configured_base_not_the_host(description, portal_server):
    ds = URIRef(BASE + "id/dataset")
    assert (ds, VOID.sparqlEndpoint, URIRef(BASE + "sparql")) in description
    dumps = set(description.objects(ds, VOID.dataDump))
    assert URIRef(BASE + "dumps/fukushi-kg.nt") in dumps and URIRef(BASE + "dumps/fukushi-kg.nt.gz") in dumps
    host = portal_server.url.split("//", 1)[1]
    assert not any(host in str(t) for triple in description for t in triple)


def test_every_distribution_has_licence_format_size_and_a_true_checksum(description, seed_build):
    dist = seed_build[0]
    dists = [d for d in description.subjects(RDF.type, DCAT.Distribution) if description.value(d, DCAT.downloadURL)]
    assert len(dists) == 8  # four dumps, each also gzipped
    for d in dists:
        url = str(description.value(d, DCAT.downloadURL))
        assert description.value(d, DCAT.accessURL) == URIRef(url)
        assert description.value(d, DCT.license) == CC_BY
        assert str(description.value(d, DCT["format"])).startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )
        name = url.rsplit("/", 1)[1]
        path = dist / name
        assert description.value(d, DCAT.byteSize) == Literal(
            str(path.stat().st_size), datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
        )
        checksum = description.value(d, SPDX.checksum)
        assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(path.read_bytes()).hexdigest()
        if name.endswith(".gz"):
            assert description.value(d, DCAT.compressFormat) == URIRef(
                "http://www.iana.org/assignments/media-types/application/gzip"
            )
            assert gzip.decompress(path.read_bytes()) == (dist / name[:-3]).read_bytes()


def test_void_counts_distinct_triples_vocabularies_and_linksets(description, seed_build, seed_store):
    _dist, report = seed_build
    ds = URIRef(BASE + "id/dataset")
    assert int(description.value(ds, VOID.triples)) == report.triples  # distinct triples, not quads
    vocabularies = {str(v) for v in description.objects(ds, VOID.vocabulary)}
    for ns in (
        "https://w3id.org/fukushi-kg/def/",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/prov#",
        "http://purl.org/dc/terms/",
        "http://purl.org/linked-data/cube#",
        "http://data.europa.eu/eli/ontology#",
        "http://www.w3.org/ns/oa#",
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/2001/XMLSchema#",
        "http://spdx.org/rdf/terms#",
    ):
        assert ns in vocabularies, ns
    assert (ds, VOID.uriSpace, Literal(BASE)) in description
    linksets = {
        str(description.value(ls, VOID.linkPredicate)): (
            description.value(ls, VOID.objectsTarget),
            int(description.value(ls, VOID.triples)),
        )
        for ls in description.subjects(RDF.type, VOID.Linkset)
    }
    sdg = seed_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s <https://w3id.org/fukushi-kg/def/sdgGoal> ?o } } }"
    )
    assert linksets["https://w3id.org/fukushi-kg/def/sdgGoal"][1] == int(next(iter(sdg))["n"].value)
    targets = {str(description.value(ls, VOID.objectsTarget)) for ls in description.subjects(RDF.type, VOID.Linkset)}
    assert {BASE + "id/dataset#e-stat", BASE + "id/dataset#e-gov", BASE + "id/dataset#un-sdg"} <= targets


@pytest.mark.parametrize("path", ["/id/dataset", "/id/catalog"])
def test_the_dataset_iri_answers_html_and_rdf(portal_server, path):
    with portal_server.client() as c:
        page = c.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        rdf = c.get(path, headers={"Accept": "text/turtle"})
        assert rdf.status_code == 200 and "text/turtle" in rdf.headers["content-type"]
        assert f"<{BASE}id/dataset>" in rdf.text or "dcat:Dataset" in rdf.text
        assert c.get(path + ".jsonld").headers["content-type"].startswith("application/ld+json")


def test_every_line_selector_resolves_against_the_served_text(portal_server, seed_store):
    rows = seed_store.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT DISTINCT ?source WHERE { GRAPH ?g { ?span oa:hasSource ?source ; oa:hasSelector ?sel } }"""
    )
    sources = sorted(r["source"].value for r in rows)
    assert sources and all(s.startswith(BASE + "sources/") for s in sources)
    with portal_server.client() as c:
        for source in sources:
            r = c.get("/" + source[len(BASE) :])
            assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
            checksum = seed_store.query(
                f"""PREFIX spdx: <http://spdx.org/rdf/terms#>
                SELECT ?v WHERE {{ GRAPH ?g {{ <{source}> spdx:checksum/spdx:checksumValue ?v }} }}"""
            )
            assert next(iter(checksum))["v"].value == hashlib.sha256(r.content).hexdigest()
        # a selector's lines are lines of that text
        span = next(
            iter(
                seed_store.query(
                    """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX fk: <https://w3id.org/fukushi-kg/def/>
                    SELECT ?source ?value ?quoted WHERE { GRAPH ?g { ?span oa:hasSource ?source ; oa:hasSelector/<http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?value ; fk:quotedText ?quoted } } LIMIT 1"""
                )
            )
        )
        start, end = (int(x) for x in span["value"].value.removeprefix("line=").split(","))
        text = c.get("/" + span["source"].value[len(BASE) :]).text.split("\n")[start:end]
        assert "\n".join(ln.rstrip() for ln in text if ln.strip()) == span["quoted"].value
        for bad in ("/sources/manifest.json", "/sources/..%2Fmanifest.json", "/sources/nope.txt"):
            assert c.get(bad).status_code == 404, bad


def test_source_documents_state_publisher_rights_and_attribution(seed_store):
    rows = list(
        seed_store.query(
            """PREFIX fk: <https://w3id.org/fukushi-kg/def/> PREFIX dct: <http://purl.org/dc/terms/>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?doc ?pub ?label ?rights ?cite WHERE { GRAPH ?g {
              ?doc a fk:SourceDocument ; dct:publisher ?pub ; dct:rightsHolder ?pub ; dct:rights ?rights ;
                   dct:bibliographicCitation ?cite } GRAPH ?v { ?pub rdfs:label ?label FILTER (lang(?label) = "ja") } }"""
        )
    )
    assert len({r["doc"].value for r in rows}) == 5
    assert all(r["pub"].value.startswith(BASE + "id/org/") for r in rows)
