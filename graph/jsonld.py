"""Compact JSON-LD: the context of the ontology's prefixes and the compaction of expanded JSON-LD.

Shared by the build (the ``.jsonld`` dump) and the service (answers, ``/context.jsonld``, the
JSON-LD embedded in pages, :mod:`service.jsonld`). The context maps the prefixes the ontology files
declare (``@prefix fk: <…>`` in ``ontology/*.ttl``) and the usual vocabularies; nothing else, so it is
small enough to travel inside every document: any JSON-LD processor (Oxigraph's and rdflib's
included, which never fetch a remote context) reads a compact document as it is. Its ``@id`` values
and property names become compact IRIs (``fk:Program``), plain strings lose their ``@value``
wrapper, one-element arrays their brackets, ``rdf:type`` becomes ``@type``, named graphs keep
their ``@graph``; the quads are those of the expanded form.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
COMMON = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "schema": "http://schema.org/",
}
PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^<>\"{}|^`\\\s]*)>", re.M | re.I)
# A prefix must not be read as the scheme of an IRI, nor look like a keyword or a blank node.
SCHEMES = {"http", "https", "urn", "mailto", "file", "ftp", "tag", "data", "did", "doi", "info"}


class NotCompactable(ValueError):
    """An IRI of the document would be read back through a prefix (``urn:…`` with a ``urn`` prefix)."""


def prefixes(ontology_dir: Path) -> dict[str, str]:
    """Prefix -> namespace: ``COMMON``, then what ``ontology_dir/*.ttl`` declares (the files win)."""
    found = dict(COMMON)
    files = sorted(ontology_dir.glob("*.ttl")) if ontology_dir.is_dir() else []
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    found.update(_declared(stamp))
    return {p: iri for p, iri in sorted(found.items()) if p.lower() not in SCHEMES and iri.endswith(("/", "#"))}


@lru_cache(maxsize=8)
def _declared(stamp: tuple) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, _ in stamp:
        for prefix, iri in PREFIX_LINE.findall(Path(name).read_text(encoding="utf-8")):
            if prefix:
                out[prefix] = iri
    return out


def context_document(prefix_map: dict[str, str]) -> dict:
    return {"@context": dict(prefix_map)}


class Compactor:
    """Compacts expanded JSON-LD (as Oxigraph writes it) against a prefix-only context."""

    def __init__(self, prefix_map: dict[str, str]):
        self.context = dict(prefix_map)
        # longest namespace first: tg:children rather than fk:target-group/children; then the shortest name
        self.order = sorted(prefix_map.items(), key=lambda kv: (-len(kv[1]), len(kv[0]), kv[0]))
        self._done: dict[str, str] = {}  # IRI -> its compact form (a dump names each predicate thousands of times)

    def iri(self, iri: str) -> str:
        done = self._done.get(iri)
        if done is None:
            done = self._done[iri] = self._compact_iri(iri)
        return done

    def _compact_iri(self, iri: str) -> str:
        if iri.startswith("_:"):
            return iri
        for prefix, namespace in self.order:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                suffix = iri[len(namespace) :]
                if not suffix.startswith("//"):
                    return f"{prefix}:{suffix}"
        scheme, colon, rest = iri.partition(":")
        if colon and scheme in self.context and not rest.startswith("//"):
            raise NotCompactable(iri)
        return iri

    def value(self, value):
        if isinstance(value, dict):
            if "@value" in value:
                if set(value) == {"@value"} and isinstance(value["@value"], str):
                    return value["@value"]
                out = dict(value)
                if "@type" in out:
                    out["@type"] = self.iri(out["@type"])
                return out
            if "@list" in value:
                return {"@list": [self.value(v) for v in value["@list"]]}
            return self.node(value)
        return value

    def node(self, node: dict) -> dict:
        given = node.get("@type", [])
        types = list(given) if isinstance(given, list) else [given]
        rdf_types = node.get(RDF_TYPE) or []
        move = bool(rdf_types) and all(  # rdf:type written as a property: @type in compact form
            isinstance(v, dict) and set(v) == {"@id"} and not v["@id"].startswith("_:") for v in rdf_types
        )
        if move:
            types += [v["@id"] for v in rdf_types]
        out: dict = {}
        if "@id" in node:
            out["@id"] = self.iri(node["@id"])
        if types:
            compact_types = [self.iri(t) for t in types]
            out["@type"] = compact_types[0] if len(compact_types) == 1 else compact_types
        for key, values in node.items():
            if key in ("@id", "@type") or (key == RDF_TYPE and move):
                continue
            if key == "@graph":
                out["@graph"] = [self.value(v) for v in values]
            elif key.startswith("@"):
                out[key] = values
            else:
                compacted = [self.value(v) for v in (values if isinstance(values, list) else [values])]
                out[self.iri(key)] = compacted[0] if len(compacted) == 1 else compacted
        return out

    def document(self, expanded) -> dict:
        nodes = expanded if isinstance(expanded, list) else expanded.get("@graph", [expanded])
        compacted = [self.value(n) for n in nodes]
        if len(compacted) == 1 and isinstance(compacted[0], dict):
            return {"@context": self.context, **compacted[0]}
        return {"@context": self.context, "@graph": compacted}


def compact(body: bytes, prefix_map: dict[str, str]) -> bytes:
    """Compact JSON-LD of ``body`` (expanded JSON-LD); raises NotCompactable when an IRI cannot be written."""
    document = Compactor(prefix_map).document(json.loads(body))
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
