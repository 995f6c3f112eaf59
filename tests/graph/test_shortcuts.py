"""Shortcuts (graph/shortcuts/): every named query answers as it did before it read them.

``fixtures/queries-before/`` holds the named queries as they were before the shortcuts (they
compute everything from the facts), ``fixtures/queries-shortcuts-first/`` as they first read
them (before the hash-joined sub-selects and the integer sort keys fk:planOrder and
fk:divisionOrder); each must give the same answers as its form in queries/ on the seed build and
on a small synthetic graph (bench/synth.py, which writes the shortcuts municipality by
municipality through the same ``compute``), and a query that sorts on a rank instead of a name
must give its rows in the same order.
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
FIXTURES = Path(__file__).parent / "fixtures"
EARLIER = ("queries-before", "queries-shortcuts-first")  # oldest first
# the sort keys of the queries that sort on a shortcut's rank: the rows come in the order of these
# columns as they did (rows equal in them may come in any order, as before)
ORDER = {"programs": ("plan", "line"), "programs-by-division": ("division_label", "line")}
SHORTCUTS = ox.NamedNode(DEFAULT_BASE + shortcuts.GRAPH)
FK = "https://w3id.org/fukushi-kg/def/"


def _answers(store: ox.Store, text: str) -> tuple[list[str], Counter]:
    variables, rows = run(store, text)
    return variables, Counter(tuple(str(t) if t is not None else None for t in row) for row in rows)


def _order(store: ox.Store, text: str, columns: tuple[str, ...]) -> list[tuple]:
    variables, rows = run(store, text)
    at = [variables.index(c) for c in columns]
    return [tuple(str(row[i]) for i in at) for row in rows]


def _same_answers(store: ox.Store, earlier: str) -> dict[str, int]:
    """Row count of each named query, after asserting the earlier and current texts answer alike."""
    counts = {}
    for q in list_queries():
        before = (FIXTURES / earlier / f"{q.name}.rq").read_text("utf-8")
        old_vars, old_rows = _answers(store, before)
        new_vars, new_rows = _answers(store, q.text)
        assert new_vars == old_vars, q.name
        assert new_rows == old_rows, f"{q.name}: {len(old_rows)} rows before, {len(new_rows)} after"
        if q.name in ORDER:
            assert _order(store, q.text, ORDER[q.name]) == _order(store, before, ORDER[q.name]), q.name
        counts[q.name] = sum(old_rows.values())
        for param in q.parameters:  # every other value of each parameter, set as NamedQuery.bind sets it
            for value in param.choices[1:]:
                line = param.values_clause()
                set_to = f'VALUES ?{param.name} {{ "{value}" }}'
                old_bound, new_bound = line.sub(set_to, before, count=1), q.bind({param.name: value})
                assert _answers(store, new_bound) == _answers(store, old_bound), f"{q.name} {param.name}={value}"
    return counts


@pytest.mark.parametrize("earlier", EARLIER)
def test_every_named_query_has_its_earlier_copies(earlier):
    assert {q.name for q in list_queries()} == {p.stem for p in (FIXTURES / earlier).glob("*.rq")}


def test_the_latest_copies_differ_where_the_queries_were_rewritten():
    """The comparison with the latest copies means something: most queries changed since."""
    changed = {q.name for q in list_queries() if (FIXTURES / EARLIER[-1] / f"{q.name}.rq").read_text("utf-8") != q.text}
    assert {"programs", "programs-by-division", "program-spending-and-places", "relisted-programs"} <= changed


@pytest.mark.parametrize("earlier", EARLIER)
def test_seed_answers_unchanged(seed_store, earlier):
    counts = _same_answers(seed_store, earlier)
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


@pytest.mark.parametrize("earlier", EARLIER)
def test_synthetic_answers_unchanged(synthetic, earlier):
    counts = _same_answers(synthetic, earlier)
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
