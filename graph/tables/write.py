"""Records -> tables: one CSV per table of the format and a datapackage.json, in one folder.

The output is deterministic: rows in record order (the printed order), columns in schema order,
UTF-8 without byte-order mark, "\\n" line ends, minimal quoting, so writing the same records
twice gives byte-identical files and a changed reading shows up as a diff of rows.
"""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path

from fukushi_kg.graph.records import DocumentRecords, LawRef, Listing, Span, StatedDate
from fukushi_kg.graph.tables import schema


def cell(value: object) -> str:
    """One value as the text of its cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        sep = schema.list_delimiter()
        for item in value:
            if not isinstance(item, str) or not item or sep in item:
                raise ValueError(f"list item {item!r} cannot be written in a {sep!r}-separated cell")
        return sep.join(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"no cell form for {type(value).__name__} {value!r}")


class _Rows:
    """Collects the rows of every table of one document, checking each row has exactly its columns."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.tables: dict[str, list[dict[str, object]]] = {t.name: [] for t in schema.tables()}

    def lines(self, prefix: str, span: Span | None) -> dict[str, int | None]:
        stem = f"{prefix}_line" if prefix else "line"
        if span is not None and span.doc != self.doc:
            raise ValueError(f"a span of {self.doc} points into another document: {span}")
        return {f"{stem}_start": span.start if span else None, f"{stem}_end": span.end if span else None}

    def add(self, table_name: str, /, **values: object) -> None:
        row = {"document": self.doc, **values}
        header = schema.table(table_name).header
        if set(row) != set(header):
            extra, missing = sorted(set(row) - set(header)), sorted(set(header) - set(row))
            raise KeyError(f"{table_name}: row has columns {extra} not in the format, lacks {missing}")
        self.tables[table_name].append(row)


def table_rows(rec: DocumentRecords) -> dict[str, list[dict[str, object]]]:
    """Every table's rows (values not yet turned to text) for the records of one document."""
    r = _Rows(rec.doc)
    _document(r, rec)
    _plans(r, rec)
    _components(r, rec)
    for lst in rec.listings:
        _listing(r, lst)
    _indicators(r, rec)
    _results(r, rec)
    _cases(r, rec)
    for n, ref in enumerate(rec.laws, start=1):
        r.add("law_citations", seq=n, **r.lines("", ref.span), **_law(ref))
    return r.tables


def _document(r: _Rows, rec: DocumentRecords) -> None:
    m = rec.meta
    if m is None:
        return
    r.add(
        "document",
        title=m.title,
        **r.lines("title", m.title_span),
        number=m.number,
        **r.lines("number", m.number_span),
        report_year=m.report_year,
        **r.lines("report_year", m.report_year_span),
    )


def _law(ref: LawRef) -> dict[str, object]:
    return {"law": ref.law, "article": ref.article, "text": ref.text, "role": ref.role}


def _plans(r: _Rows, rec: DocumentRecords) -> None:
    for p in rec.plans:
        if p.doc != rec.doc:
            raise ValueError(f"plan {p.key} says it is stated in {p.doc}, not in {rec.doc}")
        principle, principle_span = p.principle if p.principle else (None, None)
        r.add(
            "plans",
            key=p.key,
            **r.lines("", p.span),
            title=p.title,
            title_en=p.title_en,
            city=p.city,
            period_start=p.period_start,
            period_end=p.period_end,
            **r.lines("period", p.period_span),
            period_note=p.period_note,
            adopted=p.adopted,
            publishers=p.publishers,
            principle=principle,
            **r.lines("principle", principle_span),
        )
        for n, ref in enumerate(p.legal_basis, start=1):
            r.add("plan_legal_basis", plan=p.key, seq=n, **r.lines("", ref.span), **_law(ref))
        for n, (title, span) in enumerate(p.parent_plans, start=1):
            r.add("plan_parents", plan=p.key, seq=n, **r.lines("", span), title=title)
        for n, (goal, span) in enumerate(p.sdg_goals, start=1):
            r.add("plan_sdg_goals", plan=p.key, seq=n, **r.lines("", span), goal=goal)


def _components(r: _Rows, rec: DocumentRecords) -> None:
    for c in rec.components:
        r.add(
            "components",
            plan=c.plan,
            code=c.code,
            **r.lines("", c.span),
            level=c.level,
            parent=c.parent,
            title=c.title,
            heading=c.heading,
            target=c.target,
            **r.lines("target", c.target_span),
            actions=c.actions,
            plans_ahead=c.plans_ahead,
        )
        for part, spans in (("actions", c.actions_spans), ("plans_ahead", c.plans_ahead_spans)):
            for n, span in enumerate(spans, start=1):
                r.add("component_spans", plan=c.plan, component=c.code, part=part, seq=n, **r.lines("", span))


def _listing(r: _Rows, lst: Listing) -> None:
    key: dict[str, object] = {"plan": lst.plan, "component": lst.component}
    r.add(
        "listings",
        **key,
        seq=lst.seq,
        **r.lines("", lst.span),
        name=lst.name,
        name_as_printed=lst.name_as_printed,
        **r.lines("name", lst.name_span),
        names=lst.names,
        divisions=lst.divisions,
        division_as_printed=lst.division_as_printed,
        **r.lines("division", lst.division_span),
        self_evaluation=lst.self_evaluation,
        **r.lines("self_evaluation", lst.self_evaluation_span),
        relisted_at=lst.relisted_at,
        relisting_role=lst.relisting_role,
        flags=lst.flags,
        description=lst.description,
        **r.lines("description", lst.description_span),
        actions=lst.actions,
        **r.lines("actions", lst.actions_span),
        plans_ahead=lst.plans_ahead,
        **r.lines("plans_ahead", lst.plans_ahead_span),
        evaluation_reason=lst.evaluation_reason,
        **r.lines("evaluation_reason", lst.evaluation_reason_span),
        marks_as_printed=lst.marks_as_printed,
        **r.lines("marks", lst.marks_span),
        unit=lst.unit,
        **r.lines("unit", lst.unit_span),
        uncertain=lst.uncertain,
    )
    key["listing"] = lst.seq
    for role, actors in (("◎", lst.lead), ("○", lst.partners)):
        for actor in actors:
            r.add("listing_actors", **key, role=role, actor=actor)
    for n, note in enumerate(lst.notes, start=1):
        r.add("listing_notes", **key, seq=n, note=note)
    for t, table in enumerate(lst.metrics, start=1):
        r.add(
            "metric_tables",
            **key,
            seq=t,
            **r.lines("", table.span),
            title=table.title,
            columns=table.columns,
            note=table.note,
        )
        for n, row in enumerate(table.rows, start=1):
            r.add("metric_rows", **key, table=t, seq=n, **r.lines("", row.span), item=row.item)
            for column, value in row.values.items():
                r.add("metric_values", **key, table=t, row=n, column=column, value=value)


def _indicators(r: _Rows, rec: DocumentRecords) -> None:
    for ind in rec.indicators:
        r.add(
            "indicators",
            plan=ind.plan,
            key=ind.key,
            **r.lines("", ind.span),
            name=ind.name,
            unit=ind.unit,
            component=ind.component,
            series=ind.series,
            source=ind.source,
            calendar_years=ind.calendar_years,
        )
        for n, note in enumerate(ind.notes, start=1):
            r.add("indicator_notes", plan=ind.plan, indicator=ind.key, seq=n, note=note)
        for n, obs in enumerate(ind.observations, start=1):
            cmp = obs.comparison
            r.add(
                "observations",
                plan=ind.plan,
                indicator=ind.key,
                seq=n,
                **r.lines("", obs.span),
                year=obs.year,
                kind=obs.kind,
                status=obs.status,
                raw=obs.raw,
                value=obs.value,
                change=obs.change,
                series=obs.series,
                series_key=obs.series_key,
                uncertain=obs.uncertain,
                comparison_label=cmp.label if cmp else None,
                comparison_raw=cmp.raw if cmp else None,
                comparison_value=cmp.value if cmp else None,
                comparison_unit=cmp.unit if cmp else None,
                **r.lines("comparison", cmp.span if cmp else None),
            )
            for m, note in enumerate(obs.notes, start=1):
                r.add("observation_notes", plan=ind.plan, indicator=ind.key, observation=n, seq=m, note=note)


def _results(r: _Rows, rec: DocumentRecords) -> None:
    for res in rec.results:
        if res.doc != rec.doc:
            raise ValueError(f"result {res.seq} says it is stated in {res.doc}, not in {rec.doc}")
        r.add(
            "results",
            seq=res.seq,
            **r.lines("", res.span),
            fiscal_year=res.fiscal_year,
            division=res.division,
            **r.lines("division", res.division_span),
            name=res.name,
            name_as_printed=res.name_as_printed,
            **r.lines("name", res.name_span),
            amount=res.amount,
            amount_raw=res.amount_raw,
            **r.lines("amount", res.amount_span),
            unit=res.unit,
            flags=res.flags,
            qualifiers=res.qualifiers,
            description=res.description,
            **r.lines("description", res.description_span),
            uncertain=res.uncertain,
        )
        for n, sub in enumerate(res.sub_amounts, start=1):
            r.add(
                "result_sub_amounts",
                result=res.seq,
                seq=n,
                **r.lines("", sub.span),
                label=sub.label,
                amount=sub.amount,
                raw=sub.raw,
            )
        for n, span in enumerate(res.description_spans, start=1):
            r.add("result_description_spans", result=res.seq, seq=n, **r.lines("", span))
        for n, note in enumerate(res.notes, start=1):
            r.add("result_notes", result=res.seq, seq=n, note=note)


def _date(r: _Rows, prefix: str, d: StatedDate | None) -> dict[str, object]:
    return {
        f"{prefix}raw": d.raw if d else None,
        f"{prefix}year": d.year if d else None,
        f"{prefix}month": d.month if d else None,
        f"{prefix}day": d.day if d else None,
        f"{prefix}precision": d.precision if d else None,
        f"{prefix}role": d.role if d else None,
    }


def _cases(r: _Rows, rec: DocumentRecords) -> None:
    for city in rec.cities:
        r.add(
            "cities",
            name=city.name,
            **r.lines("", city.span),
            toc_page=city.toc_page,
            has_heading=city.has_heading,
            evidence=city.evidence,
        )
    for ini in rec.initiatives:
        if ini.doc != rec.doc:
            raise ValueError(f"initiative {ini.title!r} says it is stated in {ini.doc}, not in {rec.doc}")
        r.add(
            "initiatives",
            city=ini.city,
            seq=ini.seq,
            **r.lines("", ini.span),
            title=ini.title,
            **r.lines("title", ini.title_span),
            level=ini.level,
            theme=ini.theme,
            **r.lines("theme", ini.theme_span),
            theme_description=ini.theme_description,
            **r.lines("theme_description", ini.theme_description_span),
            description=ini.description,
            **r.lines("description", ini.description_span),
            results=ini.results,
            **r.lines("results", ini.results_span),
            uncertain=ini.uncertain,
        )
        key = {"city": ini.city, "initiative": ini.seq}
        dates = [(True, ini.since)] if ini.since else []
        dates += [(False, d) for d in ini.dates_mentioned]
        for n, (since, d) in enumerate(dates, start=1):
            r.add("initiative_dates", **key, seq=n, **r.lines("", d.span), since=since, **_date(r, "", d))
        for n, f in enumerate(ini.figures, start=1):
            r.add(
                "initiative_figures",
                **key,
                seq=n,
                **r.lines("", f.span),
                item=f.item,
                value=f.value,
                unit=f.unit,
                raw=f.raw,
                qualifier=f.qualifier,
                **_date(r, "as_of_", f.as_of),
                **r.lines("as_of", f.as_of.span if f.as_of else None),
            )
        for n, note in enumerate(ini.notes, start=1):
            r.add("initiative_notes", **key, seq=n, note=note)


def csv_text(table: schema.Table, rows: list[dict[str, object]]) -> str:
    """The CSV text of one table: header row, then one line (or quoted multi-line record) per row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.header)
    for row in rows:
        w.writerow([cell(row[c]) for c in table.header])
    return buf.getvalue()


def datapackage_text(doc_id: str, title: str = "", document: dict | None = None) -> str:
    return json.dumps(schema.datapackage(doc_id, title, document), ensure_ascii=False, indent=2) + "\n"


def folder_files(rec: DocumentRecords, title: str = "") -> dict[str, str]:
    """File name -> text of every file of the document's folder."""
    rows = table_rows(rec)
    files = {schema.DATAPACKAGE: datapackage_text(rec.doc, title)}
    for t in schema.tables():
        files[t.file] = csv_text(t, rows[t.name])
    return files


def write_folder(rec: DocumentRecords, folder: Path, title: str = "") -> list[Path]:
    """Write the folder of ``rec`` (created if missing); each file replaced whole. The paths written."""
    files = folder_files(rec, title)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        tmp = folder / f".{name}.tmp-{os.getpid()}"
        with tmp.open("w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
        written.append(path)
    return written
