"""Documentation data for the ontology, read from ontology/*.ttl (labels and comments in ja and en).

What a reader of the /ontology page gets, at least what pyLODE gives for the same files: the
ontology's metadata (IRI, version IRI and info, title, creators, dates, licence, sources), the
namespaces its files declare, and for each term its labels and definitions, super-classes or
super-properties, restrictions (as readable expressions), domain and range, inverse and
characteristics (functional, symmetric …), for a class the properties it is the domain or range of
("in domain of" / "in range of"), for a concept its scheme, and where it is defined.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg import resources
from fukushi_kg.service.i18n import N_

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
KINDS = [
    ("classes", N_("Classes"), {OWL + "Class", RDFS + "Class"}),
    ("object_properties", N_("Object properties"), {OWL + "ObjectProperty"}),
    ("datatype_properties", N_("Datatype properties"), {OWL + "DatatypeProperty"}),
    ("properties", N_("Other properties"), {RDF + "Property", OWL + "AnnotationProperty"}),
    (
        "structures",
        N_("Data structure definitions"),
        {"http://purl.org/linked-data/cube#DataStructureDefinition"},
    ),
    ("schemes", N_("Concept schemes"), {SKOS + "ConceptScheme"}),
    ("concepts", N_("Concepts"), {SKOS + "Concept"}),
]
FIELDS = {
    "label": [RDFS + "label", SKOS + "prefLabel"],
    "comment": [RDFS + "comment", SKOS + "definition"],
    "domain": [RDFS + "domain"],
    "range": [RDFS + "range"],
    "super": [RDFS + "subClassOf", RDFS + "subPropertyOf", SKOS + "broader"],
    "scheme": [SKOS + "inScheme"],
    "inverse": [OWL + "inverseOf"],
    "defined_by": [RDFS + "isDefinedBy"],
}
CHARACTERISTICS = {
    OWL + "FunctionalProperty": N_("functional"),
    OWL + "InverseFunctionalProperty": N_("inverse functional"),
    OWL + "SymmetricProperty": N_("symmetric"),
    OWL + "TransitiveProperty": N_("transitive"),
}
METADATA = [
    (OWL + "versionIRI", N_("version IRI")),
    (OWL + "versionInfo", N_("version")),
    (OWL + "priorVersion", N_("prior version")),
    (DCT + "title", N_("title")),
    (DCT + "creator", N_("creator")),
    (DCT + "publisher", N_("publisher")),
    (DCT + "created", N_("created")),
    (DCT + "modified", N_("modified")),
    (DCT + "license", N_("licence")),
    (DCT + "rights", N_("rights")),
    (DCT + "source", N_("sources")),
    (OWL + "imports", N_("imports")),
    ("http://purl.org/vocab/vann/preferredNamespacePrefix", N_("preferred prefix")),
    ("http://purl.org/vocab/vann/preferredNamespaceUri", N_("preferred namespace")),
]
_PREFIX = re.compile(r"^@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>\s*\.", re.M)


def _load(directory: Path) -> list[ox.Quad]:
    quads = []
    for path in sorted(directory.glob("*.ttl")):
        quads += list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return quads


def _namespaces(directory: Path) -> list[dict]:
    found: dict[str, str] = {}
    for path in sorted(directory.glob("*.ttl")):
        for prefix, iri in _PREFIX.findall(path.read_text(encoding="utf-8")):
            found.setdefault(prefix or ":", iri)
    return [{"prefix": p, "iri": i} for p, i in sorted(found.items())]


def anchor(iri: str) -> str:
    """A page-unique HTML id for a term: its path under the ontology namespace with / as -
    (fk:city -> city, actor:city -> actor-city), else the namespace's last segment and the name."""
    for ns in ("https://w3id.org/fukushi-kg/def/",):
        if iri.startswith(ns):
            return re.sub(r"[^A-Za-z0-9_-]", "-", iri[len(ns) :]) or "ontology"
    tail = re.sub(r"^[a-z]+://", "", iri)
    return re.sub(r"[^A-Za-z0-9_-]", "-", tail)


class _Graph:
    """The parsed files, indexed by subject."""

    def __init__(self, quads: list[ox.Quad]):
        self.by_subject: dict[object, list[tuple[str, object]]] = {}
        for q in quads:
            self.by_subject.setdefault(q.subject, []).append((q.predicate.value, q.object))

    def objects(self, s, p: str) -> list:
        return [o for pp, o in self.by_subject.get(s, []) if pp == p]

    def one(self, s, p: str):
        found = self.objects(s, p)
        return found[0] if found else None

    def items(self, head) -> list:
        out = []
        while isinstance(head, (ox.BlankNode, ox.NamedNode)) and head != ox.NamedNode(RDF + "nil"):
            first = self.one(head, RDF + "first")
            if first is None:
                break
            out.append(first)
            head = self.one(head, RDF + "rest")
        return out

    def expression(self, node) -> str:
        """A class expression as Manchester-like text (restrictions, unions, enumerations)."""
        if isinstance(node, ox.NamedNode):
            return short(node.value)
        if isinstance(node, ox.Literal):
            return f'"{node.value}"'
        prop = self.one(node, OWL + "onProperty")
        if prop is not None:
            p = short(prop.value) if isinstance(prop, ox.NamedNode) else "?"
            for pred, word in (
                (OWL + "hasValue", "value"),
                (OWL + "someValuesFrom", "some"),
                (OWL + "allValuesFrom", "only"),
            ):
                o = self.one(node, pred)
                if o is not None:
                    return f"{p} {word} {self.expression(o)}"
            for pred, word in (
                (OWL + "cardinality", "exactly"),
                (OWL + "qualifiedCardinality", "exactly"),
                (OWL + "minCardinality", "min"),
                (OWL + "minQualifiedCardinality", "min"),
                (OWL + "maxCardinality", "max"),
                (OWL + "maxQualifiedCardinality", "max"),
            ):
                o = self.one(node, pred)
                if o is not None:
                    on = self.one(node, OWL + "onClass")
                    return f"{p} {word} {o.value}" + (f" {self.expression(on)}" if on is not None else "")
        for pred, sep in ((OWL + "unionOf", " or "), (OWL + "intersectionOf", " and ")):
            o = self.one(node, pred)
            if o is not None:
                return "(" + sep.join(self.expression(x) for x in self.items(o)) + ")"
        o = self.one(node, OWL + "oneOf")
        if o is not None:
            return "{" + ", ".join(self.expression(x) for x in self.items(o)) + "}"
        o = self.one(node, OWL + "complementOf")
        if o is not None:
            return f"not {self.expression(o)}"
        return "[]"


PREFIXES = {
    "https://w3id.org/fukushi-kg/def/": "fk:",
    RDF: "rdf:",
    RDFS: "rdfs:",
    OWL: "owl:",
    SKOS: "skos:",
    DCT: "dcterms:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/oa#": "oa:",
    "http://purl.org/linked-data/cube#": "qb:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://data.europa.eu/eli/ontology#": "eli:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
}


def short(iri: str) -> str:
    for ns, p in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns) :]:
            return p + iri[len(ns) :]
    return iri


def _new_term(iri: str) -> dict:
    return {
        "iri": iri,
        "anchor": anchor(iri),
        "types": set(),
        "label": {},
        "comment": {},
        "domain": [],
        "range": [],
        "super": [],
        "scheme": [],
        "inverse": [],
        "defined_by": [],
        "restrictions": [],
        "characteristics": [],
        "in_domain_of": [],
        "in_range_of": [],
        "sub": [],
    }


@lru_cache(maxsize=4)
def _document(directory: str, stamp: tuple) -> dict:
    quads = _load(Path(directory))
    graph = _Graph(quads)
    terms: dict[str, dict] = {}
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            continue
        term = terms.setdefault(q.subject.value, _new_term(q.subject.value))
        p = q.predicate.value
        if p == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            term["types"].add(q.object.value)
            if q.object.value in CHARACTERISTICS:
                term["characteristics"].append(CHARACTERISTICS[q.object.value])
        for field, preds in FIELDS.items():
            if p not in preds:
                continue
            if field in ("label", "comment") and isinstance(q.object, ox.Literal):
                term[field].setdefault(q.object.language or "", q.object.value)
            elif isinstance(q.object, ox.NamedNode):
                term[field].append(q.object.value)
            elif field in ("super", "domain", "range") and isinstance(q.object, ox.BlankNode):
                text = graph.expression(q.object)
                term["restrictions" if field == "super" else field].append({"text": text})
    for term in list(terms.values()):
        for field, back in (("domain", "in_domain_of"), ("range", "in_range_of"), ("super", "sub")):
            for target in term[field]:
                if isinstance(target, str) and target in terms:
                    terms[target][back].append(term["iri"])
    for term in terms.values():
        for field in ("in_domain_of", "in_range_of", "sub"):
            term[field] = sorted(set(term[field]))
    sections = []
    placed: set[str] = set()
    for key, title, types in KINDS:
        members = sorted(
            (t for t in terms.values() if t["types"] & types and t["iri"] not in placed), key=lambda t: t["iri"]
        )
        placed.update(t["iri"] for t in members)
        if members:
            sections.append({"key": key, "title": title, "terms": members})
    ontology = next((t for t in terms.values() if OWL + "Ontology" in t["types"]), None)
    metadata = []
    if ontology:
        node = ox.NamedNode(ontology["iri"])
        metadata.append({"name": N_("IRI"), "values": [{"iri": ontology["iri"]}]})
        for pred, name in METADATA:
            values = [
                {"iri": o.value}
                if isinstance(o, ox.NamedNode)
                else {"text": o.value, "lang": getattr(o, "language", None)}
                for o in graph.objects(node, pred)
            ]
            if values:
                metadata.append({"name": name, "values": values})
    return {
        "ontology": ontology,
        "metadata": metadata,
        "namespaces": _namespaces(Path(directory)),
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
        return {"ontology": None, "metadata": [], "namespaces": [], "sections": [], "labels": {}, "triples": 0}
    return _document(str(directory), stamp)
