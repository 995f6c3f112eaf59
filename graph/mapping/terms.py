"""The vocabularies the mapping writes besides fk:, and the literals it makes from table cells
(language-tagged text, decimals, years, dates)."""

from __future__ import annotations

import re
from decimal import Decimal

from rdflib import XSD, Literal, Namespace

from fukushi_kg.graph import era
from fukushi_kg.graph.text import norm

OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SDG = Namespace("http://metadata.un.org/sdg/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ESTAT_SAC = "http://data.e-stat.go.jp/lod/sac/C"  # e-Stat standard area codes: C + 5 digits


def ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)).normalize(), datatype=XSD.decimal)


def start_literal(year: int, month: int | None) -> Literal:
    if month:
        return Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth)
    return Literal(str(year), datatype=XSD.gYear)


def stated_literal(year: int, month: int | None, day: int | None) -> Literal:
    if month and day:
        return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)
    return start_literal(year, month)


def date_literal(value: str) -> Literal:
    """A date cell (2024-03-01, 2024-03 or 2024) as xsd:date, xsd:gYearMonth or xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


def fiscal_year(col: str) -> int | None:
    """The western fiscal year of a column label such as R3 or Ｈ３０ (None for ?1 etc.)."""
    if not re.fullmatch(r"[HR]\s*(元|\d+)", norm(col)):
        return None
    return era.parse_era_year(col)


def number(value: str) -> Decimal | None:
    """The number of a printed value (1,234件, 56.7％), None when it is not one."""
    t = norm(value).replace(",", "")
    t = re.sub(r"(%|％|件|人|箇所|回|校|か所|ヵ所|世帯|円)$", "", t)
    if re.fullmatch(r"-?\d+(\.\d+)?", t):
        return Decimal(t)
    return None
