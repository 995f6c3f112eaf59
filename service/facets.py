"""Programs by facet, as Datasette shows a table: choose values, see the counts of the others, download CSV.

One SPARQL query (``queries/explore/programs.rq``) gives a row per program and facet value. Each
chosen value adds one ``FILTER EXISTS`` line to it (at its ``# filters`` comment), and that filtered
query is what the page runs and shows: its rows are the programs that have every chosen value, with
all their values, from which the counts are made.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fukushi_kg.service.describe import valid_iri
from fukushi_kg.service.explore_queries import PageQuery, load, value

# facet key -> the pattern that ties ?program to one chosen value (``{v}`` is ``<iri>``)
FACETS: dict[str, str] = {
    "plan": "?program fk:hasListing/fk:inPlan {v}",
    "group": "?program fk:servesTargetGroup {v}",
    "division": "?program (fk:hasListing|fk:hasResult)/fk:responsibleDivision {v}",
    "grade": "?program fk:hasListing/fk:selfEvaluation {v}",
    "actor": "?program fk:hasListing/fk:leadActor {v}",
    "sdg": "?program fk:hasListing/fk:inPlan/fk:sdgGoal {v}",
}
CODED = {"grade", "sdg"}  # facets whose values show their notation (A–D, SDG 1–17) before the label
MAX_VALUES_PER_FACET = 8  # values chosen at once per facet (more is not a question anyone asks)


class BadFacet(ValueError):
    pass


def chosen(params) -> dict[str, list[str]]:
    """The chosen values from the query string (``?group=IRI&group=IRI2&plan=IRI``), checked."""
    out: dict[str, list[str]] = {}
    for key in FACETS:
        values = [v for v in params.getlist(key) if v]
        for v in values:
            if not valid_iri(v) or ":" not in v:
                raise BadFacet(f"{key}={v!r} is not an IRI")
        if len(values) > MAX_VALUES_PER_FACET:
            raise BadFacet(f"at most {MAX_VALUES_PER_FACET} values of {key}")
        if values:
            out[key] = sorted(set(values))
    return out


def query(selection: dict[str, list[str]]) -> PageQuery:
    """programs.rq with one FILTER EXISTS per chosen value."""
    base = load("programs")
    lines = [f"  FILTER EXISTS {{ {FACETS[k].format(v=f'<{v}>')} }}" for k, vs in selection.items() for v in vs]
    text = base.text.replace("  # filters\n", "  # filters\n" + "".join(line + "\n" for line in lines), 1)
    return PageQuery(base.name, base.title, base.description, text)


@dataclass
class Value:
    iri: str
    code: str = ""
    ja: str = ""
    en: str = ""

    def label(self, lang: str) -> str:
        text = (self.en or self.ja) if lang == "en" else (self.ja or self.en)
        if self.code and text and self.code not in text:
            return f"{self.code} {text}"
        return text or self.code or self.iri


@dataclass
class Program:
    iri: str
    label: str
    values: dict[str, dict[str, Value]] = field(default_factory=dict)  # facet -> iri -> value


def programs(rows: list[dict]) -> list[Program]:
    """The programs of the rows, each with its values per facet, ordered by label."""
    by: dict[str, Program] = {}
    for row in rows:
        iri = value(row, "program")
        p = by.setdefault(iri, Program(iri, value(row, "label")))
        facet, v = value(row, "facet"), value(row, "value")
        if not facet or not v:
            continue
        found = p.values.setdefault(facet, {}).setdefault(v, Value(v))
        keys = (("code", "value_code"), ("ja", "value_ja"), ("en", "value_en"))
        for attr, key in keys if facet in CODED else keys[1:]:
            text = value(row, key)
            if text and (not getattr(found, attr) or len(text) < len(getattr(found, attr))):
                setattr(found, attr, text)
    return sorted(by.values(), key=lambda p: (p.label, p.iri))


@dataclass
class Count:
    value: Value
    count: int
    selected: bool
    href: str  # the page with this value added (or removed, when selected)


def counts(found: list[Program], selection: dict[str, list[str]], lang: str) -> dict[str, list[Count]]:
    """Per facet, each value among the programs shown with how many of them have it."""
    out: dict[str, list[Count]] = {}
    for facet in FACETS:
        tally: dict[str, tuple[Value, int]] = {}
        for p in found:
            for iri, v in p.values.get(facet, {}).items():
                tally[iri] = (v, tally.get(iri, (v, 0))[1] + 1)
        picked = selection.get(facet, [])
        items = [
            Count(v, n, iri in picked, href(toggle(selection, facet, iri), lang))
            for iri, (v, n) in sorted(tally.items(), key=lambda kv: (-kv[1][1], kv[1][0].label(lang)))
        ]
        out[facet] = items
    return out


def toggle(selection: dict[str, list[str]], facet: str, iri: str) -> dict[str, list[str]]:
    new = {k: list(v) for k, v in selection.items()}
    values = new.setdefault(facet, [])
    if iri in values:
        values.remove(iri)
    else:
        values.append(iri)
    return {k: sorted(v) for k, v in new.items() if v}


def params(selection: dict[str, list[str]], lang: str | None = None) -> list[tuple[str, str]]:
    out = [(k, v) for k in FACETS for v in selection.get(k, [])]
    if lang:
        out.append(("lang", lang))
    return out


def href(selection: dict[str, list[str]], lang: str, path: str = "/programs") -> str:
    query = urlencode(params(selection, lang))
    return f"{path}?{query}" if query else path


def to_csv(found: list[Program], lang: str) -> str:
    """The programs shown, one row each: IRI, label, then each facet's values joined by |."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["program", "label", *FACETS])
    for p in found:
        writer.writerow(
            [p.iri, p.label] + ["|".join(sorted(v.label(lang) for v in p.values.get(f, {}).values())) for f in FACETS]
        )
    return buffer.getvalue()
