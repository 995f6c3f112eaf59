"""The build reads data/plans/ only: the graph made from the committed tables is the graph made
from the extractors' records (same quads), and broken tables stop the build with every problem.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fukushi_kg.graph import rdf, serialize, shortcuts
from fukushi_kg.graph.sources import documents
from fukushi_kg.graph.tables.catalog import read_plans

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
DOC_IDS = [d.id for d in documents()]
WELFARE = "kumamoto-regional-welfare-plan-5"


def test_the_graph_from_the_tables_is_the_graph_from_the_records(extracted):
    from_tables = read_plans(PLANS)
    assert [d.id for d, _ in from_tables] == DOC_IDS
    assert [rec for _, rec in from_tables] == [rec for _, rec in extracted]
    ds_tables, warnings_tables = rdf.to_dataset(from_tables)
    ds_records, warnings_records = rdf.to_dataset(extracted)
    assert serialize.sorted_quads(ds_tables) == serialize.sorted_quads(ds_records)
    assert warnings_tables == warnings_records


def test_the_built_dumps_are_the_dumps_of_the_extractors_records(seed_build, extracted, tmp_path):
    """The real build (tables -> SHACL -> dumps) writes byte for byte the N-Quads and TriG that the
    extractors' records serialise to (with the build's derived shortcuts, graph/shortcuts/)."""
    dist, report = seed_build
    assert report.seconds["tables"] > 0 and "extract" not in report.seconds
    ds, _ = rdf.to_dataset(extracted)
    files = serialize.write_dumps(shortcuts.extend(serialize.sorted_quads(ds), rdf.DEFAULT_BASE), tmp_path)
    for kind in ("nq", "trig"):
        assert files[kind].read_bytes() == (dist / files[kind].name).read_bytes(), kind


def test_the_build_refuses_broken_tables_and_a_folder_of_no_document(tmp_path, edit_cell):
    from fukushi_kg.graph.build import BuildError, build

    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    edit_cell(plans / WELFARE / "observations.csv", 2, "kind", "guess")
    with pytest.raises(BuildError) as exc:
        build(tmp_path / "dist", check_owl=False, plans=plans)
    assert "reading the tables failed" in str(exc.value)
    assert any("observations.csv row 2, column kind" in d for d in exc.value.details)
    assert not (tmp_path / "dist" / "store").exists()
    shutil.copytree(PLANS / WELFARE, plans / WELFARE, dirs_exist_ok=True)
    (plans / "no-such-document").mkdir()
    with pytest.raises(BuildError) as exc:
        build(tmp_path / "dist", check_owl=False, plans=plans)
    assert "no-such-document" in str(exc.value)
