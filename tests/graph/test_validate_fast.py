"""The build's SHACL validation runs each SPARQL constraint once over the whole graph on Oxigraph;
its findings must be pySHACL's own (per focus node, on rdflib), on the seed graph and on a copy of
it that breaks every SPARQL constraint of shapes/ and some core constraints."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from fukushi_kg.graph import shacl_sparql, validate
from fukushi_kg.graph.vocab import FK

OS = Namespace("https://w3id.org/fukushi-kg/def/observation-status/")


def _seed_graph(seed_build) -> Graph:
    g = Graph()
    g.parse(seed_build[0] / "fukushi-kg.nt", format="nt")
    return g


def _first(g: Graph, query: str):
    return next(iter(g.query("PREFIX fk: <https://w3id.org/fukushi-kg/def/>\n" + query)))


def _break_everything(g: Graph) -> None:
    # a listing with neither a division nor a lead actor (not a re-listing)
    (listing,) = _first(
        g,
        "SELECT ?l WHERE { ?l a fk:Listing ; fk:responsibleDivision ?d . FILTER NOT EXISTS { ?l a fk:Relisting } } "
        "ORDER BY ?l LIMIT 1",
    )
    g.remove((listing, FK.responsibleDivision, None))
    g.remove((listing, FK.leadActor, None))
    # a dangling re-listing marker
    g.add((listing, FK.printedRelistingCode, Literal("9.9.9")))
    # a program neither listed nor reported, a classification of nothing, an indicator without observations
    g.add((URIRef("urn:test:program"), RDF.type, FK.Program))
    g.add((URIRef("urn:test:program"), RDFS.label, Literal("どこにもない事業", lang="ja")))
    g.add((URIRef("urn:test:classification"), RDF.type, FK.TargetGroupClassification))
    g.add((URIRef("urn:test:indicator"), RDF.type, FK.Indicator))
    # a not-measured observation that carries a value
    (obs,) = _first(
        g, "SELECT ?o WHERE { ?o fk:observationStatus ?s ; fk:value ?v ; fk:valueAsPrinted ?r } ORDER BY ?o LIMIT 1"
    )
    g.remove((obs, FK.observationStatus, None))
    g.add((obs, FK.observationStatus, OS["not-measured"]))
    # a result whose yen amount disagrees with its amount and unit
    (result, yen) = _first(
        g, "SELECT ?r ?y WHERE { ?r fk:amount ?a ; fk:amountUnit ?u ; fk:amountYen ?y } ORDER BY ?r LIMIT 1"
    )
    g.remove((result, FK.amountYen, yen))
    g.add((result, FK.amountYen, Literal(int(yen) + 1, datatype=XSD.integer)))


def test_seed_graph_conforms_in_both(seed_build):
    g = _seed_graph(seed_build)
    assert validate.validate(g) == [] == validate.validate_with_pyshacl(g)


def test_every_sparql_constraint_finds_what_pyshacl_finds(seed_build):
    g = _seed_graph(seed_build)
    _break_everything(g)
    shapes = validate.load_shapes()  # one copy: the shapes' blank nodes name property shapes in both
    fast = validate.validate(g, shapes)
    reference = validate.validate_with_pyshacl(g, shapes)
    assert fast == reference
    # every SPARQL constraint of shapes/ fired (so the comparison covers each of them)
    _, constraints = shacl_sparql.split(shapes)
    fired = {f.shape for f in fast}
    assert {c.shape for c in constraints} <= fired
    assert len(constraints) >= 7
    messages = " | ".join(f.message for f in fast)
    for words in (
        "no responsible division",
        "dangling",
        "neither listed",
        "does not say what it classifies",
        "has no observations",
        "not measured must stay distinct",
        "should be",
    ):
        assert words in messages


def test_constraints_pyshacl_must_run_stay_in_the_shapes_graph():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s:node> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this <urn:p> ?x }" ] .
        <urn:s:prop> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:path <urn:p> ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this $PATH ?x }" ] .
        <urn:s:shapes-graph> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:sparql [ sh:select "SELECT $this WHERE { GRAPH $shapesGraph { ?s ?p ?o } }" ] .
        """,
        format="turtle",
    )
    core, found = shacl_sparql.split(shapes)
    assert [c.shape for c in found] == ["urn:s:node"]
    assert len(list(core.triples((None, URIRef("http://www.w3.org/ns/shacl#sparql"), None)))) == 2


def test_message_templates_fill_like_pyshacl():
    assert shacl_sparql.fill("{$this} at line {?line}, {?missing}", {"this": "urn:x", "line": "12"}) == (
        "urn:x at line 12, {?missing}"
    )
