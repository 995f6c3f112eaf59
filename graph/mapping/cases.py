"""Case-study collections: the ``cities`` table (the span and attribution of each city a collection
reports on) and ``initiatives`` with ``initiative_dates``, ``initiative_figures`` and
``initiative_notes``: each initiative as fk:CityInitiative (title, city, level, theme as fk:Theme,
start date, every stated date as fk:StatedDate, description, outcomes, stated figures as
fk:StatedFigure, reading notes) with its target groups and topics."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from fukushi_kg.graph import classify
from fukushi_kg.graph.mapping.classifications import add_classification
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import ja, start_literal, stated_literal
from fukushi_kg.graph.records import CaseInitiative, DocumentRecords
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.vocab import FK, concept


def add_cases(ctx: Context, doc: Document, rec: DocumentRecords) -> None:
    if not rec.cities and not rec.initiatives:
        return
    g = ctx.g(doc.id)
    lines = doc.lines()
    slug_of: dict[str, str] = {}
    for city in rec.cities:
        slug = ctx.city_slug(city.name)
        if slug is None:
            raise ValueError(f"city {city.name!r} of {doc.id} is not in data/reviewed/organisations.toml")
        slug_of[city.name] = slug
        node = ctx.iris.city(slug)
        g.add((node, FK.span, ctx.span(g, city.span, lines)))
        if city.evidence:
            g.add((node, FK.attributionNote, ja(city.evidence)))
    themes: dict[tuple[str, str], URIRef] = {}
    for ini in rec.initiatives:
        slug = slug_of.get(ini.city) or ctx.city_slug(ini.city)
        if slug is None:
            raise ValueError(f"initiative {ini.title!r}: city {ini.city!r} is not in data/reviewed/organisations.toml")
        node = ctx.iris.initiative(doc.id, slug, ini.seq)
        g.add((node, RDF.type, FK.CityInitiative))
        g.add((node, RDFS.label, ja(ini.title)))
        g.add((node, FK.city, ctx.iris.city(slug)))
        g.add((node, FK.statedIn, ctx.iris.document(doc.id)))
        g.add((node, FK.order, Literal(ini.seq)))
        g.add((node, FK.nameSpan, ctx.span(g, ini.title_span, lines)))
        g.add((node, FK.span, ctx.span(g, ini.span, lines)))
        g.add((node, FK.initiativeLevel, concept("initiative-level", ini.level)))
        if ini.theme:
            key = (slug, ini.theme)
            if key not in themes:
                themes[key] = ctx.iris.theme(doc.id, slug, 1 + sum(1 for k in themes if k[0] == slug))
                _theme(ctx, g, themes[key], slug, ini.theme, ini, lines)
            g.add((node, FK.theme, themes[key]))
        if ini.since:
            g.add((node, FK.startDate, start_literal(ini.since.year, ini.since.month)))
            g.add((node, FK.startDatePrecision, Literal(ini.since.precision)))
            g.add((node, FK.startDateAsPrinted, Literal(ini.since.raw)))
            g.add((node, FK.span, ctx.span(g, ini.since.span, lines)))
        for d in ini.dates_mentioned:
            g.add((node, FK.dateMentioned, start_literal(d.year, d.month)))
        _stated_dates(ctx, g, node, ini, lines)
        if ini.description:
            g.add((node, FK.description, ja(ini.description)))
        if ini.description_span:
            g.add((node, FK.descriptionSpan, ctx.span(g, ini.description_span, lines)))
        if ini.results:
            g.add((node, FK.outcomes, ja(ini.results)))
            if ini.results_span:
                g.add((node, FK.outcomesSpan, ctx.span(g, ini.results_span, lines)))
        _stated_figures(ctx, g, node, ini, lines)
        if ini.uncertain:
            g.add((node, FK.uncertain, Literal(True)))
        for note in ini.notes:
            g.add((node, FK.readingNote, Literal(note)))
        parts = [("name", ini.title, ini.title_span), ("description", ini.description, ini.description_span)]
        for ev in classify.classify_texts(parts):
            add_classification(ctx, g, node, FK.classifiedInitiative, node, ev, ini.title, None, lines)
        for ev in classify.initiative_topics(ini):
            g.add((node, FK.topic, concept("topic", ev.group)))


def _theme(ctx: Context, g: Graph, t: URIRef, slug: str, name: str, ini: CaseInitiative, lines: list[str]) -> None:
    """A city's theme, written with the first initiative under it."""
    g.add((t, RDF.type, FK.Theme))
    g.add((t, RDFS.label, ja(name)))
    g.add((t, FK.city, ctx.iris.city(slug)))
    if ini.theme_span:
        g.add((t, FK.nameSpan, ctx.span(g, ini.theme_span, lines)))
    if ini.theme_description:
        g.add((t, FK.description, ja(ini.theme_description)))
        if ini.theme_description_span:  # a description without its lines would crash here
            g.add((t, FK.descriptionSpan, ctx.span(g, ini.theme_description_span, lines)))


def _stated_dates(ctx: Context, g: Graph, node: URIRef, ini: CaseInitiative, lines: list[str]) -> None:
    """Every date the initiative states (its start first, then the others in reading order), with role and line."""
    for n, d in enumerate([x for x in (ini.since, *ini.dates_mentioned) if x], start=1):
        dn = URIRef(f"{node}/date/{n}")
        g.add((node, FK.statedDate, dn))
        g.add((dn, RDF.type, FK.StatedDate))
        g.add((dn, FK.dateRole, Literal(d.role)))
        g.add((dn, DCTERMS.date, stated_literal(d.year, d.month, d.day)))
        g.add((dn, FK.datePrecision, Literal(d.precision)))
        g.add((dn, FK.valueAsPrinted, Literal(d.raw)))
        g.add((dn, FK.span, ctx.span(g, d.span, lines)))


def _stated_figures(ctx: Context, g: Graph, node: URIRef, ini: CaseInitiative, lines: list[str]) -> None:
    """Figures the initiative states (岡山 47か所 …) as qb:Observations with item, value, unit and date."""
    for n, f in enumerate(ini.figures, start=1):
        o = URIRef(f"{node}/figure/{n}")
        g.add((node, FK.statedFigure, o))
        g.add((o, RDF.type, FK.StatedFigure))
        g.add((o, FK.metricItem, ja(f.item)))
        g.add((o, FK.value, Literal(f.value, datatype=XSD.decimal)))
        g.add((o, FK.valueAsPrinted, Literal(f.raw)))
        if f.unit:
            g.add((o, FK.unit, Literal(f.unit)))
        if f.qualifier:
            g.add((o, FK.qualifier, ctx.code("qualifier", f.qualifier)))
        if f.as_of:
            g.add((o, DCTERMS.date, stated_literal(f.as_of.year, f.as_of.month, f.as_of.day)))
        g.add((o, FK.span, ctx.span(g, f.span, lines)))
