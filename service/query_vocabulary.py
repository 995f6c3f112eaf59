"""What the query page's editor completes: prefixes, and the classes and properties of the ontology."""

from __future__ import annotations

from fukushi_kg.service import ontology_doc
from fukushi_kg.service.runtime import Runtime
from fukushi_kg.service.view import pick_label

# besides the prefixes pages use (service/pages.py PREFIXES, passed in with the published ones)
STANDARD = {
    "qb": "http://purl.org/linked-data/cube#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
}
SECTIONS = {"classes": "class", "object_properties": "property", "datatype_properties": "property"}


def vocabulary(rt: Runtime, published: dict[str, str]) -> dict:
    """``published``: the pages' prefixes and the published JSON-LD context's, which win over
    ``STANDARD``. ``{"prefixes": {prefix: namespace}, "terms": [{"name": "fk:Program", "kind", "label"}]}``."""
    doc = ontology_doc.ontology_document(rt.ontology_dir)
    prefixes = {**STANDARD, **published}
    for ns in doc.get("namespaces", []):
        prefixes.setdefault(ns["prefix"], ns["iri"])
    by_length = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    terms = []
    for section in doc.get("sections", []):
        kind = SECTIONS.get(section["key"])
        if kind is None:
            continue
        for term in section["terms"]:
            iri = term["iri"]
            prefix = next((p for p, ns in by_length if iri.startswith(ns) and "/" not in iri[len(ns) :]), None)
            if prefix is None:
                continue
            labels = term.get("label") or {}
            terms.append(
                {
                    "name": f"{prefix}:{iri[len(prefixes[prefix]) :]}",
                    "kind": kind,
                    "label": pick_label(labels, "en") or "",
                }
            )
    return {"prefixes": dict(sorted(prefixes.items())), "terms": sorted(terms, key=lambda t: t["name"])}
