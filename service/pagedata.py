"""The data behind the specific sections of a resource page (program, listing, plan, ...).

Runs inside a worker process, next to :func:`service.describe.describe`. What a page needs is
read with a few SPARQL queries, never one per property: one CONSTRUCT per kind of resource
(``service/queries/{kind}.rq``) returns the subgraph around the resource, then
``service/queries/spans.rq`` reads every source span that subgraph points to, in one go. The
labels of every IRI mentioned are read afterwards by ``describe`` with the rest of the page.

In the query files ``$this`` stands for the resource's IRI and ``$spans`` for a list of span IRIs;
both are replaced by IRIs that :func:`service.describe.valid_iri` accepts, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg.graph import vocab
from fukushi_kg.graph.store import triples
from fukushi_kg.service.results import term_json

QUERIES = Path(__file__).parent / "queries"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# The kind of page by rdf:type; the first that matches wins (a Relisting is a Listing).
KINDS = [
    ("program", vocab.iri("Program")),
    ("listing", vocab.iri("Listing")),
    ("plan", vocab.iri("Plan")),
    ("indicator", vocab.iri("Indicator")),
    ("metric-table", vocab.iri("MetricTable")),
    ("span", vocab.iri("SourceSpan")),
    *[
        ("component", vocab.iri(c))
        for c in ("Goal", "PolicyArea", "Measure", "BasicPolicy", "Viewpoint", "Initiative", "PlanComponent")
    ],
]
SPAN_PREDICATES = {
    vocab.iri(p)
    for p in (
        "span",
        "nameSpan",
        "divisionSpan",
        "evaluationSpan",
        "descriptionSpan",
        "marksSpan",
        "unitSpan",
        "evidenceSpan",
    )
}
MAX_TRIPLES = 20_000
SPANS_PER_QUERY = 400
_THIS = re.compile(r"\$this\b")
_SPANS = re.compile(r"\$spans\b")


def kind_of(types: set[str]) -> str | None:
    """The page kind of a resource with these rdf:types, or None for a generic page."""
    for kind, cls in KINDS:
        if cls in types:
            return kind
    return None


@cache
def query_text(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _fill(text: str, placeholder: re.Pattern[str], value: str) -> str:
    """``text`` with every ``placeholder`` replaced by ``value`` as it is (no backslash escapes)."""
    return placeholder.sub(lambda _: value, text)


def _construct(store: ox.Store, query: str) -> list[dict]:
    out: list[dict] = []
    for triple in triples(store.query(query, use_default_graph_as_union=True)):
        if len(out) >= MAX_TRIPLES:
            break
        out.append({"s": term_json(triple.subject), "p": triple.predicate.value, "o": term_json(triple.object)})
    return out


def page_data(store: ox.Store, iri: str, types: set[str], iri_ref: Callable[[str], str]) -> dict | None:
    """``{"kind", "triples"}`` for a resource with a specific page, else None.

    ``iri_ref`` turns a checked IRI into ``<...>`` (raises ValueError on anything else).
    """
    kind = kind_of(types)
    if kind is None:
        return None
    found = _construct(store, _fill(query_text(kind), _THIS, iri_ref(iri)))
    spans = {t["o"]["value"] for t in found if t["p"] in SPAN_PREDICATES and t["o"]["type"] == "uri"}
    if kind == "span":
        spans.add(iri)
    ordered = sorted(spans)
    for start in range(0, len(ordered), SPANS_PER_QUERY):
        values = " ".join(iri_ref(s) for s in ordered[start : start + SPANS_PER_QUERY])
        found += _construct(store, _fill(query_text("spans"), _SPANS, values))
    return {"kind": kind, "triples": found}
