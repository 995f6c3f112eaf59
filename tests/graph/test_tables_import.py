"""Importers (``fukushi-kg import``) and the committed data/plans/: re-importing the five sources
gives exactly the committed tables, byte for byte, so a change to an importer shows up in review
as a diff of data rows; the ``import`` and ``tables`` commands.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

from fukushi_kg.graph.sources import documents
from fukushi_kg.graph.tables import schema
from fukushi_kg.graph.tables.importer import import_documents
from fukushi_kg.graph.tables.read import read_folder

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
DOC_IDS = [d.id for d in documents()]
WELFARE = "kumamoto-regional-welfare-plan-5"


def _copy(doc_id: str, tmp_path: Path) -> Path:
    folder = tmp_path / doc_id
    shutil.copytree(PLANS / doc_id, folder)
    return folder


def test_committed_tables_are_exactly_what_the_importers_write(tmp_path):
    changed = import_documents([], tmp_path)
    assert sorted(changed) == sorted(DOC_IDS)
    assert sorted(p.name for p in PLANS.iterdir() if p.is_dir()) == sorted(DOC_IDS)
    for doc_id in DOC_IDS:
        ours = sorted(p.name for p in (tmp_path / doc_id).iterdir())
        committed = sorted(p.name for p in (PLANS / doc_id).iterdir())
        assert ours == committed, doc_id
        for name in ours:
            assert (tmp_path / doc_id / name).read_bytes() == (PLANS / doc_id / name).read_bytes(), (
                f"data/plans/{doc_id}/{name} differs from a fresh import: run `fukushi-kg import` "
                "and review the diff of rows"
            )
    # writing again changes nothing
    assert import_documents([WELFARE], tmp_path) == {WELFARE: []}


def test_the_tables_hold_what_a_reviewer_reads():
    """Spot checks of the committed rows against the printed plans."""
    with (PLANS / WELFARE / "listing_actors.csv").open(encoding="utf-8", newline="") as f:
        actors = list(csv.DictReader(f))
    first = [a for a in actors if (a["component"], a["listing"]) == ("1", "1")]
    assert [(a["role"], a["actor"]) for a in first] == [("◎", "city"), ("○", "community-groups"), ("○", "residents")]
    with (PLANS / "kumamoto-child-plan-report-fy2023" / "listings.csv").open(encoding="utf-8", newline="") as f:
        grades = {r["self_evaluation"] for r in csv.DictReader(f)}
    assert grades == {"", "A", "B", "C", "D"}
    with (PLANS / WELFARE / "plan_sdg_goals.csv").open(encoding="utf-8", newline="") as f:
        assert [int(r["goal"]) for r in csv.DictReader(f)] == [1, 3, 11, 17]


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fukushi_kg.service.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_import_command_writes_the_tables_and_refuses_an_unknown_document(tmp_path):
    done = _cli("import", "kurume-child-plan-status-fy2021", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "imported 1 documents" in done.stdout
    for name in [schema.DATAPACKAGE, *(t.file for t in schema.tables())]:
        got = (tmp_path / "kurume-child-plan-status-fy2021" / name).read_bytes()
        assert got == (PLANS / "kurume-child-plan-status-fy2021" / name).read_bytes(), name
    bad = _cli("import", "no-such-document", "--out", str(tmp_path))
    assert bad.returncode == 2 and "no source document 'no-such-document'" in bad.stderr


def test_tables_check_and_init_commands(tmp_path, edit_cell):
    ok = _cli("tables", "check", str(PLANS / WELFARE))
    assert ok.returncode == 0 and "ok, 1 plans, 29 components, 218 listings" in ok.stdout
    folder = _copy(WELFARE, tmp_path)
    edit_cell(folder / "listings.csv", 2, "self_evaluation", "Z")
    bad = _cli("tables", "check", str(folder))
    assert bad.returncode == 1 and "listings.csv row 2, column self_evaluation" in bad.stderr
    fresh = tmp_path / "fresh"
    made = _cli("tables", "init", "kurume-child-plan-status-fy2021", "--out", str(fresh))
    assert made.returncode == 0, made.stderr
    assert read_folder(fresh / "kurume-child-plan-status-fy2021").plans == []
    again = _cli("tables", "init", "kurume-child-plan-status-fy2021", "--out", str(fresh))
    assert again.returncode == 2 and "exists already" in again.stderr
