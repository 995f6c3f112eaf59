"""The ``indicators`` table with ``indicator_notes``, and ``observations`` with ``observation_notes``:
each indicator as fk:Indicator / qb:DataSet of its plan or component (name, unit, series, data source),
each observation as qb:Observation (kind, status, year, value or change from the baseline, value as
printed, series, comparison value); "not measured" is a status, never a zero. Where a series prints
no baseline, its earliest actual with a number is marked fk:usedAsBaseline."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.iris import ascii_code
from fukushi_kg.graph.mapping.terms import QB, decimal, ja
from fukushi_kg.graph.records import DocumentRecords, Indicator
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.vocab import FK, concept


def add_indicators(ctx: Context, doc: Document, rec: DocumentRecords) -> None:
    g = ctx.g(doc.id)
    lines = doc.lines()
    level_of = {c.code: c.level for c in rec.components}
    for ind in rec.indicators:
        node = ctx.iris.indicator(ind.plan, ind.key)
        g.add((node, RDF.type, FK.Indicator))
        g.add((node, RDF.type, QB.DataSet))
        has_series = bool(ind.series) or any(o.series for o in ind.observations)
        g.add((node, QB.structure, FK.indicatorSeriesStructure if has_series else FK.indicatorStructure))
        g.add((node, RDFS.label, ja(ind.name if not ind.series else f"{ind.name}（{ind.series}）")))
        g.add((node, FK.inPlan, ctx.iris.plan(ind.plan)))
        target = (
            ctx.iris.component(ind.plan, level_of[ind.component], ind.component)
            if ind.component
            else ctx.iris.plan(ind.plan)
        )
        g.add((node, FK.indicatorOf, target))
        g.add((node, FK.nameSpan, ctx.span(g, ind.span, lines)))
        if ind.unit:
            g.add((node, FK.unit, Literal(ind.unit)))
        if ind.series:
            g.add((node, FK.series, Literal(ind.series)))
        if ind.source:
            g.add((node, FK.dataSource, ja(ind.source)))
        if ind.calendar_years:
            g.add((node, FK.calendarYears, Literal(True)))
        for note in ind.notes:
            g.add((node, FK.readingNote, Literal(note)))
        _observations(ctx, g, node, ind, lines)


def _observations(ctx: Context, g: Graph, node: URIRef, ind: Indicator, lines: list[str]) -> None:
    reference = baseline_stand_ins(ind)
    seen: dict[str, int] = {}
    for obs in ind.observations:
        key = f"{obs.kind}-{obs.year}" + (f"-{ascii_code(obs.series_key)}" if obs.series_key else "")
        seen[key] = seen.get(key, 0) + 1
        o = URIRef(f"{node}/{key}" + (f"-{seen[key]}" if seen[key] > 1 else ""))
        g.add((o, RDF.type, QB.Observation))
        g.add((o, QB.dataSet, node))
        g.add((o, FK.refYear, Literal(str(obs.year), datatype=XSD.gYear)))
        g.add((o, FK.observationKind, concept("observation-kind", obs.kind)))
        g.add((o, FK.observationStatus, concept("observation-status", obs.status)))
        g.add((o, FK.valueAsPrinted, Literal(obs.raw)))
        if obs.value is not None and obs.change is not None:
            raise ValueError(f"{ind.key} {key}: a value printed as a change from the baseline is not also a level")
        if obs.value is not None:
            g.add((o, FK.value, decimal(obs.value)))
        if obs.change is not None:
            g.add((o, FK.changeFromBaseline, decimal(obs.change)))
        if ind.unit:
            g.add((o, FK.unit, Literal(ind.unit)))
        series = obs.series or ind.series
        if series:
            g.add((o, FK.series, Literal(series)))
        if id(obs) in reference:
            g.add((o, FK.usedAsBaseline, Literal(True)))
        g.add((o, FK.span, ctx.span(g, obs.span, lines)))
        if obs.uncertain:
            g.add((o, FK.uncertain, Literal(True)))
        for note in obs.notes:
            g.add((o, FK.readingNote, Literal(note)))
        if obs.comparison:
            c = URIRef(f"{o}/comparison")
            g.add((o, FK.comparisonValue, c))
            g.add((c, RDFS.label, ja(obs.comparison.label)))
            g.add((c, FK.refYear, Literal(str(obs.year), datatype=XSD.gYear)))
            g.add((c, FK.valueAsPrinted, Literal(obs.comparison.raw)))
            if obs.comparison.value is not None:
                g.add((c, FK.value, decimal(obs.comparison.value)))
            if obs.comparison.unit:
                g.add((c, FK.unit, Literal(obs.comparison.unit)))
            g.add((c, FK.span, ctx.span(g, obs.comparison.span, lines)))


def baseline_stand_ins(ind: Indicator) -> set[int]:
    """ids of the observations that stand in for a baseline the indicator does not print: per
    series, the earliest actual with a number, where that series has no baseline observation."""
    out: set[int] = set()
    for series in {o.series or ind.series for o in ind.observations}:
        obs = [o for o in ind.observations if (o.series or ind.series) == series]
        if any(o.kind == "baseline" for o in obs):
            continue
        actuals = sorted((o for o in obs if o.kind == "actual" and o.value is not None), key=lambda o: o.year)
        if actuals:
            out.add(id(actuals[0]))
    return out
