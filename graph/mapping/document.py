"""The ``document`` table (with the manifest entry of data/sources/manifest.json): the source
document as fk:SourceDocument / foaf:Document in its own named graph — titles, date, kind, text
file, publishers, DCAT distribution (graph.source_meta), the title's lines, handout number and
report year it prints — and its law citations (graph.mapping.laws)."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from fukushi_kg.graph import source_meta
from fukushi_kg.graph.mapping import laws
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import date_literal, en, ja
from fukushi_kg.graph.records import DocumentMeta, DocumentRecords
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.vocab import FK


def add_document(ctx: Context, doc: Document, rec: DocumentRecords) -> None:
    g = ctx.g(doc.id)
    node = ctx.iris.document(doc.id)
    g.add((node, RDF.type, FK.SourceDocument))
    g.add((node, RDF.type, FOAF.Document))
    g.add((node, DCTERMS.title, ja(doc.title)))
    g.add((node, DCTERMS.title, en(doc.title_en)))
    g.add((node, RDFS.label, ja(doc.title)))
    g.add((node, RDFS.label, en(doc.title_en)))
    g.add((node, DCTERMS.issued, date_literal(doc.date)))
    g.add((node, FK.documentKind, Literal(doc.kind)))
    g.add((node, FK.textFile, Literal(doc.rel_path)))
    publishers = [ctx.publisher(key) for key in doc.publishers]
    ctx.text_urls[doc.id] = source_meta.describe(g, node, doc, ctx.iris.base, publishers)
    if doc.date_note:
        g.add((node, RDFS.comment, en(doc.date_note)))
    lines = doc.lines()
    if rec.meta:
        _document_meta(ctx, g, node, rec.meta, lines)
    laws.add_citations(ctx, g, doc.id, rec.laws, lines)


def _document_meta(ctx: Context, g: Graph, node: URIRef, meta: DocumentMeta, lines: list[str]) -> None:
    """What the document prints about itself: the title's lines, its handout number (資料２,
    as skos:notation, like a component's printed code) and the fiscal year it reports on."""
    if meta.title_span:
        g.add((node, FK.nameSpan, ctx.span(g, meta.title_span, lines)))
    if meta.number:
        g.add((node, SKOS.notation, Literal(meta.number)))
    if meta.number_span:
        g.add((node, FK.span, ctx.span(g, meta.number_span, lines)))
    if meta.report_year:
        g.add((node, FK.reportYear, Literal(str(meta.report_year), datatype=XSD.gYear)))
    if meta.report_year_span:
        g.add((node, FK.span, ctx.span(g, meta.report_year_span, lines)))
