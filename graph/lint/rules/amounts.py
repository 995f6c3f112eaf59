"""AMT001 negative and AMT002 non-integer values of properties that hold non-negative integers.

The rule is generic over ``NON_NEGATIVE_INTEGER_PROPERTIES``: amounts of money and counts that
must be whole and never negative. ``fk:amount`` (budget and result amounts) is the first.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fukushi_kg.graph import vocab
from fukushi_kg.graph.lint.model import Finding, RuleOutput
from fukushi_kg.graph.lint.rules import query

CODES = ("AMT001", "AMT002")
NON_NEGATIVE_INTEGER_PROPERTIES = (vocab.iri("amount"),)
_XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    _XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


def _short(iri: str) -> str:
    return "fk:" + iri[len(vocab.NS) :] if iri.startswith(vocab.NS) else f"<{iri}>"


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    text = query("AMT").replace("%PROPERTIES%", " ".join(f"<{p}>" for p in NON_NEGATIVE_INTEGER_PROPERTIES))
    for row in ctx.select(text):
        value, prop = row["value"], _short(row["property"].value)
        number = None
        if value.kind == "literal" and value.datatype in NUMERIC:
            try:
                number = Decimal(value.value.strip())
            except InvalidOperation:
                number = None
        shown = value.value
        if number is not None and number < 0 and "AMT001" in codes:
            out.findings.append(
                Finding(
                    "AMT001",
                    row["this"].node,
                    f"{prop} is {shown}: an amount cannot be negative.",
                    f"{prop} が {shown} である: 金額・数量は負になり得ない。",
                )
            )
        if (number is None or number != number.to_integral_value()) and "AMT002" in codes:
            what = "not a number" if number is None else "not a whole number"
            what_ja = "数値でない" if number is None else "整数でない"
            out.findings.append(
                Finding(
                    "AMT002",
                    row["this"].node,
                    f"{prop} is {shown!r}: {what}; amounts are whole numbers.",
                    f"{prop} が「{shown}」である: {what_ja}（金額・数量は整数）。",
                )
            )
    return out
