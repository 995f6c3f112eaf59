"""Program identity: the rows of ``listings`` and ``results`` of every document, grouped into
programs by graph.identity (its rules and the reviewed data/reviewed/program-matches.toml). Writes
each fk:Program (label, every printed name as skos:altLabel, fk:hasListing / fk:hasResult), has each
listing and result written (graph.mapping.listings, .results) with its target groups
(graph.mapping.classifications), links re-listings (fk:relistedWith, fk:isRelistingOf), and records
every judgement in ``graph/links`` (fk:ProgramMatch, fk:partOfProgram, fk:sameFamilyAs)."""

from __future__ import annotations

from dataclasses import replace

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from fukushi_kg.graph import classify, identity
from fukushi_kg.graph.mapping.classifications import add_classification
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.listings import add_listing
from fukushi_kg.graph.mapping.results import add_result
from fukushi_kg.graph.mapping.terms import en, ja
from fukushi_kg.graph.records import DocumentRecords, Listing, ProgramResult, Span
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.text import norm
from fukushi_kg.graph.vocab import FK


# Which printed name labels a program found in several documents (README "Program identity"):
# the results report's (the budget's own name for the program, the latest fiscal year first),
# else the first listing's in document order. Every other printed name is a skos:altLabel.
def program_label(group: list[Listing | ProgramResult]) -> str:
    results = sorted((x for x in group if isinstance(x, ProgramResult)), key=lambda r: (-r.fiscal_year, r.seq))
    return results[0].name if results else group[0].name


def add_programs(ctx: Context, docs: list[tuple[Document, DocumentRecords]]) -> None:
    """Listings and results, grouped into programs by graph.identity, with target groups."""
    listings = [lst for _, rec in docs for lst in rec.listings]
    results = [r for _, rec in docs for r in rec.results]
    items: list[Listing | ProgramResult] = [*listings, *results]
    doc_by_id = {doc.id: doc for doc, _ in docs}

    def city_of(item: Listing | ProgramResult) -> str | None:  # programs of two cities are never one
        if isinstance(item, Listing):
            return ctx.plan_city.get(item.plan)
        return ctx.city_slug(doc_by_id[item.name_span.doc].city)

    programs = identity.resolve(items, ctx.match_table, city_of)
    comps = {
        key: {c.code: c for _, rec in docs for c in rec.components if c.plan == key}
        for key in {l.plan for l in listings}
    }
    program_iri = [ctx.iris.program(group[0]) for group in programs.groups]
    by_place = {(l.plan, l.component, identity.name_key(l.name)): l for l in listings}
    for item in items:
        doc = doc_by_id[item.name_span.doc]
        g = ctx.g(doc.id)
        lines = doc.lines()
        gi = programs.group_of(item)
        prog = program_iri[gi]
        node = ctx.iris.item(item)
        label = program_label(programs.groups[gi])
        g.add((prog, RDF.type, FK.Program))
        g.add((prog, RDFS.label, ja(label)))
        if item.name != label:  # every printed name, width variants and misprints included
            g.add((prog, SKOS.altLabel, ja(item.name)))
        if isinstance(item, ProgramResult):
            add_result(ctx, g, node, item, doc, lines)
            g.add((node, FK.resultOf, prog))
            g.add((prog, FK.hasResult, node))
            parts = [("name", item.name, item.name_span), ("description", item.description, item.description_span)]
            for ev in classify.classify_texts(parts):
                ev = _evidence_run(ev, item.description_spans, lines)
                add_classification(ctx, g, node, FK.classifiedResult, prog, ev, item.name, None, lines)
            continue
        comp = comps[item.plan][item.component]
        add_listing(ctx, g, node, item, comp, lines)
        g.add((node, FK.listingOf, prog))
        g.add((prog, FK.hasListing, node))
        for code in item.relisted_at:
            partner = by_place.get((item.plan, code, identity.name_key(item.name)))
            if partner is not None and item.component in partner.relisted_at:
                g.add((node, FK.relistedWith, ctx.iris.listing(partner)))
                if item.relisting_role == "relisting":
                    g.add((node, FK.isRelistingOf, ctx.iris.listing(partner)))
        for ev in classify.classify(item, comps[item.plan]):
            add_classification(ctx, g, node, FK.classifiedListing, prog, ev, item.name, comps[item.plan], lines)
    _add_matches(ctx, programs, program_iri)


def _add_matches(ctx: Context, programs: identity.Programs, program_iri: list[URIRef]) -> None:
    """Every judgement that made one program of several rows, and every reviewed relation between programs."""
    links = ctx.g("links")
    activity = _identity_activity(ctx, links)
    for gi, match in programs.matches:
        if match.rule == "relisting-marker":
            continue
        nodes = [ctx.iris.item(x) for x in match.listings]
        m = ctx.iris.program_match("|".join(str(n) for n in nodes))
        links.add((m, RDF.type, FK.ProgramMatch))
        links.add((m, FK.matchedProgram, program_iri[gi]))
        links.add((m, PROV.wasGeneratedBy, activity))
        links.add((m, FK.matchRule, Literal(match.rule)))
        for n in nodes:
            links.add((m, FK.matchedListing, n))
        for name in match.names:
            links.add((m, FK.comparedName, Literal(identity.name_key(name))))
        if match.reason:
            links.add((m, RDFS.comment, Literal(match.reason)))
        links.add((m, RDFS.label, ja(" = ".join(match.names))))
    for a, b, kind, reason in programs.relations:
        pa, pb = program_iri[programs.group_of(a)], program_iri[programs.group_of(b)]
        links.add((pa, FK.partOfProgram if kind == "component" else FK.sameFamilyAs, pb))
        m = ctx.iris.program_match(f"{kind}|{ctx.iris.item(a)}|{ctx.iris.item(b)}")
        links.add((m, RDF.type, FK.ProgramMatch))
        links.add((m, PROV.wasGeneratedBy, activity))
        links.add((m, FK.matchRule, Literal(f"reviewed-table:{kind}")))
        links.add((m, FK.matchedListing, ctx.iris.item(a)))
        links.add((m, FK.matchedListing, ctx.iris.item(b)))
        links.add((m, RDFS.label, ja(f"{a.name} ({kind}) {b.name}")))
        if reason:
            links.add((m, RDFS.comment, Literal(reason)))


def _identity_activity(ctx: Context, links: Graph) -> URIRef:
    """The prov:Activity that generates every fk:ProgramMatch: the build's identity resolution."""
    node = ctx.iris.activity("program-identity")
    links.add((node, RDF.type, PROV.Activity))
    links.add((node, RDFS.label, ja("事業の同定")))
    links.add((node, RDFS.label, en("program identity resolution")))
    links.add(
        (
            node,
            RDFS.comment,
            en(
                "Listings and results are judged to be one program by the rules of graph/identity.py "
                "(normalised names, suffix variants) and by the reviewed table data/reviewed/program-matches.toml."
            ),
        )
    )
    return node


def _evidence_run(ev: classify.Evidence, runs: list[Span], lines: list[str]) -> classify.Evidence:
    """Description evidence of a result whose description is printed in several runs: the
    first run holding the matched words (else the whole first..last span)."""
    if ev.kind != "description" or len(runs) < 2:
        return ev
    for run in runs:
        if ev.matched in norm("".join(lines[run.start - 1 : run.end])):
            return replace(ev, span=run)
    return ev
