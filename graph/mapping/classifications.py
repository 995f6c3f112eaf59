"""Target-group classifications (no table of their own: graph.classify derives them from the names,
descriptions and components of listings, results and initiatives): fk:servesTargetGroup on the
program or initiative, and a fk:TargetGroupClassification beside the row with its evidence (kind,
matched words, span, component)."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from fukushi_kg.graph import classify
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import ja
from fukushi_kg.graph.records import Component
from fukushi_kg.graph.vocab import FK, concept


def add_classification(
    ctx: Context,
    g: Graph,
    subject: URIRef,
    link: URIRef,
    served: URIRef,
    ev: classify.Evidence,
    name: str,
    comps: dict[str, Component] | None,
    lines: list[str],
) -> None:
    """Record that ``served`` (a program or initiative) serves a target group, with the evidence."""
    node = URIRef(f"{subject}/target-group/{ev.group}/{ev.kind}")
    group = concept("target-group", ev.group)
    g.add((served, FK.servesTargetGroup, group))
    g.add((node, RDF.type, FK.TargetGroupClassification))
    g.add((node, link, subject))
    g.add((node, FK.targetGroup, group))
    g.add((node, FK.evidenceKind, Literal(ev.kind)))
    g.add((node, FK.matchedText, Literal(ev.matched)))
    g.add((node, RDFS.label, ja(f"{name} → {ev.group} ({ev.kind}: {ev.matched})")))
    if ev.span:
        g.add((node, FK.evidenceSpan, ctx.span(g, ev.span, lines)))
    if ev.component and comps:
        comp = comps[ev.component]
        g.add((node, FK.evidenceComponent, ctx.iris.component(comp.plan, comp.level, comp.code)))
