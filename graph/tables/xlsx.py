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
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    wb.save(tmp)
    os.replace(tmp, path)


def _text(value: object, where: str) -> str:
    """A cell's value as the text of a CSV cell (numbers typed into a sheet come back as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
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
    problems = [f"{path.name}: sheet {s!r} is not a table of the format" for s in wb.sheetnames if s not in names]
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


def import_xlsx(path: Path, folder: Path, n_lines: int | None = None) -> list[Path]:
    """Replace ``folder``'s CSVs with the workbook's sheets once they read (lines checked against
    a text of ``n_lines`` lines where given); the paths written."""
    import csv
    import io

    doc_id, _ = read.check_folder(folder)
    book_doc, tables = sheet_rows(path)
    if book_doc and book_doc != doc_id:
        raise FormatError(f"{path} holds the tables of {book_doc}, not of {doc_id}")
    texts = {}
    for t in schema.tables():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(tables[t.name])
        texts[t.file] = buf.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / folder.name
        shutil.copytree(folder, trial)
        for name, text in texts.items():
            (trial / name).write_text(text, encoding="utf-8", newline="")
        read.read_folder(trial, n_lines)  # FormatError with every problem; the folder is still untouched
    written = []
    for name, text in texts.items():
        target = folder / name
        tmp_file = folder / f".{name}.tmp-{os.getpid()}"
        tmp_file.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp_file, target)
        written.append(target)
    return written
