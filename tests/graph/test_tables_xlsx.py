"""Plan tables as an XLSX workbook and back (`fukushi-kg tables export/import --xlsx`): an unchanged
workbook gives byte-identical CSVs for all five documents; edits made in a spreadsheet arrive as
text; a workbook with problems changes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fukushi_kg.graph.sources import documents
from fukushi_kg.graph.tables import schema
from fukushi_kg.graph.tables.read import read_folder
from fukushi_kg.graph.tables.schema import FormatError
from fukushi_kg.graph.tables.xlsx import export_xlsx, import_xlsx

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
CHILD = "kumamoto-child-plan-report-fy2023"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("doc_id", [d.id for d in documents()])
def test_export_then_import_gives_identical_csv(doc_id, tmp_path):
    folder = tmp_path / doc_id
    shutil.copytree(PLANS / doc_id, folder)
    book = tmp_path / "plan.xlsx"
    export_xlsx(folder, book)
    wb = load_workbook(book)
    assert wb.sheetnames == [t.name for t in schema.tables()]
    assert wb.properties.identifier == doc_id and wb.properties.version == schema.version()
    import_xlsx(book, folder)
    assert _files(folder) == _files(PLANS / doc_id)


def test_edits_in_the_workbook_arrive_as_text_and_numbers_typed_as_numbers_too(tmp_path):
    folder = tmp_path / CHILD
    shutil.copytree(PLANS / CHILD, folder)
    book = tmp_path / "plan.xlsx"
    export_xlsx(folder, book)
    wb = load_workbook(book)
    ws = wb["listings"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("self_evaluation") + 1).value = "C"
    ws.cell(row=2, column=header.index("line_end") + 1).value = 170  # typed as a number
    notes = wb["listing_notes"]
    note = notes.cell(row=2, column=[c.value for c in notes[1]].index("note") + 1)
    note.value = "=checked by hand"
    note.data_type = "s"  # typed into a cell formatted as text, as the export formats them
    wb.save(book)
    import_xlsx(book, folder)
    rec = read_folder(folder)
    assert rec.listings[0].self_evaluation == "C" and rec.listings[0].span.end == 170
    assert [lst.notes for lst in rec.listings if lst.notes][0][0] == "=checked by hand"
    # and a second round trip of the edited folder is exact
    export_xlsx(folder, book)
    before = _files(folder)
    import_xlsx(book, folder)
    assert _files(folder) == before


def test_a_workbook_with_problems_changes_nothing(tmp_path):
    folder = tmp_path / CHILD
    shutil.copytree(PLANS / CHILD, folder)
    book = tmp_path / "plan.xlsx"
    export_xlsx(folder, book)
    wb = load_workbook(book)
    ws = wb["listings"]
    ws.cell(row=3, column=[c.value for c in ws[1]].index("self_evaluation") + 1).value = "E"
    wb.create_sheet("scratch")
    wb.save(book)
    with pytest.raises(FormatError) as exc:
        import_xlsx(book, folder)
    assert "sheet 'scratch' is not a table of the format" in str(exc.value)
    del wb["scratch"]
    wb.save(book)
    with pytest.raises(FormatError) as exc:
        import_xlsx(book, folder)
    assert "listings.csv row 3, column self_evaluation" in str(exc.value)
    ws.cell(row=4, column=1).value = "=A2"  # a real formula
    wb.save(book)
    with pytest.raises(FormatError) as exc:
        import_xlsx(book, folder)
    assert "sheet listings row 4: a formula (=A2); the tables hold values" in str(exc.value)
    assert _files(folder) == _files(PLANS / CHILD)


def test_the_commands_and_their_exit_codes(tmp_path):
    folder = tmp_path / CHILD
    shutil.copytree(PLANS / CHILD, folder)
    book = tmp_path / "plan.xlsx"

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "fukushi_kg.service.cli", "tables", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert cli("export", str(folder), "--xlsx", str(book)).returncode == 0
    done = cli("import", str(folder), "--xlsx", str(book))
    assert done.returncode == 0 and "wrote 27 tables" in done.stdout, done.stderr
    assert _files(folder) == _files(PLANS / CHILD)
    assert cli("export", str(tmp_path / "none"), "--xlsx", str(book)).returncode == 2
    assert cli("import", str(folder), "--xlsx", str(tmp_path / "none.xlsx")).returncode == 2
    (tmp_path / "not.xlsx").write_text("plain text", encoding="utf-8")
    bad = cli("import", str(folder), "--xlsx", str(tmp_path / "not.xlsx"))
    assert bad.returncode == 1 and "is not an XLSX workbook" in bad.stderr
