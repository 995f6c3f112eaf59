"""Plan tables as the linter reads them: a CSV folder or a workbook, each record with its place.

Reading never stops at the first problem and never raises for a problem in a table: what cannot
be read becomes a finding at the line and column (``Sheet!C12`` in a workbook) and the table is
left out. Only an input that is not a plan folder or a workbook at all is an ``InputError``
(exit 2): no datapackage.json, one in an unknown format version, a file that is not a workbook.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from fukushi_kg.graph.lint.inputs import InputError, display_path
from fukushi_kg.graph.lint.model import Finding, Location
from fukushi_kg.graph.tables import schema
from fukushi_kg.graph.tables.schema import FormatError
from fukushi_kg.graph.tables.xlsx import cell_text

BOM = b"\xef\xbb\xbf"


@dataclass
class Sheet:
    """One table of a folder (a CSV file) or of a workbook (a sheet): its header and records (as
    cell texts), with the line (CSV: the physical line the record starts on; workbook: the row)
    of each record. Blank records are left out (and reported)."""

    table: schema.Table
    display: str
    kind: str  # "table" | "workbook"
    header: list[str] = field(default_factory=list)
    records: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    header_line: int = 1
    sheet: str | None = None

    def column_number(self, column: str | int | None) -> int | None:
        if isinstance(column, int) or column is None:
            return column
        return self.header.index(column) + 1 if column in self.header else None

    def location(self, index: int | None, column: str | int | None = None) -> Location:
        """The place of record ``index`` (None: the header row), at ``column`` (a name or a 1-based number)."""
        line = self.header_line if index is None else self.lines[index]
        number = self.column_number(column)
        name = column if isinstance(column, str) else None
        if name is None and number is not None and number <= len(self.header):
            name = self.header[number - 1]
        if self.kind == "workbook":
            from openpyxl.utils import get_column_letter

            cell = f"{self.sheet}!{get_column_letter(number or 1)}{line}"
            return Location(self.display, line, number or 1, "workbook", name, cell)
        return Location(self.display, line, number or 1, "table", name)

    def file_location(self) -> Location:
        if self.kind == "workbook":
            return Location(self.display, None, None, "workbook", None, f"{self.sheet}!A1")
        return Location(self.display, None, None, "table")


@dataclass
class Folder:
    """One document's tables as read, with the findings of reading them."""

    doc_id: str
    display: str  # the folder or the workbook
    version: str
    sheets: dict[str, Sheet] = field(default_factory=dict)  # the tables that could be read
    findings: list[Finding] = field(default_factory=list)
    path: Path | None = None


def finding(code: str, where: Location, en: str, ja: str) -> Finding:
    return Finding(code, "", en, ja, location=where)


# ------------------------------------------------------------------ inputs
def _in_plan_folder(path: Path) -> bool:
    """A CSV file or the datapackage.json of a plan folder (as a pre-commit hook passes them)."""
    return (path.suffix.lower() == ".csv" or path.name == schema.DATAPACKAGE) and (
        path.parent / schema.DATAPACKAGE
    ).is_file()


def is_table_input(path: Path) -> bool:
    """A plan folder (with datapackage.json), a folder of plan folders, a file of a plan folder
    (which stands for the folder), or a workbook."""
    if path.suffix.lower() == ".xlsx" or _in_plan_folder(path):
        return True
    if not path.is_dir():
        return False
    return (path / schema.DATAPACKAGE).is_file() or any(
        (p / schema.DATAPACKAGE).is_file() for p in path.iterdir() if p.is_dir()
    )


def expand(paths: list[Path]) -> list[Path]:
    """Plan folders and workbooks, each once: a folder of plan folders (data/plans/) stands for each
    of them, a file of a plan folder (listings.csv) for its folder."""
    out: list[Path] = []
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: no such file or folder")
        if p.is_file() and _in_plan_folder(p):
            out.append(p.parent)
        elif p.is_dir() and not (p / schema.DATAPACKAGE).is_file():
            subs = sorted(q for q in p.iterdir() if q.is_dir() and (q / schema.DATAPACKAGE).is_file())
            if not subs:
                raise InputError(
                    f"{display_path(p)}: not a plan folder (no {schema.DATAPACKAGE}) and holds none; "
                    "`fukushi-kg tables init` writes one"
                )
            out.extend(subs)
        elif p.is_file() and p.suffix.lower() != ".xlsx":
            raise InputError(f"{display_path(p)}: not a plan folder or an .xlsx workbook")
        else:
            out.append(p)
    unique: dict[Path, Path] = {}
    for p in out:
        unique.setdefault(p.resolve(), p)
    return list(unique.values())


def _datapackage(folder: Path) -> tuple[str, str]:
    """The document id and format version of a plan folder; InputError when it cannot be used."""
    dp_path = folder / schema.DATAPACKAGE
    where = display_path(dp_path)
    try:
        dp = json.loads(dp_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 text; save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if not isinstance(dp, dict):
        raise InputError(f"{where}: not a JSON object")
    try:
        schema.check_version(dp.get(schema.VERSION_KEY), where)
    except FormatError as exc:
        raise InputError(str(exc).splitlines()[0]) from None
    doc_id = dp.get("name")
    if doc_id != folder.name:
        raise InputError(f'{where}: "name" is {doc_id!r}, but the folder is {folder.name!r}; they must be equal')
    return doc_id, dp[schema.VERSION_KEY]


# ------------------------------------------------------------------ CSV folders
def _decode(data: bytes, display: str, out: list[Finding]) -> str | None:
    """The text of a CSV file, or None (with a finding) when it is not UTF-8 or is empty."""
    if data.startswith(BOM):
        out.append(
            finding(
                "TAB001",
                Location(display, 1, 1, "table"),
                "the file starts with a byte-order mark (Excel's 'CSV UTF-8'); save it as plain UTF-8 CSV "
                "without BOM, or edit the workbook of `fukushi-kg tables export` and import it back",
                "ファイルの先頭に BOM がある（Excel の「CSV UTF-8」）。BOM なしの UTF-8 の CSV で保存するか、"
                "`fukushi-kg tables export` のブックを編集して取り込み直す",
            )
        )
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        try:
            data.decode("cp932")
            guess, guess_ja = (
                " (it reads as Shift_JIS: Excel's plain 'CSV')",
                "（Shift_JIS として読める。Excel の「CSV」）",
            )
        except UnicodeDecodeError:
            guess, guess_ja = "", ""
        out.append(
            finding(
                "TAB001",
                Location(display, line, column, "table"),
                f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be read{guess}; save the file as UTF-8 CSV",
                f"UTF-8 ではない: バイト 0x{data[exc.start]:02x} を読めない{guess_ja}。UTF-8 の CSV で保存する",
            )
        )
        return None
    if not text.strip():
        out.append(
            finding(
                "TAB001",
                Location(display, 1, 1, "table"),
                "the file is empty; a table has at least its header row (`fukushi-kg tables init` writes them)",
                "ファイルが空。表には少なくとも見出し行が要る（`fukushi-kg tables init` が書く）",
            )
        )
        return None
    return text


def _parse_csv(text: str, sheet: Sheet, out: list[Finding]) -> bool:
    """Fill ``sheet`` from the CSV text; False (with a finding) when the CSV reader gives up."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    header_seen = False
    try:
        for cells in reader:
            if not cells or all(c == "" for c in cells) and len(cells) <= 1:
                out.append(
                    finding(
                        "TAB015",
                        Location(sheet.display, start, 1, "table"),
                        "a blank line; delete it (the first line is the header row, and a row with no "
                        "values means nothing)",
                        "空行。削除する（1行目は見出し行。値のない行には意味がない）",
                    )
                )
                start = reader.line_num + 1
                continue
            if not header_seen:
                sheet.header, sheet.header_line, header_seen = cells, start, True
            elif not schema.is_comment(cells):  # a comment row (an example of `fukushi-kg new`) is not read
                sheet.records.append(cells)
                sheet.lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        out.append(
            finding(
                "TAB001",
                Location(sheet.display, reader.line_num or start, 1, "table"),
                f"the CSV cannot be read from here: {exc} (a quote left open, or a NUL byte)",
                f"ここから CSV を読めない: {exc}（閉じていない引用符、または NUL バイト）",
            )
        )
        return False
    return header_seen


def read_folder(folder: Path) -> Folder:
    doc_id, version = _datapackage(folder)
    result = Folder(doc_id, display_path(folder), version, path=folder)
    expected = {t.file: t for t in schema.tables()}
    present = {p.name for p in folder.glob("*.csv")}
    for name in sorted(present - set(expected)):
        result.findings.append(
            finding(
                "TAB003",
                Location(display_path(folder / name), None, None, "table"),
                f"{name} is not a table of the format (format {version}; see docs/format.md); "
                "rename it to the table it holds or remove it",
                f"{name} は形式の表ではない（形式 {version}、docs/format.md 参照）。正しい表の名前にするか削除する",
            )
        )
    for t in schema.tables():
        path = folder / t.file
        display = display_path(path)
        if t.file not in present:
            result.findings.append(
                finding(
                    "TAB003",
                    Location(display, None, None, "table"),
                    f"{t.file} is missing; write it with its header row even when it has no rows",
                    f"{t.file} がない。行がなくても見出し行だけのファイルを置く",
                )
            )
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{display}: cannot be read ({exc.strerror or exc})") from None
        text = _decode(data, display, result.findings)
        if text is None:
            continue
        sheet = Sheet(t, display, "table")
        if _parse_csv(text, sheet, result.findings):
            result.sheets[t.name] = sheet
    return result


# ------------------------------------------------------------------ workbooks
def _date_hint(value: datetime.date | datetime.time | datetime.timedelta) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path) -> Folder:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    display = display_path(path)
    try:
        wb = load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{display}: not an XLSX workbook ({type(exc).__name__}: {exc})") from None
    version = wb.properties.version or schema.version()
    try:
        schema.check_version(version, display)
    except FormatError as exc:
        raise InputError(str(exc).splitlines()[0]) from None
    doc_id = wb.properties.identifier or ""
    result = Folder(doc_id, display, version, path=path)
    names = {t.name for t in schema.tables()}
    for s in wb.sheetnames:
        if s not in names and s != "_document":  # the document's own description (format 1.1)
            result.findings.append(
                finding(
                    "TAB003",
                    Location(display, None, None, "workbook", None, f"{s}!A1"),
                    f"sheet {s!r} is not a table of the format (see docs/format.md); rename or remove it",
                    f"シート {s!r} は形式の表ではない（docs/format.md 参照）。名前を直すか削除する",
                )
            )
    for t in schema.tables():
        if t.name not in wb.sheetnames:
            result.findings.append(
                finding(
                    "TAB003",
                    Location(display, None, None, "workbook", None, f"{t.name}!A1"),
                    f"no sheet {t.name!r}; every table of the format is a sheet, with its header row",
                    f"シート {t.name!r} がない。形式のすべての表が、見出し行をもつシートになる",
                )
            )
            continue
        ws = wb[t.name]
        sheet = Sheet(t, display, "workbook", sheet=t.name)
        width = 0
        for r, cells in enumerate(ws.iter_rows(), start=1):
            texts = []
            for c, cell in enumerate(cells, start=1):
                value = cell.value
                if cell.data_type == "f" or (
                    isinstance(value, str) and value.startswith("=") and cell.data_type != "s"
                ):
                    result.findings.append(
                        finding(
                            "TAB040",
                            sheet_location(sheet, r, c),
                            f"a formula ({value}); the tables hold values: type the value "
                            "(format the cell as Text first if it starts with =)",
                            f"数式（{value}）。表は値を持つ。値を入力する（= で始まる値はセルを文字列にしてから）",
                        )
                    )
                    texts.append("")
                elif isinstance(value, datetime.date | datetime.time | datetime.timedelta):
                    hint = _date_hint(value)
                    result.findings.append(
                        finding(
                            "TAB016",
                            sheet_location(sheet, r, c),
                            f"the spreadsheet turned this cell into a date or time ({hint}); format the cell "
                            "as Text and type the value as the column wants it (e.g. a year 2023, a date 2019-01-31)",
                            f"表計算ソフトがこのセルを日付・時刻にした（{hint}）。セルを文字列にして、"
                            "列の書き方（年 2023、日付 2019-01-31 など）で入力する",
                        )
                    )
                    texts.append(hint)
                else:
                    texts.append(cell_text(value))
            if r == 1:
                while texts and texts[-1] == "":
                    texts.pop()
                width = len(texts)
                sheet.header = texts
                sheet.header_line = 1
                continue
            if not any(texts):
                continue  # rows a spreadsheet keeps but left blank
            extra = [i for i, v in enumerate(texts[width:], start=width + 1) if v]
            for i in extra:
                result.findings.append(
                    finding(
                        "TAB015",
                        sheet_location(sheet, r, i),
                        f"a value right of the last named column ({get_column_letter(width)}); "
                        "move it into its column or delete it",
                        f"見出しのある最後の列（{get_column_letter(width)}）より右に値がある。正しい列に移すか削除する",
                    )
                )
            if schema.is_comment(texts):
                continue  # a comment row (an example of `fukushi-kg new`)
            sheet.records.append(texts[:width] + [""] * (width - len(texts[:width])))
            sheet.lines.append(r)
        for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            result.findings.append(
                finding(
                    "TAB041",
                    sheet_location(sheet, rng.min_row, rng.min_col),
                    f"merged cells {rng.coord}: only the first keeps the value; unmerge them and type "
                    "the value in every row",
                    f"結合セル {rng.coord}: 値は最初のセルにしか残らない。結合を解除し、各行に値を入れる",
                )
            )
        if not sheet.header:
            result.findings.append(
                finding(
                    "TAB001",
                    sheet_location(sheet, 1, 1),
                    "the sheet is empty; row 1 names the columns (`fukushi-kg tables export` writes them)",
                    "シートが空。1行目に列名を書く（`fukushi-kg tables export` が書く）",
                )
            )
            continue
        result.sheets[t.name] = sheet
    if not result.doc_id and "document" in result.sheets:
        s = result.sheets["document"]
        if s.records and "document" in s.header:
            result.doc_id = s.records[0][s.header.index("document")]
    if not result.doc_id:
        raise InputError(
            f"{display}: the workbook does not say which document it holds (no identifier in its properties and "
            "no row in the document sheet); export it with `fukushi-kg tables export`"
        )
    wb.close()
    return result


def sheet_location(sheet: Sheet, row: int, column: int) -> Location:
    from openpyxl.utils import get_column_letter

    name = sheet.header[column - 1] if 0 < column <= len(sheet.header) else None
    return Location(sheet.display, row, column, "workbook", name, f"{sheet.sheet}!{get_column_letter(column)}{row}")


def read_input(path: Path) -> Folder:
    return read_workbook(path) if path.suffix.lower() == ".xlsx" else read_folder(path)
