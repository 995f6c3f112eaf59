"""Machine-readable descriptions: the SPARQL Service Description and the VoID + DCAT dataset description."""

from __future__ import annotations

import pyoxigraph as ox

from fukushi_kg.service import formats
from fukushi_kg.service.runtime import Runtime

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = "http://www.w3.org/ns/formats/"
PREFIXES = {"sd": SD, "void": VOID, "dcat": DCAT, "dct": DCT, "rdf": RDF, "xsd": XSD, "formats": FORMATS}

RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
]
DUMPS = {"trig": formats.TRIG, "nt": formats.NTRIPLES, "nq": formats.NQUADS, "jsonld": formats.JSONLD}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(XSD + "integer"))


def _serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    return (
        ox.serialize(triples, format=formats.RDF_FORMATS[media_type], prefixes=PREFIXES) or b""
    )  # bytes without an output


def service_description(rt: Runtime, endpoint: str, media_type: str) -> bytes:
    """sd:Service for ``endpoint``: languages, result formats, features and the default dataset."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    t = [
        ox.Triple(service, _n(RDF + "type"), _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), _n(endpoint)),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(SD + "defaultEntailmentRegime"), _n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, _n(RDF + "type"), _n(SD + "Dataset")),
        ox.Triple(dataset, _n(DCT + "source"), _n(rt.settings.base)),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, _n(RDF + "type"), _n(SD + "Graph")),
        ox.Triple(default, _n(VOID + "triples"), _int(rt.triples)),
    ]
    if rt.settings.write_token:
        t.append(ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    if rt.settings.allow:
        t.append(ox.Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    for name in RESULT_FORMATS:
        t.append(ox.Triple(service, _n(SD + "resultFormat"), _n(FORMATS + name)))
    for i, (graph, count) in enumerate(sorted(rt.graphs.items())):
        named = ox.BlankNode(f"named{i}")
        described = ox.BlankNode(f"graph{i}")
        t += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, _n(RDF + "type"), _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(graph)),
            ox.Triple(named, _n(SD + "graph"), described),
            ox.Triple(described, _n(RDF + "type"), _n(SD + "Graph")),
            ox.Triple(described, _n(VOID + "triples"), _int(count)),
        ]
    return _serialize(t, media_type)


def dataset_iri(rt: Runtime) -> str:
    return rt.settings.base + "id/dataset"


def dataset_description(rt: Runtime, root: str, examples: list[str], media_type: str) -> bytes:
    """void:Dataset + dcat:Dataset: counts, named graphs as subsets, examples, endpoint, downloadable dumps."""
    ds = _n(dataset_iri(rt))
    base = rt.settings.base
    report = rt.report or {}
    t = [
        ox.Triple(ds, _n(RDF + "type"), _n(VOID + "Dataset")),
        ox.Triple(ds, _n(RDF + "type"), _n(DCAT + "Dataset")),
        ox.Triple(ds, _n(DCT + "title"), ox.Literal("福祉計画ナレッジグラフ", language="ja")),
        ox.Triple(
            ds,
            _n(DCT + "title"),
            ox.Literal("fukushi-kg: Japanese municipal welfare plans knowledge graph", language="en"),
        ),
        ox.Triple(ds, _n(VOID + "triples"), _int(rt.triples)),
        ox.Triple(ds, _n(VOID + "sparqlEndpoint"), _n(root + "sparql")),
        ox.Triple(ds, _n(VOID + "uriSpace"), ox.Literal(base + "id/")),
        ox.Triple(ds, _n(VOID + "vocabulary"), _n(base + "def/")),
        ox.Triple(ds, _n(DCT + "license"), _n("https://opensource.org/licenses/MIT")),
    ]
    service = _n(root + "sparql")
    t += [
        ox.Triple(ds, _n(DCAT + "accessService"), service),
        ox.Triple(service, _n(RDF + "type"), _n(DCAT + "DataService")),
        ox.Triple(service, _n(DCAT + "endpointURL"), service),
        ox.Triple(service, _n(DCT + "conformsTo"), _n("https://www.w3.org/TR/sparql11-protocol/")),
    ]
    if report.get("base") or report.get("triples") is not None:
        t.append(ox.Triple(ds, _n(DCT + "description"), ox.Literal(f"build report: {report.get('triples')} triples")))
    for ext, mt in DUMPS.items():
        url = _n(f"{root}dumps/fukushi-kg.{ext}")
        dist = ox.BlankNode(f"dist_{ext}")
        t += [
            ox.Triple(ds, _n(VOID + "dataDump"), url),
            ox.Triple(ds, _n(DCAT + "distribution"), dist),
            ox.Triple(dist, _n(RDF + "type"), _n(DCAT + "Distribution")),
            ox.Triple(dist, _n(DCAT + "downloadURL"), url),
            ox.Triple(dist, _n(DCAT + "mediaType"), _n("https://www.iana.org/assignments/media-types/" + mt)),
        ]
    for ex in examples:
        t.append(ox.Triple(ds, _n(VOID + "exampleResource"), _n(ex)))
    for graph, count in sorted(rt.graphs.items()):
        g = _n(graph)
        t += [
            ox.Triple(ds, _n(VOID + "subset"), g),
            ox.Triple(g, _n(RDF + "type"), _n(VOID + "Dataset")),
            ox.Triple(g, _n(VOID + "triples"), _int(count)),
        ]
    return _serialize(t, media_type)
