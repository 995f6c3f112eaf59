"""RESP001: a listed program with no responsible division and no lead actor."""

from __future__ import annotations

from fukushi_kg.graph.lint.model import Finding, RuleOutput, label_of
from fukushi_kg.graph.lint.rules import query

CODES = ("RESP001",)


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    for row in ctx.select(query("RESP001")):
        label = label_of(row)
        prog = f" (program <{row['program'].node}>)" if "program" in row else ""
        out.findings.append(
            Finding(
                "RESP001",
                row["this"].node,
                f"Listing 「{label}」{prog} has no responsible division (所管課) and no lead actor (◎).",
                f"掲載「{label}」に所管課も実施主体（◎）もない。",
            )
        )
    return out
