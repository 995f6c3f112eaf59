"""LAW001: a law or article referenced (fk:legalBasis, fk:citedLaw) but not defined."""

from __future__ import annotations

from fukushi_kg.graph.lint.model import Finding, RuleOutput
from fukushi_kg.graph.lint.rules import query

CODES = ("LAW001",)


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    for row in ctx.select(query("LAW001")):
        law, prop = row["law"].node, row["property"].value.rsplit("/", 1)[-1]
        out.findings.append(
            Finding(
                "LAW001",
                row["this"].node,
                f"fk:{prop} refers to <{law}>, which the graph does not define as an eli:LegalResource.",
                f"fk:{prop} が参照する <{law}> がグラフに法令（eli:LegalResource）として定義されていない。",
            )
        )
    return out
