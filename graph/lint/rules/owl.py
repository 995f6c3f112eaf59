"""OWL001 inconsistent ontology with data, OWL002 unsatisfiable classes: HermiT via graph/reason.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fukushi_kg.graph import reason
from fukushi_kg.graph.lint.inputs import ONTOLOGY_IRI, CopyUnavailable
from fukushi_kg.graph.lint.model import Finding, RuleOutput, Skip
from fukushi_kg.graph.lint.rules import query

CODES = ("OWL001", "OWL002")


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    try:
        local = ctx.local()
    except CopyUnavailable as exc:
        out.skipped.append(Skip(CODES, f"HermiT not run: {exc}"))
        return out
    with tempfile.TemporaryDirectory(prefix="fukushi-kg-lint-") as tmp:
        result = reason.check(local.ntriples_file(Path(tmp)))
    if not result.ran:
        out.skipped.append(Skip(CODES, result.message))
        return out
    if result.consistent is False and "OWL001" in codes:
        # HermiT says only "inconsistent"; name the commonest cause where the data shows it
        for row in ctx.select(query("OWL001_disjoint")):
            c1, c2 = row["c1"].value, row["c2"].value
            out.findings.append(
                Finding(
                    "OWL001",
                    row["this"].node,
                    f"The graph is inconsistent (HermiT): this resource is an instance of both <{c1}> and <{c2}>, which the ontology declares disjoint.",
                    f"グラフが矛盾している（HermiT）: この資源は互いに素と宣言された <{c1}> と <{c2}> の両方のインスタンスである。",
                )
            )
        if not out.findings:
            out.findings.append(
                Finding(
                    "OWL001",
                    ONTOLOGY_IRI,
                    "The fk: ontology with this data is inconsistent according to HermiT (look for a resource in two disjoint "
                    "classes, or a value outside a property's range).",
                    "HermiT によれば、このデータと fk: オントロジーは矛盾している（互いに素なクラスの両方に属する資源や、"
                    "値域外の値を確認すること）。",
                )
            )
    if "OWL002" in codes:
        for cls in result.unsatisfiable:
            out.findings.append(
                Finding(
                    "OWL002",
                    cls,
                    f"Class <{cls}> is unsatisfiable: HermiT finds it equivalent to owl:Nothing.",
                    f"クラス <{cls}> は充足不能（owl:Nothing と同値）である。",
                )
            )
    return out
