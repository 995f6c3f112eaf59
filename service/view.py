"""Turn describe() data into what the resource template shows: labelled links, grouped statements."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import quote

from fukushi_kg.service.links import safe_href

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PREDICATES = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
}
MAX_LITERAL = 4000  # characters of one literal shown in the generic table
WELL_KNOWN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dct:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://schema.org/": "schema:",
    "http://rdfs.org/ns/void#": "void:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://purl.org/linked-data/cube#": "qb:",
    "http://data.europa.eu/eli/ontology#": "eli:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/ns/oa#": "oa:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
}


def local_href(iri: str, base: str) -> str | None:
    """The path on this service for an IRI minted under ``base``; http(s) IRIs elsewhere link out;
    anything else (``javascript:``, ``data:``, ``urn:``…) is no link (``service.links.safe_href``)."""
    if iri.startswith(base):
        return safe_href("/" + quote(iri[len(base) :], safe="/:@!$&'()*+,;=-._~%"))
    return safe_href(iri)


def compact(iri: str, base: str) -> str:
    if iri.startswith(base + "def/"):
        return "fk:" + iri[len(base) + 4 :]
    for ns, prefix in WELL_KNOWN.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


def pick_label(labels: dict[str, str] | None, lang: str) -> str | None:
    if not labels:
        return None
    for key in (lang, "ja" if lang != "ja" else "en", ""):
        if key in labels:
            return labels[key]
    return next(iter(labels.values()))


class Viewer:
    """Renders terms of one page with the page's labels, base and language."""

    def __init__(self, labels: dict[str, dict[str, str]], base: str, lang: str = "ja"):
        self.labels, self.base, self.lang = labels, base, lang

    def label(self, iri: str) -> str:
        return pick_label(self.labels.get(iri), self.lang) or compact(iri, self.base)

    def term(self, term: dict) -> dict:
        kind = term["type"]
        if kind == "uri":
            iri = term["value"]
            return {"kind": "iri", "text": self.label(iri), "iri": iri, "href": local_href(iri, self.base)}
        if kind == "bnode":
            return {"kind": "bnode", "text": "_:" + term["value"], "id": term["value"]}
        if kind == "triple":
            v = term["value"]
            text = " ".join(self.term(v[k])["text"] for k in ("subject", "predicate", "object"))
            return {"kind": "literal", "text": "<< " + text + " >>"}
        datatype = term.get("datatype")
        text = term["value"]
        if len(text) > MAX_LITERAL:  # a whole-document quote: the RDF formats carry it in full
            text = text[:MAX_LITERAL] + f" … (+{len(term['value']) - MAX_LITERAL})"
        return {
            "kind": "literal",
            "text": text,
            "lang": term.get("xml:lang"),
            "datatype": compact(datatype, self.base) if datatype else None,
        }

    def groups(self, rows: list[dict], key: str, skip: Collection[str] = frozenset()) -> list[dict]:
        """Statements grouped by predicate: [{predicate, values: [{term, graph}]}], predicates by label."""
        grouped: dict[str, list] = {}
        for row in rows:
            predicate = row["p"]["value"]
            if predicate in skip:
                continue
            grouped.setdefault(predicate, []).append(
                {"term": self.term(row[key]), "graph": self.term(row["g"]) if "g" in row else None}
            )
        return [
            {"predicate": self.term({"type": "uri", "value": p}), "vals": values}
            for p, values in sorted(grouped.items(), key=lambda kv: self.label(kv[0]))
        ]


def resource_view(data: dict, base: str, lang: str) -> dict:
    """Everything the resource page needs, with every value labelled and linked."""
    viewer = Viewer(data["labels"], base, lang)
    iri = data["iri"]
    own = data["labels"].get(iri, {})
    types = [viewer.term(r["o"]) for r in data["outgoing"] if r["p"]["value"] == RDF_TYPE]
    blank = {
        node: viewer.groups([{"p": s["p"], "o": s["o"]} for s in statements], "o")
        for node, statements in data["blank"].items()
    }
    graphs = sorted({r["g"]["value"] for r in data["outgoing"] + data["incoming"] if "g" in r})
    return {
        "iri": iri,
        "title": pick_label(own, lang) or compact(iri, base),
        "labels": sorted(own.items()),
        "types": types,
        "outgoing": viewer.groups(data["outgoing"], "o", skip={RDF_TYPE}),
        "incoming": viewer.groups(data["incoming"], "s"),
        "outgoing_truncated": data["outgoing_truncated"],
        "incoming_truncated": data["incoming_truncated"],
        "blank": blank,
        "graphs": [viewer.term({"type": "uri", "value": g}) for g in graphs],
        "is_graph": data["is_graph"],
        "graph_size": data["graph_size"],
        "sample": [{"s": viewer.term(r["s"]), "type": viewer.term(r["o"])} for r in data["sample"]],
    }
