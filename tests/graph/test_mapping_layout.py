"""The RDF mapping is organised by table: a reviewer who changes a table of graph/tables/schema.json
finds the module that writes its RDF by the table's name, and that module stays small."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from fukushi_kg.graph import mapping

MAPPING = Path(mapping.__file__).parent
SCHEMA = MAPPING.parent / "tables" / "schema.json"
MAX_LINES = 250


def _docstrings() -> dict[str, str]:
    return {
        p.stem: ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or ""
        for p in sorted(MAPPING.glob("*.py"))
        if p.stem != "__init__"
    }


def test_every_table_is_named_by_the_module_that_maps_it():
    tables = [t["name"] for t in json.loads(SCHEMA.read_text(encoding="utf-8"))["tables"]]
    docs = _docstrings()
    named = {m: set(re.findall(r"``([a-z_]+)``", doc)) for m, doc in docs.items()}
    unmapped = [t for t in tables if not any(t in names for names in named.values())]
    assert not unmapped, f"tables no graph/mapping module names in its docstring: {unmapped}"
    unknown = {m: sorted(n - set(tables)) for m, n in named.items() if n - set(tables)}
    assert not unknown, f"docstrings name tables the schema lacks: {unknown}"


def test_the_package_index_lists_every_module():
    index = ast.get_docstring(ast.parse((MAPPING / "__init__.py").read_text(encoding="utf-8"))) or ""
    listed = set(re.findall(r"^``([a-z_]+)``", index, flags=re.M))
    modules = set(_docstrings())
    assert listed == modules, (
        f"graph/mapping/__init__.py's table of modules: missing {modules - listed}, extra {listed - modules}"
    )


def test_modules_are_small_and_rdf_py_only_re_exports():
    long = {
        p.name: n for p in MAPPING.glob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"mapping modules over {MAX_LINES} lines (split them by table): {long}"
    rdf = ast.parse((MAPPING.parent / "rdf.py").read_text(encoding="utf-8"))
    defined = [n.name for n in rdf.body if isinstance(n, ast.ClassDef | ast.FunctionDef)]
    assert not defined, f"graph/rdf.py is a compatibility module; the mapping belongs in graph/mapping: {defined}"
