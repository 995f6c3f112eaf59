"""Shortcuts (graph/shortcuts/): every named query answers as it did before it read them.

``fixtures/queries-before/`` holds the named queries as they were before the shortcuts (they
compute everything from the facts); each must give the same answers as its rewritten form in
queries/ on the seed build and on a small synthetic graph (bench/synth.py, which writes the
shortcuts municipality by municipality through the same ``compute``).
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from fukushi_kg import resources
from fukushi_kg.graph import shortcuts
from fukushi_kg.graph.queries import list_queries, run
from fukushi_kg.graph.rdf import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[2]
BEFORE = Path(__file__).parent / "fixtures" / "queries-before"
SHORTCUTS = ox.NamedNode(DEFAULT_BASE + shortcuts.GRAPH)
FK = "https://w3id.org/fukushi-kg/def/"


def _answers(store: ox.Store, text: str) -> tuple[list[str], Counter]:
    variables, rows = run(store, text)
    return variables, Counter(tuple(str(t) if t is not None else None for t in row) for row in rows)


def _same_answers(store: ox.Store) -> dict[str, int]:
    """Row count of each named query, after asserting the old and new texts answer alike."""
    counts = {}
    for q in list_queries():
        before = (BEFORE / f"{q.name}.rq").read_text("utf-8")
        old_vars, old_rows = _answers(store, before)
        new_vars, new_rows = _answers(store, q.text)
        assert new_vars == old_vars, q.name
        assert new_rows == old_rows, f"{q.name}: {len(old_rows)} rows before, {len(new_rows)} after"
        counts[q.name] = sum(old_rows.values())
        for param in q.parameters:  # every other value of each parameter, set as NamedQuery.bind sets it
            for value in param.choices[1:]:
                line = param.values_clause()
                set_to = f'VALUES ?{param.name} {{ "{value}" }}'
                old_bound, new_bound = line.sub(set_to, before, count=1), q.bind({param.name: value})
                assert _answers(store, new_bound) == _answers(store, old_bound), f"{q.name} {param.name}={value}"
    return counts


def test_every_named_query_has_its_before_copy():
    assert {q.name for q in list_queries()} == {p.stem for p in BEFORE.glob("*.rq")}


def test_seed_answers_unchanged(seed_store):
    counts = _same_answers(seed_store)
    # the comparison means something: the queries that read shortcuts answer rows on the seed
    for name in ("programs", "programs-by-division", "spending", "indicators", "kurume-indicators"):
        assert counts[name] > 0, name


@pytest.fixture(scope="module")
def synthetic() -> ox.Store:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import synth

    out = io.StringIO()
    synth.generate(out, 10_000, seed=3)
    store = ox.Store()
    store.load(out.getvalue(), ox.RdfFormat.N_QUADS)
    return store


def test_synthetic_answers_unchanged(synthetic):
    counts = _same_answers(synthetic)
    assert all(counts[q.name] > 0 for q in list_queries()), counts


def test_synthetic_shortcuts_are_those_of_the_whole_graph(synthetic):
    """bench/synth.py computes them a municipality at a time; a build computes them at once."""
    written = set(synthetic.quads_for_pattern(None, None, None, SHORTCUTS))
    whole = ox.Store()
    whole.bulk_extend(q for q in synthetic if q.graph_name != SHORTCUTS)
    assert written and set(shortcuts.compute(whole, DEFAULT_BASE)) == written


def test_build_keeps_shortcuts_in_their_graph_with_declared_properties(seed_build, seed_store):
    _, report = seed_build
    assert report.graphs.get(DEFAULT_BASE + shortcuts.GRAPH, 0) > 0
    predicates = {q.predicate.value for q in seed_store.quads_for_pattern(None, None, None, SHORTCUTS)}
    ontology = Graph().parse(resources.ONTOLOGY)
    for p in predicates:
        node = URIRef(p)
        assert p.startswith(FK), p
        assert {(node, RDF.type, OWL.ObjectProperty), (node, RDF.type, OWL.DatatypeProperty)} & set(
            ontology.triples((node, RDF.type, None))
        ), p
        assert {lbl.language for lbl in ontology.objects(node, RDFS.label)} >= {"ja", "en"}, p
    # nothing outside the shortcuts graph was derived
    assert not any(
        q.predicate.value in {FK + "nameLine", FK + "planList"} and q.graph_name != SHORTCUTS
        for q in seed_store.quads_for_pattern(None, None, None, None)
    )
