"""SHACL shapes: defects a reviewer cares about fail validation with a message naming node and line."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from fukushi_kg.graph import rdf, validate
from fukushi_kg.graph.vocab import FK, NS


def _graph(tiny) -> Graph:
    ds, _ = rdf.to_dataset(tiny, match_table=None)
    g = Graph()
    for part in ds.graphs():
        g += part
    return g


def test_the_tiny_graph_conforms(tiny):
    assert validate.validate(_graph(tiny)) == []


def test_dangling_relisting_fails_naming_node_and_line(tiny):
    child = tiny[0][1]
    child.listings[0].relisted_at = ["9.9.9"]  # no listing there
    findings = [f for f in validate.validate(_graph(tiny)) if "dangling" in f.message]
    # both copies now dangle: 1.1.1 points at 9.9.9, and 2.1.3's （再1.1.1） finds no marker pointing back
    assert sorted(f.focus.rsplit("/", 1)[-1] for f in findings) == ["1.1.1-1", "2.1.3-1"]
    f = next(f for f in findings if f.focus.endswith("1.1.1-1"))
    assert f.severity == "Violation"
    assert f.focus.endswith("/listing/1.1.1-1")
    assert "line 128" in f.message and "9.9.9" in f.message and "こどもの学習支援事業" in f.message


def test_program_without_responsible_party_fails_naming_node_and_line(tiny):
    welfare = tiny[1][1]
    welfare.listings[0].lead = []
    findings = [f for f in validate.validate(_graph(tiny)) if "no responsible division" in f.message]
    assert [f.focus.rsplit("/", 2)[-2:] for f in findings] == [["listing", "1-1"]]
    assert "line 1769" in findings[0].message


def test_not_measured_observation_with_a_value_fails(tiny):
    g = _graph(tiny)
    obs = URIRef(
        "https://w3id.org/fukushi-kg/id/plan/kumamoto-child-future-action-plan/indicator/plan-elementary/actual-2020"
    )
    g.add((obs, FK.value, Literal(0)))
    messages = [f.message for f in validate.validate(g)]
    assert any("not measured" in m and "－" in m for m in messages)


def test_sdg_goal_outside_1_to_17_fails(tiny):
    g = _graph(tiny)
    g.add(
        (
            URIRef("https://w3id.org/fukushi-kg/id/plan/kumamoto-regional-welfare-plan-5"),
            FK.sdgGoal,
            URIRef("http://metadata.un.org/sdg/18"),
        )
    )
    assert any("SDG" in f.message for f in validate.validate(g))


def test_a_grade_outside_a_to_d_fails(tiny):
    g = _graph(tiny)
    listing = URIRef("https://w3id.org/fukushi-kg/id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1")
    not_a_grade = URIRef(NS + "grade/E")  # FK["grade/E"] raises: the ontology has no such grade
    g.add((listing, FK.selfEvaluation, not_a_grade))
    assert any("A–D" in f.message for f in validate.validate(g))


def test_the_old_string_valued_and_prov_misuses_fail(tiny):
    from rdflib import RDF
    from rdflib.namespace import DCTERMS, PROV

    g = _graph(tiny)
    doc = next(g.subjects(RDF.type, FK.SourceDocument))
    g.add((doc, DCTERMS.publisher, Literal("熊本市", lang="ja")))
    city = URIRef("https://w3id.org/fukushi-kg/id/org/kumamoto-city")
    g.add((city, DCTERMS.spatial, Literal("熊本県", lang="ja")))
    match = URIRef("https://w3id.org/fukushi-kg/id/program-match/x")
    g.add((match, RDF.type, FK.ProgramMatch))
    g.add((match, PROV.generated, URIRef("https://w3id.org/fukushi-kg/id/program/x")))
    messages = " | ".join(f.message for f in validate.validate(g) if f.severity == "Violation")
    assert "publisher is an organisation resource" in messages
    assert "dct:spatial is an area IRI" in messages
    assert "prov:generated" in messages and "prov:wasGeneratedBy" in messages
