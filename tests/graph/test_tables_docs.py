"""docs/format.md describes the format as it is: its table reference is what graph/tables/docs.py
generates from schema.json and the committed tables, and the README points to it."""

from __future__ import annotations

from pathlib import Path

from fukushi_kg.graph.tables import docs, schema

ROOT = Path(__file__).resolve().parents[2]
FORMAT = ROOT / "docs" / "format.md"


def test_the_table_reference_in_docs_format_md_is_up_to_date():
    text = FORMAT.read_text(encoding="utf-8")
    assert docs.render(text, ROOT / "data" / "plans") == text, (
        "docs/format.md is out of date: run `python -m fukushi_kg.graph.tables.docs docs/format.md`"
    )


def test_every_table_and_column_is_described_in_both_languages_with_an_example_where_one_exists():
    text = FORMAT.read_text(encoding="utf-8")
    assert f"Format version / 形式の版: **{schema.version()}**" in text
    examples = docs.examples(ROOT / "data" / "plans")
    for t in schema.tables():
        assert f"### `{t.file}` — {t.title['ja']} / {t.title['en']}" in text
        for c in t.columns:
            assert c.title["ja"] and c.title["en"], (t.name, c.name)
            rows = [
                ln
                for ln in text.split(f"### `{t.file}`")[1].split("### ")[0].splitlines()
                if ln.startswith(f"| `{c.name}` |")
            ]
            assert len(rows) == 1, (t.name, c.name)
            if (t.name, c.name) in examples:
                assert rows[0].rstrip().endswith(") |") or c.name == "document", rows[0]


def test_the_readme_has_the_adding_a_plan_section_pointing_to_the_format():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a plan", 1)[1].split("\n## ", 1)[0]
    assert "(docs/format.md)" in section
    for command in ("fukushi-kg import", "fukushi-kg tables init", "fukushi-kg tables check", "--xlsx"):
        assert command in section
