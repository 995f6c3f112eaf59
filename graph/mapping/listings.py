"""The ``listings`` table with ``listing_actors`` and ``listing_notes``: each place a plan or progress
report lists a program, as fk:Listing (fk:Relisting for a 再掲) — names as printed, plan, component and
place in it, spans, responsible divisions, self-evaluation grade, printed re-listing codes, flags,
summary and narrative fields, ◎ lead and ○ partner actors, activity unit, reading notes — and its
metric tables (graph.mapping.metrics). Which program a listing belongs to is graph.mapping.programs'."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from fukushi_kg.graph.mapping import metrics
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import ja
from fukushi_kg.graph.records import Component, Listing
from fukushi_kg.graph.text import norm
from fukushi_kg.graph.vocab import FK, concept

ACTIVITY_UNITS = {
    "市内全域": "whole-city",
    "市全域": "whole-city",
    "各区": "ward",
    "各区域": "ward",
    "小学校区": "elementary-school-district",
    "日常生活圏域(地域包括ケア圏域)": "daily-life-area",
    "日常生活圏域": "daily-life-area",
    "町内自治会・隣近所": "neighbourhood",
    "町内自治会": "neighbourhood",
}


def activity_unit(text: str) -> URIRef:
    """The activity-unit concept of a printed unit (市内全域, 各区 …)."""
    slug = ACTIVITY_UNITS.get(norm(text))
    if slug is None:
        raise ValueError(f"activity unit {text!r} is not in the activity-unit code list")
    return concept("activity-unit", slug)


def add_listing(ctx: Context, g: Graph, node: URIRef, lst: Listing, comp: Component, lines: list[str]) -> None:
    g.add((node, RDF.type, FK.Listing))
    if lst.relisting_role == "relisting":
        g.add((node, RDF.type, FK.Relisting))
    g.add((node, RDFS.label, ja(lst.name)))
    for extra in lst.names:
        if extra != lst.name:
            g.add((node, SKOS.altLabel, ja(extra)))
    g.add((node, FK.nameAsPrinted, Literal(lst.name_as_printed)))
    g.add((node, FK.inPlan, ctx.iris.plan(lst.plan)))
    g.add((node, FK.listedUnder, ctx.iris.component(lst.plan, comp.level, comp.code)))
    # the printed codes that locate it: its component's (1.1.1), under a viewpoint with the
    # viewpoint's (Ⅲ-1/10: initiative 10 of viewpoint Ⅲ-1); its position there is fk:order
    place = f"{comp.parent}/{comp.code}" if comp.level == "initiative" and comp.parent else comp.code
    g.add((node, FK.placeInPlan, Literal(place)))
    g.add((node, FK.order, Literal(lst.seq)))
    g.add((node, FK.statedIn, ctx.iris.document(lst.name_span.doc)))
    g.add((node, FK.span, ctx.span(g, lst.span, lines)))
    g.add((node, FK.nameSpan, ctx.span(g, lst.name_span, lines)))
    city = ctx.plan_city[lst.plan]
    for div in lst.divisions:
        g.add((node, FK.responsibleDivision, ctx.division(city, div)))
    if lst.division_as_printed:
        g.add((node, FK.divisionAsPrinted, Literal(lst.division_as_printed)))
    if lst.division_span:
        g.add((node, FK.divisionSpan, ctx.span(g, lst.division_span, lines)))
    if lst.self_evaluation:
        g.add((node, FK.selfEvaluation, concept("grade", lst.self_evaluation)))
    if lst.self_evaluation_span:
        g.add((node, FK.evaluationSpan, ctx.span(g, lst.self_evaluation_span, lines)))
    for code in lst.relisted_at:
        g.add((node, FK.printedRelistingCode, Literal(code)))
    for flag in lst.flags:
        g.add((node, FK.flag, ctx.code("flag", flag)))
    for prop, text, _span in (
        (FK.description, lst.description, lst.description_span),
        (FK.actionsTaken, lst.actions, lst.actions_span),
        (FK.futureDirection, lst.plans_ahead, lst.plans_ahead_span),
        (FK.evaluationReason, lst.evaluation_reason, lst.evaluation_reason_span),
    ):
        if text:
            g.add((node, prop, ja(text)))
    if lst.description_span:
        g.add((node, FK.descriptionSpan, ctx.span(g, lst.description_span, lines)))
    for span_prop, span in (
        (FK.actionsSpan, lst.actions_span),
        (FK.futureDirectionSpan, lst.plans_ahead_span),
        (FK.evaluationReasonSpan, lst.evaluation_reason_span),
    ):
        if span:
            g.add((node, span_prop, ctx.span(g, span, lines)))
    for actor in lst.lead:
        g.add((node, FK.leadActor, concept("actor", actor)))
    for actor in lst.partners:
        g.add((node, FK.partnerActor, concept("actor", actor)))
    if lst.marks_as_printed is not None:
        g.add((node, FK.marksAsPrinted, Literal(lst.marks_as_printed)))
    if lst.marks_span:
        g.add((node, FK.marksSpan, ctx.span(g, lst.marks_span, lines)))
    if lst.unit:
        g.add((node, FK.activityUnit, activity_unit(lst.unit)))
    if lst.unit_span:
        g.add((node, FK.unitSpan, ctx.span(g, lst.unit_span, lines)))
    if lst.uncertain:
        g.add((node, FK.uncertain, Literal(True)))
    for note in lst.notes:
        g.add((node, FK.readingNote, Literal(note)))
    metrics.add_metric_tables(ctx, g, node, lst, lines)
