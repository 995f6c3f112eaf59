"""Dataset -> files: deterministic quads and the dump formats.

The same input must give byte-identical files. rdflib's blank-node labels are random, so each
graph is first put in canonical form (``rdflib.compare.to_canonical_graph``), then its quads are
converted to Oxigraph terms and sorted by their N-Quads text; every writer serialises that one
sorted list.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.compare import to_canonical_graph

from fukushi_kg import resources
from fukushi_kg.graph import jsonld, vocab

PREFIXES = {
    "fk": vocab.NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "qb": "http://purl.org/linked-data/cube#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "sdg": "http://metadata.un.org/sdg/",
}


def _term(t, graph_id: str):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        # canonical labels are unique within one graph only: qualify them by the graph
        return ox.BlankNode(f"{graph_id}{t}")
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"unexpected RDF term {t!r}")


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of the named graphs, with canonical blank nodes, in a fixed order."""
    quads = []
    for n, g in enumerate(sorted(ds.graphs(), key=lambda g: str(g.identifier))):
        if not isinstance(g.identifier, URIRef) or len(g) == 0:
            continue
        triples = list(g)  # read once: rdflib's iteration is the slow part
        if any(isinstance(x, BNode) for t in triples for x in t):
            triples = list(to_canonical_graph(g))
        gid = ox.NamedNode(str(g.identifier))
        prefix = f"g{n}"
        for s, p, o in triples:
            quads.append(ox.Quad(_term(s, prefix), _term(p, prefix), _term(o, prefix), gid))
    quads.sort(key=str)
    return quads


def ntriples(quads: list[ox.Quad]) -> bytes:
    """The N-Triples dump of ``quads``: the union of their graphs, each triple once, sorted."""
    return ox.serialize(sorted({q.triple for q in quads}, key=str), format=ox.RdfFormat.N_TRIPLES) or b""


def write_dumps(
    quads: list[ox.Quad],
    dist: Path,
    stem: str = "fukushi-kg",
    nt: bytes | None = None,
    written: Callable[[Path], object] | None = None,
) -> dict[str, Path]:
    """TriG, N-Quads, N-Triples (the union of the graphs) and JSON-LD dumps of ``quads``; the JSON-LD is
    compact, with the context of ``/context.jsonld`` (the ontology's prefixes) inline. ``nt``: the
    N-Triples made already (``ntriples(quads)``), written as it is. ``written`` is called with each
    file once it is complete (the build compresses it while the next one is made)."""
    out = {
        "trig": dist / f"{stem}.trig",
        "nq": dist / f"{stem}.nq",
        "nt": dist / f"{stem}.nt",
        "jsonld": dist / f"{stem}.jsonld",
    }
    done = written or (lambda path: None)
    ox.serialize(quads, out["trig"], ox.RdfFormat.TRIG, prefixes=PREFIXES)
    done(out["trig"])
    ox.serialize(quads, out["nq"], ox.RdfFormat.N_QUADS)
    done(out["nq"])
    out["nt"].write_bytes(ntriples(quads) if nt is None else nt)
    done(out["nt"])
    expanded = ox.serialize(quads, format=ox.RdfFormat.JSON_LD) or b""  # bytes when no output is named
    try:
        out["jsonld"].write_bytes(jsonld.compact(expanded, jsonld.prefixes(resources.ONTOLOGY_DIR)) + b"\n")
    except jsonld.NotCompactable:  # an IRI a prefix would misread: the expanded form, as Oxigraph writes it
        out["jsonld"].write_bytes(expanded)
    done(out["jsonld"])
    return out
