"""Fixtures for the service tests: a small built dist/ and the service as a real uvicorn subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from bench import procs
from bench.procs import free_port  # noqa: F401  (the tests' import of it)

ROOT = Path(__file__).resolve().parents[2]
W3C = Path(__file__).resolve().parent / "w3c"  # vendored W3C SPARQL 1.1 protocol manifests (see its README)
BASE = "https://example.org/fk/"
TOKEN = "test-secret-token"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FIXTURE_TTL = """
@prefix fk: <{base}def/> .
@prefix id: <{base}id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
ONTOLOGY = (
    FIXTURE_TTL
    + """
<{base}def/> a owl:Ontology ; rdfs:comment "福祉計画のオントロジー"@ja, "Ontology of welfare plans"@en .
fk:Plan a owl:Class ; rdfs:label "計画"@ja, "Plan"@en ; rdfs:comment "市町村の計画"@ja, "A municipal plan"@en .
fk:Program a owl:Class ; rdfs:label "事業"@ja, "Program"@en .
fk:lists a owl:ObjectProperty ; rdfs:label "掲載する"@ja, "lists"@en ; rdfs:domain fk:Plan ; rdfs:range fk:Program .
fk:evidence a owl:ObjectProperty ; rdfs:label "根拠"@ja, "evidence"@en .
fk:quote a owl:DatatypeProperty ; rdfs:label "引用"@ja, "quote"@en .
fk:lineStart a owl:DatatypeProperty ; rdfs:label "開始行"@ja, "first line"@en .
"""
)
DOCUMENT = (
    FIXTURE_TTL
    + """
<{base}id/plan/kumamoto> a fk:Plan ; rdfs:label "熊本市こども未来計画"@ja, "Kumamoto children's future plan"@en ;
    fk:lists <{base}id/program/kodomo-shokudo>, <{base}id/program/xss> .
<{base}id/program/kodomo-shokudo> a fk:Program ; rdfs:label "こども食堂支援"@ja, "Children's cafeteria support"@en ;
    fk:evidence [ fk:quote "こども食堂の運営を支援します。" ; fk:lineStart 412 ; fk:document <{base}graph/doc-a> ] .
<{base}id/program/xss> a fk:Program ; rdfs:label "<script>alert('x')</script>"@en .
"""
)
ROWS = "".join(f"<{BASE}id/n/{i}> <{BASE}def/value> {i} .\n" for i in range(120))
QUERIES = {
    "programs": "# title: Programs\n# description: every program with its label\n# columns: program, label\n"
    "PREFIX fk: <" + BASE + "def/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?program ?label WHERE { ?program a fk:Program ; rdfs:label ?label } ORDER BY ?program ?label\n",
    "plans": "# title: Plans\n# description: plans and what they list\n# columns: plan, program\n"
    "PREFIX fk: <" + BASE + "def/>\nSELECT ?plan ?program WHERE { ?plan fk:lists ?program } ORDER BY ?program\n",
}


def load_ttl(store: ox.Store, text: str, graph: str) -> None:
    store.load(text.replace("{base}", BASE).encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))


def make_dist(dist: Path, with_w3c_data: bool = True) -> Path:
    """A small dist/ as the build writes it: store, dumps, build report, plus queries/ and ontology/."""
    dist.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(dist / "store"))
    load_ttl(store, ONTOLOGY, BASE + "graph/ontology")
    load_ttl(store, DOCUMENT, BASE + "graph/doc-a")
    store.load(ROWS.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BASE + "graph/numbers"))
    if with_w3c_data:
        for n in (1, 2, 3):
            graph = f"http://kasei.us/2009/09/sparql/data/data{n}.rdf"
            store.load(
                path=str(W3C / "protocol" / f"data{n}.nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph)
            )
    quads = list(store.quads_for_pattern(None, None, None))
    store.flush()
    del store
    ox.serialize(quads, str(dist / "fukushi-kg.trig"), ox.RdfFormat.TRIG)
    ox.serialize(quads, str(dist / "fukushi-kg.nq"), ox.RdfFormat.N_QUADS)
    ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
        str(dist / "fukushi-kg.nt"),
        ox.RdfFormat.N_TRIPLES,
    )
    graphs: dict[str, int] = {}
    for q in quads:
        graphs[q.graph_name.value] = graphs.get(q.graph_name.value, 0) + 1
    (dist / "build-report.json").write_text(json.dumps({"triples": len(quads), "graphs": graphs, "base": BASE}))
    queries = dist.parent / "queries"
    queries.mkdir(exist_ok=True)
    for name, text in QUERIES.items():
        (queries / f"{name}.rq").write_text(text, encoding="utf-8")
    ontology = dist.parent / "ontology"
    ontology.mkdir(exist_ok=True)
    (ontology / "fukushi.ttl").write_text(ONTOLOGY.replace("{base}", BASE), encoding="utf-8")
    return dist


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    dist: Path

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)


def start_process(cmd: list[str], dist: Path, env: dict | None = None, **popen) -> Server:
    """``cmd`` (a server taking ``--port``, given here) on a free port (bench/procs.py), once it
    answers ``ASK {}``; fails fast with the child's output. ``popen``: as for ``procs.spawn``."""
    port = procs.free_port()
    log = dist.parent / f"server-{port}.log"
    process = procs.spawn([*cmd, "--port", str(port)], log, cwd=ROOT, env={**os.environ, **(env or {})}, **popen)
    try:
        procs.wait_ready(process, port, log, 60, name=" ".join(cmd[1:4]))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    return Server(f"http://{procs.HOST}:{port}", process, dist)


def start_server(dist: Path, *extra: str, env: dict | None = None, **popen) -> Server:
    """`python -m service` on a free port; waits until it answers, fails fast with the child's stderr."""
    cmd = [
        sys.executable,
        "-m",
        "fukushi_kg.service",
        "--dist",
        str(dist),
        "--base",
        BASE,
        "--queries",
        str(dist.parent / "queries"),
        "--ontology",
        str(dist.parent / "ontology"),
        *extra,
    ]
    return start_process(cmd, dist, env, **popen)


def stop_server(server: Server) -> None:
    procs.stop(server.process)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """Read-only service over the fixture data; timeout 3 s, row cap 100."""
    dist = make_dist(tmp_path_factory.mktemp("ro") / "dist")
    srv = start_server(dist, "--timeout", "3", "--row-cap", "100", "--workers", "2")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def writable_server(tmp_path_factory) -> Server:
    """Service with writes enabled by a token, over its own copy of the fixture data."""
    dist = make_dist(tmp_path_factory.mktemp("rw") / "dist")
    srv = start_server(dist, "--timeout", "10", "--workers", "1", env={"FUKUSHI_KG_WRITE_TOKEN": TOKEN})
    yield srv
    stop_server(srv)


@pytest.fixture()
def client(server) -> httpx.Client:
    with server.client() as c:
        yield c


# ------------------------------------------------------------------ page tests on real data

SEED_BASE = "https://w3id.org/fukushi-kg/"
FK = "https://w3id.org/fukushi-kg/def/"  # the ontology namespace, whatever the data's base
# A program whose every name, division, quote and note carries markup: the page must show it as text.
MARKUP = "<script>alert('x')</script><b>太字</b>"
MARKUP_TTL = f"""
@prefix fk: <{FK}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<ID/plan/p> a fk:Plan ; rdfs:label "計画 {MARKUP}"@ja .
<ID/plan/p/measure/1> a fk:Measure ; fk:inPlan <ID/plan/p> ; skos:notation "1" ; rdfs:label "施策 {MARKUP}"@ja ;
    fk:span <ID/document/d/lines/3-3> .
<ID/program/p/1-1> a fk:Program ; rdfs:label "{MARKUP}"@ja ; skos:altLabel "<img src=x onerror=alert(1)>" ;
    fk:hasListing <ID/plan/p/listing/1-1> ; fk:servesTargetGroup <FK/target-group/children> .
<ID/plan/p/listing/1-1> a fk:Listing ; rdfs:label "{MARKUP}"@ja ; fk:nameAsPrinted "{MARKUP}（再2.1）" ;
    fk:listingOf <ID/program/p/1-1> ; fk:inPlan <ID/plan/p> ; fk:listedUnder <ID/plan/p/measure/1> ; skos:notation "1/1" ;
    fk:responsibleDivision <ID/org/c/div> ; fk:divisionAsPrinted "<i>課</i>" ; fk:readingNote "note <u>x</u>" ;
    fk:nameSpan <ID/document/d/lines/3-3> ; fk:description "説明 <a href='javascript:alert(1)'>x</a>"@ja .
<ID/org/c/div> a org:OrganizationalUnit ; skos:prefLabel "<em>課</em>"@ja .
<ID/plan/p/listing/1-1/target-group/children/name> a fk:TargetGroupClassification ;
    fk:classifiedListing <ID/plan/p/listing/1-1> ; fk:targetGroup <FK/target-group/children> ;
    fk:evidenceKind "name" ; fk:matchedText "<script>こども</script>"@ja ; fk:evidenceSpan <ID/document/d/lines/3-3> .
<FK/target-group/children> skos:prefLabel "こども <s>x</s>"@ja .
<ID/document/d> a fk:SourceDocument ; rdfs:label "文書 {MARKUP}"@ja ; fk:textFile "../../../etc/passwd" .
<ID/document/d/lines/3-3> a fk:SourceSpan ; fk:document <ID/document/d> ; fk:lineStart 3 ; fk:lineEnd 3 ;
    fk:quotedText "{MARKUP}（再2.1）" .
"""


def start_seed_server(dist: Path, *extra: str) -> Server:
    """The service over a build under the default base, with the repository's queries and ontology."""
    return start_server(
        dist, "--base", SEED_BASE, "--queries", str(ROOT / "queries"), "--ontology", str(ROOT / "ontology"), *extra
    )


@pytest.fixture(scope="session")
def seed_server(seed_build) -> Server:
    """The service over the session's real build of the seed documents."""
    srv = start_seed_server(seed_build[0], "--workers", "2")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def markup_server(tmp_path_factory) -> Server:
    """The service over a few resources whose literals are markup."""
    dist = tmp_path_factory.mktemp("markup") / "dist"
    dist.mkdir(parents=True)
    store = ox.Store(str(dist / "store"))
    ttl = MARKUP_TTL.replace("<ID/", f"<{BASE}id/").replace("<FK/", f"<{FK}")
    store.load(ttl.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BASE + "graph/markup"))
    store.flush()
    del store
    srv = start_server(dist, "--workers", "1")
    yield srv
    stop_server(srv)
