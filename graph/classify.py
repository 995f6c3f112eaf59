"""Target-group classification of listed programs, with recorded evidence.

The rules are data: each target group of ``ontology/vocabularies.ttl`` carries the words that
signal it as ``skos:hiddenLabel``. A listing is classified into a group when one of the words
occurs (after NFKC, spaces removed) in

- its name (evidence kind ``name``),
- its summary (``description``), or
- the heading of the component it sits under or of one of that component's ancestors
  (``component``: e.g. everything under 施策①ひとり親家庭等の就労支援 serves single-parent
  households).

Every classification keeps the words matched as printed, and the source lines (or the
component) they were found in, so that a reader can check each one.

Initiatives of the case-study collection get cross-city topics (``fk:topics``) the same way,
from their title (``name``), the theme heading they sit under (``theme``: everything under
札幌's 児童虐待防止の取組 is abuse prevention, everything under 広島's 子育て支援に係るDXの推進
is DX), their description and their outcomes (``results``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from fukushi_kg import resources
from fukushi_kg.graph.records import CaseInitiative, Component, Listing, Span
from fukushi_kg.graph.text import norm
from fukushi_kg.graph.vocab import code_list

VOCABULARIES = resources.VOCABULARIES
TARGET_GROUP = code_list("target-group")
TOPIC = code_list("topic")


@dataclass(frozen=True)
class Evidence:
    group: str  # slug of the target group concept
    kind: str  # "name" | "description" | "component"; for initiatives' topics also "theme" | "results"
    matched: str  # the keyword, as written in the vocabulary
    span: Span | None  # where the words are printed
    component: str | None = None  # component code when kind == "component"


@lru_cache(maxsize=1)
def _vocabularies(path: Path = VOCABULARIES) -> Graph:
    return Graph().parse(path)


@lru_cache(maxsize=4)
def keywords(namespace: str = TARGET_GROUP) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(concept slug, normalised keywords) for every concept under ``namespace``, longest keywords first."""
    g = _vocabularies()
    out = []
    for concept in sorted({c for c in g.subjects(SKOS.hiddenLabel, None) if isinstance(c, URIRef)}):
        if str(concept).startswith(namespace):
            words = sorted({norm(str(w)) for w in g.objects(concept, SKOS.hiddenLabel)}, key=lambda w: (-len(w), w))
            out.append((str(concept)[len(namespace) :], tuple(words)))
    return tuple(out)


def _first_match(text: str, words: tuple[str, ...]) -> str | None:
    t = norm(text)
    for w in words:
        if w in t:
            return w
    return None


def classify(listing: Listing, components: dict[str, Component]) -> list[Evidence]:
    """Every target group the listing's program serves, with one piece of evidence per source."""
    found: list[Evidence] = []
    chain: list[Component] = []
    code: str | None = listing.component
    while code is not None and code in components:
        chain.append(components[code])
        code = components[code].parent
    for group, words in keywords():
        w = _first_match(" ".join([listing.name, *listing.names]), words)
        if w:
            found.append(Evidence(group, "name", w, listing.name_span))
        if listing.description:
            w = _first_match(listing.description, words)
            if w:
                found.append(Evidence(group, "description", w, listing.description_span))
        for comp in chain:
            w = _first_match(comp.title, words)
            if w:
                found.append(Evidence(group, "component", w, comp.span, comp.code))
                break
    return found


def classify_texts(parts: list[tuple[str, str | None, Span | None]], namespace: str = TARGET_GROUP) -> list[Evidence]:
    """Concepts of ``namespace`` signalled in any of ``parts`` ((kind, text, span)), one evidence per part."""
    found: list[Evidence] = []
    for group, words in keywords(namespace):
        for kind, text, span in parts:
            w = _first_match(text, words) if text else None
            if w:
                found.append(Evidence(group, kind, w, span))
    return found


def initiative_topics(ini: CaseInitiative) -> list[Evidence]:
    """Topics of a case-study initiative: title, theme heading, description (captions left out) and outcomes."""
    parts = [
        ("name", ini.title, ini.title_span),
        ("theme", ini.theme, ini.theme_span),
        ("description", ini.description, ini.description_span),
        ("results", ini.results, ini.results_span),
    ]
    return classify_texts(parts, TOPIC)
