"""LBL001: labels that differ only by character width (full-width / half-width forms)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from fukushi_kg.graph.lint.model import Finding, RuleOutput
from fukushi_kg.graph.lint.rules import query

CODES = ("LBL001",)


def width_fold(text: str) -> str:
    """``text`` with full-width and half-width forms (and the ideographic space) folded to their
    ordinary forms; nothing else changes (unlike NFKC, ① and Ⅲ stay as they are)."""
    out = []
    for c in text:
        d = unicodedata.decomposition(c)
        out.append(unicodedata.normalize("NFKC", c) if d.startswith(("<wide>", "<narrow>")) else c)
    return "".join(out)


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    groups: dict[tuple[str, str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in ctx.select(query("LBL001")):
        label = row["label"]
        cls = row["class"].value if "class" in row else ""
        groups[(cls, label.lang or "", width_fold(label.value))][label.value].add(row["this"].node)
    seen = set()
    for (_, _, _), variants in sorted(groups.items()):
        if len(variants) < 2:
            continue
        ordered = sorted(variants, key=lambda v: (-len(variants[v]), v))  # the commonest spelling first
        first = ordered[0]
        first_node = sorted(variants[first])[0]
        for variant in ordered[1:]:
            for node in sorted(variants[variant]):
                key = (node, variant, first)
                if key in seen:
                    continue
                seen.add(key)
                where = "on the same resource" if node == first_node else f"as <{first_node}>"
                out.findings.append(
                    Finding(
                        "LBL001",
                        node,
                        f"Label 「{variant}」 differs only by character width from 「{first}」 {where}.",
                        f"ラベル「{variant}」は「{first}」と文字の幅（全角・半角）だけが異なる"
                        + ("（同じ資源）。" if node == first_node else f"（<{first_node}>）。"),
                    )
                )
    return out
