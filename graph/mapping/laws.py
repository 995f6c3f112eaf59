"""Law citations: the ``law_citations`` table (a document's fk:citation, each with its fk:citedLaw,
label and span) and the articles, paragraphs and appended tables they and ``plan_legal_basis``
cite (eli:LegalResource parts of an act, in ``graph/vocabularies``)."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import ELI, en, ja
from fukushi_kg.graph.records import LawRef
from fukushi_kg.graph.vocab import FK


def law_node(ctx: Context, ref: LawRef) -> URIRef:
    law = ctx.laws[ref.law]
    node = ctx.iris.law(law, ref.law)
    return ctx.iris.article(node, ref.article) if ref.article else node


def add_article(ctx: Context, ref: LawRef) -> URIRef:
    """The act, article, paragraph or appended table ``ref`` names (described once in the vocabularies)."""
    node = law_node(ctx, ref)
    if ref.article:
        law = ctx.laws[ref.law]
        act = ctx.iris.law(law, ref.law)
        voc = ctx.g("vocabularies")
        voc.add((node, RDF.type, ELI.LegalResource))
        voc.add((node, ELI.is_part_of, act))
        voc.add((node, FK.act, act))  # the act itself, also from a paragraph
        if law.get("egov"):
            voc.add((node, FK.egovLawId, Literal(law["egov"])))
        if ref.article == "annex":
            voc.add((node, RDF.type, FK.AppendedTable))
            label, label_en = f"{law['name']}別表", f"{law['name_en']}, Appended Table"
        else:
            art, *pars = ref.article.split("-")
            voc.add((node, RDF.type, FK.Paragraph if pars else FK.Article))
            voc.add((node, FK.articleNumber, Literal(int(art))))
            for p in pars:
                voc.add((node, FK.paragraphNumber, Literal(int(p))))
            label = f"{law['name']}第{art}条" + "".join(f"第{p}項" for p in pars)
            label_en = f"{law['name_en']}, Article {art}" + "".join(f", paragraph {p}" for p in pars)
        voc.add((node, RDFS.label, ja(label)))
        voc.add((node, RDFS.label, en(label_en)))
    return node


def add_citations(ctx: Context, g: Graph, doc_id: str, refs: list[LawRef], lines: list[str]) -> None:
    """The document's law citations, numbered in reading order."""
    node = ctx.iris.document(doc_id)
    for n, ref in enumerate(refs, start=1):
        cit = ctx.iris.citation(doc_id, n)
        g.add((node, FK.citation, cit))
        g.add((cit, FK.citedLaw, add_article(ctx, ref)))
        g.add((cit, RDFS.label, ja(ref.text or ctx.laws[ref.law]["name"])))
        if ref.span:
            g.add((cit, FK.span, ctx.span(g, ref.span, lines)))
