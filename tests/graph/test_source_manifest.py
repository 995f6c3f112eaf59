"""The manifest's publication metadata: publishers that resolve, no invented URL or licence, an
attribution for every document, and the graph saying the same."""

from __future__ import annotations

import re

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from fukushi_kg.graph import rdf, source_meta
from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import documents

FK = "https://w3id.org/fukushi-kg/def/"
SPDX = "http://spdx.org/rdf/terms#"
BASE = "https://example.org/fk/"


def test_every_document_states_publishers_terms_and_attribution():
    for doc in documents():
        assert doc.publishers, doc.id
        assert doc.terms and doc.terms_ja and doc.attribution.startswith("出典："), doc.id
        assert doc.url is None or re.match(r"^https?://", doc.url), doc.id
        # where the URL or the licence is unknown the manifest says so instead of guessing
        if doc.url is None:
            assert "unknown" in doc.retrieval_note, doc.id
        if doc.licence is None:
            assert "unknown" in doc.terms, doc.id


def test_the_graph_has_publisher_resources_rights_checksum_and_text_url():
    docs = [(d, DocumentRecords(doc=d.id)) for d in documents()]
    ds, _ = rdf.to_dataset(docs, BASE, None)
    union = ds.graph(URIRef(BASE + "graph/" + docs[0][0].id))
    for g in ds.graphs():
        union += g
    for doc, _ in docs:
        node = URIRef(BASE + "id/document/" + doc.id)
        publishers = list(union.objects(node, DCTERMS.publisher))
        assert publishers and all(isinstance(p, URIRef) and str(p).startswith(BASE + "id/org/") for p in publishers)
        assert set(union.objects(node, DCTERMS.rightsHolder)) == set(publishers)
        assert (node, DCTERMS.bibliographicCitation, Literal(doc.attribution, lang="ja")) in union
        assert list(union.objects(node, DCTERMS.license)) == []  # no licence is known for any seed document
        text = URIRef(f"{BASE}sources/{doc.file}")
        assert (node, URIRef(FK + "sourceText"), text) in union
        checksum = union.value(text, URIRef(SPDX + "checksum"))
        assert (checksum, RDF.type, URIRef(SPDX + "Checksum")) in union
        assert str(union.value(checksum, URIRef(SPDX + "checksumValue"))) == source_meta.sha256(doc.path)
    assert (
        URIRef(BASE + "id/org/designated-city-mayors-association/children-education-culture-committee"),
        URIRef("http://www.w3.org/ns/org#unitOf"),
        URIRef(BASE + "id/org/designated-city-mayors-association"),
    ) in union
