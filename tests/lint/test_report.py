"""Output formats: text like ruff, JSON, SARIF 2.1.0 valid against its schema, JUnit XML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from fukushi_kg.graph.lint import LintOptions, lint, load_files
from fukushi_kg.graph.lint.report import render

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "lint" / "fixtures"

SCHEMA = Path(__file__).resolve().parent / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def results():
    return {
        "clean": lint(load_files([FIXTURES / "clean.trig"]), LintOptions(ignore=["OWL"])),
        "defects": lint(load_files([FIXTURES / "REL001.trig", FIXTURES / "CODE001.trig"]), LintOptions(ignore=["OWL"])),
        "owl": lint(load_files([FIXTURES / "clean.trig"]), LintOptions(select=["OWL", "REL"])),
    }


def test_text_is_ruff_like_and_grouped_by_file(results):
    out = render(results["defects"], "text")
    lines = [l for l in out.splitlines() if l and not l.startswith("Found")]
    assert re.match(r"^data/sources/000_f0d8245b60c0f4f3\.txt:128:1: REL001 \[violation\] ", lines[0])
    assert any(re.match(r"^tests/lint/fixtures/CODE001\.trig:\d+:3: CODE001 \[violation\] ", l) for l in lines)
    assert "Found 2 findings (2 violations, 0 warnings, 0 info)" in out
    assert "All checks passed" in render(results["clean"], "text")
    assert "に対応する掲載がない" in render(results["defects"], "text", lang="ja")


def test_json_carries_both_languages_and_both_locations(results):
    data = json.loads(render(results["defects"], "json"))
    f = next(x for x in data["findings"] if x["code"] == "REL001")
    assert set(f["message"]) == {"en", "ja"}
    assert f["location"] == {
        "file": "data/sources/000_f0d8245b60c0f4f3.txt",
        "line": 128,
        "column": 1,
        "kind": "source",
    }
    assert f["rdf_location"]["file"].endswith("REL001.trig")
    assert data["failed"] is True and data["summary"]["violation"] == 2


@pytest.mark.parametrize("name", ["clean", "defects", "owl"])
def test_sarif_validates_against_the_sarif_2_1_0_schema(results, name):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = json.loads(render(results[name], "sarif"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(doc)
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0"
    assert len(run["results"]) == len(results[name].findings)
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_junit_xml_parses_with_a_suite_per_rule(results):
    root = ET.fromstring(render(results["defects"], "junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name").split()[0]: s for s in root.findall("testsuite")}
    assert set(suites) == set(results["defects"].codes)
    assert suites["REL001"].get("failures") == "1" and suites["REL002"].get("failures") == "0"
    assert suites["CODE001"].get("failures") == "1"
    assert int(root.get("failures")) == len(results["defects"].findings)
    ET.fromstring(render(results["owl"], "junit"))
