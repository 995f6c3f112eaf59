"""Search labels (no table: derived from every graph once it is written): beside each rdfs:label,
skos:prefLabel and skos:altLabel but those of source spans, its fk:searchLabel (NFKC, white space
collapsed), so that a query can find a name by CONTAINS whatever its widths and spacing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from fukushi_kg.graph.vocab import FK

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
