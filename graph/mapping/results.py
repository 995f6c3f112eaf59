"""The ``results`` table with ``result_sub_amounts``, ``result_description_spans`` and
``result_notes``: each program of a results report as fk:ProgramResult — name as printed, fiscal
year, responsible divisions and the reporting unit (a fk:JointReportingUnit when one 所属 cell names
several divisions), amount as printed and in yen, sub-amounts, flags, qualifiers, description and
its runs, reading notes. Which program a result belongs to is graph.mapping.programs'."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import ORG, SKOS

from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import ja
from fukushi_kg.graph.records import ProgramResult
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.text import norm
from fukushi_kg.graph.vocab import FK, concept

AMOUNT_UNITS = {"千円": ("thousand-yen", 1000), "円": ("yen", 1)}


def add_result(ctx: Context, g: Graph, node: URIRef, r: ProgramResult, doc: Document, lines: list[str]) -> None:
    g.add((node, RDF.type, FK.ProgramResult))
    g.add((node, RDFS.label, ja(r.name)))
    g.add((node, FK.nameAsPrinted, Literal(r.name_as_printed)))
    g.add((node, FK.statedIn, ctx.iris.document(r.doc)))
    g.add((node, FK.order, Literal(r.seq)))
    g.add((node, FK.fiscalYear, Literal(str(r.fiscal_year), datatype=XSD.gYear)))
    g.add((node, FK.span, ctx.span(g, r.span, lines)))
    g.add((node, FK.nameSpan, ctx.span(g, r.name_span, lines)))
    city = ctx.city_slug(doc.city) or "kumamoto-city"
    divisions = [ctx.division(city, div) for div in split_division(ctx, city, r.division)]
    for div in divisions:
        g.add((node, FK.responsibleDivision, div))
    unit_of = divisions[0] if len(divisions) == 1 else joint_unit(ctx, city, r.division, divisions)
    g.add((node, FK.reportingUnit, unit_of))
    g.add((node, FK.divisionAsPrinted, Literal(r.division)))
    g.add((node, FK.divisionSpan, ctx.span(g, r.division_span, lines)))
    unit = amount_unit(r.unit)
    g.add((node, FK.amountAsPrinted, Literal(r.amount_raw)))
    g.add((node, FK.amountUnit, unit[0]))
    if r.amount is not None:
        g.add((node, FK.amount, Literal(r.amount, datatype=XSD.integer)))
        g.add((node, FK.amountYen, Literal(r.amount * unit[1], datatype=XSD.integer)))
    if r.amount_span:
        g.add((node, FK.amountSpan, ctx.span(g, r.amount_span, lines)))
    for n, sub in enumerate(r.sub_amounts, start=1):
        s = URIRef(f"{node}/sub/{n}")
        g.add((node, FK.subAmount, s))
        g.add((s, RDFS.label, ja(sub.label)))
        g.add((s, FK.amountAsPrinted, Literal(sub.raw)))
        g.add((s, FK.amountUnit, unit[0]))
        if sub.amount is not None:
            g.add((s, FK.amount, Literal(sub.amount, datatype=XSD.integer)))
            g.add((s, FK.amountYen, Literal(sub.amount * unit[1], datatype=XSD.integer)))
        g.add((s, FK.amountSpan, ctx.span(g, sub.span, lines)))
    for flag in r.flags:
        g.add((node, FK.flag, ctx.code("flag", flag)))
    for q in r.qualifiers:
        g.add((node, FK.qualifier, ctx.code("qualifier", q)))
    if r.description:
        g.add((node, FK.description, ja(r.description)))
    # the exact runs of a description printed in pieces; its first..last span would quote other rows
    for span in r.description_spans or ([r.description_span] if r.description_span else []):
        g.add((node, FK.descriptionSpan, ctx.span(g, span, lines)))
    if r.uncertain:
        g.add((node, FK.uncertain, Literal(True)))
    for note in r.notes:
        g.add((node, FK.readingNote, Literal(note)))


def amount_unit(unit: str) -> tuple[URIRef, int]:
    """The unit concept of an amount and its multiplier to yen."""
    if unit not in AMOUNT_UNITS:
        raise ValueError(f"amount unit {unit!r} is not in the units code list (千円, 円)")
    slug, mult = AMOUNT_UNITS[unit]
    return concept("unit", slug), mult


def joint_unit(ctx: Context, city: str, printed: str, members: list[URIRef]) -> URIRef:
    """One 所属 cell naming several divisions that report one amount: a joint reporting unit
    (its IRI from its members' slugs), so that sums by unit count the amount once."""
    node = ctx.iris.division(city, "joint/" + "+".join(str(m).rsplit("/", 1)[1] for m in members))
    if node not in ctx.divisions_done:
        ctx.divisions_done.add(node)
        g = ctx.g("vocabularies")
        g.add((node, RDF.type, FK.JointReportingUnit))
        g.add((node, RDF.type, ORG.OrganizationalUnit))
        g.add((node, RDFS.label, ja(printed)))
        g.add((node, SKOS.prefLabel, ja(printed)))
        g.add((node, ORG.unitOf, ctx.iris.city(city)))
        for m in members:
            g.add((node, FK.memberDivision, m))
    return node


def split_division(ctx: Context, city: str, name: str) -> list[str]:
    """A division cell as its divisions: split on 、 or ・ only when every part is a known division."""
    for sep in ("、", "・"):
        parts = [p for p in name.split(sep) if p]
        if len(parts) > 1 and all((city, norm(p)) in ctx.division_index for p in parts):
            return parts
    return [name]
