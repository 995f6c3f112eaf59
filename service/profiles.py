"""The specific sections of a resource page, built from the subgraph :mod:`service.pagedata` read.

A program page shows its names, where it is listed (plan, place, division or ◎/○ actors, grade,
re-listing), its target groups with the evidence, the indicators of its components, its metric
tables, the source lines it came from and its identity matches; listings, plans, components,
indicators, metric tables and source spans get the analogous sections. Everything here is plain
data for the Jinja templates (which escape every value); labels are chosen ja first, or en with
``?lang=en``, through :class:`service.view.Viewer`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from fukushi_kg.graph import source_texts, vocab
from fukushi_kg.service import i18n
from fukushi_kg.service.i18n import N_, NC_, Message
from fukushi_kg.service.view import Viewer

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
SKOS = "http://www.w3.org/2004/02/skos/core#"
QB_DATASET = "http://purl.org/linked-data/cube#dataSet"
MATCHED_PROGRAM = vocab.iri("matchedProgram")
ELI = "http://data.europa.eu/eli/ontology#"
RDFS_SEEALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
NOT_MEASURED = vocab.iri("observation-status/not-measured")
DASH = "－"
KIND_ORDER = {"baseline": 0, "actual": 1, "target": 2}
QUOTE_LINES = 40  # lines of a span shown in a section; the span's own page shows up to SPAN_PAGE_LINES
SPAN_PAGE_LINES = 2000
COMPONENT_CLASSES = {
    vocab.iri(c) for c in ("Goal", "PolicyArea", "Measure", "BasicPolicy", "Viewpoint", "Initiative", "PlanComponent")
}
# The spans of a listing, in the order the page lists them, with what each one is evidence of.
LISTING_SPANS = [
    ("nameSpan", "name"),
    ("divisionSpan", "division"),
    ("evaluationSpan", "evaluation"),
    ("descriptionSpan", "description"),
    ("marksSpan", "marks"),
    ("unitSpan", "unit"),
    ("span", "block"),
]

WORDS: dict[str, Message] = {
    "names": N_("Names"),
    "labels": N_("Labels"),
    "alt_labels": N_("Other names"),
    "as_printed": N_("Names as printed"),
    "listed_in": N_("Listed in"),
    "plan": N_("Plan"),
    "place": N_("Place"),
    "listing": N_("Listing"),
    "who": N_("Division or actors"),
    "grade": N_("Grade"),
    "relisting": N_("Re-listing"),
    "relisted_at": N_("also listed at"),
    "relisting_of": N_("re-listing of"),
    "line": N_("Line"),
    "target_groups": N_("Target groups and evidence"),
    "group": NC_("page", "Target group"),
    "matched": N_("Matched words"),
    "kind": N_("Evidence kind"),
    "obs_kind": NC_("page", "Kind"),
    "quoted": N_("Quoted lines"),
    "indicators": N_("Indicators"),
    "indicator": N_("Indicator"),
    "of": N_("Of"),
    "unit": N_("Unit"),
    "values": N_("Values"),
    "metric_tables": N_("Metric tables"),
    "item": N_("Item"),
    "source_lines": N_("Source lines"),
    "role": NC_("page", "What"),
    "source": N_("Source"),
    "identity": N_("Identity matches"),
    "rule": N_("Rule"),
    "compared": N_("Compared names"),
    "listings": NC_("page", "Listings"),
    "summary": N_("Summary"),
    "program": N_("Program"),
    "description": N_("Description"),
    "division_printed": N_("Division as printed"),
    "marks_printed": N_("Marks as printed"),
    "activity_unit": N_("Activity unit"),
    "uncertain": N_("Reading uncertain"),
    "notes": N_("Reading notes"),
    "other_listings": N_("Other listings of the program"),
    "components": N_("Components"),
    "legal_basis": N_("Legal basis"),
    "sdgs": N_("SDGs"),
    "period": N_("Period"),
    "documents": N_("Documents"),
    "principle": N_("Principle"),
    "cited_at": N_("Cited at"),
    "law": N_("Law"),
    "egov": N_("e-Gov"),
    "parent": N_("Within"),
    "children": N_("Below"),
    "heading": N_("Heading"),
    "listings_under": N_("Listings under it"),
    "observations": N_("Observations"),
    "year": N_("Year"),
    "value": N_("Value"),
    "status": N_("Status"),
    "series": N_("Series"),
    "data_source": N_("Data source"),
    "document": N_("Document"),
    "lines": N_("Lines"),
    "quote": N_("Quoted text"),
    "cited_by": N_("What cites these lines"),
    "citer": N_("What"),
    "belongs_to": N_("Part of"),
    "as": N_("As"),
    "shown_lines": N_("only the first {n} lines are shown"),
    "open_span": N_("full span"),
    "not_measured": N_("not measured"),
    "table_of": N_("Printed with"),
    "none": N_("none"),
}
ROLES: dict[str, Message] = {
    "name": NC_("page", "name"),
    "division": N_("division"),
    "evaluation": N_("self-evaluation"),
    "description": N_("description"),
    "marks": N_("◎/○ marks"),
    "unit": N_("activity unit"),
    "block": N_("whole listing"),
    "evidence": N_("target-group evidence"),
    "table": N_("metric table"),
}
EVIDENCE_KINDS: dict[str, Message] = {
    "name": NC_("page", "name"),
    "description": N_("description"),
    "component": N_("heading of its component"),
}


class Sub:
    """The page's subgraph: ``out[s][p] -> [term]`` and ``into[o][p] -> [s]`` (IRIs only)."""

    def __init__(self, triples: list[dict]):
        self.out: dict[str, dict[str, list[dict]]] = {}
        self.into: dict[str, dict[str, list[str]]] = {}
        seen = set()
        for t in triples:
            s, p, o = t["s"]["value"], t["p"], t["o"]
            key = (s, p, o["type"], o["value"], o.get("xml:lang"), o.get("datatype"))
            if key in seen:
                continue
            seen.add(key)
            self.out.setdefault(s, {}).setdefault(p, []).append(o)
            if o["type"] == "uri":
                self.into.setdefault(o["value"], {}).setdefault(p, []).append(s)

    def terms(self, s: str, p: str) -> list[dict]:
        return self.out.get(s, {}).get(p, [])

    def iris(self, s: str, p: str) -> list[str]:
        return sorted({t["value"] for t in self.terms(s, p) if t["type"] == "uri"})

    def iri(self, s: str, p: str) -> str | None:
        found = self.iris(s, p)
        return found[0] if found else None

    def subjects(self, p: str, o: str) -> list[str]:
        return sorted(set(self.into.get(o, {}).get(p, [])))

    def types(self, s: str) -> set[str]:
        return set(self.iris(s, RDF_TYPE))

    def literals(self, s: str, p: str) -> list[dict]:
        return [t for t in self.terms(s, p) if t["type"] == "literal"]

    def text(self, s: str, p: str, lang: str = "ja") -> str | None:
        """One literal, in ``lang`` when there is one, else ja, untagged, any."""
        found = self.literals(s, p)
        for want in (lang, "ja" if lang != "ja" else "en", None):
            for t in found:
                if t.get("xml:lang") == want:
                    return t["value"]
        return found[0]["value"] if found else None

    def texts(self, s: str, p: str) -> list[str]:
        return sorted({t["value"] for t in self.literals(s, p)})

    def number(self, s: str, p: str) -> int | None:
        value = self.text(s, p)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None


@lru_cache(maxsize=16)
def _file_lines(path: str, mtime: float) -> tuple[str, ...]:
    return tuple(Path(path).read_text(encoding="utf-8").splitlines())


def source_lines(
    text_file: str | None, start: int, end: int, quoted: str | None, texts: Mapping[str, Path]
) -> list[tuple[int, str]] | None:
    """Lines ``start..end`` of the source text, numbered, when the file is served and agrees with the quote.

    The quote (``fk:quotedText``) leaves out blank lines; the file keeps them, so the numbers are
    exact. Only the served ``texts`` (name -> file, graph/source_texts.py) are read, found by the
    last part of ``text_file``, and only when their lines give back the quote the build stored;
    otherwise the page shows the quote as is.
    """
    if not text_file or quoted is None or start < 1 or end < start:
        return None
    path = texts.get(source_texts.served_name(text_file))
    if path is None:
        return None
    try:
        lines = _file_lines(str(path), path.stat().st_mtime)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    chunk = lines[start - 1 : end]
    if "\n".join(ln.rstrip() for ln in chunk if ln.strip()) != quoted:
        return None
    return [(start + i, ln.rstrip()) for i, ln in enumerate(chunk)]


class Page:
    """Builds the sections of one page."""

    def __init__(self, data: dict, base: str, lang: str, texts: Mapping[str, Path]):
        self.iri = data["iri"]
        self.texts = texts
        self.g = Sub(data["page"]["triples"])
        self.v = Viewer(data["labels"], base, lang)
        self.base, self.lang = base, lang

    # ------------------------------------------------------------------ helpers
    def word(self, key: str, **kw) -> str:
        return self.tr(WORDS[key]).format(**kw)

    def tr(self, message: Message) -> str:
        """``message`` (an English message id, or ``(context, id)``) from the catalogue of the page's language."""
        return i18n.translate(self.lang, message)

    def link(self, iri: str, text: str | None = None) -> dict:
        term = self.v.term({"type": "uri", "value": iri})
        if text:
            term["text"] = text
        return term

    def maybe_link(self, iri: str | None) -> dict | None:
        """The link to ``iri``, or None when there is none."""
        return self.link(iri) if iri else None

    def lit(self, s: str, p: str) -> str | None:
        return self.g.text(s, p, self.lang)

    def fk(self, s: str, name: str) -> str | None:
        return self.lit(s, vocab.iri(name))

    def label(self, iri: str) -> str:
        return self.v.label(iri)

    def order_key(self, iri: str):
        order = self.g.number(iri, vocab.iri("order"))
        return (order if order is not None else 10**6, _natural(self.g.text(iri, SKOS + "notation") or ""), iri)

    def local(self, iri: str) -> str:
        return iri.rstrip("/").rsplit("/", 1)[-1]

    # ------------------------------------------------------------------ spans
    def span(self, iri: str, role: str | None = None, limit: int = QUOTE_LINES) -> dict:
        g = self.g
        doc = g.iri(iri, vocab.iri("document"))
        start, end = g.number(iri, vocab.iri("lineStart")), g.number(iri, vocab.iri("lineEnd"))
        quoted = g.text(iri, vocab.iri("quotedText"))
        doc_id = self.local(doc) if doc else ""
        if start is not None and end is not None:
            where = self.tr("%(doc)s, lines %(start)s–%(end)s") % {"doc": doc_id, "start": start, "end": end}
        else:
            where = self.label(iri)
        numbered: Sequence[tuple[int | None, str]] | None = None
        if doc and start is not None and end is not None:
            numbered = source_lines(g.text(doc, vocab.iri("textFile")), start, end, quoted, self.texts)
        if numbered is None and quoted is not None:
            plain = quoted.split("\n")
            if start is not None and end is not None and len(plain) == end - start + 1:
                numbered = [(start + i, ln) for i, ln in enumerate(plain)]
            else:
                numbered = [(None, ln) for ln in plain]
        numbered = numbered or []
        return {
            "iri": iri,
            "link": self.link(iri, where),
            "document": self.link(doc, doc_id) if doc else None,
            "document_title": self.label(doc) if doc else "",
            "start": start,
            "end": end,
            "where": where,
            "role": self.tr(ROLES[role]) if role in ROLES else role,
            "lines": numbered[:limit],
            "total_lines": len(numbered),
            "cut": len(numbered) > limit,
            "cut_note": self.word("shown_lines", n=limit) if len(numbered) > limit else "",
            "single": start is not None and start == end,
        }

    # ------------------------------------------------------------------ components
    def place(self, component: str | None) -> str:
        """The printed place code: ``2.1.3``; an initiative with its viewpoint, ``Ⅲ-1/10``."""
        if not component:
            return ""
        code = self.g.text(component, SKOS + "notation") or self.local(component)
        if vocab.iri("Initiative") in self.g.types(component):
            parent = self.g.iri(component, vocab.iri("parentComponent"))
            if parent and self.g.text(parent, SKOS + "notation"):
                return f"{self.g.text(parent, SKOS + 'notation')}/{code}"
        return code

    def ancestors(self, component: str | None) -> list[str]:
        """The component and the ones above it, top first."""
        chain, seen = [], set()
        while component and component not in seen:
            seen.add(component)
            chain.append(component)
            component = self.g.iri(component, vocab.iri("parentComponent"))
        return list(reversed(chain))

    def component_ref(self, component: str) -> dict:
        return {
            "link": self.link(component),
            "code": self.place(component),
            "title": self.label(component),
            "heading": self.lit(component, vocab.iri("heading")),
        }

    # ------------------------------------------------------------------ listings
    def actors(self, listing: str, prop: str) -> list[dict]:
        found = self.g.iris(listing, vocab.iri(prop))
        found.sort(key=lambda a: (_natural(self.g.text(a, SKOS + "notation") or "~"), self.label(a)))
        return [self.link(a) for a in found]

    def listing_row(self, listing: str) -> dict:
        g = self.g
        component = g.iri(listing, vocab.iri("listedUnder"))
        name_span = g.iri(listing, vocab.iri("nameSpan"))
        plan = g.iri(listing, vocab.iri("inPlan"))
        divisions = [self.link(d) for d in g.iris(listing, vocab.iri("responsibleDivision"))]
        printed_division = self.fk(listing, "divisionAsPrinted")
        if printed_division and any(d["text"] == printed_division for d in divisions):
            printed_division = None
        grade = g.iri(listing, vocab.iri("selfEvaluation"))
        return {
            "iri": listing,
            "link": self.link(listing, g.text(listing, vocab.iri("placeInPlan")) or self.label(listing)),
            "name": self.label(listing),
            "name_printed": self.fk(listing, "nameAsPrinted"),
            "plan": self.link(plan) if plan else None,
            "component": self.component_ref(component) if component else None,
            "place": self.place(component),
            "program": self.maybe_link(g.iri(listing, vocab.iri("listingOf"))),
            "divisions": divisions,
            "division_printed": printed_division,
            "lead": self.actors(listing, "leadActor"),
            "partners": self.actors(listing, "partnerActor"),
            "unit": self.maybe_link(g.iri(listing, vocab.iri("activityUnit"))),
            "marks_printed": self.fk(listing, "marksAsPrinted"),
            "grade": self.link(grade) if grade else None,
            "relisted_with": [
                {
                    "link": self.link(r, g.text(r, vocab.iri("placeInPlan"))),
                    "place": self.place(g.iri(r, vocab.iri("listedUnder"))),
                }
                for r in g.iris(listing, vocab.iri("relistedWith"))
            ],
            "relisting_of": [
                {
                    "link": self.link(r, g.text(r, vocab.iri("placeInPlan"))),
                    "place": self.place(g.iri(r, vocab.iri("listedUnder"))),
                }
                for r in g.iris(listing, vocab.iri("isRelistingOf"))
            ],
            "is_relisting": vocab.iri("Relisting") in g.types(listing),
            "printed_relisting_code": self.fk(listing, "printedRelistingCode"),
            "uncertain": self.fk(listing, "uncertain") in ("true", "1"),
            "notes": g.texts(listing, vocab.iri("readingNote")),
            "flags": sorted(self.label(f) for f in g.iris(listing, vocab.iri("flag"))),
            "description": self.fk(listing, "description"),
            "name_span": self.span(name_span, "name") if name_span else None,
        }

    def listings_of(self, program: str) -> list[str]:
        listings = self.g.iris(program, vocab.iri("hasListing"))
        return sorted(
            listings,
            key=lambda l: (
                self.label(self.g.iri(l, vocab.iri("inPlan")) or ""),
                _natural(self.g.text(l, vocab.iri("placeInPlan")) or ""),
            ),
        )

    def evidence(self, listings: list[str]) -> list[dict]:
        """Target groups with the classifications of these listings: [{group, rows}]."""
        g = self.g
        by_group: dict[str, list[dict]] = {}
        for listing in listings:
            for c in g.subjects(vocab.iri("classifiedListing"), listing):
                group = g.iri(c, vocab.iri("targetGroup"))
                if not group:
                    continue
                kind = g.text(c, vocab.iri("evidenceKind")) or ""
                span = g.iri(c, vocab.iri("evidenceSpan"))
                component = g.iri(c, vocab.iri("evidenceComponent"))
                by_group.setdefault(group, []).append(
                    {
                        "iri": c,
                        "link": self.link(c, "→"),
                        "listing": self.link(listing, g.text(listing, vocab.iri("placeInPlan")) or self.label(listing)),
                        "place": self.place(g.iri(listing, vocab.iri("listedUnder"))),
                        "kind": self.tr(EVIDENCE_KINDS[kind]) if kind in EVIDENCE_KINDS else kind,
                        "matched": g.texts(c, vocab.iri("matchedText")),
                        "component": self.component_ref(component) if component else None,
                        "span": self.span(span, None, limit=6) if span else None,
                    }
                )
        return [
            {"group": self.link(grp), "rows": sorted(rows, key=lambda r: (r["place"], r["iri"]))}
            for grp, rows in sorted(by_group.items(), key=lambda kv: self.label(kv[0]))
        ]

    def metric_tables(self, listings: list[str]) -> list[dict]:
        tables = []
        for listing in listings:
            for table in sorted(self.g.iris(listing, vocab.iri("hasMetricTable")), key=_natural):
                tables.append(self.metric_table(table, listing))
        return tables

    def metric_table(self, table: str, listing: str | None = None) -> dict:
        g = self.g
        rows: dict[str, dict] = {}
        columns: dict[str, int] = {}
        for obs in g.subjects(QB_DATASET, table):
            item = g.text(obs, vocab.iri("metricItem")) or ""
            column = g.text(obs, vocab.iri("yearColumn")) or g.text(obs, vocab.iri("refYear")) or ""
            year = g.number(obs, vocab.iri("refYear"))
            columns[column] = min(columns.get(column, 10**6), year if year is not None else 10**6)
            match = re.search(r"/row/(\d+)/", obs)
            row = rows.setdefault(item, {"item": item, "n": int(match.group(1)) if match else 10**6, "cells": {}})
            row["cells"][column] = {"text": _printed(g, obs), "link": self.link(obs, _printed(g, obs))}
        ordered_columns = sorted(columns, key=lambda c: (columns[c], _natural(c)))
        span = g.iri(table, vocab.iri("span"))
        holders = g.subjects(vocab.iri("hasMetricTable"), table)
        listing = listing or (holders[0] if holders else None)
        return {
            "link": self.link(table),
            "listing": self.link(listing, g.text(listing, vocab.iri("placeInPlan")) or self.label(listing))
            if listing
            else None,
            "columns": ordered_columns,
            "rows": [
                {"item": r["item"], "cells": [r["cells"].get(c) for c in ordered_columns]}
                for r in sorted(rows.values(), key=lambda r: (r["n"], r["item"]))
            ],
            "span": self.span(span, "table", limit=12) if span else None,
        }

    def indicator_rows(self, components: list[str]) -> list[dict]:
        """Indicators of these components (or plans), each with its values in one line."""
        out = []
        for component in components:
            for ind in sorted(self.g.subjects(vocab.iri("indicatorOf"), component), key=_natural):
                out.append(
                    {
                        "link": self.link(ind),
                        "of": self.link(
                            component,
                            (
                                self.place(component) + " "
                                if component and self.g.types(component) & COMPONENT_CLASSES
                                else ""
                            )
                            + self.label(component),
                        ),
                        "unit": self.fk(ind, "unit") or "",
                        "series": self.fk(ind, "series") or "",
                        "observations": self.observations(ind),
                    }
                )
        return out

    def observations(self, indicator: str) -> list[dict]:
        g = self.g
        rows: list[dict[str, Any]] = []
        for obs in g.subjects(QB_DATASET, indicator):
            kind = g.iri(obs, vocab.iri("observationKind"))
            status = g.iri(obs, vocab.iri("observationStatus"))
            span = g.iri(obs, vocab.iri("span"))
            kind_key = self.local(kind) if kind else ""
            rows.append(
                {
                    "link": self.link(obs, _printed(g, obs)),
                    "year": g.text(obs, vocab.iri("refYear")) or "",
                    "kind": self.link(kind) if kind else None,
                    "kind_key": kind_key,
                    "series": g.text(obs, vocab.iri("series")) or "",
                    "value": _printed(g, obs),
                    "not_measured": status == NOT_MEASURED,
                    "status": self.link(status) if status else None,
                    "span": self.span(span, None, limit=4) if span else None,
                }
            )
        rows.sort(key=lambda r: (r["series"], r["year"], KIND_ORDER.get(r["kind_key"], 9)))
        return rows

    def source_spans(self, listings: list[str]) -> list[dict]:
        """Every span these listings came from, grouped by listing."""
        groups = []
        for listing in listings:
            spans = []
            for prop, role in LISTING_SPANS:
                for s in self.g.iris(listing, vocab.iri(prop)):
                    spans.append(self.span(s, role))
            for c in self.g.subjects(vocab.iri("classifiedListing"), listing):
                for s in self.g.iris(c, vocab.iri("evidenceSpan")):
                    if all(x["iri"] != s for x in spans):
                        spans.append(self.span(s, "evidence"))
            for table in self.g.iris(listing, vocab.iri("hasMetricTable")):
                for s in self.g.iris(table, vocab.iri("span")):
                    spans.append(self.span(s, "table"))
            documents = {
                x["document"]["iri"]: {"link": x["document"], "title": x["document_title"]}
                for x in spans
                if x["document"]
            }
            groups.append(
                {
                    "listing": self.link(listing),
                    "place": self.place(self.g.iri(listing, vocab.iri("listedUnder"))),
                    "documents": [documents[d] for d in sorted(documents)],
                    "plan": self.maybe_link(self.g.iri(listing, vocab.iri("inPlan"))),
                    "spans": spans,
                }
            )
        return groups

    def matches(self, nodes: list[str]) -> list[dict]:
        g = self.g
        found = set()
        for node in nodes:
            found.update(g.subjects(vocab.iri("matchedListing"), node))
            found.update(g.subjects(MATCHED_PROGRAM, node))
        return [
            {
                "link": self.link(m),
                "rule": g.text(m, vocab.iri("matchRule")) or "",
                "compared": g.texts(m, vocab.iri("comparedName")),
                "listings": [
                    {
                        "link": self.link(l, g.text(l, vocab.iri("placeInPlan")) or self.label(l)),
                        "plan": self.maybe_link(g.iri(l, vocab.iri("inPlan"))),
                        "place": self.place(g.iri(l, vocab.iri("listedUnder"))),
                    }
                    for l in g.iris(m, vocab.iri("matchedListing"))
                ],
                "comment": self.lit(m, RDFS_COMMENT),
            }
            for m in sorted(found)
        ]

    def own_labels(self, iri: str) -> list[dict]:
        out = []
        for t in self.g.literals(iri, RDFS_LABEL):
            out.append({"text": t["value"], "lang": t.get("xml:lang")})
        out.sort(key=lambda l: (l["lang"] != self.lang, l["lang"] != "ja", l["lang"] or "", l["text"]))
        return out

    # ------------------------------------------------------------------ pages
    def program(self) -> dict:
        g, me = self.g, self.iri
        listings = self.listings_of(me)
        components = []
        for l in listings:
            for c in self.ancestors(g.iri(l, vocab.iri("listedUnder"))):
                if c not in components:
                    components.append(c)
        printed = []
        for l in listings:
            name = self.fk(l, "nameAsPrinted")
            if name:
                printed.append(
                    {"text": name, "listing": self.link(l, g.text(l, vocab.iri("placeInPlan")) or self.label(l))}
                )
        return {
            "labels": self.own_labels(me),
            "alt_labels": g.texts(me, SKOS + "altLabel"),
            "printed": printed,
            "listings": [self.listing_row(l) for l in listings],
            "groups": self.evidence(listings),
            "served": [self.link(t) for t in sorted(g.iris(me, vocab.iri("servesTargetGroup")), key=self.label)],
            "indicators": self.indicator_rows(components),
            "tables": self.metric_tables(listings),
            "sources": self.source_spans(listings),
            "matches": self.matches([me, *listings]),
        }

    def listing(self) -> dict:
        g, me = self.g, self.iri
        program = g.iri(me, vocab.iri("listingOf"))
        others = [l for l in self.listings_of(program) if l != me] if program else []
        return {
            "row": self.listing_row(me),
            "others": [self.listing_row(l) for l in others],
            "groups": self.evidence([me]),
            "indicators": self.indicator_rows(self.ancestors(g.iri(me, vocab.iri("listedUnder")))),
            "tables": self.metric_tables([me]),
            "sources": self.source_spans([me]),
            "matches": self.matches([me]),
        }

    def plan(self) -> dict:
        g, me = self.g, self.iri
        components = [c for c in g.subjects(vocab.iri("inPlan"), me) if g.types(c) & COMPONENT_CLASSES]
        listings = [l for l in g.subjects(vocab.iri("inPlan"), me) if vocab.iri("Listing") in g.types(l)]
        children: dict[str | None, list[str]] = {}
        for c in components:
            parent = g.iri(c, vocab.iri("parentComponent"))
            children.setdefault(parent if parent in components else None, []).append(c)
        under: dict[str, list[str]] = {}
        for l in listings:
            under.setdefault(g.iri(l, vocab.iri("listedUnder")) or "", []).append(l)

        def node(c: str, depth: int = 0) -> dict:
            return {
                **self.component_ref(c),
                "listings": [
                    {
                        "link": self.link(l, self.label(l)),
                        "code": g.text(l, vocab.iri("placeInPlan")) or "",
                        "uncertain": self.fk(l, "uncertain") in ("true", "1"),
                    }
                    for l in sorted(under.get(c, []), key=self.order_key)
                ],
                "children": [node(k, depth + 1) for k in sorted(children.get(c, []), key=self.order_key)]
                if depth < 8
                else [],
            }

        laws = []
        for law in g.iris(me, vocab.iri("legalBasis")):
            act = g.iri(law, ELI + "is_part_of")
            egov = g.iri(act, RDFS_SEEALSO) if act else g.iri(law, RDFS_SEEALSO)
            cited = []  # the plan query reads only the citations in the plan's own documents
            for citation in g.subjects(vocab.iri("citedLaw"), law):
                cited += [self.span(s, None, limit=3) for s in g.iris(citation, vocab.iri("span"))]
            laws.append(
                {
                    "link": self.link(law),
                    "act": self.link(act) if act else None,
                    "law_number": self.fk(act, "lawNumber") if act else None,
                    "egov": egov,
                    "cited": sorted(cited, key=lambda s: s["start"] or 0),
                }
            )
        sdgs = sorted(g.iris(me, vocab.iri("sdgGoal")), key=lambda s: _natural(g.text(s, SKOS + "notation") or s))
        start, end = self.fk(me, "periodStart"), self.fk(me, "periodEnd")
        return {
            "labels": self.own_labels(me),
            "period": f"{start or '?'}–{end or '?'}" if start or end else None,
            "period_note": self.fk(me, "periodNote"),
            "principle": self.fk(me, "principle"),
            "documents": [
                self.link(d)
                for d in sorted(set(g.iris(me, vocab.iri("statedIn"))) | set(g.subjects(vocab.iri("reportsOn"), me)))
            ],
            "tree": [node(c) for c in sorted(children.get(None, []), key=self.order_key)],
            "listing_count": len(listings),
            "laws": sorted(laws, key=lambda l: l["link"]["iri"]),
            "sdgs": [{"link": self.link(s), "code": g.text(s, SKOS + "notation") or ""} for s in sdgs],
            "indicators": self.indicator_rows([me, *sorted(components, key=self.order_key)]),
            "spans": [self.span(s, None) for s in g.iris(me, vocab.iri("span"))],
        }

    def component(self) -> dict:
        g, me = self.g, self.iri
        below = g.subjects(vocab.iri("parentComponent"), me)
        everything = {me}
        frontier = [me]
        while frontier:
            nxt = []
            for c in frontier:
                for k in g.subjects(vocab.iri("parentComponent"), c):
                    if k not in everything:
                        everything.add(k)
                        nxt.append(k)
            frontier = nxt
        groups = []
        for c in sorted(everything, key=lambda c: [self.order_key(a) for a in self.ancestors(c)]):
            listed = sorted(g.subjects(vocab.iri("listedUnder"), c), key=self.order_key)
            if listed:
                groups.append({"component": self.component_ref(c), "rows": [self.listing_row(l) for l in listed]})
        chain = self.ancestors(me)
        plan = g.iri(me, vocab.iri("inPlan"))
        span = g.iri(me, vocab.iri("span"))
        return {
            "plan": self.link(plan) if plan else None,
            "code": self.place(me),
            "heading": self.fk(me, "heading"),
            "stated_target": self.fk(me, "statedTarget"),
            "chain": [self.component_ref(c) for c in chain[:-1]],
            "children": [self.component_ref(c) for c in sorted(below, key=self.order_key)],
            "groups": groups,
            "indicators": self.indicator_rows([me]),
            "span": self.span(span, None) if span else None,
        }

    def indicator(self) -> dict:
        g, me = self.g, self.iri
        of = g.iri(me, vocab.iri("indicatorOf"))
        plan = g.iri(me, vocab.iri("inPlan"))
        name_span = g.iri(me, vocab.iri("nameSpan"))
        return {
            "plan": self.link(plan) if plan else None,
            "of": self.link(
                of, (self.place(of) + " " if of and g.types(of) & COMPONENT_CLASSES else "") + self.label(of)
            )
            if of
            else None,
            "unit": self.fk(me, "unit"),
            "series": self.fk(me, "series"),
            "data_source": self.fk(me, "dataSource"),
            "notes": g.texts(me, vocab.iri("readingNote")),
            "observations": self.observations(me),
            "name_span": self.span(name_span, "name") if name_span else None,
        }

    def metric_table_page(self) -> dict:
        return {"table": self.metric_table(self.iri)}

    def span_page(self) -> dict:
        g, me = self.g, self.iri
        cited_by = []
        for s, preds in sorted(((s, p) for s, p in _citers(g, me))):
            types = sorted(g.types(s), key=self.label)
            context = None
            for p in (vocab.iri("classifiedListing"), QB_DATASET):
                target = g.iri(s, p)
                if target:
                    context = self.link(target, (g.text(target, SKOS + "notation") or "") + " " + self.label(target))
            cited_by.append(
                {
                    "link": self.link(s),
                    "as": [self.link(p) for p in preds],
                    "types": [self.link(t) for t in types],
                    "context": context,
                }
            )
        return {"span": self.span(me, None, limit=SPAN_PAGE_LINES), "cited_by": cited_by}


def _citers(g: Sub, span: str):
    by_subject: dict[str, list[str]] = {}
    for p, subjects in g.into.get(span, {}).items():
        for s in subjects:
            if s != span:
                by_subject.setdefault(s, []).append(p)
    return [(s, sorted(set(ps))) for s, ps in by_subject.items()]


def _printed(g: Sub, obs: str) -> str:
    """An observation's value as printed; a not-measured year is always －, never 0."""
    if g.iri(obs, vocab.iri("observationStatus")) == NOT_MEASURED:
        return DASH
    printed = g.text(obs, vocab.iri("valueAsPrinted"))
    if printed:
        return printed
    value = g.text(obs, vocab.iri("value"))
    return value if value is not None else DASH


def _natural(text: str):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


BUILDERS = {
    "program": Page.program,
    "listing": Page.listing,
    "plan": Page.plan,
    "component": Page.component,
    "indicator": Page.indicator,
    "metric-table": Page.metric_table_page,
    "span": Page.span_page,
}


def page_view(data: dict, base: str, lang: str, texts: Mapping[str, Path]) -> dict | None:
    """The specific sections of the page, or None when the resource has only the generic table;
    ``texts``: the source texts served (their lines are quoted)."""
    page = data.get("page")
    if not page or page["kind"] not in BUILDERS:
        return None
    builder = Page(data, base, lang, texts)
    return {"kind": page["kind"], "w": builder.word, **BUILDERS[page["kind"]](builder)}
