"""The README documents what users meet: every command, every named query, the CI test command."""

from __future__ import annotations

from pathlib import Path

from fukushi_kg.cli import parser
from fukushi_kg.graph.queries import list_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_named_query_and_its_columns_are_in_the_readme():
    for q in list_queries():
        assert f"`{q.name}`" in README, q.name
        assert ", ".join(q.columns) in README, q.name


def test_every_subcommand_is_in_the_readme():
    sub = next(a for a in parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"fukushi-kg {name}" in README, name


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README and "make serve" in README
    commands = [
        ln.strip()
        for ln in ci.splitlines()
        if ln.strip() and not ln.startswith("#") and not ln.startswith(("set ", "cd "))
    ]
    assert commands == ["make test"]
