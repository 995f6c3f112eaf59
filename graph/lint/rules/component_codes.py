"""CODE001 duplicate and CODE002 gapped printed codes of a plan's components."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from fukushi_kg.graph import vocab
from fukushi_kg.graph.lint.model import Finding, RuleOutput
from fukushi_kg.graph.lint.rules import query

CODES = ("CODE001", "CODE002")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_LAST = re.compile(r"^(.*?)([0-9]+|[IVXLC]+)$")


def _roman(text: str) -> int:
    total = 0
    for i, c in enumerate(text):
        v = _ROMAN[c]
        total += -v if i + 1 < len(text) and _ROMAN[text[i + 1]] > v else v
    return total


def split_code(code: str) -> tuple[str, int] | None:
    """(prefix, last number) of a printed code: 1.1.3 -> ("1.1.", 3), Ⅲ-2 -> ("III-", 2), Ⅳ -> ("", 4)."""
    text = unicodedata.normalize("NFKC", code).strip()
    m = _LAST.match(text)
    if not m:
        return None
    n = int(m.group(2)) if m.group(2).isdigit() else _roman(m.group(2))
    return m.group(1), n


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    rows = ctx.select(query("CODE"))
    by_code: dict[tuple[str, str], set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        classes[row["this"].node].add(row["class"].value)
        by_code[(row["plan"].node, row["notation"].value)].add(row["this"].node)
    if "CODE001" in codes:
        for (plan, code), nodes in sorted(by_code.items()):
            if len(nodes) < 2:
                continue
            first, *rest = sorted(nodes)
            for node in rest:
                out.findings.append(
                    Finding(
                        "CODE001",
                        node,
                        f"Component code {code} of plan <{plan}> is used twice: here and by <{first}>.",
                        f"計画 <{plan}> の構成要素の番号 {code} が重複している（<{first}> と同じ）。",
                    )
                )
    if "CODE002" in codes:
        groups: dict[tuple[str, str, str], dict[int, tuple[str, str]]] = defaultdict(dict)
        generic = vocab.iri("PlanComponent")
        for (plan, code), nodes in by_code.items():
            parts = split_code(code)
            if parts is None:
                continue
            for node in nodes:
                specific = sorted(classes[node] - {generic}) or [generic]
                groups[(plan, specific[0], parts[0])][parts[1]] = (code, node)
        for (plan, cls, prefix), numbers in sorted(groups.items()):
            present = sorted(numbers)
            missing = [n for n in range(1, present[-1] + 1) if n not in numbers]
            for n in missing:
                after = min((k for k in present if k > n), default=None)
                if after is None or (n - 1 in missing):
                    continue  # report each run of missing numbers once, at the code after it
                run = [n]
                while run[-1] + 1 in missing:
                    run.append(run[-1] + 1)
                before = numbers.get(n - 1, (None,))[0]
                code_after, node = numbers[after]
                gap = ", ".join(f"{prefix}{k}" if prefix else str(k) for k in run)
                frm = f"from {before} " if before else ""
                out.findings.append(
                    Finding(
                        "CODE002",
                        node,
                        f"The {_short(cls)} codes of plan <{plan}> jump {frm}to {code_after}: {gap} missing.",
                        f"計画 <{plan}> の {_short(cls)} の番号が {code_after} に飛んでいる（{gap} がない）。",
                    )
                )
    return out
