"""A document's rows as records, and what refers across rows, tables and documents.

Runs on tables that passed the schema checks: the records are read by graph/tables/read.py (the
build's own reader), whose problems (lines, laws, parents, incomplete dates) become findings at
their cells; then the references a schema cannot state (re-listings, target years within the plan
period, divisions in the reviewed registry) and, across the documents linted together, identities.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass

from fukushi_kg import resources
from fukushi_kg.graph import identity
from fukushi_kg.graph.lint.model import Finding, Location
from fukushi_kg.graph.lint.tables.files import Folder, finding
from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.tables import read, schema
from fukushi_kg.graph.text import norm

_PROBLEM_CODES = {"span": "TAB026", "law": "TAB025", "parent": "TAB022", "record": "TAB026"}
_PROBLEM_JA = {
    "span": "出典行の列が不正",
    "law": "法令が data/reviewed/laws.toml にない",
    "parent": "親の構成要素が同じ計画にない",
    "record": "行の値の組み合わせが不正",
}


@dataclass
class Read:
    """A folder's records with the typed rows they came from (same order, table by table)."""

    folder: Folder
    rows: dict[str, list[read.Row]]
    records: DocumentRecords


def typed_rows(folder: Folder) -> dict[str, list[read.Row]]:
    out: dict[str, list[read.Row]] = {}
    for t in schema.tables():
        sheet = folder.sheets.get(t.name)
        rows = []
        if sheet is not None:
            for i, rec in enumerate(sheet.records):
                cells = {h: rec[j] for j, h in enumerate(sheet.header) if j < len(rec)}
                rows.append(read.typed_row(t, f"{t.file} row {sheet.lines[i]}", cells, i))
        out[t.name] = rows
    return out


def records(folder: Folder, n_lines: int | None) -> tuple[Read, list[Finding]]:
    """The records of a folder whose tables passed the schema checks, and the reader's problems."""
    rows = typed_rows(folder)
    rec, problems = read.records_from_rows(folder.doc_id, rows, n_lines)
    out = []
    for p in problems:
        sheet = folder.sheets[p.row.table]
        out.append(
            finding(
                _PROBLEM_CODES[p.kind],
                sheet.location(p.row.index, p.column),
                p.text,
                f"{_PROBLEM_JA[p.kind]}: {p.text}",
            )
        )
    return Read(folder, rows, rec), out


def _orgs() -> dict:
    return tomllib.loads(resources.reviewed("organisations.toml").read_text(encoding="utf-8"))


def reference_findings(r: Read) -> list[Finding]:
    out: list[Finding] = []
    folder, rows = r.folder, r.rows
    # re-listings: the place exists and lists a program of the same name
    at_place: dict[tuple, set[str]] = defaultdict(set)
    for row in rows["listings"]:
        at_place[(row["plan"], row["component"])].add(identity.name_key(row["name"]))
    codes = {(row["plan"], row["code"]) for row in rows["components"]}
    for row in rows["listings"]:
        for code in row["relisted_at"]:
            where = folder.sheets["listings"].location(row.index, "relisted_at")
            if (row["plan"], code) not in codes:
                out.append(
                    finding(
                        "TAB021",
                        where,
                        f"relisted_at: {code!r} is not a component of plan {row['plan']}",
                        f"relisted_at: {code!r} は計画 {row['plan']} の構成要素ではない",
                    )
                )
            elif identity.name_key(row["name"]) not in at_place[(row["plan"], code)]:
                out.append(
                    finding(
                        "TAB021",
                        where,
                        f"relisted_at: component {code} lists no program named {row['name']!r}",
                        f"relisted_at: 構成要素 {code} に {row['name']!r} という事業の掲載がない",
                    )
                )
    # targets within the plan period (fiscal-year indicators)
    periods = {row["key"]: (row["period_start"], row["period_end"]) for row in rows["plans"]}
    calendar = {(row["plan"], row["key"]) for row in rows["indicators"] if row["calendar_years"]}
    for row in rows["observations"]:
        if row["kind"] not in ("target", "interim-target") or (row["plan"], row["indicator"]) in calendar:
            continue
        start, end = periods.get(row["plan"], (None, None))
        year = row["year"]
        if start is None or end is None or year is None or start <= year <= end:
            continue
        out.append(
            finding(
                "TAB023",
                folder.sheets["observations"].location(row.index, "year"),
                f"year: the {row['kind']} year {year} is outside the period {start}-{end} of plan {row['plan']}",
                f"year: 目標の年度 {year} が計画 {row['plan']} の期間 {start}〜{end} の外にある",
            )
        )
    out += _division_findings(r)
    return out


def _division_findings(r: Read) -> list[Finding]:
    orgs = _orgs()
    known = {(city, norm(name)) for city, table in orgs.get("divisions", {}).items() for name in table}
    slug_of = {norm(c["name"]): slug for slug, c in orgs.get("cities", {}).items()}
    plan_city = {row["key"]: slug_of.get(norm(row["city"] or "")) for row in r.rows["plans"]}
    out = []

    def report(table: str, index: int, column: str, name: str, city: str) -> None:
        out.append(
            finding(
                "TAB024",
                r.folder.sheets[table].location(index, column),
                f"{column}: {name!r} is not a division of {city} in data/reviewed/organisations.toml "
                "(a misprint, or a division to add there)",
                f"{column}: {name!r} は data/reviewed/organisations.toml の {city} の課にない（誤記か、追加すべき課）",
            )
        )

    for row in r.rows["listings"]:
        city = plan_city.get(row["plan"])
        if city is None:
            continue
        for name in row["divisions"]:
            if (city, norm(name)) not in known:
                report("listings", row.index, "divisions", name, city)
    return out


def identity_findings(reads: list[Read], complete: bool) -> list[Finding]:
    """Across documents: plan keys defined twice; with every plan folder, the reviewed matches."""
    out: list[Finding] = []
    first: dict[str, tuple[Read, int]] = {}
    for r in reads:
        for row in r.rows["plans"]:
            key = row["key"]
            if key in first and first[key][0] is not r:
                other = first[key][0].folder.sheets["plans"].location(first[key][1], "key")
                out.append(
                    finding(
                        "TAB030",
                        r.folder.sheets["plans"].location(row.index, "key"),
                        f"key: plan {key!r} is also defined by {first[key][0].folder.doc_id} ({other}); "
                        "one key names one plan",
                        f"key: 計画 {key!r} は {first[key][0].folder.doc_id}（{other}）でも定義されている。"
                        "一つのキーは一つの計画",
                    )
                )
            else:
                first.setdefault(key, (r, row.index))
    if complete:
        items: list[identity.Item] = [x for r in reads for x in r.records.listings]  # in the build's order
        items += [x for r in reads for x in r.records.results]
        try:
            identity.resolve(items, identity.MATCHES)
        except ValueError as exc:
            out.append(_match_finding(str(exc)))
    return out


def _match_finding(text: str) -> Finding:
    """A reviewed program match that no longer matches, located at its line of the reviewed table."""
    path = identity.MATCHES
    from fukushi_kg.graph.lint.inputs import display_path

    message = text.split(": ", 1)[-1]
    line = None
    name = message.split("'")[1] if message.count("'") >= 2 else None
    if name:
        for n, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if name in ln:
                line = n
                break
    return finding(
        "TAB030",
        Location(display_path(path), line, 1 if line else None, "source"),
        f"data/reviewed/program-matches.toml: {message} (a listing renamed in the tables? fix the name or the entry)",
        f"data/reviewed/program-matches.toml: {message}（表で掲載名が変わった? 名前か項目を直す）",
    )
