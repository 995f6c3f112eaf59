"""The IRIs of the graph. Every resource a row makes is named here (parts of a resource, such as an
observation of an indicator or the selector of a span, extend their owner's IRI in the module that
writes them).

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
from dataclasses import dataclass

from rdflib import URIRef

from fukushi_kg.graph.records import Listing, ProgramResult, Span
from fukushi_kg.graph.text import norm

DEFAULT_BASE = "https://w3id.org/fukushi-kg/"

ROMAN = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V", "Ⅵ": "VI", "Ⅶ": "VII", "Ⅷ": "VIII", "Ⅸ": "IX", "Ⅹ": "X"}


def ascii_code(code: str) -> str:
    """A printed structural code as an IRI path segment: Ⅲ-1 -> III-1, １.２ -> 1.2."""
    out = "".join(ROMAN.get(c, c) for c in code)
    out = norm(out)
    if not re.fullmatch(r"[A-Za-z0-9.\-_]+", out):
        raise ValueError(f"structural code {code!r} does not make an ASCII IRI segment")
    return out


def slug_hash(text: str) -> str:
    """A stable slug of a text (after NFKC) for a resource without a printed key."""
    return hashlib.sha1(norm(text).encode("utf-8")).hexdigest()[:10]


@dataclass
class Iris:
    """The IRI of each kind of resource, under ``base``."""

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

    def program_match(self, key: str) -> URIRef:
        return self._("id/program-match/" + slug_hash(key))

    def activity(self, name: str) -> URIRef:
        return self._(f"id/activity/{name}")

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
