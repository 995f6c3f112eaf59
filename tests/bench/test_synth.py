"""bench/synth.py: deterministic by seed, the size asked for, conforming to shapes/, and answering the named queries."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402

SMALL = 12_000  # the reference graphs alone are ~2,900 quads (labels with their search forms)


def generate(size: int, seed: int = 0) -> str:
    out = io.StringIO()
    synth.generate(out, size, seed)
    return out.getvalue()


@pytest.fixture(scope="module")
def small() -> str:
    return generate(SMALL)


def test_same_seed_same_bytes(small):
    assert generate(SMALL) == small


def test_other_seed_other_data(small):
    assert generate(SMALL, seed=1) != small


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_requested_order_of_magnitude(size):
    text = generate(size)
    n = text.count("\n")
    assert size <= n < 2 * size
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == n
    assert len(set(quads)) == n, "a quad is written twice"


def test_many_municipalities_and_both_plan_kinds(small):
    store = ox.Store()
    store.load(small.encode(), format=ox.RdfFormat.N_QUADS)
    fk = "https://w3id.org/fukushi-kg/def/"

    def count(where: str) -> int:
        q = f"PREFIX fk: <{fk}> SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
        return int(next(iter(store.query(q, use_default_graph_as_union=True)))["n"].value)

    assert count("?x a fk:Plan ; fk:city ?c") >= 6
    assert count("?p fk:city ?x") >= 3
    assert count("?x a fk:Measure") > 0 and count("?x a fk:Initiative") > 0
    assert count("?x fk:isRelistingOf ?y . ?y fk:relistedWith ?x . ?x fk:relistedWith ?y") > 0
    assert count("?x a fk:ProgramMatch") > 0
    assert count("?x a fk:TargetGroupClassification") > 0
    assert count("?x a <http://purl.org/linked-data/cube#Observation> ; fk:observationKind ?k") > 0


@pytest.mark.slow
def test_conforms_to_shapes(small):
    from rdflib import Dataset, Graph

    from fukushi_kg.graph import validate

    ds = Dataset()
    ds.parse(data=small, format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    findings = [f for f in validate.validate(g) if f.severity == "Violation"]
    assert not findings, "\n".join(str(f) for f in findings[:20])


def test_named_queries_return_rows(small):
    from fukushi_kg.graph.queries import list_queries, run

    store = ox.Store()
    store.load(small.encode(), format=ox.RdfFormat.N_QUADS)
    empty = [q.name for q in list_queries() if not run(store, q.text)[1]]
    assert not empty, f"named queries with no rows on synthetic data: {empty}"
