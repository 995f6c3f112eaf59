"""Read everything the store says about one IRI, as plain data for the HTML page.

Runs inside a worker process on a pyoxigraph Store. Generic: every outgoing and incoming
statement with its graph, labels resolved for every IRI mentioned, blank-node objects expanded
one level (evidence, source spans), and for a named graph its size and a sample of subjects.
Resources with a specific page (programs, listings, plans, ...) also get ``page``: the subgraph
around them that :mod:`service.pagedata` reads with a few queries.
"""

from __future__ import annotations

import pyoxigraph as ox

from fukushi_kg.graph.store import solutions
from fukushi_kg.service import pagedata
from fukushi_kg.service.results import term_json

LABELS = [
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://schema.org/name",
    "http://xmlns.com/foaf/0.1/name",
]
COMMENTS = [
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.org/dc/terms/description",
]
MAX_STATEMENTS = 2000
MAX_INCOMING = 1000
MAX_SAMPLE = 200


_NOT_IN_IRI = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}


def valid_iri(value: str) -> bool:
    """True when ``value`` can stand in a SPARQL IRIREF as is (nothing can break out of ``<...>``)."""
    return bool(value) and not any(c in _NOT_IN_IRI for c in value)


def _iri(value: str) -> str:
    if not valid_iri(value):
        raise ValueError(f"not an IRI: {value!r}")
    return "<" + value + ">"


def _labels(store: ox.Store, iris: set[str]) -> dict[str, dict[str, str]]:
    """{iri: {lang: label}} for every IRI that has a label; '' is the untagged label."""
    out: dict[str, dict[str, str]] = {}
    if not iris:
        return out
    label_path = "|".join(_iri(p) for p in LABELS)
    for chunk_start in range(0, len(iris), 500):
        chunk = sorted(iris)[chunk_start : chunk_start + 500]
        values = " ".join(_iri(i) for i in chunk)
        query = f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x {label_path} ?l }}"
        for row in solutions(store.query(query, use_default_graph_as_union=True)):
            label, subject = row["l"], row["x"]
            if isinstance(label, ox.Literal) and subject is not None:
                out.setdefault(subject.value, {}).setdefault(label.language or "", label.value)
    return out


def _statement_rows(store: ox.Store, query: str, limit: int) -> tuple[list[dict], bool]:
    rows = []
    for row in solutions(store.query(query + f" LIMIT {limit + 1}")):
        rows.append({k: term_json(row[k]) for k in ("p", "o", "s", "g", "bp", "bo") if _bound(row, k)})
    return rows[:limit], len(rows) > limit


def _bound(row, key: str) -> bool:
    try:
        return row[key] is not None
    except (KeyError, IndexError, TypeError):
        return False


def describe(store: ox.Store, iri: str, lang: str = "ja") -> dict:
    """All that is known of ``iri``; ``found`` is False when the store never mentions it."""
    node = _iri(iri)
    outgoing, out_cut = _statement_rows(
        store, f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }} ORDER BY ?p ?o", MAX_STATEMENTS
    )
    outgoing_default, _ = _statement_rows(store, f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}", MAX_STATEMENTS)
    outgoing += outgoing_default
    expanded, _ = _statement_rows(
        store,
        f"SELECT ?o ?bp ?bo WHERE {{ GRAPH ?g {{ {node} ?p ?o . FILTER(isBlank(?o)) ?o ?bp ?bo }} }}",
        MAX_STATEMENTS,
    )
    incoming, in_cut = _statement_rows(
        store, f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {node} }} }} ORDER BY ?p ?s", MAX_INCOMING
    )
    graph = ox.NamedNode(iri)
    is_graph = store.contains_named_graph(graph)
    graph_size = 0
    sample: list[dict] = []
    if is_graph:
        counted = next(iter(solutions(store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {node} {{ ?s ?p ?o }} }}"))))
        graph_size = int(counted["n"].value) if counted["n"] is not None else 0
        sample, _ = _statement_rows(
            store,
            f"SELECT DISTINCT ?s ?o WHERE {{ GRAPH {node} {{ ?s a ?o FILTER(isIRI(?s)) }} }} ORDER BY ?o ?s",
            MAX_SAMPLE,
        )
    blank: dict[str, list[dict]] = {}
    for row in expanded:
        blank.setdefault(row["o"]["value"], []).append({"p": row["bp"], "o": row["bo"]})
    types = {r["o"]["value"] for r in outgoing if r["p"]["value"] == pagedata.RDF_TYPE and r["o"]["type"] == "uri"}
    page = pagedata.page_data(store, iri, types, _iri)
    mentioned = {iri}
    for triple in page["triples"] if page else ():
        mentioned.add(triple["p"])
        for key in ("s", "o"):
            if triple[key]["type"] == "uri":
                mentioned.add(triple[key]["value"])
    for row in outgoing + incoming + sample + expanded:
        for key in ("p", "o", "s", "g", "bp", "bo"):
            term = row.get(key)
            if term and term["type"] == "uri":
                mentioned.add(term["value"])
    found = bool(outgoing or incoming or is_graph)
    return {
        "iri": iri,
        "found": found,
        "outgoing": outgoing,
        "outgoing_truncated": out_cut,
        "incoming": incoming,
        "incoming_truncated": in_cut,
        "blank": blank,
        "is_graph": is_graph,
        "graph_size": graph_size,
        "sample": sample,
        "page": page,
        "labels": _labels(store, mentioned),
    }
