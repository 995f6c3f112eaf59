"""The table format (graph/tables/): records -> tables -> records, Frictionless validity, and
every problem in a table reported with its file, row and column; a newer format refused.

The tables here are written from the extractors' records into a temporary folder, so these tests
do not depend on the committed data/plans/.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from fukushi_kg import resources
from fukushi_kg.graph.sources import document, documents
from fukushi_kg.graph.tables import schema
from fukushi_kg.graph.tables.read import read_folder
from fukushi_kg.graph.tables.write import write_folder

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
DOC_IDS = [d.id for d in documents()]
WELFARE = "kumamoto-regional-welfare-plan-5"


@pytest.fixture(scope="module")
def written(extracted, tmp_path_factory):
    """A plans folder written from the extractors' records."""
    root = tmp_path_factory.mktemp("plans")
    for doc, rec in extracted:
        write_folder(rec, root / doc.id, doc.title)
    return root


@pytest.fixture
def copy(written, tmp_path):
    def _copy(doc_id: str) -> Path:
        shutil.copytree(written / doc_id, tmp_path / doc_id)
        return tmp_path / doc_id

    return _copy


def test_records_tables_records_round_trip_on_all_five_documents(extracted, written):
    for doc, rec in extracted:
        assert read_folder(written / doc.id, len(doc.lines())) == rec, doc.id


def test_every_folder_is_a_valid_frictionless_data_package(written):
    from frictionless import validate

    for doc_id in DOC_IDS:
        dp = written / doc_id / "datapackage.json"
        descriptor = json.loads(dp.read_text(encoding="utf-8"))
        assert descriptor[schema.VERSION_KEY] == schema.version() == "1.1"
        assert descriptor["name"] == doc_id and descriptor["title"] == document(doc_id).title
        report = validate(str(dp))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_actor_enumeration_is_the_vocabularys_actor_scheme():
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    g = Graph().parse(resources.VOCABULARIES)
    scheme = URIRef("https://w3id.org/fukushi-kg/def/actorTypes")
    actors = {str(c).rsplit("/", 1)[1] for c in g.subjects(SKOS.inScheme, scheme)}
    assert set(schema.table("listing_actors").column("actor").constraints["enum"]) == actors


def test_schema_columns_are_unique_and_keys_exist():
    for t in schema.tables():
        assert len(set(t.header)) == len(t.header), t.name
        assert t.header[0] == "document"
        assert set(t.primary_key) <= set(t.header), t.name
        for fk in t.foreign_keys:
            parent = schema.table(fk["reference"]["resource"] or t.name)
            assert set(fk["fields"]) <= set(t.header) and set(fk["reference"]["fields"]) <= set(parent.header)


def test_a_newer_major_version_is_refused_with_a_clear_message(copy, problems):
    folder = copy(WELFARE)
    dp = folder / "datapackage.json"
    descriptor = json.loads(dp.read_text(encoding="utf-8"))
    descriptor[schema.VERSION_KEY] = "2.0"
    dp.write_text(json.dumps(descriptor), encoding="utf-8")
    message = problems(folder)
    assert "format 2.0, newer than this fukushi-kg reads (1.x)" in message and "upgrade" in message
    descriptor[schema.VERSION_KEY] = "1.3"  # a later minor version of the same major reads
    dp.write_text(json.dumps(descriptor), encoding="utf-8")
    assert read_folder(folder).listings
    del descriptor[schema.VERSION_KEY]
    dp.write_text(json.dumps(descriptor), encoding="utf-8")
    assert "not a fukushi-kg table folder" in problems(folder)


def test_bad_cells_are_reported_with_file_row_and_column(copy, edit_cell, problems):
    folder = copy("kumamoto-child-plan-report-fy2023")
    edit_cell(folder / "listings.csv", 2, "self_evaluation", "E")
    edit_cell(folder / "listings.csv", 3, "seq", "two")
    edit_cell(folder / "listings.csv", 4, "name", "")
    message = problems(folder)
    assert "listings.csv row 2, column self_evaluation" in message and "A, B, C, D" in message.replace("'", "")
    assert "listings.csv row 3, column seq" in message
    assert "listings.csv row 4, column name" in message


def test_a_listing_under_no_component_is_a_dangling_reference(copy, edit_cell, problems):
    folder = copy("kumamoto-child-plan-report-fy2023")
    edit_cell(folder / "listings.csv", 2, "component", "9.9.9")
    message = problems(folder)
    assert "listings.csv row 2" in message and "foreign key" in message and "9.9.9" in message


def test_duplicate_keys_are_refused(copy, edit_cell, problems):
    folder = copy(WELFARE)
    edit_cell(folder / "listings.csv", 3, "seq", "1")
    assert "listings.csv row 3" in problems(folder) and "primary-key" in problems(folder).replace(" ", "-")


def test_lines_must_lie_in_the_documents_text(copy, edit_cell, problems):
    folder = copy(WELFARE)
    n = len(document(WELFARE).lines())
    edit_cell(folder / "listings.csv", 2, "line_end", str(n + 5))
    edit_cell(folder / "listings.csv", 3, "description_line_start", "")
    message = problems(folder, n)
    assert f"listings.csv row 2: line_end {n + 5} is past the last line ({n})" in message
    assert "listings.csv row 3: give both description_line_start and description_line_end, or neither" in message


def test_unknown_law_and_missing_or_stray_files_are_named(copy, edit_cell, problems):
    folder = copy(WELFARE)
    edit_cell(folder / "law_citations.csv", 2, "law", "no-such-act")
    assert "law_citations.csv row 2: law 'no-such-act' is not in data/reviewed/laws.toml" in problems(folder)
    (folder / "result_notes.csv").unlink()
    (folder / "extra.csv").write_text("a\n", encoding="utf-8")
    message = problems(folder)
    assert "result_notes.csv: missing" in message and "extra.csv: not a table of the format" in message


def test_a_byte_order_mark_and_a_wrong_header_are_named(copy, written, problems):
    folder = copy(WELFARE)
    listings = folder / "listings.csv"
    listings.write_bytes(b"\xef\xbb\xbf" + listings.read_bytes())
    assert "listings.csv: starts with a byte-order mark" in problems(folder)
    shutil.copy(written / WELFARE / "listings.csv", listings)
    (folder / "result_notes.csv").write_text("document,result,note\n", encoding="utf-8")
    assert "result_notes.csv: required columns missing: seq" in problems(folder)


def _columns(path: Path, keep) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    order = [i for i in reversed(range(len(rows[0]))) if keep(rows[0][i])]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([[r[i] for i in order] for r in rows])


def test_blank_optional_columns_may_be_left_out_and_columns_reordered(copy, extracted, problems):
    folder = copy(WELFARE)
    # the welfare plan prints no 取組内容 / 自己評価: those columns are blank in every row
    _columns(folder / "listings.csv", lambda c: not c.startswith(("actions", "self_evaluation", "evaluation_reason")))
    _columns(folder / "plans.csv", lambda c: True)
    assert read_folder(folder) == dict(extracted)[document(WELFARE)]
    _columns(folder / "listings.csv", lambda c: c != "name")
    assert "listings.csv: required columns missing: name" in problems(folder)


def test_an_unknown_column_is_named_and_a_newer_minor_version_blamed(copy, problems):
    folder = copy(WELFARE)
    with (folder / "law_citations.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with (folder / "law_citations.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([r + ["x"] for r in rows])
    message = problems(folder)
    assert "law_citations.csv: column 'x' is not in the format" in message and "newer than" not in message
    dp = folder / "datapackage.json"
    descriptor = json.loads(dp.read_text(encoding="utf-8"))
    descriptor[schema.VERSION_KEY] = "1.2"
    dp.write_text(json.dumps(descriptor), encoding="utf-8")
    assert "the folder is in format 1.2, newer than this fukushi-kg (1.1): upgrade fukushi-kg" in problems(folder)
