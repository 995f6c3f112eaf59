"""SRC001: every fact with a source line span is checked against the source text.

For each fk:SourceSpan: the lines exist in its document's text file (fk:textFile, read only as
``graph.lint.texts`` allows: the published sources, or files under the CLI's source roots; a path
that is absolute, climbs with .. or links out is never opened), fk:quotedText equals them, and the text attached to the span (a name
to its name span, a printed division, matched words, a printed value) occurs in them, all after
width normalisation (``graph.text.norm``). A name wrapped inside a table cell, whose lines also
carry the text of other columns, counts as found when its pieces are printed within the lines of
the span (see ``found_in``). A label the graph composes is checked part by part:
names printed together in one cell are joined with ／ (each must occur), and an indicator's
label ends with its series in （） (the series is printed in another column, so it is left out).
"""

from __future__ import annotations

import re

from fukushi_kg.graph.lint.model import Finding, Location, RuleOutput
from fukushi_kg.graph.lint.rules import query
from fukushi_kg.graph.text import norm

CODES = ("SRC001",)
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _short(iri: str) -> str:
    for ns, p in (("https://w3id.org/fukushi-kg/def/", "fk:"), ("http://www.w3.org/2000/01/rdf-schema#", "rdfs:")):
        if iri.startswith(ns):
            return p + iri[len(ns) :]
    return f"<{iri}>"


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_NUMBER = re.compile(r"[0-9][0-9,.]*")


def found_in(text: str, lines: list[str]) -> bool:
    """Whether ``text`` occurs in ``lines`` after width normalisation: as one run in the joined
    lines, or as a name wrapped inside a table cell whose lines also carry other columns. A
    wrapped name is consecutive pieces (two characters or more) printed in the span's cells (the
    space-separated parts of a line, split again at figures such as 19,000 that another column
    printed against them): the first piece ends a cell, the last begins one, the others are
    whole cells."""
    t = norm(text)
    if not t:
        return True
    if t in norm("".join(lines)):
        return True
    cells = [c for line in lines for part in line.split() for c in _NUMBER.split(norm(part)) if c]
    if len(t) < 4 or len(cells) < 2:
        return False
    whole = set(cells)
    reach = [False] * (len(t) + 1)
    reach[0] = True
    for i in range(len(t)):
        if not reach[i]:
            continue
        for j in range(i + 2, len(t) + 1):
            if reach[j]:
                continue
            piece = t[i:j]
            if piece in whole:
                reach[j] = True
            elif i == 0 and j < len(t):
                reach[j] = any(c.endswith(piece) for c in cells)
            elif j == len(t) and i > 0:
                reach[j] = any(c.startswith(piece) for c in cells)
    return reach[len(t)]


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    texts = ctx.texts
    spans: dict[str, tuple[str, int, int, list[str]]] = {}
    missing: set[str] = set()
    for row in ctx.select(query("SRC_spans")):
        span, file = row["span"].node, row["file"].value
        try:
            start, end = int(row["start"].value), int(row["end"].value)
        except ValueError:
            continue  # not a line number: the shapes report it
        lines = texts.lines(file)
        if lines is None:
            missing.add(file)
            continue
        where = Location(file, max(start, 1), 1, "source")
        if start < 1 or end < start or end > len(lines):
            out.findings.append(
                Finding(
                    "SRC001",
                    span,
                    f"Span lines {start}–{end} are not lines of {file} ({len(lines)} lines).",
                    f"行範囲 {start}〜{end} は {file}（{len(lines)} 行）の中にない。",
                    location=where,
                )
            )
            continue
        chunk = lines[start - 1 : end]
        spans[span] = (file, start, end, chunk)
        if "quoted" in row and norm(row["quoted"].value.replace("\n", "")) != norm("".join(chunk)):
            out.findings.append(
                Finding(
                    "SRC001",
                    span,
                    f"The quoted text 「{_clip(row['quoted'].value)}」 is not what lines {start}–{end} of {file} say "
                    f"(「{_clip(''.join(chunk).strip())}」).",
                    f"引用「{_clip(row['quoted'].value)}」が {file} の {start}〜{end} 行（「{_clip(''.join(chunk).strip())}」）と一致しない。",
                    location=where,
                )
            )
    missing_texts: dict[tuple[str, str, str], list[str]] = {}
    for row in ctx.select(query("SRC_texts")):
        span = row["span"].node
        if span not in spans:
            continue
        file, start, end, chunk = spans[span]
        text = row["text"].value
        parts = [text]
        if row["textProperty"].value == RDFS_LABEL:
            if "series" in row and text.endswith(f"（{row['series'].value}）"):
                text = text[: -len(row["series"].value) - 2]
            parts = [p for p in text.split("／") if p.strip()]
        if not all(found_in(p, chunk) for p in parts):
            prop, sprop = _short(row["textProperty"].value), _short(row["spanProperty"].value)
            missing_texts.setdefault((row["this"].node, span, sprop), []).append(
                f"{prop} 「{_clip(row['text'].value)}」"
            )
    for (node, span, sprop), what in sorted(missing_texts.items()):
        file, start, end, chunk = spans[span]
        listed = ", ".join(sorted(what))
        read = _clip("".join(chunk).strip()) or "(blank)"
        out.findings.append(
            Finding(
                "SRC001",
                node,
                f"{listed} not found at lines {start}–{end} of {file} ({sprop}); they read 「{read}」.",
                f"{listed} が {file} の {start}〜{end} 行（{sprop}）に見つからない（その行は「{read}」）。",
                location=Location(file, start, 1, "source"),
            )
        )
    for file in sorted(missing):
        ctx.notice(f"SRC001: {texts.why(file)}; its spans were not checked")
    return out
