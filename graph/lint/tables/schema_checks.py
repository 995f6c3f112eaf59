"""A document's tables against the format: header rows, then Frictionless (types, required cells,
enumerations, patterns, primary and foreign keys), each finding at its line and column.

The records are given to Frictionless as inline data (the cells as read, so CSV folders and
workbooks are checked alike) under the format's own Table Schemas, whatever datapackage.json says.
"""

from __future__ import annotations

import re

from fukushi_kg.graph import era
from fukushi_kg.graph.lint.model import Finding
from fukushi_kg.graph.lint.tables.files import Folder, Sheet, finding
from fukushi_kg.graph.tables import schema

#: columns holding a western year, a month or a day, and those holding an ISO 8601 date
YEAR_COLUMNS = re.compile(r"(^|_)(year|period_start|period_end|month|day)$")
DATE_COLUMNS = {"adopted"}
_SLASH_DATE = re.compile(r"^\s*(\d{4})\s*[/.年]\s*(\d{1,2})\s*(?:[/.月]\s*(\d{1,2})\s*日?)?\s*$")
_YEAR_WORD = re.compile(r"^\s*(\d{4})\s*(年度|年|FY)?\s*$")
_TYPE_JA = {
    "integer": "整数",
    "number": "数値",
    "boolean": "真偽値（true / false）",
    "list": "リスト",
    "string": "文字列",
}


def header_findings(sheet: Sheet) -> tuple[list[Finding], list[int]]:
    """Findings on the header row, and the 0-based positions of the columns Frictionless checks
    (the format's columns, each first occurrence)."""
    t = sheet.table
    out: list[Finding] = []
    known = set(t.header)
    keep: list[int] = []
    seen: set[str] = set()
    for i, name in enumerate(sheet.header):
        where = sheet.location(None, i + 1)
        if name in seen:
            out.append(
                finding(
                    "TAB002",
                    where,
                    f"column {name!r} appears more than once; keep one",
                    f"列 {name!r} が二度ある。一つにする",
                )
            )
            continue
        seen.add(name)
        if name not in known:
            out.append(
                finding(
                    "TAB002",
                    where,
                    f"column {name!r} is not in the format for {t.file} (its columns: {', '.join(t.header)}); "
                    "rename it or remove it",
                    f"列 {name!r} は {t.file} の形式にない（列: {', '.join(t.header)}）。名前を直すか削除する",
                )
            )
            continue
        keep.append(i)
    missing = [c.name for c in t.columns if c.required and c.name not in sheet.header]
    if missing:
        out.append(
            finding(
                "TAB002",
                sheet.location(None, len(sheet.header) + 1),
                f"required columns missing: {', '.join(missing)}",
                f"必須の列がない: {', '.join(missing)}",
            )
        )
    return out, keep


def date_hint(column: str, text: str) -> tuple[str, str] | None:
    """What to write instead of a year or date in another notation, or None when ``text`` is not one."""
    if YEAR_COLUMNS.search(column):
        year = era.parse_era_year(text)
        if year is None:
            m = _YEAR_WORD.match(text) or _SLASH_DATE.match(text)
            year = int(m.group(1)) if m else None
        if year is None:
            return None
        return (
            f"{column}: {text!r} is a year written as text; write the western year {year} "
            "(the printed form belongs in the raw / as_printed column)",
            f"{column}: {text!r} は文字で書いた年。西暦 {year} と書く（印刷どおりの表記は raw / as_printed 列へ）",
        )
    if column in DATE_COLUMNS:
        m = _SLASH_DATE.match(text)
        if m:
            iso = f"{m.group(1)}-{int(m.group(2)):02d}" + (f"-{int(m.group(3)):02d}" if m.group(3) else "")
        else:
            year = era.parse_era_year(text)
            month = re.search(r"(\d{1,2})\s*月", text)
            if year is None:
                return None
            iso = f"{year}" + (f"-{int(month.group(1)):02d}" if month else "")
        return (
            f"{column}: {text!r} is a date in another notation; write it as ISO 8601: {iso}",
            f"{column}: {text!r} は別の書き方の日付。ISO 8601 で {iso} と書く",
        )
    return None


def _constraint_text(t: schema.Table, column: str, note: str) -> tuple[str, str, str]:
    """(code, English, Japanese) of a constraint error of ``column``."""
    try:
        col = t.column(column)
    except KeyError:
        return "TAB013", note, note
    if 'constraint "required"' in note:
        return "TAB011", "required, but empty", "必須だが空"
    if 'constraint "enum"' in note:
        values = list(col.constraints.get("enum", []))
        if column == "document":
            return (
                "TAB012",
                "is not this folder's document (every row names the folder's document id)",
                "このフォルダの文書ではない（すべての行がフォルダの文書IDを持つ）",
            )
        shown = ", ".join(str(v) for v in values)
        return "TAB012", f"is not one of {shown}", f"{shown} のいずれでもない"
    for key, en, ja in (
        ("pattern", "does not match the pattern", "パターンに合わない"),
        ("minimum", "is below the minimum", "最小値未満"),
        ("maximum", "is above the maximum", "最大値超過"),
    ):
        if f'constraint "{key}"' in note:
            value = col.constraints.get(key)
            return "TAB013", f"{en} {value}", f"{ja}（{value}）"
    return "TAB013", note, note


def frictionless_findings(folder: Folder, checked: dict[str, list[int]]) -> list[Finding]:
    """Frictionless on the sheets of ``folder`` whose header rows are sound (``checked``: the
    positions of their columns to check); every error as a finding at its cell."""
    from frictionless import Package

    descriptor = schema.datapackage(folder.doc_id or "unknown")
    by_name = {r["name"]: r for r in descriptor["resources"]}
    resources = []
    for name, keep in checked.items():
        sheet = folder.sheets[name]
        res = by_name[name]
        for k in ("path", "scheme", "format", "mediatype", "encoding"):
            res.pop(k, None)
        fields = {f["name"]: f for f in res["schema"]["fields"]}
        header = [sheet.header[i] for i in keep]
        res["schema"]["fields"] = [fields[h] for h in header]
        res["schema"]["foreignKeys"] = [
            fk
            for fk in res["schema"].get("foreignKeys", [])
            if set(fk["fields"]) <= set(header)
            and (fk["reference"]["resource"] or name) in checked
            and set(fk["reference"]["fields"])
            <= {
                folder.sheets[fk["reference"]["resource"] or name].header[i]
                for i in checked[fk["reference"]["resource"] or name]
            }
        ]
        width = len(sheet.header)
        rows = [header]
        for rec in sheet.records:
            rows.append([rec[i] for i in keep if i < len(rec)] + rec[width:])
        res["data"] = rows
        resources.append(res)
    if not resources:
        return []
    descriptor["resources"] = resources
    report = Package(descriptor).validate(limit_errors=10_000)
    out: list[Finding] = []
    for task in report.tasks:
        sheet = folder.sheets[task.name]
        keep = checked[task.name]
        t = sheet.table
        short: set[int | None] = set()  # rows with cells missing: one finding for the row, none per empty cell
        for e in task.errors:
            row = getattr(e, "row_number", None)
            if e.type == "missing-cell":
                if row in short:
                    continue
                short.add(row)
            elif e.type == "constraint-error" and row is not None and 'constraint "required"' in (e.note or ""):
                number = getattr(e, "field_number", None) or 0
                if number and number <= len(keep) and keep[number - 1] >= len(sheet.records[row - 2]):
                    continue  # the cell is missing, not empty: said by the row's missing-cell finding
            out.append(_finding(sheet, keep, t, e))
    for e in report.errors:  # metadata problems: a bug of the descriptor, not of the data
        out.append(finding("TAB001", folder.sheets[next(iter(checked))].file_location(), e.message, e.message))
    return out


def _finding(sheet: Sheet, keep: list[int], t: schema.Table, e) -> Finding:
    row_number = getattr(e, "row_number", None)
    index = row_number - 2 if row_number else None
    field_number = getattr(e, "field_number", None)
    column: int | None = None
    if field_number:
        column = (
            keep[field_number - 1] + 1 if field_number <= len(keep) else len(sheet.header) + field_number - len(keep)
        )
    name: str = getattr(e, "field_name", None) or ""
    cell = getattr(e, "cell", None)
    kind = e.type
    if kind == "type-error":
        col = t.column(name)
        hint = date_hint(name, str(cell))
        if hint:
            return finding("TAB016", sheet.location(index, column), *hint)
        article = "an" if col.type[0] in "aeiou" else "a"
        return finding(
            "TAB010",
            sheet.location(index, column),
            f"{name}: {cell!r} is not {article} {col.type}",
            f"{name}: {cell!r} は{_TYPE_JA.get(col.type, col.type)}ではない",
        )
    if kind == "constraint-error":
        hint = date_hint(name, str(cell)) if name in DATE_COLUMNS else None
        if hint:
            return finding("TAB016", sheet.location(index, column), *hint)
        code, en, ja = _constraint_text(t, name, e.note)
        shown = "" if code == "TAB011" else f"{cell!r} "
        return finding(code, sheet.location(index, column), f"{name}: {shown}{en}", f"{name}: {shown}{ja}")
    if kind in ("primary-key", "unique-error"):
        other = re.search(r"position (\d+)", e.note or "")
        first = (
            sheet.lines[int(other.group(1)) - 2] if other and 0 <= int(other.group(1)) - 2 < len(sheet.lines) else None
        )
        key = ", ".join(t.primary_key)
        values = (
            ", ".join(str(sheet.records[index][i]) for i in keep if sheet.header[i] in t.primary_key)
            if index is not None
            else ""
        )
        where = (
            f" as the row on line {first}" if first and sheet.kind == "table" else f" as row {first}" if first else ""
        )
        return finding(
            "TAB014",
            sheet.location(index, t.primary_key[-1]),
            f"duplicate key ({key}) = ({values}): the same{where}; give each row its own key",
            f"キー（{key}）=（{values}）が重複"
            + (f"（{first} 行目と同じ）" if first else "")
            + "。行ごとに別のキーにする",
        )
    if kind == "foreign-key":
        names = list(getattr(e, "field_names", []) or [])
        found = list(getattr(e, "field_cells", []) or [])
        ref = getattr(e, "reference_name", "") or t.name
        ref_fields = list(getattr(e, "reference_field_names", []) or [])
        pairs = ", ".join(f"{f}={v}" for f, v in zip(names, found, strict=False))
        code = "TAB022" if names[-1:] in (["component"], ["parent"]) and ref == "components" else "TAB020"
        return finding(
            code,
            sheet.location(index, names[-1] if names else None),
            f"{pairs} names no row of {ref}.csv ({', '.join(ref_fields)})",
            f"{pairs} に当たる行が {ref}.csv（{', '.join(ref_fields)}）にない",
        )
    if kind in ("missing-cell", "extra-cell", "blank-row"):
        n = len(sheet.records[index]) if index is not None else 0
        en = {
            "missing-cell": f"the row has {n} cells, the header {len(sheet.header)}: "
            f"{len(sheet.header) - n} missing from {name or 'a column'} on (a comma too few, or a line break in an "
            "unquoted value)",
            "extra-cell": f"the row has {n} cells, the header {len(sheet.header)} (a comma too many, or an unquoted "
            "comma in a value)",
            "blank-row": "a row with no values; delete it",
        }[kind]
        ja = {
            "missing-cell": f"行のセルが {n} 個、見出しは {len(sheet.header)} 個: {name or '列'} 以降の "
            f"{len(sheet.header) - n} 個がない（カンマ不足、または引用符のない値の中の改行）",
            "extra-cell": f"行のセルが {n} 個、見出しは {len(sheet.header)} 個（カンマが多い、または値の中のカンマを引用符で囲んでいない）",
            "blank-row": "値のない行。削除する",
        }[kind]
        return finding("TAB015", sheet.location(index, column), en, ja)
    return finding(
        "TAB010", sheet.location(index, column), f"{name + ': ' if name else ''}{e.note or e.message}", e.message
    )


def check(folder: Folder) -> list[Finding]:
    """Header rows, then Frictionless on the tables with sound header rows."""
    out: list[Finding] = []
    checked: dict[str, list[int]] = {}
    for name, sheet in folder.sheets.items():
        found, keep = header_findings(sheet)
        out += found
        if not any(f.code == "TAB002" and "required" in f.message_en for f in found):
            checked[name] = keep
    out += frictionless_findings(folder, checked)
    return out
