"""The ``plans`` table with ``plan_legal_basis``, ``plan_parents`` and ``plan_sdg_goals``: each plan
as fk:Plan (labels, stated-in document, span, city, period, adoption date, publishers, fk:legalBasis,
fk:parentPlan, fk:sdgGoal, fk:principle), and fk:reportsOn from a progress report to its plan."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Literal
from rdflib.namespace import DCTERMS

from fukushi_kg.graph.mapping import laws
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.iris import slug_hash
from fukushi_kg.graph.mapping.terms import SDG, date_literal, en, ja
from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.vocab import FK


def add_plan(ctx: Context, doc: Document, rec: DocumentRecords) -> None:
    g = ctx.g(doc.id)
    lines = doc.lines()
    for plan in rec.plans:
        node = ctx.iris.plan(plan.key)
        g.add((node, RDF.type, FK.Plan))
        g.add((node, RDFS.label, ja(plan.title)))
        g.add((node, RDFS.label, en(plan.title_en)))
        g.add((node, DCTERMS.title, ja(plan.title)))
        g.add((node, FK.statedIn, ctx.iris.document(doc.id)))
        g.add((node, FK.span, ctx.span(g, plan.span, lines)))
        city = ctx.city_slug(plan.city)
        if not city:  # its divisions and programs belong to a city: one the registries name
            raise ValueError(
                f"plan {plan.key}: city {plan.city!r} is not in data/reviewed/organisations.toml "
                "(a plan folder of one's own may add it in its organisations.toml)"
            )
        ctx.plan_city[plan.key] = city
        g.add((node, FK.city, ctx.iris.city(city)))
        if plan.period_start:
            g.add((node, FK.periodStart, Literal(str(plan.period_start), datatype=XSD.gYear)))
        if plan.period_end:
            g.add((node, FK.periodEnd, Literal(str(plan.period_end), datatype=XSD.gYear)))
        if plan.period_note:
            g.add((node, FK.periodNote, en(plan.period_note)))
        if plan.adopted:
            g.add((node, DCTERMS.issued, date_literal(plan.adopted)))
        for name in plan.publishers:
            pub = ctx.org_by_name(name)
            g.add((node, DCTERMS.publisher, pub if pub else ja(name)))
        for ref in plan.legal_basis:
            g.add((node, FK.legalBasis, laws.add_article(ctx, ref)))
        for title, span in plan.parent_plans:
            parent = ctx.iris.plan("ref-" + slug_hash(title))
            g.add((node, FK.parentPlan, parent))
            g.add((parent, RDF.type, FK.Plan))
            g.add((parent, RDFS.label, ja(title)))
            g.add((parent, FK.span, ctx.span(g, span, lines)))
        for goal, _span in plan.sdg_goals:
            g.add((node, FK.sdgGoal, SDG[str(goal)]))
        if plan.principle:
            g.add((node, FK.principle, ja(plan.principle[0])))
        if doc.kind == "plan-progress-report":
            g.add((ctx.iris.document(doc.id), FK.reportsOn, node))
