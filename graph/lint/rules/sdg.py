"""SDG001: an SDG goal outside 1–17."""

from __future__ import annotations

from fukushi_kg.graph.lint.model import Finding, RuleOutput
from fukushi_kg.graph.lint.rules import query

CODES = ("SDG001",)


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    for row in ctx.select(query("SDG001")):
        goal = row["goal"].value
        out.findings.append(
            Finding(
                "SDG001",
                row["this"].node,
                f"SDG goal {goal} is not one of http://metadata.un.org/sdg/1 … /17.",
                f"SDGs のゴール {goal} は http://metadata.un.org/sdg/1〜17 のいずれでもない。",
            )
        )
    return out
