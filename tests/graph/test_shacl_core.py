"""graph/shacl_core.py: each SHACL-Core constraint compiled into a may-fail ASK on Oxigraph.

Every kind of constraint is compiled (not left as "may fail") and its ASK fires on data that
breaks it and stays quiet on data that does not; validate() (which gives pySHACL only the shapes
that may fail) finds exactly what pySHACL finds with all the shapes, on hand-made cases, on
literals Oxigraph stores in another form, and on random mutations of a seed-like graph; the
conforming seed build leaves pySHACL nothing to run.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from fukushi_kg.graph import rdf, shacl_core, shacl_sparql, validate
from fukushi_kg.graph.vocab import FK

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""
DATA = (
    PREFIXES
    + """
ex:Sub rdfs:subClassOf ex:Thing .
ex:Other a ex:Kind .
"""
)


def _shapes(body: str) -> Graph:
    g = Graph()
    g.parse(data=PREFIXES + body, format="turtle")
    return g


def _data(body: str) -> Graph:
    g = Graph()
    g.parse(data=DATA + body, format="turtle")
    return g


def _store(g: Graph) -> ox.Store:
    store = ox.Store()
    store.load(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def _may_fail(shapes: Graph, data: Graph) -> list[bool]:
    store = _store(data)
    altered = shacl_core.altered_predicates([data], store, shacl_core.path_predicates(shapes))
    found = shacl_core.checks(shapes, altered)
    assert found, "no check compiled"
    return [c.may_fail(store) for c in found]


# (shape's constraints, data that breaks them, data that keeps them); ex:a is the focus node
CASES = {
    "minCount": ("sh:property [ sh:path ex:p ; sh:minCount 2 ]", "ex:a ex:p 1 .", "ex:a ex:p 1, 2 ."),
    "minCount 1": ("sh:property [ sh:path ex:p ; sh:minCount 1 ]", "ex:a ex:q 1 .", "ex:a ex:p 1 ."),
    "maxCount": ("sh:property [ sh:path ex:p ; sh:maxCount 1 ]", "ex:a ex:p 1, 2 .", "ex:a ex:p 1 ."),
    "maxCount 0": ("sh:property [ sh:path ex:p ; sh:maxCount 0 ]", "ex:a ex:p 1 .", "ex:a ex:q 1 ."),
    "datatype integer": (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:integer ]",
        'ex:a ex:p "x"^^xsd:integer .',
        "ex:a ex:p 12 .",
    ),
    "datatype integer, a string": (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:integer ]",
        'ex:a ex:p "12" .',
        "ex:a ex:p -3 .",
    ),
    "datatype decimal": (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:decimal ]",
        "ex:a ex:p 1 .",
        "ex:a ex:p 1.5 .",
    ),
    "datatype string": (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:string ]",
        'ex:a ex:p "x"@ja .',
        'ex:a ex:p "x" .',
    ),
    "datatype gYear": (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:gYear ]",
        'ex:a ex:p "2020" .',
        'ex:a ex:p "2020"^^xsd:gYear .',
    ),
    "datatype date": (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:date ]",
        'ex:a ex:p "2020-02-30"^^xsd:date .',
        'ex:a ex:p "2020-02-29"^^xsd:date .',
    ),
    "class": ("sh:property [ sh:path ex:p ; sh:class ex:Thing ]", "ex:a ex:p ex:Other .", "ex:a ex:p [ a ex:Sub ] ."),
    "nodeKind": ("sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ]", 'ex:a ex:p "ex:b" .', "ex:a ex:p ex:b ."),
    "in": (
        'sh:property [ sh:path ex:p ; sh:in ( ex:x "name" true 3 ) ]',
        'ex:a ex:p "other" .',
        'ex:a ex:p ex:x, "name", true, 3 .',
    ),
    "pattern": (
        'sh:property [ sh:path ex:p ; sh:pattern "^[0-9]{6}$" ]',
        'ex:a ex:p "12345" .',
        'ex:a ex:p "123456" .',
    ),
    "minInclusive": ("sh:property [ sh:path ex:p ; sh:minInclusive 1 ]", "ex:a ex:p 0 .", "ex:a ex:p 1, 2.5 ."),
    "maxExclusive": ("sh:property [ sh:path ex:p ; sh:maxExclusive 10 ]", "ex:a ex:p 10 .", "ex:a ex:p 9 ."),
    "hasValue": ("sh:property [ sh:path ex:p ; sh:hasValue ex:x ]", "ex:a ex:p ex:y .", "ex:a ex:p ex:x, ex:y ."),
    "languageIn": (
        'sh:property [ sh:path ex:p ; sh:languageIn ( "ja" ) ]',
        'ex:a ex:p "x"@en .',
        'ex:a ex:p "x"@ja, "y"@ja-jp .',
    ),
    "minLength": ("sh:property [ sh:path ex:p ; sh:minLength 3 ]", 'ex:a ex:p "ab" .', 'ex:a ex:p "福祉計画" .'),
    "lessThanOrEquals": (
        "sh:property [ sh:path ex:p ; sh:lessThanOrEquals ex:q ]",
        "ex:a ex:p 5 ; ex:q 4 .",
        "ex:a ex:p 4 ; ex:q 4 .",
    ),
    "or of datatypes": (
        "sh:property [ sh:path ex:p ; sh:or ( [ sh:datatype xsd:gYear ] [ sh:datatype xsd:date ] ) ]",
        'ex:a ex:p "2020-01" .',
        'ex:a ex:p "2020"^^xsd:gYear, "2020-01-02"^^xsd:date .',
    ),
    "not": ("sh:property [ sh:path ex:p ; sh:not [ sh:nodeKind sh:Literal ] ]", "ex:a ex:p 1 .", "ex:a ex:p ex:b ."),
    "node-level class": ("sh:class ex:Kind", "ex:a ex:p 1 .", "ex:a a ex:Kind ."),
    "inverse path": (
        "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ]",
        "ex:a ex:p ex:b .",
        "ex:b ex:p ex:a .",
    ),
    "sequence path": (
        "sh:property [ sh:path ( ex:p ex:q ) ; sh:datatype xsd:integer ]",
        'ex:a ex:p ex:b . ex:b ex:q "x" .',
        "ex:a ex:p ex:b . ex:b ex:q 1 .",
    ),
    "alternative path": (
        "sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:maxCount 1 ]",
        "ex:a ex:p 1 ; ex:q 2 .",
        "ex:a ex:p 1 ; ex:q 1 .",
    ),
    "zeroOrMore path": (
        "sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:nodeKind sh:IRI ]",
        'ex:a ex:p ex:b . ex:b ex:p "x" .',
        "ex:a ex:p ex:b . ex:b ex:p ex:c .",
    ),
}


# sh:targetSubjectsOf ex:p has nothing to target where the broken data has no ex:p subject
NO_P_SUBJECT = ("minCount 1", "inverse path", "node-level class")
TARGETS = ["sh:targetClass ex:Thing", "sh:targetNode ex:a", "sh:targetSubjectsOf ex:p"]


@pytest.mark.parametrize(
    ("case", "target"),
    [
        (case, target)
        for case in sorted(CASES)
        for target in TARGETS
        if not (target == "sh:targetSubjectsOf ex:p" and case in NO_P_SUBJECT)
    ],
)
def test_each_constraint_compiles_and_catches_its_violation(case, target):
    constraint, broken, kept = CASES[case]
    shapes = _shapes(f"ex:S a sh:NodeShape ; {target} ; {constraint} .")
    typed = "ex:a a ex:Sub .\n"
    assert all(c.ask is not None for c in shacl_core.checks(shapes)), "left uncompiled"
    bad, good = _data(typed + broken), _data(typed + kept)
    assert any(_may_fail(shapes, bad))
    assert not any(_may_fail(shapes, good))
    findings = validate.validate(bad, shapes)
    assert findings, "pySHACL was not given the shape that fails"
    assert findings == validate.validate_with_pyshacl(bad, shapes)
    assert validate.validate(good, shapes) == [] == validate.validate_with_pyshacl(good, shapes)


def test_target_objects_of():
    shapes = _shapes("ex:S a sh:NodeShape ; sh:targetObjectsOf ex:r ; sh:nodeKind sh:IRI .")
    assert _may_fail(shapes, _data('ex:z ex:r "lit" .')) == [True]
    assert _may_fail(shapes, _data("ex:z ex:r ex:a .")) == [False]


def test_what_is_not_compiled_may_fail():
    shapes = _shapes(
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:closed true ;"
        " sh:property [ sh:path ex:p ; sh:uniqueLang true ] ;"
        " sh:property [ sh:path [ sh:unknownPath ex:p ] ; sh:minCount 1 ] ."
    )
    found = shacl_core.checks(shapes)
    assert {c.constraint.split()[0] for c in found if c.ask is None} >= {"sh:closed", "sh:uniqueLang", "sh:path"}
    pruned = shacl_core.prune(shapes, _store(_data("ex:a a ex:Thing .")))
    assert len(list(pruned.objects(URIRef("http://example.org/S"), URIRef(str(shacl_core.SH.property))))) == 2


# literals Oxigraph holds in another form than rdflib: the data, the constraint, what pySHACL says
ALTERED_CASES = [
    # "01" and "1": one value to Oxigraph, and to rdflib too (it normalises integer literals)
    ("sh:property [ sh:path ex:p ; sh:maxCount 1 ]", 'ex:a ex:p "01"^^xsd:integer, 1 .', False),
    ("sh:property [ sh:path ex:p ; sh:maxCount 1 ]", 'ex:a ex:p "01"^^xsd:integer, 2 .', True),
    # "01" is a valid integer to both: canonicalised, the datatype and range checks stay on Oxigraph
    (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; sh:minInclusive 1 ]",
        'ex:a ex:p "01"^^xsd:integer .',
        False,
    ),
    # "1"^^xsd:boolean is "true" to Oxigraph (and rdflib); "yes" is ill-typed to both
    ("sh:property [ sh:path ex:p ; sh:in ( true ) ]", 'ex:a ex:p "1"^^xsd:boolean .', False),
    ("sh:property [ sh:path ex:p ; sh:datatype xsd:boolean ]", 'ex:a ex:p "yes"^^xsd:boolean .', True),
    # xsd:positiveInteger is stored as xsd:integer
    ("sh:property [ sh:path ex:p ; sh:datatype xsd:integer ]", 'ex:a ex:p "5"^^xsd:positiveInteger .', True),
    # an explicit xsd:string is not the plain literal of sh:in to rdflib
    ('sh:property [ sh:path ex:p ; sh:in ( "name" ) ]', 'ex:a ex:p "name"^^xsd:string .', True),
    # "x" and "x"^^xsd:string: one value to Oxigraph, two to rdflib
    ("sh:property [ sh:path ex:p ; sh:maxCount 1 ]", 'ex:a ex:p "x", "x"^^xsd:string .', True),
    # an integer typed as an explicit string (bench --broken): the datatype check stays on Oxigraph
    ("sh:property [ sh:path ex:p ; sh:datatype xsd:integer ]", 'ex:a ex:p "12"^^xsd:string .', True),
    ("sh:property [ sh:path ex:p ; sh:datatype xsd:string ; sh:maxCount 1 ]", 'ex:a ex:p "12"^^xsd:string .', False),
    # "0.50" is stored as "0.5": the pattern sees another string
    ('sh:property [ sh:path ex:p ; sh:pattern "^0\\\\.5$" ]', 'ex:a ex:p "0.50"^^xsd:decimal .', True),
]


@pytest.mark.parametrize("constraint, data, fails", ALTERED_CASES)
def test_literals_oxigraph_alters_keep_the_findings(constraint, data, fails):
    shapes = _shapes(f"ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; {constraint} .")
    g = _data("ex:a a ex:Thing .\n" + data)
    reference = validate.validate_with_pyshacl(g, shapes)
    assert bool(reference) == fails
    assert validate.validate(g, shapes) == reference


def test_the_rdflib_graph_is_made_only_when_a_shape_may_fail(tiny):
    made = []

    def make() -> Graph:
        made.append(1)
        return g

    g = _tiny_graph(tiny)
    store = _store(g)
    altered = shacl_core.altered_predicates([g], store, shacl_core.path_predicates(_SHAPES))
    assert validate.validate(make, _SHAPES, store=store, altered=altered) == []
    assert made == []
    g.remove((next(g.subjects(RDF.type, FK.Listing)), RDFS.label, None))
    store = _store(g)
    findings = validate.validate(make, _SHAPES, store=store, altered=altered)
    assert made == [1]
    assert findings == validate.validate_with_pyshacl(g, _SHAPES) != []


def test_the_conforming_seed_build_leaves_pyshacl_nothing(seed_build):
    dist, report = seed_build
    assert report.shacl == "conforms"
    data = Graph()
    data.parse(dist / "fukushi-kg.nt", format="nt")
    store = ox.Store()
    store.bulk_load(path=str(dist / "fukushi-kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    core, _ = shacl_sparql.split(validate.load_shapes())
    checks = shacl_core.checks(core)
    assert len(checks) > 100 and all(c.ask is not None for c in checks)
    altered = shacl_core.altered_predicates([data], store, shacl_core.path_predicates(core))
    pruned = validate.prune(core, store, altered=altered)
    assert len(pruned) == 0
    assert not shacl_core.has_targets(pruned)


# ------------------------------------------------------------------ random mutations of seed-like data
def _tiny_graph(tiny) -> Graph:
    ds, _ = rdf.to_dataset(tiny, match_table=None)
    g = Graph()
    for part in ds.graphs():
        g += part
    return g


_SHAPES = validate.load_shapes()


def _mutate(g: Graph, data, triples: list) -> None:
    kinds = ["drop", "string", "ill-typed", "non-canonical", "extra", "lang", "xsd-string", "retype"]
    for _ in range(data.draw(st.integers(1, 6))):
        kind = data.draw(st.sampled_from(kinds))
        s, p, o = triples[data.draw(st.integers(0, len(triples) - 1))]
        if (s, p, o) not in g:
            continue
        if kind == "drop":
            g.remove((s, p, o))
        elif kind == "extra":
            g.add((s, p, data.draw(st.sampled_from([Literal("extra"), Literal(7), URIRef("urn:x:extra"), BNode()]))))
        elif kind == "retype" and isinstance(s, URIRef):  # (a blank focus node is named apart by the
            # SPARQL constraints, which run on Oxigraph's copy, before this module as after it)
            g.add((s, RDF.type, data.draw(st.sampled_from([FK.Listing, FK.Program, FK.SourceSpan, FK.Plan]))))
        elif isinstance(o, Literal):
            g.remove((s, p, o))
            if kind == "string":
                new = Literal(str(o))
            elif kind == "ill-typed":
                new = Literal("x" + str(o), datatype=o.datatype or XSD.integer)
            elif kind == "non-canonical":
                new = Literal("0" + str(o), datatype=o.datatype) if o.datatype else Literal(str(o), lang="JA")
            elif kind == "lang":
                new = Literal(str(o), lang=data.draw(st.sampled_from(["ja", "en", "JA", "ja-JP"])))
            else:
                new = Literal(str(o), datatype=XSD.string)
            g.add((s, p, new))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_graphs_give_pyshacls_findings(tiny, data):
    g = _tiny_graph(tiny)
    triples = sorted(g, key=str)
    _mutate(g, data, triples)
    assert validate.validate(g, _SHAPES) == validate.validate_with_pyshacl(g, _SHAPES)


def test_pyshacl_gets_only_the_focus_nodes_that_may_fail_and_their_triples(tiny):
    g = _tiny_graph(tiny)
    listing = sorted(g.subjects(RDF.type, FK.Listing))[0]
    g.remove((listing, RDFS.label, None))
    store = _store(g)
    core, _ = shacl_sparql.split(_SHAPES)
    plan = shacl_core.plan(core, store, with_foci=True)
    assert {str(s) for s in plan.foci} == {"https://w3id.org/fukushi-kg/shapes/ListingShape"}
    assert plan.foci[URIRef("https://w3id.org/fukushi-kg/shapes/ListingShape")] == {str(listing)}
    near = shacl_core.neighbourhood(plan, [g], prefixes=g)
    assert near is not None
    (shapes,), data = near
    assert set(shapes.objects(None, shacl_core.SH.targetNode)) == {listing}
    assert set(data.subjects()) <= {listing, *g.objects(listing, None), *g.subjects(RDFS.subClassOf, None)}
    assert len(data) < len(g) / 10
    assert validate.validate(g, _SHAPES) == validate.validate_with_pyshacl(g, _SHAPES) != []
