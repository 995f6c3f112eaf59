"""The ``components`` table with ``component_spans``: the component tree of a plan (fk:Goal,
fk:PolicyArea, fk:Measure, fk:BasicPolicy, fk:Viewpoint, fk:Initiative) with printed code
(skos:notation), title, heading, order among siblings, parent, stated target and the actions taken
and future direction a progress report prints for it."""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import ja
from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.vocab import FK

LEVEL_CLASS = {
    "goal": FK.Goal,
    "policy": FK.PolicyArea,
    "measure": FK.Measure,
    "basic-policy": FK.BasicPolicy,
    "viewpoint": FK.Viewpoint,
    "initiative": FK.Initiative,
}


def add_components(ctx: Context, doc: Document, rec: DocumentRecords) -> None:
    g = ctx.g(doc.id)
    lines = doc.lines()
    level_of = {c.code: c.level for c in rec.components}
    order: dict[tuple[str, str | None], int] = {}
    for c in rec.components:
        node = ctx.iris.component(c.plan, c.level, c.code)
        g.add((node, RDF.type, LEVEL_CLASS[c.level]))
        g.add((node, FK.inPlan, ctx.iris.plan(c.plan)))
        g.add((node, SKOS.notation, Literal(c.code)))
        g.add((node, RDFS.label, ja(c.title)))
        g.add((node, FK.heading, Literal(c.heading)))
        g.add((node, FK.span, ctx.span(g, c.span, lines)))
        n = order[(c.plan, c.parent)] = order.get((c.plan, c.parent), 0) + 1
        g.add((node, FK.order, Literal(n)))
        if c.parent:
            g.add((node, FK.parentComponent, ctx.iris.component(c.plan, level_of[c.parent], c.parent)))
        if c.target:
            g.add((node, FK.statedTarget, ja(c.target)))
            if c.target_span:
                g.add((node, FK.span, ctx.span(g, c.target_span, lines)))
        for prop, span_prop, text, spans in (
            (FK.actionsTaken, FK.actionsSpan, c.actions, c.actions_spans),
            (FK.futureDirection, FK.futureDirectionSpan, c.plans_ahead, c.plans_ahead_spans),
        ):
            if text:
                g.add((node, prop, ja(text)))
            for span in spans:
                g.add((node, span_prop, ctx.span(g, span, lines)))
