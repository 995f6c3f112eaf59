"""Records -> RDF: IRIs, provenance, cross-plan identity, classification, determinism."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from fukushi_kg.graph import rdf, serialize
from fukushi_kg.graph.rdf import FK, ascii_code

BASE = "https://example.org/kg/"


def _union(ds):
    from rdflib import Graph

    g = Graph()
    for part in ds.graphs():
        g += part
    return g


def test_iris_are_ascii_structural_and_under_the_base(tiny):
    ds, _ = rdf.to_dataset(tiny, BASE, None)
    g = _union(ds)
    listings = sorted(str(s) for s in g.subjects(RDF.type, FK.Listing))
    assert listings == [
        BASE + "id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1",
        BASE + "id/plan/kumamoto-child-future-action-plan/listing/2.1.3-1",
        BASE + "id/plan/kumamoto-regional-welfare-plan-5/listing/1-1",
    ]
    for s in g.subjects():
        if isinstance(s, URIRef) and str(s).startswith(BASE):
            assert str(s).isascii(), s
    assert ascii_code("Ⅲ-1") == "III-1"
    assert ascii_code("１.２") == "1.2"


def test_named_graph_per_document_plus_reference_graphs(tiny):
    ds, _ = rdf.to_dataset(tiny, BASE, None)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {
        BASE + "graph/ontology",
        BASE + "graph/vocabularies",
        BASE + "graph/links",
        BASE + "graph/kumamoto-child-plan-report-fy2023",
        BASE + "graph/kumamoto-regional-welfare-plan-5",
    } <= names


def test_relisting_pair_links_both_ways_and_marks_the_copy(tiny):
    g = _union(rdf.to_dataset(tiny, BASE, None)[0])
    first = URIRef(BASE + "id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1")
    copy = URIRef(BASE + "id/plan/kumamoto-child-future-action-plan/listing/2.1.3-1")
    assert (first, FK.relistedWith, copy) in g and (copy, FK.relistedWith, first) in g
    assert (copy, FK.isRelistingOf, first) in g
    assert (copy, RDF.type, FK.Relisting) in g and (first, RDF.type, FK.Relisting) not in g
    assert g.value(first, FK.listingOf) == g.value(copy, FK.listingOf)


def test_suffix_variant_across_plans_is_one_program_with_evidence(tiny):
    g = _union(rdf.to_dataset(tiny, BASE, None)[0])
    welfare = URIRef(BASE + "id/plan/kumamoto-regional-welfare-plan-5/listing/1-1")
    child = URIRef(BASE + "id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1")
    assert g.value(welfare, FK.listingOf) == g.value(child, FK.listingOf)
    matches = list(g.subjects(FK.matchRule, Literal("suffix-variant")))
    assert len(matches) == 1
    assert {welfare, child} <= set(g.objects(matches[0], FK.matchedListing))


def test_every_listing_name_carries_its_source_lines_and_quote(tiny):
    g = _union(rdf.to_dataset(tiny, BASE, None)[0])
    listing = URIRef(BASE + "id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1")
    span = g.value(listing, FK.nameSpan)
    assert str(span) == BASE + "id/document/kumamoto-child-plan-report-fy2023/lines/128-128"
    assert int(g.value(span, FK.lineStart)) == 128
    assert "こどもの学習支援事業（再2.1.3）" in str(g.value(span, FK.quotedText))
    selector = g.value(span, URIRef("http://www.w3.org/ns/oa#hasSelector"))
    assert str(g.value(selector, RDF.value)) == "line=127,128"


def test_classification_records_words_and_lines(tiny):
    g = _union(rdf.to_dataset(tiny, BASE, None)[0])
    sp = FK["target-group/single-parent-household"]
    listing = URIRef(BASE + "id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1")
    assert (g.value(listing, FK.listingOf), FK.servesTargetGroup, sp) in g
    ev = [c for c in g.subjects(FK.classifiedListing, listing) if g.value(c, FK.targetGroup) == sp]
    assert len(ev) == 1
    assert str(g.value(ev[0], FK.evidenceKind)) == "description"
    assert str(g.value(ev[0], FK.matchedText)) == "ひとり親"
    assert int(g.value(g.value(ev[0], FK.evidenceSpan), FK.lineStart)) == 141


def test_not_measured_is_not_zero(tiny):
    g = _union(rdf.to_dataset(tiny, BASE, None)[0])
    ind = URIRef(BASE + "id/plan/kumamoto-child-future-action-plan/indicator/plan-elementary")
    obs = URIRef(f"{ind}/actual-2020")
    assert g.value(obs, FK.value) is None
    assert g.value(obs, FK.observationStatus) == FK["observation-status/not-measured"]
    assert str(g.value(obs, FK.valueAsPrinted)) == "－"
    assert float(g.value(URIRef(f"{ind}/baseline-2018"), FK.value)) == 84.4


def test_plan_legal_basis_is_an_eli_article_of_the_social_welfare_act(tiny):
    g = _union(rdf.to_dataset(tiny, BASE, None)[0])
    plan = URIRef(BASE + "id/plan/kumamoto-regional-welfare-plan-5")
    art = g.value(plan, FK.legalBasis)
    assert str(art) == BASE + "eli/jp/act/1951/45/art_107"
    law = g.value(art, URIRef("http://data.europa.eu/eli/ontology#is_part_of"))
    assert str(g.value(law, FK.egovLawId)) == "326AC0000000045"
    assert {str(o) for o in g.objects(plan, FK.sdgGoal)} == {
        "http://metadata.un.org/sdg/1",
        "http://metadata.un.org/sdg/17",
    }


def test_same_records_give_byte_identical_quads(tiny):
    a = [str(q) for q in serialize.sorted_quads(rdf.to_dataset(tiny, BASE, None)[0])]
    b = [str(q) for q in serialize.sorted_quads(rdf.to_dataset(tiny, BASE, None)[0])]
    assert a == b


def test_unknown_division_gets_a_hashed_iri_and_a_warning(tiny):
    tiny[0][1].listings[0].divisions = ["架空課"]
    ds, warnings = rdf.to_dataset(tiny, BASE, None)
    assert any("架空課" in w for w in warnings)
    g = _union(ds)
    listing = URIRef(BASE + "id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1")
    div = g.value(listing, FK.responsibleDivision)
    assert str(div).startswith(BASE + "id/org/kumamoto-city/unit-")
    assert (div, RDFS.label, Literal("架空課", lang="ja")) in g
