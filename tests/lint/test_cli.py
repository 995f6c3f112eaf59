"""`fukushi-kg lint` as a real subprocess: exit codes, formats, selection, pyproject.toml config."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "lint" / "fixtures"


def test_clean_input_exits_0(run_cli):
    p = run_cli(str(FIXTURES / "clean.trig"), "--ignore", "OWL")
    assert p.returncode == 0, p.stderr
    assert "All checks passed" in p.stdout


def test_a_violation_exits_1_with_a_ruff_like_line(run_cli):
    p = run_cli(str(FIXTURES / "REL001.trig"), "--ignore", "OWL")
    assert p.returncode == 1, p.stderr
    assert "data/sources/000_f0d8245b60c0f4f3.txt:128:1: REL001 [violation]" in p.stdout


def test_fail_on_decides_whether_warnings_fail(run_cli):
    warning = str(FIXTURES / "REL002.trig")
    assert run_cli(warning, "--ignore", "OWL").returncode == 0
    assert run_cli(warning, "--ignore", "OWL", "--fail-on", "warning").returncode == 1
    assert run_cli(str(FIXTURES / "REL001.trig"), "--select", "REL", "--exit-zero").returncode == 0


def test_select_and_ignore_by_prefix(run_cli):
    p = run_cli(str(FIXTURES / "REL001.trig"), "--select", "IND,SDG", "--format", "json")
    assert p.returncode == 0 and json.loads(p.stdout)["rules"] == ["IND001", "IND002", "IND003", "IND004", "SDG001"]
    assert run_cli(str(FIXTURES / "REL001.trig"), "--ignore", "REL,OWL").returncode == 0


def test_usage_and_input_errors_exit_2(run_cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        '@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n   ex:d "unterminated .\n', encoding="utf-8"
    )
    p = run_cli(str(bad))
    assert p.returncode == 2
    assert "bad.ttl:4:" in p.stderr and "syntax error" in p.stderr and "Traceback" not in p.stderr
    p = run_cli(str(FIXTURES / "clean.trig"), "--select", "XYZ")
    assert p.returncode == 2 and "selects no rule" in p.stderr
    p = run_cli(str(tmp_path / "missing.ttl"))
    assert p.returncode == 2 and "no such file" in p.stderr
    p = run_cli("--dist", str(tmp_path / "nodist"))
    assert p.returncode == 2 and "fukushi-kg build" in p.stderr


def test_folders_and_config_in_pyproject(run_cli, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "REL002.trig", data / "plan.trig")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fukushi-kg.lint]\nignore = ["OWL"]\nfail-on = "warning"\nsource-root = ["'
        + str(FIXTURES.parents[2])
        + '"]\n',
        encoding="utf-8",
    )
    p = run_cli("data", "--format", "json", cwd=tmp_path)
    assert p.returncode == 1, p.stderr  # fail-on = warning from the config
    report = json.loads(p.stdout)
    assert [f["code"] for f in report["findings"]] == ["REL002"]
    assert "OWL001" not in report["rules"]
    p = run_cli("data", "--fail-on", "violation", cwd=tmp_path)  # the command line wins
    assert p.returncode == 0, p.stderr


def test_sarif_and_junit_to_a_file(run_cli, tmp_path):
    out = tmp_path / "lint.sarif"
    p = run_cli(str(FIXTURES / "CODE002.ttl"), "--ignore", "OWL", "--format", "sarif", "-o", str(out))
    assert p.returncode == 0  # CODE002 is a warning
    assert json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"] == "CODE002"


def test_list_rules(run_cli):
    p = run_cli("--list-rules")
    assert p.returncode == 0 and "SRC001" in p.stdout and "span-text-mismatch" in p.stdout
