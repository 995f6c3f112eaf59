"""The code table: well-formed, selectable by prefix, one fixture per code, every code documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from fukushi_kg.graph.lint import rules
from fukushi_kg.graph.lint.codes import CODE_SHAPE, NAME_SHAPE, SEVERITIES, TABLE, SelectionError, select_codes

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "lint" / "fixtures"


def test_codes_are_well_formed_and_unique():
    assert len({c.code for c in TABLE}) == len(TABLE)
    assert len({c.name for c in TABLE}) == len(TABLE)
    for c in TABLE:
        assert CODE_SHAPE.match(c.code), c.code
        assert NAME_SHAPE.match(c.name), c.name
        assert c.severity in SEVERITIES
        assert c.summary and c.summary_ja
        for section in ("What it does:", "Why is this bad?", "Example:"):
            assert section in c.doc, (c.code, section)


def test_every_code_has_exactly_one_rule_module_and_one_fixture():
    owners = {}
    for module in rules.modules():
        for code in module.CODES:
            assert code not in owners, f"{code} in {owners.get(code)} and {module.__name__}"
            owners[code] = module.__name__
    assert set(owners) == {c.code for c in TABLE}
    for c in TABLE:
        assert len(list(FIXTURES.glob(f"{c.code}.t*"))) == 1, f"tests/lint/fixtures/{c.code}.ttl or .trig"


def test_prefix_selection_works_like_ruff():
    assert [c.code for c in select_codes(["REL"], None)] == ["REL001", "REL002", "REL003"]
    assert [c.code for c in select_codes(["IND00"], ["IND004"])] == ["IND001", "IND002", "IND003"]
    assert len(select_codes(None, None)) == len(TABLE)
    assert "OWL001" not in {c.code for c in select_codes(None, ["OWL"])}
    with pytest.raises(SelectionError):
        select_codes(["NOPE"], None)


def test_every_code_and_the_command_are_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "fukushi-kg lint" in readme
    for c in TABLE:
        assert c.code in readme and c.name in readme, c.code
