"""A folder's tables as one XLSX workbook and back, for people who edit in a spreadsheet.

Export writes one sheet per table (in the format's order), every cell as text (so 1.10 stays 1.10,
R3 stays R3 and a cell starting with = is not a formula), the header row bold and frozen, and the
document id and format version in the workbook's properties. Import writes the CSVs back from the
sheets, checks them as the build reads them, and only then replaces the folder's CSVs: an
unchanged workbook gives byte-identical CSVs, and a workbook with problems changes nothing.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path

from fukushi_kg.graph.tables import read, schema
from fukushi_kg.graph.tables.schema import FormatError

TEXT = "@"  # the number format "Text"
#: The sheet of a workbook that holds the description of a document no manifest names (format 1.1:
#: ``fukushi-kg-document`` of datapackage.json), one key and value a row.
DOCUMENT_SHEET = "_document"
_NULLABLE = ("city", "prefecture", "url", "licence")


def document_rows(meta: dict) -> list[list[str]]:
    """The rows of the ``_document`` sheet for a document's description."""
    rows = [["key", "value"]]
    for key, value in meta.items():
        text = schema.list_delimiter().join(value) if isinstance(value, list) else ("" if value is None else str(value))
        rows.append([key, text])
    return rows


def document_meta(rows: list[list[str]], where: str) -> dict:
    """A document's description from the rows of a ``_document`` sheet (the inverse of document_rows)."""
    meta: dict = {}
    for n, row in enumerate(rows[1:], start=2):
        key, value = (row + ["", ""])[:2]
        if not key:
            raise FormatError(f"{where} row {n}: a value without a key")
        if key == "publishers":
            meta[key] = [x for x in value.split(schema.list_delimiter()) if x]
        else:
            meta[key] = None if (value == "" and key in _NULLABLE) else value
    return meta


def export_xlsx(folder: Path, path: Path) -> None:
    """Write ``folder``'s tables to the workbook ``path`` (replaced whole)."""
    import csv

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    doc_id, dp = read.check_folder(folder)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.identifier = doc_id
    wb.properties.version = dp.get(schema.VERSION_KEY)
    wb.properties.title = dp.get("title") or doc_id
    wb.properties.subject = "fukushi-kg plan tables (docs/format.md)"
    bold = Font(bold=True)
    for t in schema.tables():
        ws = wb.create_sheet(t.name)
        with (folder / t.file).open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        widths: dict[int, int] = {}
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value == "":
                    continue
                cell = ws.cell(row=r, column=c)
                cell.value = value
                cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
                cell.number_format = TEXT
                if r == 1:
                    cell.font = bold
                widths[c] = max(widths.get(c, 0), min(60, max(len(x) for x in value.split("\n")) + 2))
        for c, width in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
    meta = dp.get(schema.document_key())
    if isinstance(meta, dict):
        ws = wb.create_sheet(DOCUMENT_SHEET, 0)
        for r, values in enumerate(document_rows(meta), start=1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = value or None
                cell.data_type = "s"
                cell.number_format = TEXT
                if r == 1:
                    cell.font = bold
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 60
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    wb.save(tmp)
    os.replace(tmp, path)


def cell_text(value: object) -> str:
    """A cell's value as the text of a CSV cell (numbers typed into a sheet come back as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _text(value: object, where: str) -> str:
    """``cell_text``; a FormatError naming ``where`` for a cell the spreadsheet made a date or time."""
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise FormatError(f"{where}: the spreadsheet turned this cell into a date or time ({value}); type it as text")
    return cell_text(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise FormatError(f"{where}: the spreadsheet turned this cell into a date or time ({value}); type it as text")
    return str(value)


def sheet_rows(path: Path) -> tuple[str | None, dict[str, list[list[str]]]]:
    """The workbook's document id and, per table, its rows as CSV cell texts."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FormatError(f"{path} is not an XLSX workbook: {exc}") from None
    names = {t.name for t in schema.tables()}
    problems = [
        f"{path.name}: sheet {s!r} is not a table of the format"
        for s in wb.sheetnames
        if s not in names and s != DOCUMENT_SHEET
    ]
    problems += [f"{path.name}: no sheet {n!r}" for n in sorted(names - set(wb.sheetnames))]
    if problems:
        raise FormatError(f"{path} is not a workbook of plan tables", problems)
    out: dict[str, list[list[str]]] = {}
    for t in schema.tables():
        ws = wb[t.name]
        rows = []
        width = 0
        for r, cells in enumerate(ws.iter_rows(), start=1):
            where = f"{path.name} sheet {t.name} row {r}"
            formulas = [c for c in cells if getattr(c, "data_type", None) == "f"]
            if formulas:
                raise FormatError(
                    f"{where}: a formula ({formulas[0].value}); the tables hold values, so type the value "
                    "(or format the cell as text first)"
                )
            texts = [_text(getattr(c, "value", None), where) for c in cells]
            if r == 1:
                while texts and texts[-1] == "":
                    texts.pop()
                width = len(texts)
            if not any(texts):
                continue  # rows a spreadsheet keeps but left blank
            if any(texts[width:]):
                raise FormatError(f"{path.name} sheet {t.name} row {r}: cells right of the last named column")
            rows.append(texts[:width] + [""] * (width - len(texts[:width])))
        out[t.name] = rows
    doc_id = wb.properties.identifier
    wb.close()
    return doc_id, out


def workbook_document(path: Path) -> dict | None:
    """The document description of a workbook's ``_document`` sheet, or None where it has none."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FormatError(f"{path} is not an XLSX workbook: {exc}") from None
    if DOCUMENT_SHEET not in wb.sheetnames:
        wb.close()
        return None
    where = f"{path.name} sheet {DOCUMENT_SHEET}"
    rows = [[_text(c.value, where) for c in cells] for cells in wb[DOCUMENT_SHEET].iter_rows()]
    wb.close()
    return document_meta([r for r in rows if any(r)], where)


def import_xlsx(path: Path, folder: Path, n_lines: int | None = None) -> list[Path]:
    """Replace ``folder``'s CSVs (and its document description, from a ``_document`` sheet) with
    the workbook's sheets once they read (lines checked against a text of ``n_lines`` lines where
    given); the paths written. A folder that does not exist yet is made (a workbook of
    ``fukushi-kg new``); a workbook with problems changes nothing."""
    import csv
    import io

    from fukushi_kg.graph.tables.write import datapackage_text

    meta = workbook_document(path)
    book_doc, tables = sheet_rows(path)
    if folder.exists():
        doc_id, dp = read.check_folder(folder)
        title = dp.get("title", "")
        meta = dp.get(schema.document_key()) if meta is None else meta
    else:
        doc_id, title = folder.name, ""
    if book_doc and book_doc != doc_id:
        raise FormatError(f"{path} holds the tables of {book_doc}, not of {doc_id}")
    texts = {schema.DATAPACKAGE: datapackage_text(doc_id, title, meta)}
    for t in schema.tables():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(tables[t.name])
        texts[t.file] = buf.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / folder.name
        if folder.exists():
            shutil.copytree(folder, trial)
        else:
            trial.mkdir()
        for name, text in texts.items():
            (trial / name).write_text(text, encoding="utf-8", newline="")
        read.read_folder(trial, n_lines)  # FormatError with every problem; the folder is still untouched
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        target = folder / name
        if name == schema.DATAPACKAGE and target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        tmp_file = folder / f".{name}.tmp-{os.getpid()}"
        tmp_file.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp_file, target)
        written.append(target)
    return written
