"""Search over names, summaries and narratives: NFKC substrings, so width variants never matter.

The texts come from one SPARQL query (``queries/explore/search-texts.rq``), read once per build and
kept (:class:`Index`). A text and the words typed are compared after NFKC normalisation and case
folding, character by character, with a map back to the printed text: ``第5次`` finds ``第５次``
and the hit is shown (and highlighted) in the printed form. Several words (split at spaces, full-width
ones too) must all occur in one resource; a hit in a name ranks above one in a summary or narrative.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

FIELD_RANK = {"name": 0, "summary": 1, "actions": 2, "direction": 2, "reason": 2, "outcomes": 2}
KIND_RANK = {"program": 0, "listing": 1, "result": 2, "initiative": 3, "plan": 4, "component": 5, "indicator": 6}
SNIPPET = 40  # characters of context on each side of the first hit
MAX_RESULTS = 200


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` NFKC-normalised and case-folded, and for each folded character the index of the
    printed character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).casefold()
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def words(query: str) -> list[str]:
    """The words of a query, folded; empty words dropped, duplicates kept once."""
    seen: list[str] = []
    for w in unicodedata.normalize("NFKC", query).casefold().split():
        if w and w not in seen:
            seen.append(w)
    return seen


def spans(text: str, folded_words: list[str]) -> list[tuple[int, int]]:
    """Where the words occur in the printed ``text``: merged ``(start, end)`` character ranges."""
    folded, where = fold(text)
    found: list[tuple[int, int]] = []
    for w in folded_words:
        start = folded.find(w)
        while start >= 0:
            found.append((where[start], where[start + len(w) - 1] + 1))
            start = folded.find(w, start + len(w))
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def segments(text: str, ranges: list[tuple[int, int]], context: int | None = SNIPPET) -> list[tuple[str, bool]]:
    """``text`` as ``(piece, is_hit)`` pieces; with ``context``, cut to that many characters around
    the first hit (an ellipsis marks a cut)."""
    if not ranges:
        return [(text, False)]
    lo, hi = 0, len(text)
    if context is not None:
        lo = max(0, ranges[0][0] - context)
        hi = min(len(text), ranges[0][1] + context * 2)
    pieces: list[tuple[str, bool]] = [("…", False)] if lo > 0 else []
    at = lo
    for a, b in ranges:
        if b <= lo or a >= hi:
            continue
        a, b = max(a, lo), min(b, hi)
        if a > at:
            pieces.append((text[at:a], False))
        pieces.append((text[a:b], True))
        at = b
    if at < hi:
        pieces.append((text[at:hi], False))
    if hi < len(text):
        pieces.append(("…", False))
    return pieces


@dataclass
class Entry:
    resource: str
    kind: str
    name: str = ""
    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (field, printed, folded)


@dataclass
class Hit:
    resource: str
    kind: str
    name: str
    name_segments: list[tuple[str, bool]]
    field: str  # where the first word was found: name, summary, actions…
    snippet: list[tuple[str, bool]]  # empty when the hit is in the name
    rank: tuple


class Index:
    """Every searchable text by resource, from the rows of search-texts.rq."""

    def __init__(self, rows: list[dict]):
        by: dict[str, Entry] = {}
        for row in rows:
            iri, text = row["resource"]["value"], row["text"]["value"]
            kind, fld = row["kind"]["value"], row["field"]["value"]
            entry = by.setdefault(iri, Entry(iri, kind))
            if KIND_RANK.get(kind, 9) < KIND_RANK.get(entry.kind, 9):
                entry.kind = kind
            if fld == "name" and (not entry.name or len(text) < len(entry.name)):
                entry.name = text
            entry.texts.append((fld, text, fold(text)[0]))
        for entry in by.values():
            entry.texts.sort(key=lambda t: (FIELD_RANK.get(t[0], 3), t[1]))
        self.entries = sorted(by.values(), key=lambda e: e.resource)

    def search(self, query: str, limit: int = MAX_RESULTS) -> tuple[list[Hit], int]:
        """The best ``limit`` hits and how many resources matched in all."""
        wanted = words(query)
        if not wanted:
            return [], 0
        hits: list[Hit] = []
        for entry in self.entries:
            if not all(any(w in folded for _, _, folded in entry.texts) for w in wanted):
                continue
            first = next(t for t in entry.texts if any(w in t[2] for w in wanted))
            in_name = first[0] == "name"
            name = entry.name or first[1]
            name_ranges = spans(name, wanted)
            snippet = [] if in_name else segments(first[1], spans(first[1], wanted))
            rank = (FIELD_RANK.get(first[0], 3), KIND_RANK.get(entry.kind, 9), len(name), name)
            hits.append(
                Hit(entry.resource, entry.kind, name, segments(name, name_ranges, None), first[0], snippet, rank)
            )
        hits.sort(key=lambda h: h.rank)
        return hits[:limit], len(hits)
