"""Shortcuts: facts derived from the converted graph at build time, so the named queries read
them instead of recomputing them per request.

Each shortcut is a SPARQL CONSTRUCT over the union of the graphs, with the very expressions the
named queries used to evaluate (queries/*.rq before issue 17; tests/graph/fixtures/queries-before
keeps them and tests/graph/test_shortcuts.py compares the answers). Their triples go to their own
named graph
(``graph/shortcuts``); the ontology declares every property. The build adds them to its sorted
quads (``extend``), so the dumps, the store, the SPARQL constraints and HermiT see them; no shape
of shapes/ targets them, so pySHACL's core constraints run on the converted facts alone.
``bench/synth.py`` goes through the same ``compute``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from fukushi_kg.graph import vocab

GRAPH = "graph/shortcuts"

_PREFIXES = f"""PREFIX fk: <{vocab.NS}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX kind: <{vocab.NS}observation-kind/>
"""

# name -> CONSTRUCT (documented with each property in ontology/fukushi.ttl)
CONSTRUCTS: dict[str, str] = {
    # program -> every plan that lists it (was fk:hasListing/fk:inPlan)
    "listedInPlan": """CONSTRUCT { ?program fk:listedInPlan ?plan } WHERE {
      ?program a fk:Program ; fk:hasListing/fk:inPlan ?plan }""",
    # program -> the Japanese labels of the plans that list it, sorted, joined by |, and their count
    "planList": """CONSTRUCT { ?program fk:planList ?plans ; fk:planCount ?plan_count } WHERE {
      SELECT ?program (GROUP_CONCAT(?plan_label; separator="|") AS ?plans) (COUNT(?plan) AS ?plan_count) WHERE {
        { SELECT DISTINCT ?program ?plan ?plan_label WHERE {
            ?program a fk:Program ; fk:hasListing/fk:inPlan ?plan .
            ?plan rdfs:label ?plan_label . FILTER (lang(?plan_label) = "ja")
          } ORDER BY ?program ?plan_label }
      } GROUP BY ?program }""",
    # program -> each target group its own name or text (a listing's or a result's, not the heading
    # it is listed under) was classified into: the "strict" reading of single-parent-programs
    "strictTargetGroup": """CONSTRUCT { ?program fk:servesTargetGroupStrictly ?tg } WHERE {
      ?evidence fk:targetGroup ?tg ; fk:classifiedListing|fk:classifiedResult ?item ; fk:evidenceKind ?kind .
      ?item fk:listingOf|fk:resultOf ?program .
      FILTER (?kind != "component") }""",
    # program -> every place that lists it (plan label, space, printed code), sorted, joined by |
    "placeList": """CONSTRUCT { ?program fk:placeList ?places } WHERE {
      SELECT ?program (GROUP_CONCAT(?place; separator="|") AS ?places) WHERE {
        { SELECT DISTINCT ?program ?place WHERE {
            ?program a fk:Program ; fk:hasListing ?listing .
            ?listing fk:inPlan/rdfs:label ?plan_label ; fk:listedUnder/skos:notation ?code .
            FILTER (lang(?plan_label) = "ja") BIND (CONCAT(?plan_label, " ", ?code) AS ?place)
          } ORDER BY ?program ?place }
      } GROUP BY ?program }""",
    # listing / indicator -> the Japanese label of its plan (was fk:inPlan/rdfs:label, lang "ja")
    "planLabel": """CONSTRUCT { ?x fk:planLabel ?plan_label } WHERE {
      { ?x a fk:Listing } UNION { ?x a fk:Indicator }
      ?x fk:inPlan/rdfs:label ?plan_label . FILTER (lang(?plan_label) = "ja") }""",
    # listing / result -> the first source line of its name (was fk:nameSpan/fk:lineStart)
    "nameLine": "CONSTRUCT { ?x fk:nameLine ?line } WHERE { ?x fk:nameSpan/fk:lineStart ?line }",
    # listing -> printed code of the component it is listed under (was fk:listedUnder/skos:notation)
    "componentCode": """CONSTRUCT { ?listing fk:componentCode ?code } WHERE {
      ?listing fk:listedUnder/skos:notation ?code }""",
    # re-listed listing -> its code and role ("2.1.3 (primary)", "4.1.1 (relisting)")
    "relistingPlace": """CONSTRUCT { ?listing fk:relistingPlace ?place } WHERE {
      { SELECT DISTINCT ?listing WHERE { ?listing fk:relistedWith ?other } }
      ?listing fk:listedUnder/skos:notation ?code .
      BIND (CONCAT(?code, IF(EXISTS { ?listing a fk:Relisting }, " (relisting)", " (primary)")) AS ?place) }""",
    # listing -> its divisions as printed (、 -> |), else the division labels in order, joined by |
    "listingDivisions": """CONSTRUCT { ?listing fk:divisionList ?division } WHERE {
      ?listing a fk:Listing .
      OPTIONAL { ?listing fk:divisionAsPrinted ?printed_division }
      OPTIONAL {
        SELECT ?listing (GROUP_CONCAT(?dlabel; separator="|") AS ?divisions) WHERE {
          { SELECT ?listing ?dlabel WHERE {
              ?listing fk:responsibleDivision ?d . ?d skos:prefLabel ?dlabel .
            } ORDER BY ?listing ?dlabel }
        } GROUP BY ?listing }
      BIND (COALESCE(REPLACE(?printed_division, "、", "|"), ?divisions) AS ?division)
      FILTER (BOUND(?division)) }""",
    # program result -> the notations of its flags (新規 / 拡充 / 再掲), sorted, joined by |
    "flagList": """CONSTRUCT { ?result fk:flagList ?flags } WHERE {
      SELECT ?result (GROUP_CONCAT(?f; separator="|") AS ?flags) WHERE {
        { SELECT ?result ?f WHERE { ?result a fk:ProgramResult ; fk:flag/skos:notation ?f } ORDER BY ?result ?f }
      } GROUP BY ?result }""",
    # listing -> the lead (◎) / partner (○) actor types' labels (ja), in notation order, joined by |
    "leadActorList": """CONSTRUCT { ?listing fk:leadActorList ?leads } WHERE {
      SELECT ?listing (GROUP_CONCAT(?alabel; separator="|") AS ?leads) WHERE {
        { SELECT ?listing ?alabel WHERE {
            ?listing fk:leadActor ?a . ?a skos:notation ?n ; skos:prefLabel ?alabel . FILTER (lang(?alabel) = "ja")
          } ORDER BY ?listing ?n }
      } GROUP BY ?listing }""",
    "partnerActorList": """CONSTRUCT { ?listing fk:partnerActorList ?partners } WHERE {
      SELECT ?listing (GROUP_CONCAT(?plabel; separator="|") AS ?partners) WHERE {
        { SELECT ?listing ?plabel WHERE {
            ?listing fk:partnerActor ?p . ?p skos:notation ?n ; skos:prefLabel ?plabel . FILTER (lang(?plabel) = "ja")
          } ORDER BY ?listing ?n }
      } GROUP BY ?listing }""",
    # observation -> its series as a plain string ("" where it carries none); indicator -> each
    # series key its observations carry
    "seriesKey": """CONSTRUCT { ?o fk:seriesKey ?series . ?indicator fk:seriesKey ?series } WHERE {
      ?o qb:dataSet ?indicator . OPTIONAL { ?o fk:series ?s } BIND (COALESCE(STR(?s), "") AS ?series) }""",
    # indicator -> its observations of the latest year with a numeric actual, per series
    "latestActual": """CONSTRUCT { ?indicator fk:latestActual ?o } WHERE {
      { SELECT ?indicator ?series (MAX(STR(?y)) AS ?last) WHERE {
          ?o qb:dataSet ?indicator ; fk:observationKind kind:actual ; fk:refYear ?y ; fk:value ?v .
          OPTIONAL { ?o fk:series ?os } BIND (COALESCE(STR(?os), "") AS ?series)
        } GROUP BY ?indicator ?series }
      ?o qb:dataSet ?indicator ; fk:observationKind kind:actual ; fk:refYear ?ly ; fk:value ?l .
      OPTIONAL { ?o fk:series ?ls } BIND (COALESCE(STR(?ls), "") AS ?series2)
      FILTER (?series2 = ?series && STR(?ly) = ?last) }""",
    # classification -> the first source line of its evidence (was fk:evidenceSpan/fk:lineStart)
    "evidenceLine": "CONSTRUCT { ?c fk:evidenceLine ?line } WHERE { ?c fk:evidenceSpan/fk:lineStart ?line }",
}


def compute(store: ox.Store, base: str, only: Iterable[ox.NamedNode] | None = None) -> list[ox.Quad]:
    """The shortcut quads of the graph held by ``store`` (the union of its graphs), in the
    ``graph/shortcuts`` graph of ``base``. ``only``, when given, keeps the quads whose subject is
    one of those nodes (bench/synth.py computes a municipality at a time)."""
    g = ox.NamedNode(base + GRAPH)
    keep = set(only) if only is not None else None
    out: set[ox.Quad] = set()
    for query in CONSTRUCTS.values():
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
