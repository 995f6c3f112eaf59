"""A fixture per code: the hand-written clean graph with one defect gives exactly that finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from fukushi_kg.graph.lint import LintOptions, lint, load_files
from fukushi_kg.graph.lint.codes import TABLE

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "lint" / "fixtures"

CODES = [c.code for c in TABLE]


def _lint(path, **kw):
    return lint(load_files([path]), LintOptions(**kw))


def test_the_clean_fixture_passes_every_rule_hermit_included():
    result = _lint(FIXTURES / "clean.trig")
    assert result.findings == []
    assert set(result.codes) == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_fixture_gives_exactly_its_finding(code):
    path = next(FIXTURES.glob(f"{code}.t*"))
    # HermiT takes seconds per run: the OWL fixtures run it, the others (HermiT-clean by
    # construction, see the clean fixture) skip it
    result = _lint(path, ignore=[] if code.startswith("OWL") else ["OWL"])
    assert [f.code for f in result.findings] == [code], [str(f.location) + " " + f.message_en for f in result.findings]
    f = result.findings[0]
    assert f.severity == next(c.severity for c in TABLE if c.code == code)
    assert f.message_en and f.message_ja and f.focus
    assert f.location is not None and f.location.line, "every finding points at a line"


def test_a_fact_with_a_span_is_located_in_the_source_text_else_in_the_rdf_file():
    rel = _lint(FIXTURES / "REL001.trig", select=["REL"]).findings[0]
    assert rel.location.kind == "source"
    assert (rel.location.file, rel.location.line) == ("data/sources/000_f0d8245b60c0f4f3.txt", 128)
    assert rel.rdf_location.file.endswith("tests/lint/fixtures/REL001.trig")
    text = (FIXTURES / "REL001.trig").read_text(encoding="utf-8").split("\n")
    assert "plan:listing-1.1.1-2" in text[rel.rdf_location.line - 1]

    law = _lint(FIXTURES / "LAW001.trig", select=["LAW"]).findings[0]
    assert law.location.kind == "rdf" and law.location.file.endswith("LAW001.trig")
    line = (FIXTURES / "LAW001.trig").read_text(encoding="utf-8").split("\n")[law.location.line - 1]
    assert line[law.location.column - 1 :].startswith("<https://example.org/fk/id/plan/child>")


def test_user_shapes_run_their_sparql_constraints_over_the_whole_graph(tmp_path):
    shapes = tmp_path / "extra.ttl"
    shapes.write_text(
        """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix fk: <https://w3id.org/fukushi-kg/def/> .
<urn:x:ListingNeedsFlag> a sh:NodeShape ; sh:targetClass fk:Listing ;
  sh:sparql [ sh:message "Listing {$this} has no flag." ;
              sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <https://w3id.org/fukushi-kg/def/flag> ?f } }" ] ;
  sh:property [ sh:path fk:order ; sh:minCount 1 ; sh:severity sh:Warning ] .
""",
        encoding="utf-8",
    )
    result = _lint(FIXTURES / "clean.trig", select=["SHACL"], shapes=[shapes])
    sparql = sorted(f.focus.rsplit("/", 1)[-1] for f in result.findings if "has no flag" in f.message_en)
    assert sparql == ["listing-1.1.1-2", "listing-2.1.3-4"]
    core = [f for f in result.findings if "order" in f.message_en]
    assert len(core) == 2 and {f.severity for f in core} == {"warning"}


def test_the_whole_graph_query_agrees_with_pyshacl_per_node(tmp_path):
    """The shapes/ constraint that no rule supersedes (a not-measured value) runs as one query."""
    from fukushi_kg.graph.lint.rules.shacl import split_sparql_constraints
    from fukushi_kg.graph.lint.run import load_shapes

    _, constraints = split_sparql_constraints(load_shapes([]))
    assert constraints and all(c.targets for c in constraints)  # those a lint rule supersedes are dropped
    data = (
        (FIXTURES / "clean.trig")
        .read_text(encoding="utf-8")
        .replace(
            "fk:observationKind ok:baseline ; fk:observationStatus os:measured",
            "fk:observationKind ok:baseline ; fk:observationStatus os:not-measured",
        )
    )
    path = tmp_path / "not-measured.trig"
    path.write_text(data, encoding="utf-8")
    findings = _lint(path, select=["SHACL"]).findings
    assert [f.focus.rsplit("/", 1)[-1] for f in findings] == ["indicator-dreams-baseline-2018"]
    assert "not measured" in findings[0].message_en and "84.4％" in findings[0].message_en


def test_remote_endpoint_runs_rules_remotely_and_shacl_on_a_copy(endpoint):
    from fukushi_kg.graph.lint.inputs import RemoteInput

    url = endpoint(FIXTURES / "REL001.trig")
    result = lint(RemoteInput(url), LintOptions(ignore=["OWL"]))
    assert [f.code for f in result.findings] == ["REL001"]
    assert result.findings[0].location.file == "data/sources/000_f0d8245b60c0f4f3.txt"
    assert not result.skipped  # the endpoint gave a complete copy: SHACL ran
    url = endpoint(FIXTURES / "SHACL001.trig")
    assert [f.code for f in lint(RemoteInput(url), LintOptions(select=["SHACL"])).findings] == ["SHACL001"]


def test_a_name_wrapped_in_a_table_cell_is_found_but_not_scattered_characters():
    from fukushi_kg.graph.lint.rules.source import found_in

    cell = ["校区社協行動計画策定 19,000", "", "事業名", "", "支援経費"]
    assert found_in("校区社協行動計画策定支援経費", cell)
    assert found_in("（拡充）", ["生活保護業務支援経費 8,674（拡充）"])
    assert not found_in("こどもの学習支援事業", cell)
    assert not found_in("支援事業", ["支援経費 事業名"])  # pieces must begin or end a cell
