"""Tables -> records: read one document's folder back into ``DocumentRecords``.

Reading goes in three steps, each stopping with a :class:`FormatError` that lists every problem
with its file, row and column:

1. the folder: a datapackage.json in a format version this code reads, every table's CSV present
   and no other CSV;
2. the tables: the header rows (optional columns may be left out and columns may come in any
   order; required ones must be there, unknown ones may not), then Frictionless against the
   format's own schemas (whatever the folder's datapackage.json says): types, required cells,
   enumerations, patterns, primary keys and foreign keys;
3. the records: what a schema cannot say (both line columns of a span or neither, lines within
   the document's text, at most one start date per initiative, parents within the same plan,
   laws named in data/reviewed/laws.toml).

Row order is kept: it is the printed order, which the graph uses (sibling order, program names).
"""

from __future__ import annotations

import csv
import json
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.records import (
    CaseCity,
    CaseInitiative,
    Comparison,
    Component,
    DocumentMeta,
    DocumentRecords,
    Indicator,
    LawRef,
    Listing,
    MetricRow,
    MetricTable,
    Observation,
    Plan,
    ProgramResult,
    Span,
    StatedDate,
    StatedFigure,
    SubAmount,
)
from fukushi_kg.graph.tables import schema
from fukushi_kg.graph.tables.schema import FormatError

_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}


@dataclass
class Row:
    """One row of a table, typed by the schema; ``where`` names it for messages. ``table`` and
    ``index`` (0-based among the table's rows) let a tool such as the linter find its cells."""

    where: str
    values: dict[str, object]
    table: str = ""
    index: int = -1

    def __getitem__(self, name: str):
        return self.values[name]


@dataclass(frozen=True)
class Problem:
    """What a row breaks that a schema cannot say: the row, the column at fault, and the text."""

    row: Row
    column: str | None
    text: str
    kind: str = "record"  # "span" (line columns) | "law" (not in laws.toml) | "parent" | "record"

    def __str__(self) -> str:
        return f"{self.row.where}: {self.text}"


def _typed(col: schema.Column, text: str) -> object:
    if text == "":
        return [] if col.type == "list" else None
    if col.type == "integer":
        return int(text)
    if col.type == "boolean":
        return text in _TRUE
    if col.type == "list":
        return text.split(schema.list_delimiter())
    return text  # string, and number (converted where the record needs float or Decimal)


def check_folder(folder: Path) -> tuple[str, dict]:
    """The document id and the datapackage.json of a table folder, or FormatError."""
    dp_path = folder / schema.DATAPACKAGE
    if not folder.is_dir():
        raise FormatError(f"{folder} is not a folder")
    if not dp_path.is_file():
        raise FormatError(
            f"{folder} has no {schema.DATAPACKAGE}; a table folder is written by `fukushi-kg import` "
            "or `fukushi-kg tables init`"
        )
    try:
        dp = json.loads(dp_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"{dp_path} is not valid JSON: {exc}") from None
    if not isinstance(dp, dict):
        raise FormatError(f"{dp_path} is not a JSON object")
    schema.check_version(dp.get(schema.VERSION_KEY), str(dp_path))
    doc_id = dp.get("name")
    if doc_id != folder.name:
        raise FormatError(f'{dp_path}: "name" is {doc_id!r}, but the folder is {folder.name!r}; they must be equal')
    expected = {t.file for t in schema.tables()}
    present = {p.name for p in folder.glob("*.csv")}
    problems = [
        f"{name}: missing (write it with its header row even when empty)" for name in sorted(expected - present)
    ]
    problems += [f"{name}: not a table of the format (see docs/format.md)" for name in sorted(present - expected)]
    for name in sorted(expected & present):
        if (folder / name).read_bytes()[:3] == b"\xef\xbb\xbf":
            problems.append(
                f"{name}: starts with a byte-order mark (Excel's 'CSV UTF-8'); save as plain UTF-8 CSV, "
                "or edit the workbook from `fukushi-kg tables export --xlsx` and import it back"
            )
    if problems:
        raise FormatError(f"{folder}: the folder does not hold the format's tables", problems)
    return doc_id, dp


def _header_problems(t: schema.Table, header: list[str] | None) -> list[str]:
    """What is wrong with a table's header row: optional columns may be left out and columns may
    come in any order, but every required column must be there, each once, and no other."""
    if not header:
        return [f"{t.file}: no header row (the first row names the columns: {','.join(t.header)})"]
    out = []
    known = set(t.header)
    for name in sorted({h for h in header if header.count(h) > 1}):
        out.append(f"{t.file}: column {name} appears more than once")
    for name in [h for h in header if h not in known]:
        out.append(f"{t.file}: column {name!r} is not in the format (see docs/format.md for {t.file})")
    missing = [c.name for c in t.columns if c.required and c.name not in header]
    if missing:
        out.append(f"{t.file}: required columns missing: {', '.join(missing)}")
    return out


def validate_tables(folder: Path, doc_id: str, version: str | None = None) -> list[str]:
    """Every problem in the folder's CSVs against the format's schemas, one line each: the header
    rows here, then Frictionless (types, required cells, enumerations, primary and foreign keys)."""
    from frictionless import Package

    # Frictionless spends ~20 ms of metadata work per table (more per foreign key), so tables with
    # no rows are left out of its package unless a table with rows refers to them (then it reports
    # every dangling reference). Each table is described by the columns its header row has.
    out = []
    descriptor = schema.datapackage(doc_id)
    resources = {r["name"]: r for r in descriptor["resources"]}
    needed = set()
    for t in schema.tables():
        with (folder / t.file).open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            has_rows = any(not schema.is_comment(r) for r in reader)
        problems = _header_problems(t, header)
        out += problems
        if problems or header is None:
            continue
        res = resources[t.name]["schema"]
        by_name = {f["name"]: f for f in res["fields"]}
        res["fields"] = [by_name[h] for h in header]
        res["foreignKeys"] = [fk for fk in res.get("foreignKeys", []) if set(fk["fields"]) <= set(header)]
        if has_rows:
            needed.add(t.name)
    if out:
        return _hint(out, version)
    while True:
        refs = {
            fk["reference"]["resource"] or t.name for t in schema.tables() if t.name in needed for fk in t.foreign_keys
        }
        if refs <= needed:
            break
        needed |= refs
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in needed]
    if not descriptor["resources"]:
        return out
    package = Package(descriptor, basepath=str(folder))
    report = package.validate()
    for task in report.tasks:
        lines = record_lines(folder / f"{task.name}.csv")
        for e in task.errors:
            row = getattr(e, "row_number", None)
            if row and 0 < row <= len(lines):
                row = lines[row - 1]  # Frictionless counts records; an editor shows lines
            col = getattr(e, "field_name", None)
            where = f"{task.name}.csv" + (f" row {row}" if row else "") + (f", column {col}" if col else "")
            out.append(f"{where}: {e.type.replace('-', ' ')}: {e.note or e.message}")
    for e in report.errors:
        out.append(e.message)
    return _hint(out, version)


def _hint(problems: list[str], version: str | None) -> list[str]:
    """Problems of a folder written in a newer minor version: say so, it is the likely cause."""
    if problems and version and schema.newer_minor(version):
        problems.append(
            f"the folder is in format {version}, newer than this fukushi-kg ({schema.version()}): "
            "upgrade fukushi-kg to read what that version added"
        )
    return problems


def record_lines(path: Path) -> list[int]:
    """The line each record of a CSV file starts on (the header's first), as an editor numbers them."""
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        start = 1
        for _ in reader:
            out.append(start)
            start = reader.line_num + 1
    return out


def typed_row(t: schema.Table, where: str, cells: dict[str, str], index: int = -1) -> Row:
    """A row of ``t`` from its cells' texts (columns left out read as empty)."""
    values = {c.name: _typed(c, cells.get(c.name) or "") for c in t.columns}
    return Row(where, values, t.name, index)


def _rows(folder: Path) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for t in schema.tables():
        with (folder / t.file).open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            # the line a record starts on, as an editor shows it (header = 1; quoted cells may span
            # lines); comment rows (first cell starting with "#": the examples of `fukushi-kg new`)
            # are counted but not read
            rows: list[Row] = []
            start = reader.line_num + 1
            for cells in reader:
                if not schema.is_comment(cells):
                    raw = dict(zip(header, cells, strict=False))
                    rows.append(typed_row(t, f"{t.file} row {start}", raw, len(rows)))
                start = reader.line_num + 1
        out[t.name] = rows
    return out


class _Reader:
    """Builds the records from typed rows, collecting every problem before raising."""

    def __init__(self, doc: str, rows: dict[str, list[Row]], n_lines: int | None) -> None:
        self.doc = doc
        self.rows = rows
        self.n_lines = n_lines
        self.problems: list[Problem] = []
        self.laws = tomllib.loads(resources.reviewed("laws.toml").read_text(encoding="utf-8"))

    def span(self, row: Row, prefix: str, required: bool = False) -> Span | None:
        stem = f"{prefix}_line" if prefix else "line"
        start, end = row[f"{stem}_start"], row[f"{stem}_end"]
        if start is None and end is None:
            if required:
                self.problems.append(Problem(row, f"{stem}_start", f"{stem}_start and {stem}_end are required", "span"))
            return None
        if start is None or end is None:
            column = f"{stem}_start" if start is None else f"{stem}_end"
            self.problems.append(Problem(row, column, f"give both {stem}_start and {stem}_end, or neither", "span"))
            return None
        if end < start:
            self.problems.append(
                Problem(row, f"{stem}_end", f"{stem}_end {end} is before {stem}_start {start}", "span")
            )
            return None
        if self.n_lines is not None and end > self.n_lines:
            text = f"{stem}_end {end} is past the last line ({self.n_lines}) of {self.doc}"
            self.problems.append(Problem(row, f"{stem}_end", text, "span"))
            return None
        return Span(self.doc, start, end)

    def need(self, row: Row, prefix: str) -> Span:
        """A required span; where it is missing or wrong the problem is recorded and a stand-in
        returned (the records are thrown away when there are problems)."""
        return self.span(row, prefix, True) or Span(self.doc, 1, 1)

    def law(self, row: Row) -> LawRef:
        if row["law"] not in self.laws:
            self.problems.append(Problem(row, "law", f"law {row['law']!r} is not in data/reviewed/laws.toml", "law"))
        return LawRef(row["law"], row["article"], row["text"] or "", self.span(row, ""), row["role"])

    def by(self, table: str, *key: str) -> dict[tuple, list[Row]]:
        out: dict[tuple, list[Row]] = defaultdict(list)
        for row in self.rows[table]:
            out[tuple(row[k] for k in key)].append(row)
        return out

    # ------------------------------------------------------------------ records
    def records(self) -> DocumentRecords:
        rec = DocumentRecords(doc=self.doc)
        rec.meta = self.meta()
        rec.plans = self.plans()
        rec.components = self.components()
        rec.listings = self.listings()
        rec.indicators = self.indicators()
        rec.results = self.results()
        rec.cities = [
            CaseCity(r["name"], r["toc_page"], self.need(r, ""), r["has_heading"], r["evidence"] or "")
            for r in self.rows["cities"]
        ]
        rec.initiatives = self.initiatives()
        rec.laws = [self.law(r) for r in self.rows["law_citations"]]
        return rec

    def meta(self) -> DocumentMeta | None:
        rows = self.rows["document"]
        if not rows:
            return None
        r = rows[0]
        return DocumentMeta(
            r["title"],
            self.span(r, "title"),
            r["number"],
            self.span(r, "number"),
            r["report_year"],
            self.span(r, "report_year"),
        )

    def plans(self) -> list[Plan]:
        legal = self.by("plan_legal_basis", "plan")
        parents = self.by("plan_parents", "plan")
        sdgs = self.by("plan_sdg_goals", "plan")
        out = []
        for r in self.rows["plans"]:
            key = r["key"]
            principle_span = self.span(r, "principle")
            if (r["principle"] is None) != (principle_span is None):
                self.problems.append(Problem(r, "principle", "principle and its lines go together"))
            out.append(
                Plan(
                    key=key,
                    doc=self.doc,
                    title=r["title"],
                    title_en=r["title_en"],
                    city=r["city"],
                    span=self.need(r, ""),
                    period_start=r["period_start"],
                    period_end=r["period_end"],
                    period_span=self.span(r, "period"),
                    period_note=r["period_note"] or "",
                    adopted=r["adopted"],
                    publishers=r["publishers"],
                    legal_basis=[self.law(x) for x in legal.get((key,), [])],
                    parent_plans=[(x["title"], self.need(x, "")) for x in parents.get((key,), [])],
                    sdg_goals=[(x["goal"], self.need(x, "")) for x in sdgs.get((key,), [])],
                    principle=(r["principle"], principle_span)
                    if r["principle"] is not None and principle_span
                    else None,
                )
            )
        return out

    def components(self) -> list[Component]:
        spans = self.by("component_spans", "plan", "component", "part")
        out = []
        codes = {(r["plan"], r["code"]) for r in self.rows["components"]}
        for r in self.rows["components"]:
            key = (r["plan"], r["code"])
            if r["parent"] is not None and (r["plan"], r["parent"]) not in codes:
                text = f"parent {r['parent']!r} is not a component of plan {r['plan']}"
                self.problems.append(Problem(r, "parent", text, "parent"))
            out.append(
                Component(
                    plan=r["plan"],
                    level=r["level"],
                    code=r["code"],
                    title=r["title"],
                    heading=r["heading"],
                    span=self.need(r, ""),
                    parent=r["parent"],
                    target=r["target"],
                    target_span=self.span(r, "target"),
                    actions=r["actions"],
                    actions_spans=[self.need(x, "") for x in spans.get((*key, "actions"), [])],
                    plans_ahead=r["plans_ahead"],
                    plans_ahead_spans=[self.need(x, "") for x in spans.get((*key, "plans_ahead"), [])],
                )
            )
        return out

    def listings(self) -> list[Listing]:
        key = ("plan", "component", "listing")
        actors = self.by("listing_actors", *key)
        notes = self.by("listing_notes", *key)
        tables = self.by("metric_tables", *key)
        rows = self.by("metric_rows", *key, "table")
        values = self.by("metric_values", *key, "table", "row")
        out = []
        for r in self.rows["listings"]:
            k = (r["plan"], r["component"], r["seq"])
            metrics = []
            for t in tables.get(k, []):
                metric_rows = [
                    MetricRow(
                        x["item"],
                        {v["column"]: v["value"] for v in values.get((*k, t["seq"], x["seq"]), [])},
                        self.need(x, ""),
                    )
                    for x in rows.get((*k, t["seq"]), [])
                ]
                metrics.append(MetricTable(t["title"], self.need(t, ""), t["columns"], metric_rows, t["note"] or ""))
            out.append(
                Listing(
                    plan=r["plan"],
                    component=r["component"],
                    seq=r["seq"],
                    name=r["name"],
                    name_as_printed=r["name_as_printed"],
                    name_span=self.need(r, "name"),
                    span=self.need(r, ""),
                    names=r["names"],
                    divisions=r["divisions"],
                    division_as_printed=r["division_as_printed"],
                    division_span=self.span(r, "division"),
                    self_evaluation=r["self_evaluation"],
                    self_evaluation_span=self.span(r, "self_evaluation"),
                    relisted_at=r["relisted_at"],
                    relisting_role=r["relisting_role"],
                    flags=r["flags"],
                    description=r["description"],
                    description_span=self.span(r, "description"),
                    actions=r["actions"],
                    actions_span=self.span(r, "actions"),
                    plans_ahead=r["plans_ahead"],
                    plans_ahead_span=self.span(r, "plans_ahead"),
                    evaluation_reason=r["evaluation_reason"],
                    evaluation_reason_span=self.span(r, "evaluation_reason"),
                    metrics=metrics,
                    lead=[a["actor"] for a in actors.get(k, []) if a["role"] == "◎"],
                    partners=[a["actor"] for a in actors.get(k, []) if a["role"] == "○"],
                    marks_as_printed=r["marks_as_printed"],
                    marks_span=self.span(r, "marks"),
                    unit=r["unit"],
                    unit_span=self.span(r, "unit"),
                    uncertain=r["uncertain"],
                    notes=[n["note"] for n in notes.get(k, [])],
                )
            )
        return out

    def indicators(self) -> list[Indicator]:
        notes = self.by("indicator_notes", "plan", "indicator")
        observations = self.by("observations", "plan", "indicator")
        obs_notes = self.by("observation_notes", "plan", "indicator", "observation")
        out = []
        for r in self.rows["indicators"]:
            k = (r["plan"], r["key"])
            obs = []
            for o in observations.get(k, []):
                cmp_span = self.span(o, "comparison")
                comparison = None
                if o["comparison_label"] is not None or cmp_span is not None:
                    if o["comparison_label"] is None or o["comparison_raw"] is None or cmp_span is None:
                        text = "a comparison needs comparison_label, comparison_raw and its lines"
                        self.problems.append(Problem(o, "comparison_label", text))
                    else:
                        comparison = Comparison(
                            o["comparison_label"],
                            _float(o["comparison_value"]),
                            o["comparison_raw"],
                            o["comparison_unit"],
                            cmp_span,
                        )
                obs.append(
                    Observation(
                        year=o["year"],
                        kind=o["kind"],
                        value=_float(o["value"]),
                        raw=o["raw"],
                        span=self.need(o, ""),
                        status=o["status"],
                        series=o["series"],
                        series_key=o["series_key"],
                        change=_float(o["change"]),
                        comparison=comparison,
                        uncertain=o["uncertain"],
                        notes=[n["note"] for n in obs_notes.get((*k, o["seq"]), [])],
                    )
                )
            out.append(
                Indicator(
                    plan=r["plan"],
                    key=r["key"],
                    name=r["name"],
                    span=self.need(r, ""),
                    unit=r["unit"],
                    component=r["component"],
                    series=r["series"],
                    source=r["source"],
                    calendar_years=r["calendar_years"],
                    observations=obs,
                    notes=[n["note"] for n in notes.get(k, [])],
                )
            )
        return out

    def results(self) -> list[ProgramResult]:
        subs = self.by("result_sub_amounts", "result")
        runs = self.by("result_description_spans", "result")
        notes = self.by("result_notes", "result")
        out = []
        for r in self.rows["results"]:
            k = (r["seq"],)
            out.append(
                ProgramResult(
                    doc=self.doc,
                    seq=r["seq"],
                    division=r["division"],
                    division_span=self.need(r, "division"),
                    name=r["name"],
                    name_as_printed=r["name_as_printed"],
                    name_span=self.need(r, "name"),
                    span=self.need(r, ""),
                    fiscal_year=r["fiscal_year"],
                    amount=r["amount"],
                    amount_raw=r["amount_raw"],
                    amount_span=self.span(r, "amount"),
                    unit=r["unit"],
                    sub_amounts=[
                        SubAmount(s["label"], s["amount"], s["raw"], self.need(s, "")) for s in subs.get(k, [])
                    ],
                    flags=r["flags"],
                    qualifiers=r["qualifiers"],
                    description=r["description"],
                    description_span=self.span(r, "description"),
                    description_spans=[self.need(s, "") for s in runs.get(k, [])],
                    uncertain=r["uncertain"],
                    notes=[n["note"] for n in notes.get(k, [])],
                )
            )
        return out

    def date(self, row: Row) -> StatedDate:
        """The date of a row of initiative_dates.csv (its columns are required by the schema)."""
        return StatedDate(
            row["raw"], row["year"], row["month"], row["precision"], self.need(row, ""), row["role"], row["day"]
        )

    def as_of(self, row: Row, prefix: str = "as_of_") -> StatedDate | None:
        """The optional date of a figure (as_of_* columns): all of them blank, or a whole date."""
        fields = ("raw", "year", "month", "day", "precision", "role")
        span = self.span(row, prefix.rstrip("_"))
        if all(row[prefix + f] is None for f in fields) and span is None:
            return None
        missing = [prefix + f for f in ("raw", "year", "precision", "role") if row[prefix + f] is None]
        if span is None:
            missing.append(f"{prefix}line_start/{prefix}line_end")
        if missing or span is None:
            self.problems.append(Problem(row, missing[0].split("/")[0], f"a date needs {', '.join(missing)}"))
            return None
        return StatedDate(
            row[prefix + "raw"],
            row[prefix + "year"],
            row[prefix + "month"],
            row[prefix + "precision"],
            span,
            row[prefix + "role"],
            row[prefix + "day"],
        )

    def initiatives(self) -> list[CaseInitiative]:
        key = ("city", "initiative")
        dates = self.by("initiative_dates", *key)
        figures = self.by("initiative_figures", *key)
        notes = self.by("initiative_notes", *key)
        out = []
        for r in self.rows["initiatives"]:
            k = (r["city"], r["seq"])
            since = [d for d in dates.get(k, []) if d["since"]]
            if len(since) > 1:
                text = "a second start date (since = true) for one initiative"
                self.problems.append(Problem(since[1], "since", text))
            out.append(
                CaseInitiative(
                    doc=self.doc,
                    city=r["city"],
                    seq=r["seq"],
                    title=r["title"],
                    title_span=self.need(r, "title"),
                    span=self.need(r, ""),
                    level=r["level"],
                    theme=r["theme"],
                    theme_span=self.span(r, "theme"),
                    since=self.date(since[0]) if since else None,
                    dates_mentioned=[self.date(d) for d in dates.get(k, []) if not d["since"]],
                    description=r["description"],
                    description_span=self.span(r, "description"),
                    results=r["results"],
                    results_span=self.span(r, "results"),
                    theme_description=r["theme_description"],
                    theme_description_span=self.span(r, "theme_description"),
                    figures=[
                        StatedFigure(
                            f["item"],
                            Decimal(f["value"]),
                            f["unit"],
                            f["raw"],
                            self.need(f, ""),
                            f["qualifier"],
                            self.as_of(f),
                        )
                        for f in figures.get(k, [])
                    ],
                    uncertain=r["uncertain"],
                    notes=[n["note"] for n in notes.get(k, [])],
                )
            )
        return out


def _float(text: object) -> float | None:
    return None if text is None else float(str(text))


def records_from_rows(
    doc_id: str, rows: dict[str, list[Row]], n_lines: int | None = None
) -> tuple[DocumentRecords, list[Problem]]:
    """The records of typed rows (every table's, in row order; each list of records is in the order
    of its table's rows) and every problem found; the records are only sound without problems."""
    reader = _Reader(doc_id, rows, n_lines)
    rec = reader.records()
    return rec, reader.problems


def read_folder(folder: Path, n_lines: int | None = None, *, validate: bool = True) -> DocumentRecords:
    """The records of one document's folder; FormatError listing every problem found.

    ``n_lines``: the number of lines of the document's text, to check that every span lies in it
    (None: not checked). ``validate=False`` skips the Frictionless pass (for tools that already ran it).
    """
    folder = Path(folder)
    doc_id, dp = check_folder(folder)
    if validate:
        problems = validate_tables(folder, doc_id, dp.get(schema.VERSION_KEY))
        if problems:
            raise FormatError(f"{folder}: {len(problems)} problems in the tables", problems)
    reader = _Reader(doc_id, _rows(folder), n_lines)
    rec = reader.records()
    if reader.problems:
        raise FormatError(f"{folder}: {len(reader.problems)} problems in the tables", [str(p) for p in reader.problems])
    return rec
