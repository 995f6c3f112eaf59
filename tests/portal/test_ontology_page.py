"""/ontology over the repository's ontology: what pyLODE shows for the same files, with unique anchors,
and the ontology's own metadata (every term defined by it, every concept defined in ja and en)."""

from __future__ import annotations

import re
from collections import Counter

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import OWL

from fukushi_kg import resources

FK = "https://w3id.org/fukushi-kg/def/"


def test_the_page_has_metadata_namespaces_and_term_relations(portal_server):
    with portal_server.client() as c:
        html = c.get("/ontology", params={"lang": "en"}).text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []  # fk:city and actor:city once had the same id
    assert 'id="city"' in html and 'id="actor-city"' in html
    for text in ("version IRI", "https://w3id.org/fukushi-kg/def/0.2.0", "creator", "licence", "Namespaces"):
        assert text in html, text
    for text in ("in domain of", "in range of", "restrictions", "characteristics", "is defined by"):
        assert text in html, text
    assert "qb:structure some {fk:indicatorStructure, fk:indicatorSeriesStructure}" in html.replace("&#34;", '"')


def test_every_term_is_defined_by_the_ontology_and_every_concept_has_definitions():
    g = Graph()
    g.parse(resources.ONTOLOGY)
    g.parse(resources.VOCABULARIES)
    onto = URIRef(FK)
    assert g.value(onto, OWL.versionIRI) and g.value(onto, OWL.versionInfo)
    for p in ("creator", "created", "modified", "license"):
        assert g.value(onto, URIRef("http://purl.org/dc/terms/" + p)) is not None, p
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(FK) and s != onto}
    assert [t for t in terms if (t, RDFS.isDefinedBy, onto) not in g] == []
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 68
    lacking = [c for c in concepts if {d.language for d in g.objects(c, SKOS.definition)} != {"ja", "en"}]
    assert lacking == []
