"""`fukushi-kg lint` on plan tables (CSV folders and workbooks), as a real subprocess.

Every finding points at its file:line:column (the CSV's physical line, the column's number and
name) or its Sheet!cell; bad input is one line at the cell (or one line and exit 2 when nothing can
be read), never a traceback. The broken tables are copies of seed folders, edited in tmp dirs.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
CHILD = "kumamoto-child-plan-report-fy2023"  # listings with multi-line cells, divisions, re-listings
KURUME = "kurume-child-plan-status-fy2021"  # small: plans, components, indicators, observations


def _copy(tmp_path: Path, doc: str) -> Path:
    target = tmp_path / doc
    shutil.copytree(PLANS / doc, target)
    return target


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _set(path: Path, record: int, column: str, value: str) -> None:
    """Set the cell of data record ``record`` (1-based) in ``column``."""
    rows = _rows(path)
    rows[record][rows[0].index(column)] = value
    _write(path, rows)


def _line_of_record(path: Path, record: int) -> int:
    """The physical line data record ``record`` (1-based) starts on."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        start = reader.line_num + 1
        for n, _ in enumerate(reader, start=1):
            if n == record:
                return start
            start = reader.line_num + 1
    raise AssertionError(record)


def _lint(run_cli, tmp_path: Path, *args: str):
    p = run_cli(*args, cwd=tmp_path)
    assert "Traceback" not in p.stderr + p.stdout, p.stderr
    return p


def test_a_seed_folder_is_clean_with_every_graph_rule(run_cli):
    p = run_cli(f"data/plans/{CHILD}", "--ignore", "OWL")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "All checks passed" in p.stdout


def test_a_wrong_grade_is_reported_at_its_physical_line_and_column(run_cli, tmp_path):
    folder = _copy(tmp_path, CHILD)
    listings = folder / "listings.csv"
    _set(listings, 4, "self_evaluation", "E")
    line = _line_of_record(listings, 4)
    assert line > 5  # record 4 starts after multi-line cells: the line is not the record number
    column = _rows(listings)[0].index("self_evaluation") + 1
    p = _lint(run_cli, tmp_path, CHILD, "--select", "TAB")
    assert p.returncode == 1
    assert (
        f"{CHILD}/listings.csv:{line}:{column}: TAB012 [violation] self_evaluation: 'E' is not one of A, B, C, D"
        in (p.stdout)
    )
    sarif = json.loads(_lint(run_cli, tmp_path, CHILD, "--select", "TAB", "-f", "sarif").stdout)
    (result,) = sarif["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == f"{CHILD}/listings.csv"
    assert physical["region"] == {"startLine": line, "startColumn": column}
    assert result["ruleId"] == "TAB012"
    finding = json.loads(_lint(run_cli, tmp_path, CHILD, "--select", "TAB", "-f", "json").stdout)["findings"][0]
    assert finding["location"]["column_name"] == "self_evaluation" and finding["location"]["line"] == line
    junit = _lint(run_cli, tmp_path, CHILD, "--select", "TAB", "-f", "junit").stdout
    assert f'file="{CHILD}/listings.csv" line="{line}"' in junit


def test_graph_rules_are_mapped_back_to_the_row_and_references_checked(run_cli, tmp_path):
    folder = _copy(tmp_path, CHILD)
    listings = folder / "listings.csv"
    _set(listings, 1, "divisions", "")  # no division and no ◎ actor: RESP001 in the graph
    _set(listings, 2, "relisted_at", "9.9.9")  # a re-listing at a place the plan does not have
    _set(listings, 3, "divisions", "こども未来支援課")  # not in organisations.toml
    header = _rows(listings)[0]
    p = _lint(run_cli, tmp_path, CHILD, "--select", "RESP,TAB", "--fail-on", "warning")
    assert p.returncode == 1, p.stderr
    lines = p.stdout.splitlines()
    resp = [x for x in lines if " RESP001 " in x]
    assert resp and resp[0].startswith(f"{CHILD}/listings.csv:2:{header.index('divisions') + 1}: RESP001")
    assert "/listing/1.1.1-1>" in resp[0]  # the focus node is kept
    assert any(
        x.startswith(f"{CHILD}/listings.csv:3:{header.index('relisted_at') + 1}: TAB021") and "9.9.9" in x
        for x in lines
    )
    assert any(
        x.startswith(f"{CHILD}/listings.csv:") and "TAB024 [warning]" in x and "こども未来支援課" in x for x in lines
    )


@pytest.mark.parametrize(
    "damage, expected",
    [
        ("shift_jis", "plans.csv:2:{title}: TAB001 [violation] not UTF-8"),
        ("bom", "plans.csv:1:1: TAB001 [violation] the file starts with a byte-order mark"),
        ("empty", "indicators.csv:1:1: TAB001 [violation] the file is empty"),
        ("missing_column", "indicators.csv:1:{after}: TAB002 [violation] required columns missing: name"),
        ("extra_column", "plans.csv:1:{after}: TAB002 [violation] column 'remarks' is not in the format"),
        ("extra_cell", "plans.csv:2:{after}: TAB015 [violation] the row has"),
        ("duplicate_key", "indicators.csv:3:{key}: TAB014 [violation] duplicate key"),
        ("adopted_as_text", "plans.csv:2:{adopted}: TAB016 [violation] adopted: '2019/1/31' is a date"),
        ("year_as_text", "observations.csv:2:{year}: TAB016 [violation] year: '令和5年' is a year written as text"),
        ("missing_table", "cities.csv: TAB003 [violation] cities.csv is missing"),
    ],
)
def test_bad_csv_input_is_one_line_at_the_cell(run_cli, tmp_path, damage, expected):
    folder = _copy(tmp_path, KURUME)
    plans, indicators, observations = folder / "plans.csv", folder / "indicators.csv", folder / "observations.csv"
    plans_header = _rows(plans)[0]
    line2 = plans.read_text(encoding="utf-8").splitlines()[1]
    first_non_ascii = next(i for i, ch in enumerate(line2) if ord(ch) > 127) + 1  # the character column
    if damage == "shift_jis":
        plans.write_bytes(plans.read_text(encoding="utf-8").encode("cp932", errors="replace"))
    elif damage == "bom":
        plans.write_bytes(b"\xef\xbb\xbf" + plans.read_bytes())
    elif damage == "empty":
        indicators.write_bytes(b"")
    elif damage == "missing_column":
        rows = _rows(indicators)
        i = rows[0].index("name")
        _write(indicators, [r[:i] + r[i + 1 :] for r in rows])
    elif damage == "extra_column":
        rows = _rows(plans)
        _write(plans, [rows[0] + ["remarks"], *(r + ["x"] for r in rows[1:])])
    elif damage == "extra_cell":
        rows = _rows(plans)
        _write(plans, [rows[0], rows[1] + ["stray"]])
    elif damage == "duplicate_key":
        rows = _rows(indicators)
        _write(indicators, [rows[0], rows[1], rows[1], *rows[2:]])
    elif damage == "adopted_as_text":
        _set(plans, 1, "adopted", "2019/1/31")
    elif damage == "year_as_text":
        _set(observations, 1, "year", "令和5年")
    elif damage == "missing_table":
        (folder / "cities.csv").unlink()
    p = _lint(run_cli, tmp_path, KURUME, "--select", "TAB")
    assert p.returncode == 1, p.stderr
    where = expected.format(
        title=first_non_ascii,
        after=len(plans_header) + 1 if damage != "missing_column" else len(_rows(indicators)[0]) + 1,
        adopted=plans_header.index("adopted") + 1,
        year=_rows(observations)[0].index("year") + 1,
        key=_rows(indicators)[0].index("key") + 1 if damage != "empty" else 0,
    )
    assert any(x.startswith(f"{KURUME}/{where}") for x in p.stdout.splitlines()), p.stdout
    if damage == "adopted_as_text":
        assert "write it as ISO 8601: 2019-01-31" in p.stdout
    if damage == "year_as_text":
        assert "write the western year 2023" in p.stdout
    if damage == "duplicate_key":
        assert "the same as the row on line 2" in p.stdout


def _workbook(tmp_path: Path) -> Path:
    from fukushi_kg.graph.tables.xlsx import export_xlsx

    book = tmp_path / f"{KURUME}.xlsx"
    export_xlsx(PLANS / KURUME, book)
    return book


def test_a_clean_workbook_lints_clean(run_cli, tmp_path):
    book = _workbook(tmp_path)
    p = _lint(run_cli, tmp_path, book.name, "--select", "TAB")
    assert p.returncode == 0, p.stdout + p.stderr


def test_formulas_merged_cells_and_dates_in_a_workbook_are_reported_at_their_cell(run_cli, tmp_path):
    import datetime

    from openpyxl import load_workbook

    book = _workbook(tmp_path)
    wb = load_workbook(book)
    ws = wb["observations"]
    header = [c.value for c in ws[1]]
    value_col = header.index("value") + 1
    ws.cell(row=2, column=value_col).value = "=1+1"
    ws.merge_cells(start_row=3, start_column=2, end_row=4, end_column=2)
    plans = wb["plans"]
    adopted = [c.value for c in plans[1]].index("adopted") + 1
    plans.cell(row=2, column=adopted).value = datetime.datetime(2019, 1, 31)
    wb.save(book)
    p = _lint(run_cli, tmp_path, book.name, "--select", "TAB")
    assert p.returncode == 1
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = p.stdout
    assert f"{book.name}:observations!{letter[value_col - 1]}2: TAB040 [violation] a formula (=1+1)" in out
    assert f"{book.name}:observations!B3: TAB041 [violation] merged cells B3:B4" in out
    assert f"{book.name}:plans!{letter[adopted - 1]}2: TAB016 [violation]" in out and "2019-01-31" in out


def test_input_that_cannot_be_read_at_all_is_one_line_and_exit_2(run_cli, tmp_path):
    (tmp_path / "not.xlsx").write_bytes(b"plain text, not a zip")
    folder = _copy(tmp_path, KURUME)
    dp = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    newer = _copy(tmp_path / "newer", KURUME)
    dp["fukushi-kg-format"] = "9.0"
    (newer / "datapackage.json").write_text(json.dumps(dp), encoding="utf-8")
    (tmp_path / "plain").mkdir()
    for args, text in (
        (["not.xlsx"], "not.xlsx: not an XLSX workbook"),
        ([f"newer/{KURUME}"], "newer than this fukushi-kg reads"),
        (["plain"], None),
    ):
        p = _lint(run_cli, tmp_path, *args)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("fukushi-kg lint: "), p.stderr
        if text:
            assert text in lines[0]


def test_identity_conflicts_across_documents(run_cli, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    # one plan key in two documents: rename Kurume's plan to the Kumamoto child plan's key everywhere
    child_key = _rows(PLANS / CHILD / "plans.csv")[1][1]
    for f in (plans / KURUME).glob("*.csv"):
        f.write_text(f.read_text(encoding="utf-8").replace("kurume-child-smile-plan-2", child_key), encoding="utf-8")
    # a listing renamed while data/reviewed/program-matches.toml still pairs its old name
    old = "スクールソーシャルワーカー（SSW)配置事業"
    listings = plans / CHILD / "listings.csv"
    listings.write_text(listings.read_text(encoding="utf-8").replace(old, "SSW配置事業"), encoding="utf-8")
    p = _lint(run_cli, tmp_path, "plans", "--select", "TAB")
    assert p.returncode == 1, p.stderr
    header = _rows(PLANS / KURUME / "plans.csv")[0]
    assert (
        f"plans/{KURUME}/plans.csv:2:{header.index('key') + 1}: TAB030 [violation] key: plan {child_key!r}" in p.stdout
    )
    matches = (ROOT / "data" / "reviewed" / "program-matches.toml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, x in enumerate(matches, start=1) if old in x)
    assert any(f"program-matches.toml:{line}:1: TAB030 [violation]" in x and old in x for x in p.stdout.splitlines()), (
        p.stdout
    )


def test_files_of_a_plan_folder_stand_for_the_folder_as_a_hook_passes_them(run_cli, tmp_path):
    folder = _copy(tmp_path, KURUME)
    _set(folder / "observations.csv", 1, "kind", "goal")
    p = _lint(run_cli, tmp_path, f"{KURUME}/plans.csv", f"{KURUME}/observations.csv", "--select", "TAB", "-f", "json")
    assert p.returncode == 1
    report = json.loads(p.stdout)
    assert report["input"] == KURUME  # the folder, once
    assert [(f["code"], f["location"]["file"], f["location"]["line"]) for f in report["findings"]] == [
        ("TAB012", f"{KURUME}/observations.csv", 2)
    ]


def test_records_and_references_a_schema_cannot_state(run_cli, tmp_path):
    folder = _copy(tmp_path, KURUME)
    observations = folder / "observations.csv"
    rows = _rows(observations)
    header = rows[0]
    target = next(i for i, r in enumerate(rows) if i and r[header.index("kind")] == "target")
    _set(observations, target, "year", "2052")  # the plan runs 2020-2024
    _set(folder / "components.csv", 1, "line_end", "999999")  # past the end of the text
    p = _lint(run_cli, tmp_path, KURUME, "--select", "TAB", "--fail-on", "warning")
    assert p.returncode == 1
    line = _line_of_record(observations, target)
    assert (
        f"{KURUME}/observations.csv:{line}:{header.index('year') + 1}: TAB023 [warning] year: the target year 2052 "
        "is outside the period 2020-2024" in p.stdout
    ), p.stdout
    components = _rows(folder / "components.csv")[0]
    assert (
        f"{KURUME}/components.csv:2:{components.index('line_end') + 1}: TAB026 [violation] line_end 999999" in p.stdout
    )
