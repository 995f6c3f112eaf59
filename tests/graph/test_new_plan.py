"""``fukushi-kg new KIND OUT``: an empty plan to fill by hand, as a folder of CSVs or a workbook.

A person fills it the way docs/format.md says: the document's description, the text beside the
tables, and rows copied from the commented examples. ``fukushi-kg tables check`` then reads it as
the build does.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from fukushi_kg import cli
from fukushi_kg.graph.tables import schema
from fukushi_kg.graph.tables.read import read_folder

TEXT = "".join(f"{n}行目の本文\n" for n in range(1, 61))  # a text long enough for the examples' lines


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def uncomment(folder: Path) -> int:
    """Turn every commented example row into a row, as a person copying the examples would; how many."""
    n = 0
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        n += sum(1 for line in lines[1:] if line.startswith("#"))
        path.write_text("".join(lines[:1] + [line.removeprefix("#") for line in lines[1:]]), encoding="utf-8")
    return n


@pytest.mark.parametrize("kind", list(schema.kinds()))
def test_every_kind_scaffolds_tables_whose_examples_read_once_uncommented(kind, tmp_path, capsys):
    text = tmp_path / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    folder = tmp_path / "my-plan"
    code, out, err = run(
        capsys, "new", kind, str(folder), "--text", str(text), "--title", "例", "--title-en", "Example",
        "--publisher", "例", "--date", "2024-03",
    )  # fmt: skip
    assert code == 0, err
    assert {p.name for p in folder.glob("*.csv")} == {t.file for t in schema.tables()}
    dp = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert dp["name"] == "my-plan" and dp[schema.VERSION_KEY] == schema.version()
    assert dp[schema.document_key()]["kind"] == kind and dp[schema.document_key()]["file"] == "my-plan.txt"
    assert all(r["dialect"] == {"commentChar": "#"} for r in dp["resources"])
    assert (folder / "my-plan.txt").read_text(encoding="utf-8") == TEXT
    # the examples are comments: the tables read as empty
    empty = read_folder(folder, 60)
    assert not (empty.plans or empty.listings or empty.results or empty.initiatives)
    code, out, _ = run(capsys, "tables", "check", str(folder))
    assert code == 0 and "ok, 0 plans" in out
    # every table the kind uses has an example; once uncommented they are rows that read
    with_examples = {p.stem for p in folder.glob("*.csv") if "\n#" in p.read_text(encoding="utf-8")}
    assert with_examples == set(schema.kinds()[kind]["tables"])
    assert uncomment(folder) >= len(with_examples)
    code, out, err = run(capsys, "tables", "check", str(folder))
    assert code == 0, err
    rec = read_folder(folder, 60)
    assert rec.plans or rec.results or rec.initiatives


def test_the_example_row_is_skipped_but_counted_in_row_numbers(tmp_path, capsys):
    folder = tmp_path / "p"
    run(capsys, "new", "plan", str(folder), "--title", "t", "--title-en", "t", "--publisher", "p", "--date", "2024")
    (folder / "p.txt").write_text(TEXT, encoding="utf-8")
    listings = folder / "listings.csv"
    with listings.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][0] == "#p"  # the example row, the document id behind a #
    bad = [rows[1][0][1:], *rows[1][1:]]
    bad[rows[0].index("self_evaluation")] = "E"
    with listings.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(bad)
    code, _, err = run(capsys, "tables", "check", str(folder))
    assert code == 1 and "listings.csv row 3, column self_evaluation" in err  # row 2 is the comment


def test_the_document_description_must_be_filled_in(tmp_path, capsys):
    folder = tmp_path / "p"
    assert run(capsys, "new", "plan", str(folder))[0] == 0
    code, _, err = run(capsys, "tables", "check", str(folder))
    assert code == 1 and "fill in title, title_en, publisher, date" in err
    dp_path = folder / "datapackage.json"
    dp = json.loads(dp_path.read_text(encoding="utf-8"))
    dp[schema.document_key()].update(title="t", title_en="t", publisher="p", date="2024", kind="novel")
    dp_path.write_text(json.dumps(dp, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "tables", "check", str(folder))
    assert code == 1 and "kind 'novel' is not one of plan, plan-progress-report" in err
    dp[schema.document_key()]["kind"] = "plan"
    dp_path.write_text(json.dumps(dp, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "tables", "check", str(folder))
    assert code == 1 and "no text file 'p.txt'" in err
    (folder / "p.txt").write_text(TEXT, encoding="utf-8")
    assert run(capsys, "tables", "check", str(folder))[0] == 0


def test_a_workbook_to_fill_in_excel_and_import(tmp_path, capsys):
    from openpyxl import load_workbook

    book = tmp_path / "midori-plan.xlsx"
    code, out, err = run(capsys, "new", "plan", str(book), "--title", "計画", "--title-en", "Plan", "--publisher", "市",
                         "--date", "2024")  # fmt: skip
    assert code == 0, err
    wb = load_workbook(book)
    assert wb.sheetnames[0] == "_document" and set(wb.sheetnames[1:]) == {t.name for t in schema.tables()}
    meta = {r[0].value: r[1].value for r in wb["_document"].iter_rows(min_row=2)}
    assert meta["title"] == "計画" and meta["kind"] == "plan" and meta["file"] == "midori-plan.txt"
    ws = wb["listings"]
    assert str(ws.cell(row=2, column=1).value).startswith("#")
    # fill in as a person would: the example row made a row, a title typed over
    ws.cell(row=2, column=1).value = "midori-plan"
    for cells in wb["plans"].iter_rows(min_row=2):
        cells[0].value = "midori-plan"
    for name in ("components", "listing_actors"):
        for cells in wb[name].iter_rows(min_row=2):
            cells[0].value = "midori-plan"
    wb.save(book)
    assert run(capsys, "tables", "check", str(book))[0] == 0
    folder = tmp_path / "plans" / "midori-plan"
    code, out, err = run(capsys, "tables", "import", str(folder), "--xlsx", str(book))
    assert code == 0, err
    dp = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert dp[schema.document_key()]["title"] == "計画"
    (folder / "midori-plan.txt").write_text(TEXT, encoding="utf-8")
    code, out, err = run(capsys, "tables", "check", str(folder))
    assert code == 0 and "1 plans, 2 components, 1 listings" in out, err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert run(capsys, "new", "plan", str(tmp_path / "Bad Name"))[0] == 2
    (tmp_path / "x").mkdir()
    code, _, err = run(capsys, "new", "plan", str(tmp_path / "x"))
    assert code == 2 and "exists already" in err
    code, _, err = run(capsys, "new", "plan", str(tmp_path / "y"), "--date", "令和6年")
    assert code == 2 and "--date" in err
    with pytest.raises(SystemExit):
        cli.main(["new", "novel", str(tmp_path / "z")])
