"""QB001–QB014: the RDF Data Cube integrity constraints IC-1, 2, 4, 5, 11, 12 and 14.

Each code is the constraint of the same number (QB012 is IC-12) in
https://www.w3.org/TR/vocab-data-cube/#wf-rules, whose ASK query is rewritten as a SELECT of the
offending resources in ``QB0NN.rq``. The spec runs its constraints on a normalised graph; the
queries read ``qb:dimension`` / ``qb:measure`` in a component as the normalisation would
(``qb:componentProperty`` of a dimension or measure), so no normalisation step is needed.
"""

from __future__ import annotations

from fukushi_kg.graph.lint.model import Finding, RuleOutput
from fukushi_kg.graph.lint.rules import query

CODES = ("QB001", "QB002", "QB004", "QB005", "QB011", "QB012", "QB014")


def _short(iri: str) -> str:
    for ns, prefix in (
        ("https://w3id.org/fukushi-kg/def/", "fk:"),
        ("http://purl.org/linked-data/cube#", "qb:"),
    ):
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return f"<{iri}>"


def _messages(code: str, row) -> tuple[str, str]:
    this = row["this"].value
    if code == "QB001":
        n = row["n"].value
        return (
            f"Observation <{this}> belongs to {n} data sets (qb:dataSet); Data Cube IC-1 requires exactly one.",
            f"観測値 <{this}> の qb:dataSet が {n} 個ある（Data Cube IC-1 はちょうど一つを求める）。",
        )
    if code == "QB002":
        n = row["n"].value
        return (
            f"Data set <{this}> has {n} structures (qb:structure); Data Cube IC-2 requires exactly one.",
            f"データセット <{this}> の qb:structure が {n} 個ある（Data Cube IC-2 はちょうど一つを求める）。",
        )
    if code == "QB004":
        return (
            f"Dimension {_short(this)} has no rdfs:range (Data Cube IC-4).",
            f"次元 {_short(this)} に rdfs:range がない（Data Cube IC-4）。",
        )
    if code == "QB005":
        return (
            f"Dimension {_short(this)} ranges over skos:Concept but names no qb:codeList (Data Cube IC-5).",
            f"次元 {_short(this)} の値域は skos:Concept だが qb:codeList がない（Data Cube IC-5）。",
        )
    if code == "QB011":
        dim = _short(row["dim"].value)
        return (
            f"Observation <{this}> has no value for the dimension {dim} of its structure (Data Cube IC-11).",
            f"観測値 <{this}> に構造の次元 {dim} の値がない（Data Cube IC-11）。",
        )
    if code == "QB012":
        other = row["other"].value
        return (
            f"Observations <{this}> and <{other}> of one data set have the same value for every dimension "
            "(Data Cube IC-12).",
            f"観測値 <{this}> と <{other}> は同じデータセットで全ての次元の値が同じ（Data Cube IC-12）。",
        )
    measure = _short(row["measure"].value)
    return (
        f"Observation <{this}> has no value for the measure {measure} of its structure (Data Cube IC-14).",
        f"観測値 <{this}> に構造の測度 {measure} の値がない（Data Cube IC-14）。",
    )


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    for code in CODES:
        if code not in codes:
            continue
        for row in ctx.select(query(code)):
            en, ja = _messages(code, row)
            out.findings.append(Finding(code, row["this"].node, en, ja))
    return out
