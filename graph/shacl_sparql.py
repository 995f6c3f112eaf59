"""SHACL-SPARQL constraints of node shapes, each run once over the whole graph.

pySHACL runs a ``sh:sparql`` constraint once per focus node, with ``$this`` pre-bound: on the
seed graph that is thousands of queries on rdflib's engine and most of the build's time. Here
each constraint runs once: the shape's targets are joined in at the start of the SELECT's WHERE
group (so the group's FILTERs and OPTIONALs see ``?this`` bound, as pre-binding would have it),
on Oxigraph. The results are those of the per-node evaluation (tests/graph/test_validate_speed.py
compares both on graphs that break every constraint).

Constraints this does not take stay in the shapes graph for pySHACL: constraints of property
shapes (their ``$PATH``), ASK validators, constraints that use ``$shapesGraph``,
``$currentShape`` or ``$PATH``, and shapes without a target.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

SH = Namespace("http://www.w3.org/ns/shacl#")
_UNSUPPORTED = re.compile(r"\$(shapesGraph|currentShape|PATH)\b")


@dataclass
class SparqlConstraint:
    shape: str
    select: str
    messages: list[str]  # the constraint's sh:message, else the shape's, as written (templates)
    severity: URIRef  # sh:Violation, sh:Warning or sh:Info
    targets: list[str]  # SPARQL patterns that bind ?this
    prefixes: str  # PREFIX lines from sh:prefixes
    node: object = field(default=None, repr=False)  # the constraint's node in the shapes graph

    def whole_graph_query(self) -> str:
        """The SELECT with the shape's targets joined in at the start of its WHERE clause."""
        m = re.search(r"\bWHERE\s*\{", self.select, re.IGNORECASE) or re.search(r"\{", self.select)
        if m is None:
            raise ValueError(f"sh:select of {self.shape} has no WHERE clause")
        targets = " UNION ".join("{ " + t + " }" for t in self.targets)
        return self.prefixes + self.select[: m.end()] + " { " + targets + " } " + self.select[m.end() :]


def _prefixes(shapes: Graph, node) -> str:
    out = []
    for holder in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                out.append(f"PREFIX {prefix}: <{ns}>\n")
    return "".join(sorted(set(out)))


def _targets(shapes: Graph, shape) -> list[str]:
    out = []
    for c in shapes.objects(shape, SH.targetClass):
        out.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> .")
    if (shape, RDF.type, RDFS.Class) in shapes:
        out.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{shape}> .")
    for n in shapes.objects(shape, SH.targetNode):
        if isinstance(n, URIRef):
            out.append(f"VALUES ?this {{ <{n}> }}")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        out.append(f"?this <{p}> ?shaclTargetObject .")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        out.append(f"?shaclTargetSubject <{p}> ?this .")
    return out


def split(
    shapes: Graph, keep: Callable[[list[str]], bool] = lambda messages: True
) -> tuple[Graph, list[SparqlConstraint]]:
    """A copy of ``shapes`` without the node shapes' SPARQL constraints this module runs, and those
    constraints. ``keep(messages)`` false drops a constraint altogether (a lint rule checks it)."""
    core = Graph()
    for t in shapes:
        core.add(t)
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns)
    found = []
    for shape, c in list(shapes.subject_objects(SH.sparql)):
        select = shapes.value(c, SH.select)
        if select is None or shapes.value(shape, SH.path) is not None or _UNSUPPORTED.search(str(select)):
            continue  # left to pySHACL
        messages = [str(m) for m in shapes.objects(c, SH.message)] or [
            str(m) for m in shapes.objects(shape, SH.message)
        ]
        if str(shapes.value(c, SH.deactivated)).lower() == "true" or not keep(messages):
            core.remove((shape, SH.sparql, c))
            continue
        targets = _targets(shapes, shape)
        if not targets:
            core.remove((shape, SH.sparql, c))  # no focus node, no result
            continue
        level = shapes.value(c, SH.severity) or shapes.value(shape, SH.severity)
        severity = level if isinstance(level, URIRef) else SH.Violation
        core.remove((shape, SH.sparql, c))
        found.append(SparqlConstraint(str(shape), str(select), messages, severity, targets, _prefixes(shapes, c), c))
    return core, found


def fill(template: str, row: dict[str, str]) -> str:
    """A message template with ``{$var}``/``{?var}`` replaced by the row's values (as pySHACL
    does: the value's lexical form; a variable the row leaves unbound stays as written)."""
    return re.sub(r"\{[$?](\w+)\}", lambda m: row.get(m.group(1), m.group(0)), template)


def run(constraints: Iterable[SparqlConstraint], store) -> Iterator[tuple[SparqlConstraint, dict[str, str]]]:
    """Each result row of each constraint on ``store`` (a pyoxigraph Store; the union of its
    graphs is the data graph), as the constraint and its bound variables' lexical values; rows
    that repeat a focus node's bindings come once, as pySHACL reports them."""
    for c in constraints:
        seen = set()
        solutions = store.query(c.whole_graph_query(), use_default_graph_as_union=True)
        variables = solutions.variables
        for solution in solutions:
            row = {}
            for var in variables:
                value = solution[var]
                if value is not None:
                    row[var.value] = value.value
            if "this" not in row:
                continue
            key = tuple(sorted(row.items()))
            if key in seen:
                continue
            seen.add(key)
            yield c, row
