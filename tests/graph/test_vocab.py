"""graph/vocab.FK lists exactly the terms the ontology defines, and the code uses no other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as rdflib_namespace

from fukushi_kg import resources
from fukushi_kg.graph import vocab
from fukushi_kg.graph.vocab import FK, NS

REPO = Path(__file__).resolve().parents[2]


def ontology_terms() -> set[str]:
    g = Graph()
    g.parse(resources.ONTOLOGY)
    g.parse(resources.VOCABULARIES)
    return {
        str(s)[len(NS) :]
        for s in g.subjects()
        if isinstance(s, URIRef) and str(s).startswith(NS) and str(s) != NS  # NS itself is the ontology
    }


def fk_terms() -> set[str]:
    names = set(FK.__annotations__)
    return names | set(FK._extras)


def test_fk_lists_exactly_the_ontology_terms():
    ours, theirs = fk_terms(), ontology_terms()
    missing, extra = sorted(theirs - ours), sorted(ours - theirs)
    assert not missing, f"terms the ontology defines but graph/vocab.py FK lacks (add them): {missing}"
    assert not extra, f"terms graph/vocab.py FK lists but the ontology does not define (remove them): {extra}"


def test_a_misspelt_term_fails():
    assert FK.Plan == URIRef(NS + "Plan")
    assert FK["grade/A"] == URIRef(NS + "grade/A")
    with pytest.raises(AttributeError, match="Plann"):
        _ = FK.Plann
    with pytest.raises(AttributeError, match="grade/E"):
        _ = FK["grade/E"]
    with pytest.raises(AttributeError, match="lineStrat"):
        _ = FK + "lineStrat"


def test_concept_and_iri():
    assert vocab.concept("target-group", "children") == FK["target-group/children"]
    with pytest.raises(ValueError, match="'E' is not in the grade code list"):
        vocab.concept("grade", "E")
    with pytest.raises(ValueError, match="not a code list"):
        vocab.concept("grades", "A")
    # a plain str, so it compares equal to the strings of SPARQL JSON results (a URIRef never does)
    assert type(vocab.iri("order")) is str and vocab.iri("order") == NS + "order"
    assert URIRef(NS + "order") != NS + "order"
    with pytest.raises(AttributeError):
        vocab.iri("ordre")
    assert issubclass(FK, rdflib_namespace.DefinedNamespace) and FK._fail


def _python_sources() -> list[Path]:
    return sorted(p for d in ("graph", "service", "bench", "fukushi_kg") for p in (REPO / d).rglob("*.py"))


def test_python_code_names_only_defined_terms():
    """``FK.x``, ``FK["x"]``, ``FK + "x"`` and ``vocab.iri("x")`` with a literal name, anywhere in the code."""
    defined = fk_terms()
    used: list[tuple[str, str]] = []
    for path in _python_sources():
        if path.is_symlink() or "fukushi_kg/graph" in path.as_posix() or "fukushi_kg/service" in path.as_posix():
            continue  # the links to graph/ and service/
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "FK":
                name = node.attr
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "FK":
                if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                    name = node.slice.value
            elif isinstance(node, ast.BinOp) and isinstance(node.left, ast.Name) and node.left.id == "FK":
                if isinstance(node.right, ast.Constant) and isinstance(node.right.value, str):
                    name = node.right.value
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "iri"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "vocab"
                    and isinstance(node.args[0].value, str)
                ):
                    name = node.args[0].value
            if name is not None:
                used.append((f"{path.relative_to(REPO)}:{node.lineno}", name))
    assert len(used) > 300  # the scan sees the code (rdf.py and the page sections alone use hundreds)
    unknown = [(where, name) for where, name in used if name not in defined]
    assert not unknown, f"fk: terms the ontology does not define: {unknown}"


_PREFIXED = re.compile(r"(?<![\w<])fk:([A-Za-z_][\w-]*)")
_FULL = re.compile(re.escape(NS) + r"([A-Za-z][\w/-]*[\w])>")


@pytest.mark.parametrize("folder", ["queries", "service/queries", "graph/lint/rules", "graph/shortcuts", "shapes"])
def test_queries_and_shapes_name_only_defined_terms(folder):
    """SPARQL text and shapes are not built with FK, so they are checked here."""
    defined = fk_terms()
    files = sorted((REPO / folder).glob("*.rq")) + sorted((REPO / folder).glob("*.ttl"))
    assert files
    unknown = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        for m in list(_PREFIXED.finditer(text)) + list(_FULL.finditer(text)):
            if m.group(1) not in defined:
                unknown.append(f"{path.relative_to(REPO)}: {m.group(0)}")
    assert not unknown, f"fk: terms the ontology does not define: {unknown}"
