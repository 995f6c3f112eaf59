"""Shortcuts: facts derived from the converted graph at build time, so the named queries read
them instead of recomputing them per request.

Each shortcut is a SPARQL CONSTRUCT over the union of the graphs, kept in ``<name>.rq`` next to
this module (package data), with the very expressions the named queries used to evaluate
(queries/*.rq before issue 17; tests/graph/fixtures/queries-before keeps them and
tests/graph/test_shortcuts.py compares the answers). Their triples go to their own named graph
(``graph/shortcuts``); the ontology declares every property. The build adds them to its sorted
quads (``extend``), so the dumps, the store, the SPARQL constraints and HermiT see them; no shape
of shapes/ targets them, so pySHACL's core constraints run on the converted facts alone.
``bench/synth.py`` goes through the same ``compute``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg.graph import vocab

GRAPH = "graph/shortcuts"

_PREFIXES = f"""PREFIX fk: <{vocab.NS}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX kind: <{vocab.NS}observation-kind/>
"""

HERE = Path(__file__).resolve().parent

#: name -> CONSTRUCT: ``<name>.rq`` next to this module, each documented with its properties in
#: ontology/fukushi.ttl
CONSTRUCTS: dict[str, str] = {p.stem: p.read_text(encoding="utf-8") for p in sorted(HERE.glob("*.rq"))}

#: the shortcuts that rank every resource of a kind: computed over the whole graph only
#: (bench/synth.py computes them after its last municipality, from every plan and unit it wrote)
WHOLE_GRAPH = frozenset({"planOrder", "divisionOrder"})


def compute(
    store: ox.Store, base: str, only: Iterable[ox.NamedNode] | None = None, names: Iterable[str] | None = None
) -> list[ox.Quad]:
    """The shortcut quads of the graph held by ``store`` (the union of its graphs), in the
    ``graph/shortcuts`` graph of ``base``. ``only``, when given, keeps the quads whose subject is
    one of those nodes (bench/synth.py computes a municipality at a time); ``names``, when given,
    the shortcuts to compute (all by default)."""
    g = ox.NamedNode(base + GRAPH)
    keep = set(only) if only is not None else None
    out: set[ox.Quad] = set()
    chosen = set(CONSTRUCTS) if names is None else set(names)
    for name, query in CONSTRUCTS.items():
        if name not in chosen:
            continue
        triples = store.query(_PREFIXES + query, use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        for t in triples:
            if keep is None or t.subject in keep:
                out.add(ox.Quad(t.subject, t.predicate, t.object, g))
    return sorted(out, key=str)


def extend(quads: list[ox.Quad], base: str, store: ox.Store | None = None) -> list[ox.Quad]:
    """``quads`` (the build's sorted quads, graph/serialize.py) followed by their shortcuts, in
    their own named graph, sorted the same way (a fixed order, so the dumps stay byte-identical).
    ``store``, when given, is an empty in-memory store that ends up holding all of them (the
    build validates on it)."""
    store = store if store is not None else ox.Store()
    store.bulk_extend(quads)
    derived = compute(store, base)
    store.bulk_extend(derived)
    return [*quads, *derived]
