"""Records -> RDF. The only module that mints IRIs.

IRI policy (all under a configurable base, default ``https://w3id.org/fukushi-kg/``):

==========================  =====================================================
``{base}id/document/D``      a source document (D = manifest id)
``…/document/D/lines/S-E``   lines S..E of it (a fk:SourceSpan)
``…/document/D/citation/N``  the N-th law citation read from it
``{base}id/plan/P``          a plan (P = plan key)
``…/plan/P/{level}/C``       a component, C = printed code in ASCII (Ⅲ -> III)
``…/plan/P/listing/C-N``     the N-th program listed under component C
``…/plan/P/indicator/K``     an indicator; ``…/K/{kind}-{year}`` its observations
``{base}id/program/P/C-N``   a program, named after its first listing
``{base}id/org/CITY[/DIV]``  a municipality and its divisions (slugs reviewed)
``{base}eli/jp/act/Y/N``     a law (ELI-shaped; ``/art_107``, ``/art_11/par_2``)
``{base}graph/NAME``         named graphs: one per document, ontology, vocabularies, links
==========================  =====================================================

IRIs are derived from document ids, plan keys and printed structural codes, never from line
numbers (except the line-span resources, whose identity *is* a line range), so that the same
input always yields the same IRIs.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SKOS
from rdflib.term import IdentifiedNode

from fukushi_kg import resources
from fukushi_kg.graph import classify, era, identity, source_meta
from fukushi_kg.graph.records import (
    CaseInitiative,
    Component,
    DocumentMeta,
    DocumentRecords,
    Indicator,
    LawRef,
    Listing,
    ProgramResult,
    Span,
)
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.text import norm
from fukushi_kg.graph.vocab import FK, code_list, concept

DEFAULT_BASE = "https://w3id.org/fukushi-kg/"
OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SDG = Namespace("http://metadata.un.org/sdg/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ESTAT_SAC = "http://data.e-stat.go.jp/lod/sac/C"  # e-Stat standard area codes: C + 5 digits

LEVEL_CLASS = {
    "goal": FK.Goal,
    "policy": FK.PolicyArea,
    "measure": FK.Measure,
    "basic-policy": FK.BasicPolicy,
    "viewpoint": FK.Viewpoint,
    "initiative": FK.Initiative,
}
ROMAN = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V", "Ⅵ": "VI", "Ⅶ": "VII", "Ⅷ": "VIII", "Ⅸ": "IX", "Ⅹ": "X"}


def ascii_code(code: str) -> str:
    """A printed structural code as an IRI path segment: Ⅲ-1 -> III-1, １.２ -> 1.2."""
    out = "".join(ROMAN.get(c, c) for c in code)
    out = norm(out)
    if not re.fullmatch(r"[A-Za-z0-9.\-_]+", out):
        raise ValueError(f"structural code {code!r} does not make an ASCII IRI segment")
    return out


def _slug_hash(text: str) -> str:
    return hashlib.sha1(norm(text).encode("utf-8")).hexdigest()[:10]


@dataclass
class Iris:
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            self.base += "/"

    def _(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def graph(self, name: str) -> URIRef:
        return self._(f"graph/{name}")

    def document(self, doc: str) -> URIRef:
        return self._(f"id/document/{doc}")

    def span(self, span: Span) -> URIRef:
        return self._(f"id/document/{span.doc}/lines/{span.start}-{span.end}")

    def citation(self, doc: str, n: int) -> URIRef:
        return self._(f"id/document/{doc}/citation/{n}")

    def plan(self, plan: str) -> URIRef:
        return self._(f"id/plan/{plan}")

    def component(self, plan: str, level: str, code: str) -> URIRef:
        return self._(f"id/plan/{plan}/{level}/{ascii_code(code)}")

    def listing(self, lst: Listing) -> URIRef:
        return self._(f"id/plan/{lst.plan}/listing/{ascii_code(lst.component)}-{lst.seq}")

    def program(self, first: Listing | ProgramResult) -> URIRef:
        if isinstance(first, ProgramResult):
            return self._(f"id/program/{first.doc}/{first.seq}")
        return self._(f"id/program/{first.plan}/{ascii_code(first.component)}-{first.seq}")

    def result(self, r: ProgramResult) -> URIRef:
        return self._(f"id/document/{r.doc}/result/{r.seq}")

    def initiative(self, doc: str, city: str, seq: int) -> URIRef:
        return self._(f"id/document/{doc}/initiative/{city}/{seq}")

    def theme(self, doc: str, city: str, n: int) -> URIRef:
        return self._(f"id/document/{doc}/theme/{city}/{n}")

    def item(self, x: Listing | ProgramResult) -> URIRef:
        return self.result(x) if isinstance(x, ProgramResult) else self.listing(x)

    def indicator(self, plan: str, key: str) -> URIRef:
        return self._(f"id/plan/{plan}/indicator/{ascii_code(key)}")

    def city(self, slug: str) -> URIRef:
        return self._(f"id/org/{slug}")

    def division(self, city: str, slug: str) -> URIRef:
        return self._(f"id/org/{city}/{slug}")

    def law(self, law: dict, key: str) -> URIRef:
        if law.get("num"):
            return self._(f"eli/jp/{law['type']}/{law['year']}/{law['num']}")
        return self._(f"eli/jp/{law['type']}/{key}")

    def article(self, law_iri: URIRef, article: str) -> URIRef:
        if article == "annex":  # 別表, the appended table
            return URIRef(f"{law_iri}/anx")
        parts = article.split("-")
        path = f"art_{parts[0]}" + "".join(f"/par_{p}" for p in parts[1:])
        return URIRef(f"{law_iri}/{path}")


def _load_toml(name: str) -> dict:
    return tomllib.loads(resources.reviewed(name).read_text(encoding="utf-8"))


def ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


@dataclass
class Builder:
    """Accumulates the dataset; one method per kind of record."""

    iris: Iris
    match_table: Path | None = identity.MATCHES
    extra_orgs: dict = field(default_factory=dict)  # cities, bodies, divisions of one's own plan folders
    ds: Dataset = field(default_factory=lambda: Dataset(default_union=False))
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.laws = _load_toml("laws.toml")
        self.orgs = _load_toml("organisations.toml")
        for section, entries in self.extra_orgs.items():
            self.orgs.setdefault(section, {}).update(entries)
        self._division_index = {
            (city, norm(name)): (slug, label_en)
            for city, table in self.orgs["divisions"].items()
            for name, (slug, label_en) in table.items()
        }
        self._spans_done: set[tuple[IdentifiedNode, Span]] = set()
        self._text_urls: dict[str, URIRef] = {}
        self.plan_city: dict[str, str] = {}
        self._divisions_done: set[URIRef] = set()
        self._codes: dict[tuple[str, str], URIRef] = {}
        for d in ("ontology", "vocabularies", "links"):
            self.ds.graph(self.iris.graph(d))

    # -------------------------------------------------------------- helpers
    def g(self, name: str) -> Graph:
        return self.ds.graph(self.iris.graph(name))

    def span(self, g: Graph, span: Span, lines: list[str]) -> URIRef:
        """The span resource, with document, line numbers, RFC 5147 selector and quoted text."""
        node = self.iris.span(span)
        if (g.identifier, span) in self._spans_done:
            return node
        self._spans_done.add((g.identifier, span))
        g.add((node, RDF.type, FK.SourceSpan))
        g.add((node, FK.document, self.iris.document(span.doc)))
        g.add((node, OA.hasSource, self.text_url(span.doc)))
        g.add((node, FK.lineStart, Literal(span.start, datatype=XSD.integer)))
        g.add((node, FK.lineEnd, Literal(span.end, datatype=XSD.integer)))
        g.add((node, OA.hasSelector, URIRef(f"{node}#selector")))
        sel = URIRef(f"{node}#selector")
        g.add((sel, RDF.type, OA.FragmentSelector))
        g.add((sel, DCTERMS.conformsTo, URIRef("http://tools.ietf.org/rfc/rfc5147")))
        g.add((sel, RDF.value, Literal(f"line={span.start - 1},{span.end}")))
        quoted = "\n".join(ln.rstrip() for ln in lines[span.start - 1 : span.end] if ln.strip())
        g.add((node, FK.quotedText, Literal(quoted)))
        g.add((node, RDFS.label, Literal(f"{span.doc} lines {span.start}-{span.end}")))
        return node

    def text_url(self, doc_id: str) -> URIRef:
        """The served plain text of a document (the source of its spans' RFC 5147 selectors)."""
        if doc_id not in self._text_urls:
            from fukushi_kg.graph.sources import document

            self._text_urls[doc_id] = source_meta.text_url(self.iris.base, document(doc_id))
        return self._text_urls[doc_id]

    def division(self, city: str, name: str) -> URIRef:
        key = (city, norm(name))
        if key in self._division_index:
            slug, label_en = self._division_index[key]
        else:
            slug, label_en = f"unit-{_slug_hash(name)}", ""
            self.warnings.append(f"division {name!r} is not in data/reviewed/organisations.toml; minted {slug}")
        node = self.iris.division(city, slug)
        if node not in self._divisions_done:
            self._divisions_done.add(node)
            g = self.g("vocabularies")
            g.add((node, RDF.type, ORG.OrganizationalUnit))
            g.add((node, RDFS.label, ja(name)))
            g.add((node, SKOS.prefLabel, ja(name)))
            if label_en:
                g.add((node, RDFS.label, en(label_en)))
            g.add((node, ORG.unitOf, self.iris.city(city)))
            g.add((self.iris.city(city), ORG.hasUnit, node))
        return node

    def publisher(self, key: str) -> URIRef:
        """An organisations.toml key of a publisher: ``city-or-body`` or ``city-or-body/division-slug``."""
        org, _, unit = key.partition("/")
        if org not in self.orgs["cities"] and org not in self.orgs["bodies"]:
            raise ValueError(
                f"publisher {key!r} of data/sources/manifest.json is not in data/reviewed/organisations.toml"
            )
        if not unit:
            return self.iris.city(org)
        for name, (slug, _label_en) in self.orgs.get("divisions", {}).get(org, {}).items():
            if slug == unit:
                node = self.division(org, name)
                self.g("vocabularies").add((node, RDF.type, FOAF.Agent))
                return node
        raise ValueError(f"publisher {key!r}: no division {unit!r} of {org!r} in data/reviewed/organisations.toml")

    def law_node(self, ref: LawRef) -> URIRef:
        law = self.laws[ref.law]
        node = self.iris.law(law, ref.law)
        return self.iris.article(node, ref.article) if ref.article else node

    # -------------------------------------------------------------- reference data
    def add_reference(self) -> None:
        """Ontology, code lists, cities, bodies and laws."""
        onto = self.g("ontology")
        onto.parse(resources.ONTOLOGY)
        voc = self.g("vocabularies")
        voc.parse(resources.VOCABULARIES)
        for slug, city in self.orgs["cities"].items():
            node = self.iris.city(slug)
            voc.add((node, RDF.type, FK.Municipality))
            voc.add((node, RDF.type, ORG.FormalOrganization))
            voc.add((node, RDFS.label, ja(city["name"])))
            voc.add((node, RDFS.label, en(city["name_en"])))
            voc.add((node, FK.localGovernmentCode, Literal(city["code"])))
            voc.add((node, SKOS.notation, Literal(city["code"])))
            voc.add((node, RDF.type, FOAF.Agent))
            if city.get("fictional"):  # an example city of one's own: no e-Stat area to link
                voc.add((node, RDFS.comment, en("A fictional city of an example plan; its code is no real one.")))
                continue
            area = URIRef(f"{ESTAT_SAC}{city['code'][:5]}")
            voc.add((node, RDFS.seeAlso, area))
            voc.add((node, DCTERMS.spatial, area))  # the area the municipality governs
            voc.add((node, FK.designatedCity, Literal(bool(city.get("designated", False)))))
            if city.get("prefecture"):
                prefecture = URIRef(f"{ESTAT_SAC}{city['code'][:2]}000")
                voc.add((node, FK.prefecture, prefecture))
                voc.add((prefecture, RDFS.label, ja(city["prefecture"])))
        for slug, body in self.orgs["bodies"].items():
            node = self.iris.city(slug)
            voc.add((node, RDF.type, ORG.FormalOrganization))
            voc.add((node, RDF.type, FOAF.Agent))
            voc.add((node, RDFS.label, ja(body["name"])))
            voc.add((node, RDFS.label, en(body["name_en"])))
        for key, law in self.laws.items():
            node = self.iris.law(law, key)
            voc.add((node, RDF.type, ELI.LegalResource))
            voc.add((node, RDFS.label, ja(law["name"])))
            voc.add((node, RDFS.label, en(law["name_en"])))
            voc.add((node, DCTERMS.title, ja(law["name"])))  # ELI puts eli:title on the expression, not here
            if law.get("number"):
                voc.add((node, FK.lawNumber, Literal(law["number"])))
            if law.get("egov"):
                voc.add((node, FK.egovLawId, Literal(law["egov"])))
                voc.add((node, ELI.id_local, Literal(law["egov"])))
                voc.add((node, RDFS.seeAlso, URIRef(f"https://laws.e-gov.go.jp/law/{law['egov']}")))
            for alias in law.get("aliases", []):
                voc.add((node, SKOS.altLabel, ja(alias)))

    def add_article(self, ref: LawRef) -> URIRef:
        node = self.law_node(ref)
        if ref.article:
            law = self.laws[ref.law]
            act = self.iris.law(law, ref.law)
            voc = self.g("vocabularies")
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

    # -------------------------------------------------------------- documents
    def add_document(self, doc: Document, rec: DocumentRecords) -> None:
        g = self.g(doc.id)
        node = self.iris.document(doc.id)
        g.add((node, RDF.type, FK.SourceDocument))
        g.add((node, RDF.type, FOAF.Document))
        g.add((node, DCTERMS.title, ja(doc.title)))
        g.add((node, DCTERMS.title, en(doc.title_en)))
        g.add((node, RDFS.label, ja(doc.title)))
        g.add((node, RDFS.label, en(doc.title_en)))
        g.add((node, DCTERMS.issued, _date_literal(doc.date)))
        g.add((node, FK.documentKind, Literal(doc.kind)))
        g.add((node, FK.textFile, Literal(doc.rel_path)))
        publishers = [self.publisher(key) for key in doc.publishers]
        self._text_urls[doc.id] = source_meta.describe(g, node, doc, self.iris.base, publishers)
        if doc.date_note:
            g.add((node, RDFS.comment, en(doc.date_note)))
        lines = doc.lines()
        if rec.meta:
            self._document_meta(g, node, rec.meta, lines)
        for n, ref in enumerate(rec.laws, start=1):
            cit = self.iris.citation(doc.id, n)
            g.add((node, FK.citation, cit))
            g.add((cit, FK.citedLaw, self.add_article(ref)))
            g.add((cit, RDFS.label, ja(ref.text or self.laws[ref.law]["name"])))
            if ref.span:
                g.add((cit, FK.span, self.span(g, ref.span, lines)))

    def _document_meta(self, g: Graph, node: URIRef, meta: DocumentMeta, lines: list[str]) -> None:
        """What the document prints about itself: the title's lines, its handout number (資料２,
        as skos:notation, like a component's printed code) and the fiscal year it reports on."""
        if meta.title_span:
            g.add((node, FK.nameSpan, self.span(g, meta.title_span, lines)))
        if meta.number:
            g.add((node, SKOS.notation, Literal(meta.number)))
        if meta.number_span:
            g.add((node, FK.span, self.span(g, meta.number_span, lines)))
        if meta.report_year:
            g.add((node, FK.reportYear, Literal(str(meta.report_year), datatype=XSD.gYear)))
        if meta.report_year_span:
            g.add((node, FK.span, self.span(g, meta.report_year_span, lines)))

    def add_plan(self, doc: Document, rec: DocumentRecords) -> None:
        g = self.g(doc.id)
        lines = doc.lines()
        for plan in rec.plans:
            node = self.iris.plan(plan.key)
            g.add((node, RDF.type, FK.Plan))
            g.add((node, RDFS.label, ja(plan.title)))
            g.add((node, RDFS.label, en(plan.title_en)))
            g.add((node, DCTERMS.title, ja(plan.title)))
            g.add((node, FK.statedIn, self.iris.document(doc.id)))
            g.add((node, FK.span, self.span(g, plan.span, lines)))
            city = self._city_slug(plan.city)
            if not city:  # its divisions and programs belong to a city: one the registries name
                raise ValueError(
                    f"plan {plan.key}: city {plan.city!r} is not in data/reviewed/organisations.toml "
                    "(a plan folder of one's own may add it in its organisations.toml)"
                )
            self.plan_city[plan.key] = city
            g.add((node, FK.city, self.iris.city(city)))
            if plan.period_start:
                g.add((node, FK.periodStart, Literal(str(plan.period_start), datatype=XSD.gYear)))
            if plan.period_end:
                g.add((node, FK.periodEnd, Literal(str(plan.period_end), datatype=XSD.gYear)))
            if plan.period_note:
                g.add((node, FK.periodNote, en(plan.period_note)))
            if plan.adopted:
                g.add((node, DCTERMS.issued, _date_literal(plan.adopted)))
            for name in plan.publishers:
                pub = self._org_by_name(name)
                g.add((node, DCTERMS.publisher, pub if pub else ja(name)))
            for ref in plan.legal_basis:
                g.add((node, FK.legalBasis, self.add_article(ref)))
            for title, span in plan.parent_plans:
                parent = self.iris.plan("ref-" + _slug_hash(title))
                g.add((node, FK.parentPlan, parent))
                g.add((parent, RDF.type, FK.Plan))
                g.add((parent, RDFS.label, ja(title)))
                g.add((parent, FK.span, self.span(g, span, lines)))
            for goal, _span in plan.sdg_goals:
                g.add((node, FK.sdgGoal, SDG[str(goal)]))
            if plan.principle:
                g.add((node, FK.principle, ja(plan.principle[0])))
            if doc.kind == "plan-progress-report":
                g.add((self.iris.document(doc.id), FK.reportsOn, node))

    def _city_slug(self, name: str | None) -> str | None:
        for slug, city in self.orgs["cities"].items():
            if name and norm(city["name"]) == norm(name):
                return slug
        return None

    def _org_by_name(self, name: str) -> URIRef | None:
        slug = self._city_slug(name)
        if slug:
            return self.iris.city(slug)
        for slug, body in self.orgs["bodies"].items():
            if norm(body["name"]) == norm(name):
                return self.iris.city(slug)
        return None

    def add_components(self, doc: Document, rec: DocumentRecords) -> None:
        g = self.g(doc.id)
        lines = doc.lines()
        level_of = {c.code: c.level for c in rec.components}
        order: dict[tuple[str, str | None], int] = {}
        for c in rec.components:
            node = self.iris.component(c.plan, c.level, c.code)
            g.add((node, RDF.type, LEVEL_CLASS[c.level]))
            g.add((node, FK.inPlan, self.iris.plan(c.plan)))
            g.add((node, SKOS.notation, Literal(c.code)))
            g.add((node, RDFS.label, ja(c.title)))
            g.add((node, FK.heading, Literal(c.heading)))
            g.add((node, FK.span, self.span(g, c.span, lines)))
            n = order[(c.plan, c.parent)] = order.get((c.plan, c.parent), 0) + 1
            g.add((node, FK.order, Literal(n)))
            if c.parent:
                g.add((node, FK.parentComponent, self.iris.component(c.plan, level_of[c.parent], c.parent)))
            if c.target:
                g.add((node, FK.statedTarget, ja(c.target)))
                if c.target_span:
                    g.add((node, FK.span, self.span(g, c.target_span, lines)))
            for prop, span_prop, text, spans in (
                (FK.actionsTaken, FK.actionsSpan, c.actions, c.actions_spans),
                (FK.futureDirection, FK.futureDirectionSpan, c.plans_ahead, c.plans_ahead_spans),
            ):
                if text:
                    g.add((node, prop, ja(text)))
                for span in spans:
                    g.add((node, span_prop, self.span(g, span, lines)))

    def add_indicators(self, doc: Document, rec: DocumentRecords) -> None:
        g = self.g(doc.id)
        lines = doc.lines()
        level_of = {c.code: c.level for c in rec.components}
        for ind in rec.indicators:
            node = self.iris.indicator(ind.plan, ind.key)
            g.add((node, RDF.type, FK.Indicator))
            g.add((node, RDF.type, QB.DataSet))
            has_series = bool(ind.series) or any(o.series for o in ind.observations)
            g.add((node, QB.structure, FK.indicatorSeriesStructure if has_series else FK.indicatorStructure))
            g.add((node, RDFS.label, ja(ind.name if not ind.series else f"{ind.name}（{ind.series}）")))
            g.add((node, FK.inPlan, self.iris.plan(ind.plan)))
            target = (
                self.iris.component(ind.plan, level_of[ind.component], ind.component)
                if ind.component
                else self.iris.plan(ind.plan)
            )
            g.add((node, FK.indicatorOf, target))
            g.add((node, FK.nameSpan, self.span(g, ind.span, lines)))
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
            self._observations(g, node, ind, lines)

    def _observations(self, g: Graph, node: URIRef, ind: Indicator, lines: list[str]) -> None:
        reference = _baseline_stand_ins(ind)
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
                g.add((o, FK.value, _decimal(obs.value)))
            if obs.change is not None:
                g.add((o, FK.changeFromBaseline, _decimal(obs.change)))
            if ind.unit:
                g.add((o, FK.unit, Literal(ind.unit)))
            series = obs.series or ind.series
            if series:
                g.add((o, FK.series, Literal(series)))
            if id(obs) in reference:
                g.add((o, FK.usedAsBaseline, Literal(True)))
            g.add((o, FK.span, self.span(g, obs.span, lines)))
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
                    g.add((c, FK.value, _decimal(obs.comparison.value)))
                if obs.comparison.unit:
                    g.add((c, FK.unit, Literal(obs.comparison.unit)))
                g.add((c, FK.span, self.span(g, obs.comparison.span, lines)))

    # -------------------------------------------------------------- listings and programs
    def add_programs(self, docs: list[tuple[Document, DocumentRecords]]) -> None:
        """Listings and results, grouped into programs by graph.identity, with target groups."""
        listings = [lst for _, rec in docs for lst in rec.listings]
        results = [r for _, rec in docs for r in rec.results]
        items: list[Listing | ProgramResult] = [*listings, *results]
        doc_by_id = {doc.id: doc for doc, _ in docs}

        def city_of(item: Listing | ProgramResult) -> str | None:  # programs of two cities are never one
            if isinstance(item, Listing):
                return self.plan_city.get(item.plan)
            return self._city_slug(doc_by_id[item.name_span.doc].city)

        programs = identity.resolve(items, self.match_table, city_of)
        comps = {
            key: {c.code: c for _, rec in docs for c in rec.components if c.plan == key}
            for key in {l.plan for l in listings}
        }
        program_iri = [self.iris.program(group[0]) for group in programs.groups]
        by_place = {(l.plan, l.component, identity.name_key(l.name)): l for l in listings}
        for item in items:
            doc = doc_by_id[item.name_span.doc]
            g = self.g(doc.id)
            lines = doc.lines()
            gi = programs.group_of(item)
            prog = program_iri[gi]
            node = self.iris.item(item)
            label = program_label(programs.groups[gi])
            g.add((prog, RDF.type, FK.Program))
            g.add((prog, RDFS.label, ja(label)))
            if item.name != label:  # every printed name, width variants and misprints included
                g.add((prog, SKOS.altLabel, ja(item.name)))
            if isinstance(item, ProgramResult):
                self._result(g, node, item, doc, lines)
                g.add((node, FK.resultOf, prog))
                g.add((prog, FK.hasResult, node))
                parts = [("name", item.name, item.name_span), ("description", item.description, item.description_span)]
                for ev in classify.classify_texts(parts):
                    ev = _evidence_run(ev, item.description_spans, lines)
                    self._classification(g, node, FK.classifiedResult, prog, ev, item.name, None, lines)
                continue
            comp = comps[item.plan][item.component]
            self._listing(g, node, item, comp, lines)
            g.add((node, FK.listingOf, prog))
            g.add((prog, FK.hasListing, node))
            for code in item.relisted_at:
                partner = by_place.get((item.plan, code, identity.name_key(item.name)))
                if partner is not None and item.component in partner.relisted_at:
                    g.add((node, FK.relistedWith, self.iris.listing(partner)))
                    if item.relisting_role == "relisting":
                        g.add((node, FK.isRelistingOf, self.iris.listing(partner)))
            for ev in classify.classify(item, comps[item.plan]):
                self._classification(g, node, FK.classifiedListing, prog, ev, item.name, comps[item.plan], lines)
        links = self.g("links")
        activity = self._identity_activity(links)
        for gi, match in programs.matches:
            if match.rule == "relisting-marker":
                continue
            nodes = [self.iris.item(x) for x in match.listings]
            m = URIRef(self.iris.base + "id/program-match/" + _slug_hash("|".join(str(n) for n in nodes)))
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
            m = URIRef(
                self.iris.base + "id/program-match/" + _slug_hash(f"{kind}|{self.iris.item(a)}|{self.iris.item(b)}")
            )
            links.add((m, RDF.type, FK.ProgramMatch))
            links.add((m, PROV.wasGeneratedBy, activity))
            links.add((m, FK.matchRule, Literal(f"reviewed-table:{kind}")))
            links.add((m, FK.matchedListing, self.iris.item(a)))
            links.add((m, FK.matchedListing, self.iris.item(b)))
            links.add((m, RDFS.label, ja(f"{a.name} ({kind}) {b.name}")))
            if reason:
                links.add((m, RDFS.comment, Literal(reason)))

    def _identity_activity(self, links: Graph) -> URIRef:
        """The prov:Activity that generates every fk:ProgramMatch: the build's identity resolution."""
        node = self.iris._("id/activity/program-identity")
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

    def _result(self, g: Graph, node: URIRef, r: ProgramResult, doc: Document, lines: list[str]) -> None:
        g.add((node, RDF.type, FK.ProgramResult))
        g.add((node, RDFS.label, ja(r.name)))
        g.add((node, FK.nameAsPrinted, Literal(r.name_as_printed)))
        g.add((node, FK.statedIn, self.iris.document(r.doc)))
        g.add((node, FK.order, Literal(r.seq)))
        g.add((node, FK.fiscalYear, Literal(str(r.fiscal_year), datatype=XSD.gYear)))
        g.add((node, FK.span, self.span(g, r.span, lines)))
        g.add((node, FK.nameSpan, self.span(g, r.name_span, lines)))
        city = self._city_slug(doc.city) or "kumamoto-city"
        divisions = [self.division(city, div) for div in self._split_division(city, r.division)]
        for div in divisions:
            g.add((node, FK.responsibleDivision, div))
        g.add(
            (
                node,
                FK.reportingUnit,
                divisions[0] if len(divisions) == 1 else self._joint_unit(city, r.division, divisions),
            )
        )
        g.add((node, FK.divisionAsPrinted, Literal(r.division)))
        g.add((node, FK.divisionSpan, self.span(g, r.division_span, lines)))
        unit = self._amount_unit(r.unit)
        g.add((node, FK.amountAsPrinted, Literal(r.amount_raw)))
        g.add((node, FK.amountUnit, unit[0]))
        if r.amount is not None:
            g.add((node, FK.amount, Literal(r.amount, datatype=XSD.integer)))
            g.add((node, FK.amountYen, Literal(r.amount * unit[1], datatype=XSD.integer)))
        if r.amount_span:
            g.add((node, FK.amountSpan, self.span(g, r.amount_span, lines)))
        for n, sub in enumerate(r.sub_amounts, start=1):
            s = URIRef(f"{node}/sub/{n}")
            g.add((node, FK.subAmount, s))
            g.add((s, RDFS.label, ja(sub.label)))
            g.add((s, FK.amountAsPrinted, Literal(sub.raw)))
            g.add((s, FK.amountUnit, unit[0]))
            if sub.amount is not None:
                g.add((s, FK.amount, Literal(sub.amount, datatype=XSD.integer)))
                g.add((s, FK.amountYen, Literal(sub.amount * unit[1], datatype=XSD.integer)))
            g.add((s, FK.amountSpan, self.span(g, sub.span, lines)))
        for flag in r.flags:
            g.add((node, FK.flag, self.code("flag", flag)))
        for q in r.qualifiers:
            g.add((node, FK.qualifier, self.code("qualifier", q)))
        if r.description:
            g.add((node, FK.description, ja(r.description)))
        # the exact runs of a description printed in pieces; its first..last span would quote other rows
        for span in r.description_spans or ([r.description_span] if r.description_span else []):
            g.add((node, FK.descriptionSpan, self.span(g, span, lines)))
        if r.uncertain:
            g.add((node, FK.uncertain, Literal(True)))
        for note in r.notes:
            g.add((node, FK.readingNote, Literal(note)))

    _AMOUNT_UNITS = {"千円": ("thousand-yen", 1000), "円": ("yen", 1)}

    def _amount_unit(self, unit: str) -> tuple[URIRef, int]:
        if unit not in self._AMOUNT_UNITS:
            raise ValueError(f"amount unit {unit!r} is not in the units code list (千円, 円)")
        slug, mult = self._AMOUNT_UNITS[unit]
        return concept("unit", slug), mult

    def _joint_unit(self, city: str, printed: str, members: list[URIRef]) -> URIRef:
        """One 所属 cell naming several divisions that report one amount: a joint reporting unit
        (its IRI from its members' slugs), so that sums by unit count the amount once."""
        node = self.iris.division(city, "joint/" + "+".join(str(m).rsplit("/", 1)[1] for m in members))
        if node not in self._divisions_done:
            self._divisions_done.add(node)
            g = self.g("vocabularies")
            g.add((node, RDF.type, FK.JointReportingUnit))
            g.add((node, RDF.type, ORG.OrganizationalUnit))
            g.add((node, RDFS.label, ja(printed)))
            g.add((node, SKOS.prefLabel, ja(printed)))
            g.add((node, ORG.unitOf, self.iris.city(city)))
            for m in members:
                g.add((node, FK.memberDivision, m))
        return node

    def code(self, scheme: str, printed: str) -> URIRef:
        """The concept of code list ``scheme`` whose skos:notation is ``printed`` (after NFKC)."""
        if not self._codes:
            voc = self.g("vocabularies")
            for c, n in voc.subject_objects(SKOS.notation):
                self._codes[(str(c).rsplit("/", 1)[0] + "/", norm(str(n)))] = URIRef(str(c))
        found = self._codes.get((code_list(scheme), norm(printed)))
        if found is None:
            raise ValueError(f"{printed!r} is not a notation of the {scheme} code list of ontology/vocabularies.ttl")
        return found

    def _split_division(self, city: str, name: str) -> list[str]:
        """A division cell as its divisions: split on 、 or ・ only when every part is a known division."""
        for sep in ("、", "・"):
            parts = [p for p in name.split(sep) if p]
            if len(parts) > 1 and all((city, norm(p)) in self._division_index for p in parts):
                return parts
        return [name]

    # -------------------------------------------------------------- case studies
    def add_cases(self, doc: Document, rec: DocumentRecords) -> None:
        if not rec.cities and not rec.initiatives:
            return
        g = self.g(doc.id)
        lines = doc.lines()
        slug_of: dict[str, str] = {}
        for city in rec.cities:
            slug = self._city_slug(city.name)
            if slug is None:
                raise ValueError(f"city {city.name!r} of {doc.id} is not in data/reviewed/organisations.toml")
            slug_of[city.name] = slug
            node = self.iris.city(slug)
            g.add((node, FK.span, self.span(g, city.span, lines)))
            if city.evidence:
                g.add((node, FK.attributionNote, ja(city.evidence)))
        themes: dict[tuple[str, str], URIRef] = {}
        for ini in rec.initiatives:
            slug = slug_of.get(ini.city) or self._city_slug(ini.city)
            if slug is None:
                raise ValueError(
                    f"initiative {ini.title!r}: city {ini.city!r} is not in data/reviewed/organisations.toml"
                )
            node = self.iris.initiative(doc.id, slug, ini.seq)
            g.add((node, RDF.type, FK.CityInitiative))
            g.add((node, RDFS.label, ja(ini.title)))
            g.add((node, FK.city, self.iris.city(slug)))
            g.add((node, FK.statedIn, self.iris.document(doc.id)))
            g.add((node, FK.order, Literal(ini.seq)))
            g.add((node, FK.nameSpan, self.span(g, ini.title_span, lines)))
            g.add((node, FK.span, self.span(g, ini.span, lines)))
            g.add((node, FK.initiativeLevel, concept("initiative-level", ini.level)))
            if ini.theme:
                key = (slug, ini.theme)
                if key not in themes:
                    themes[key] = self.iris.theme(doc.id, slug, 1 + sum(1 for k in themes if k[0] == slug))
                    t = themes[key]
                    g.add((t, RDF.type, FK.Theme))
                    g.add((t, RDFS.label, ja(ini.theme)))
                    g.add((t, FK.city, self.iris.city(slug)))
                    if ini.theme_span:
                        g.add((t, FK.nameSpan, self.span(g, ini.theme_span, lines)))
                    if ini.theme_description:
                        g.add((t, FK.description, ja(ini.theme_description)))
                        if ini.theme_description_span:  # a description without its lines would crash here
                            g.add((t, FK.descriptionSpan, self.span(g, ini.theme_description_span, lines)))
                g.add((node, FK.theme, themes[key]))
            if ini.since:
                g.add((node, FK.startDate, _start_literal(ini.since.year, ini.since.month)))
                g.add((node, FK.startDatePrecision, Literal(ini.since.precision)))
                g.add((node, FK.startDateAsPrinted, Literal(ini.since.raw)))
                g.add((node, FK.span, self.span(g, ini.since.span, lines)))
            for d in ini.dates_mentioned:
                g.add((node, FK.dateMentioned, _start_literal(d.year, d.month)))
            self._stated_dates(g, node, ini, lines)
            if ini.description:
                g.add((node, FK.description, ja(ini.description)))
            if ini.description_span:
                g.add((node, FK.descriptionSpan, self.span(g, ini.description_span, lines)))
            if ini.results:
                g.add((node, FK.outcomes, ja(ini.results)))
                if ini.results_span:
                    g.add((node, FK.outcomesSpan, self.span(g, ini.results_span, lines)))
            self._stated_figures(g, node, ini, lines)
            if ini.uncertain:
                g.add((node, FK.uncertain, Literal(True)))
            for note in ini.notes:
                g.add((node, FK.readingNote, Literal(note)))
            parts = [("name", ini.title, ini.title_span), ("description", ini.description, ini.description_span)]
            for ev in classify.classify_texts(parts):
                self._classification(g, node, FK.classifiedInitiative, node, ev, ini.title, None, lines)
            for ev in classify.initiative_topics(ini):
                g.add((node, FK.topic, concept("topic", ev.group)))

    def _stated_dates(self, g: Graph, node: URIRef, ini: CaseInitiative, lines: list[str]) -> None:
        """Every date the initiative states (its start first, then the others in reading order), with role and line."""
        for n, d in enumerate([x for x in (ini.since, *ini.dates_mentioned) if x], start=1):
            dn = URIRef(f"{node}/date/{n}")
            g.add((node, FK.statedDate, dn))
            g.add((dn, RDF.type, FK.StatedDate))
            g.add((dn, FK.dateRole, Literal(d.role)))
            g.add((dn, DCTERMS.date, _stated_literal(d.year, d.month, d.day)))
            g.add((dn, FK.datePrecision, Literal(d.precision)))
            g.add((dn, FK.valueAsPrinted, Literal(d.raw)))
            g.add((dn, FK.span, self.span(g, d.span, lines)))

    def _stated_figures(self, g: Graph, node: URIRef, ini: CaseInitiative, lines: list[str]) -> None:
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
                g.add((o, FK.qualifier, self.code("qualifier", f.qualifier)))
            if f.as_of:
                g.add((o, DCTERMS.date, _stated_literal(f.as_of.year, f.as_of.month, f.as_of.day)))
            g.add((o, FK.span, self.span(g, f.span, lines)))

    def _listing(self, g: Graph, node: URIRef, lst: Listing, comp: Component, lines: list[str]) -> None:
        g.add((node, RDF.type, FK.Listing))
        if lst.relisting_role == "relisting":
            g.add((node, RDF.type, FK.Relisting))
        g.add((node, RDFS.label, ja(lst.name)))
        for extra in lst.names:
            if extra != lst.name:
                g.add((node, SKOS.altLabel, ja(extra)))
        g.add((node, FK.nameAsPrinted, Literal(lst.name_as_printed)))
        g.add((node, FK.inPlan, self.iris.plan(lst.plan)))
        g.add((node, FK.listedUnder, self.iris.component(lst.plan, comp.level, comp.code)))
        # the printed codes that locate it: its component's (1.1.1), under a viewpoint with the
        # viewpoint's (Ⅲ-1/10: initiative 10 of viewpoint Ⅲ-1); its position there is fk:order
        place = f"{comp.parent}/{comp.code}" if comp.level == "initiative" and comp.parent else comp.code
        g.add((node, FK.placeInPlan, Literal(place)))
        g.add((node, FK.order, Literal(lst.seq)))
        g.add((node, FK.statedIn, self.iris.document(lst.name_span.doc)))
        g.add((node, FK.span, self.span(g, lst.span, lines)))
        g.add((node, FK.nameSpan, self.span(g, lst.name_span, lines)))
        city = self.plan_city[lst.plan]
        for div in lst.divisions:
            g.add((node, FK.responsibleDivision, self.division(city, div)))
        if lst.division_as_printed:
            g.add((node, FK.divisionAsPrinted, Literal(lst.division_as_printed)))
        if lst.division_span:
            g.add((node, FK.divisionSpan, self.span(g, lst.division_span, lines)))
        if lst.self_evaluation:
            g.add((node, FK.selfEvaluation, concept("grade", lst.self_evaluation)))
        if lst.self_evaluation_span:
            g.add((node, FK.evaluationSpan, self.span(g, lst.self_evaluation_span, lines)))
        for code in lst.relisted_at:
            g.add((node, FK.printedRelistingCode, Literal(code)))
        for flag in lst.flags:
            g.add((node, FK.flag, self.code("flag", flag)))
        for prop, text, _span in (
            (FK.description, lst.description, lst.description_span),
            (FK.actionsTaken, lst.actions, lst.actions_span),
            (FK.futureDirection, lst.plans_ahead, lst.plans_ahead_span),
            (FK.evaluationReason, lst.evaluation_reason, lst.evaluation_reason_span),
        ):
            if text:
                g.add((node, prop, ja(text)))
        if lst.description_span:
            g.add((node, FK.descriptionSpan, self.span(g, lst.description_span, lines)))
        for span_prop, span in (
            (FK.actionsSpan, lst.actions_span),
            (FK.futureDirectionSpan, lst.plans_ahead_span),
            (FK.evaluationReasonSpan, lst.evaluation_reason_span),
        ):
            if span:
                g.add((node, span_prop, self.span(g, span, lines)))
        for actor in lst.lead:
            g.add((node, FK.leadActor, concept("actor", actor)))
        for actor in lst.partners:
            g.add((node, FK.partnerActor, concept("actor", actor)))
        if lst.marks_as_printed is not None:
            g.add((node, FK.marksAsPrinted, Literal(lst.marks_as_printed)))
        if lst.marks_span:
            g.add((node, FK.marksSpan, self.span(g, lst.marks_span, lines)))
        if lst.unit:
            g.add((node, FK.activityUnit, self._unit(lst.unit)))
        if lst.unit_span:
            g.add((node, FK.unitSpan, self.span(g, lst.unit_span, lines)))
        if lst.uncertain:
            g.add((node, FK.uncertain, Literal(True)))
        for note in lst.notes:
            g.add((node, FK.readingNote, Literal(note)))
        for t, table in enumerate(lst.metrics, start=1):
            tnode = URIRef(f"{node}/table/{t}")
            g.add((node, FK.hasMetricTable, tnode))
            g.add((tnode, RDF.type, FK.MetricTable))
            g.add((tnode, RDF.type, QB.DataSet))
            g.add((tnode, QB.structure, FK.metricTableStructure))
            g.add((tnode, RDFS.label, ja(table.title)))
            g.add((tnode, FK.span, self.span(g, table.span, lines)))
            if table.note:
                g.add((tnode, FK.readingNote, Literal(table.note)))
            for r, row in enumerate(table.rows, start=1):
                for col, value in row.values.items():
                    o = URIRef(f"{tnode}/row/{r}/{ascii_code(col.replace('?', 'col'))}")
                    g.add((o, RDF.type, QB.Observation))
                    g.add((o, QB.dataSet, tnode))
                    g.add((o, FK.metricItem, ja(row.item)))
                    g.add((o, FK.rowNumber, Literal(r)))
                    g.add((o, FK.yearColumn, Literal(col)))
                    g.add((o, FK.valueAsPrinted, Literal(value)))
                    year = _fiscal_year(col)
                    if year:
                        g.add((o, FK.refYear, Literal(str(year), datatype=XSD.gYear)))
                    num = _number(value)
                    if num is not None:
                        g.add((o, FK.value, Literal(num, datatype=XSD.decimal)))
                    g.add((o, FK.span, self.span(g, row.span, lines)))

    _UNITS = {
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

    def _unit(self, text: str) -> URIRef:
        slug = self._UNITS.get(norm(text))
        if slug is None:
            raise ValueError(f"activity unit {text!r} is not in the activity-unit code list")
        return concept("activity-unit", slug)

    def _classification(
        self,
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
            g.add((node, FK.evidenceSpan, self.span(g, ev.span, lines)))
        if ev.component and comps:
            comp = comps[ev.component]
            g.add((node, FK.evidenceComponent, self.iris.component(comp.plan, comp.level, comp.code)))


# Which printed name labels a program found in several documents (README "Program identity"):
# the results report's (the budget's own name for the program, the latest fiscal year first),
# else the first listing's in document order. Every other printed name is a skos:altLabel.
def program_label(group: list[Listing | ProgramResult]) -> str:
    results = sorted((x for x in group if isinstance(x, ProgramResult)), key=lambda r: (-r.fiscal_year, r.seq))
    return results[0].name if results else group[0].name


def _baseline_stand_ins(ind: Indicator) -> set[int]:
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


LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_WHITESPACE = re.compile(r"\s+")


def search_form(text: str) -> str:
    """The fk:searchLabel of a label: NFKC, runs of white space as one space, trimmed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def add_search_labels(ds: Dataset, skip: Iterable[URIRef]) -> None:
    """Every label of every graph (but ``skip`` and source spans) gets its fk:searchLabel beside it."""
    skipped = set(skip)
    for g in list(ds.graphs()):
        if g.identifier in skipped:
            continue
        spans = set(g.subjects(RDF.type, FK.SourceSpan))
        found = [
            (s, o)
            for p in LABEL_PROPERTIES
            for s, o in g.subject_objects(p)
            if isinstance(o, Literal) and s not in spans
        ]
        for s, o in found:
            g.add((s, FK.searchLabel, Literal(search_form(str(o)))))


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)).normalize(), datatype=XSD.decimal)


def _evidence_run(ev: classify.Evidence, runs: list[Span], lines: list[str]) -> classify.Evidence:
    """Description evidence of a result whose description is printed in several runs: the
    first run holding the matched words (else the whole first..last span)."""
    if ev.kind != "description" or len(runs) < 2:
        return ev
    for run in runs:
        if ev.matched in norm("".join(lines[run.start - 1 : run.end])):
            return replace(ev, span=run)
    return ev


def _start_literal(year: int, month: int | None) -> Literal:
    if month:
        return Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth)
    return Literal(str(year), datatype=XSD.gYear)


def _stated_literal(year: int, month: int | None, day: int | None) -> Literal:
    if month and day:
        return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)
    return _start_literal(year, month)


def _fiscal_year(col: str) -> int | None:
    """The western fiscal year of a column label such as R3 or Ｈ３０ (None for ?1 etc.)."""
    if not re.fullmatch(r"[HR]\s*(元|\d+)", norm(col)):
        return None
    return era.parse_era_year(col)


def _number(value: str) -> Decimal | None:
    t = norm(value).replace(",", "")
    t = re.sub(r"(%|％|件|人|箇所|回|校|か所|ヵ所|世帯|円)$", "", t)
    if re.fullmatch(r"-?\d+(\.\d+)?", t):
        return Decimal(t)
    return None


def _date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


def to_dataset(
    extracted: Iterable[tuple[Document, DocumentRecords]],
    base: str = DEFAULT_BASE,
    match_table: Path | None = identity.MATCHES,
    organisations: dict | None = None,
) -> tuple[Dataset, list[str]]:
    """The whole dataset: reference graphs plus one named graph per document.

    ``match_table`` is the reviewed table of program identities (None: the automatic rules only,
    for partial record sets whose listings the table does not all name); ``organisations``: cities,
    bodies and divisions that one's own plan folders add to data/reviewed/organisations.toml.
    """
    b = Builder(Iris(base), match_table, organisations or {})
    b.add_reference()
    docs = list(extracted)
    for doc, rec in docs:
        b.add_document(doc, rec)
        b.add_plan(doc, rec)
        b.add_components(doc, rec)
        b.add_indicators(doc, rec)
        b.add_cases(doc, rec)
    b.add_programs(docs)
    add_search_labels(b.ds, [b.iris.graph("ontology")])
    return b.ds, b.warnings
