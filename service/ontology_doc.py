"""Documentation data for the ontology, read from ontology/*.ttl (labels and comments in ja and en)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg import resources

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
KINDS = [
    ("classes", "クラス", "Classes", {OWL + "Class", RDFS + "Class"}),
    ("object_properties", "オブジェクトプロパティ", "Object properties", {OWL + "ObjectProperty"}),
    ("datatype_properties", "データプロパティ", "Datatype properties", {OWL + "DatatypeProperty"}),
    (
        "properties",
        "その他のプロパティ",
        "Other properties",
        {RDF_TYPE.replace("type", "Property"), OWL + "AnnotationProperty"},
    ),
    ("schemes", "語彙", "Concept schemes", {SKOS + "ConceptScheme"}),
    ("concepts", "概念", "Concepts", {SKOS + "Concept"}),
]
FIELDS = {
    "label": [RDFS + "label", SKOS + "prefLabel"],
    "comment": [RDFS + "comment", SKOS + "definition"],
    "domain": [RDFS + "domain"],
    "range": [RDFS + "range"],
    "super": [RDFS + "subClassOf", RDFS + "subPropertyOf", SKOS + "broader"],
    "scheme": [SKOS + "inScheme"],
}


def _load(directory: Path) -> list[ox.Quad]:
    quads = []
    for path in sorted(directory.glob("*.ttl")):
        quads += list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return quads


@lru_cache(maxsize=4)
def _document(directory: str, stamp: tuple) -> dict:
    quads = _load(Path(directory))
    terms: dict[str, dict] = {}
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            continue
        term = terms.setdefault(
            q.subject.value,
            {
                "iri": q.subject.value,
                "types": set(),
                "label": {},
                "comment": {},
                "domain": [],
                "range": [],
                "super": [],
                "scheme": [],
            },
        )
        p = q.predicate.value
        if p == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            term["types"].add(q.object.value)
        for field, preds in FIELDS.items():
            if p not in preds:
                continue
            if field in ("label", "comment") and isinstance(q.object, ox.Literal):
                term[field].setdefault(q.object.language or "", q.object.value)
            elif isinstance(q.object, ox.NamedNode):
                term[field].append(q.object.value)
    sections = []
    placed: set[str] = set()
    for key, ja, en, types in KINDS:
        members = sorted(
            (t for t in terms.values() if t["types"] & types and t["iri"] not in placed), key=lambda t: t["iri"]
        )
        placed.update(t["iri"] for t in members)
        if members:
            sections.append({"key": key, "ja": ja, "en": en, "terms": members})
    ontology = next((t for t in terms.values() if OWL + "Ontology" in t["types"]), None)
    return {
        "ontology": ontology,
        "sections": sections,
        "labels": {i: t["label"] for i, t in terms.items()},
        "triples": len(quads),
    }


def ontology_document(directory: Path | None = None) -> dict:
    """Sections of terms (classes, properties, vocabularies) with labels and comments; cached per file state."""
    directory = directory or resources.ONTOLOGY_DIR
    files = sorted(directory.glob("*.ttl")) if directory.is_dir() else []
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    if not files:
        return {"ontology": None, "sections": [], "labels": {}, "triples": 0}
    return _document(str(directory), stamp)
