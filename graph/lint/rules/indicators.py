"""IND001–IND004: indicators without baseline or target, targets outside the plan period, mixed units."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from fukushi_kg.graph.lint.model import Finding, RuleOutput, label_of
from fukushi_kg.graph.lint.rules import query

CODES = ("IND001", "IND002", "IND003", "IND004")


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    if "IND001" in codes:
        for row in ctx.select(query("IND001")):
            label = label_of(row)
            out.findings.append(
                Finding(
                    "IND001",
                    row["this"].node,
                    f"Indicator 「{label}」 has no baseline (no baseline observation, no actual before the plan period).",
                    f"指標「{label}」に基準値がない（基準値も計画期間前の実績値もない）。",
                )
            )
    if "IND002" in codes:
        for row in ctx.select(query("IND002")):
            label = label_of(row)
            out.findings.append(
                Finding(
                    "IND002",
                    row["this"].node,
                    f"Indicator 「{label}」 has no target (no target or interim-target observation).",
                    f"指標「{label}」に目標値（中間目標を含む）がない。",
                )
            )
    if "IND003" in codes:
        for row in ctx.select(query("IND003")):
            label = label_of(row)
            start = row["start"].value if "start" in row else "…"
            end = row["end"].value if "end" in row else "…"
            year = row["year"].value
            out.findings.append(
                Finding(
                    "IND003",
                    row["this"].node,
                    f"Indicator 「{label}」 has a target for {year}, outside its plan's period {start}–{end}.",
                    f"指標「{label}」の目標年度 {year} が計画期間 {start}〜{end} の外にある。",
                    anchor=row["obs"].node,
                )
            )
    if "IND004" in codes:
        units: dict[str, dict[str, str]] = defaultdict(dict)
        for row in ctx.select(query("IND004")):
            u = row["unit"].value
            units[row["this"].node].setdefault(unicodedata.normalize("NFKC", u).strip(), u)
        for ind, found in sorted(units.items()):
            if len(found) > 1:
                listed = "、".join(sorted(found.values()))
                out.findings.append(
                    Finding(
                        "IND004",
                        ind,
                        f"Indicator <{ind}> mixes units across its observations: {listed}.",
                        f"指標 <{ind}> の観測値の単位が混在している: {listed}。",
                    )
                )
    return out
