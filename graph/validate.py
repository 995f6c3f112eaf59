"""SHACL validation of a built graph against ``shapes/``.

The node shapes' SPARQL constraints run once each over the whole graph on Oxigraph
(graph/shacl_sparql.py), with the results pySHACL would give: the build spent 14 of its 23 s in
pySHACL's per-node SPARQL before. Each core constraint is first asked on Oxigraph whether it may
fail (graph/shacl_core.py); pySHACL runs only on the shapes that may, so every core finding is
pySHACL's own, and on a conforming graph pySHACL (and the rdflib graph it needs) is not used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from fukushi_kg import resources
from fukushi_kg.graph import shacl_core, shacl_sparql

SHAPES = resources.SHAPES
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    message: str
    shape: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}"


class ShapesError(ValueError):
    """A shapes file that is missing or cannot be parsed; the message names it."""


def load_shapes(extra: list[Path] | None = None) -> Graph:
    """shapes/*.ttl and ``extra``; ShapesError naming the file when one is missing or not Turtle."""
    g = Graph()
    for path in sorted(SHAPES.glob("*.ttl")) + list(extra or []):
        if not path.is_file():
            raise ShapesError(f"{path}: no such shapes file")
        try:
            g.parse(path)
        except Exception as exc:  # rdflib raises several unrelated types for syntax errors
            raise ShapesError(f"{path}: the shapes file cannot be parsed ({exc})") from None
    return g


def _store_of(data: Graph) -> ox.Store:
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def validate(
    data: Graph | Callable[[], Graph],
    shapes: Graph | None = None,
    *,
    store: ox.Store | None = None,
    graphs: list[str] | None = None,
    altered: Mapping[str, str] | None = None,
    parts: list[Graph] | None = None,
) -> list[Finding]:
    """Every SHACL result as a Finding; an empty list means the graph conforms.

    ``data`` is the rdflib graph, or a function without arguments that makes it (called only
    when pySHACL has something to check). ``store``, when given, holds the same triples as
    ``data`` (in any of its graphs) and runs the SPARQL constraints and the core constraints'
    may-fail checks; without it they run on an in-memory copy of ``data``. ``graphs``: the named
    graphs of ``store`` that hold ``data`` (the others, such as the build's shortcuts, are left
    out of the may-fail checks; the SPARQL constraints see every graph, as before).
    ``altered``: the predicates whose literals ``store`` holds in another form than ``data``
    (``shacl_core.altered_predicates``); worked out from ``data`` when None. ``parts``: rdflib
    graphs whose union is ``data`` (the build's named graphs; ``data()`` adds them to a new
    ``Graph()``, whose prefixes pySHACL's messages use), to copy focus nodes' triples from without
    making ``data``.

    pySHACL runs on the shapes that may fail only, and where their findings depend only on the
    focus node's own triples and its values' types (``shacl_core.neighbourhood``), on the focus
    nodes that may fail and those triples only."""
    made: list[Graph] = []

    def graph() -> Graph:
        if not made:
            made.append(data() if callable(data) and not isinstance(data, Graph) else data)
        return made[0]

    shapes = shapes if shapes is not None else load_shapes()
    core, constraints = shacl_sparql.split(shapes)
    if store is None:
        store, graphs = _store_of(graph()), None
    findings = []
    if constraints:
        for c, row in shacl_sparql.run(constraints, store):
            shape_messages = [str(m) for m in shapes.objects(URIRef(c.shape), SH.message)]
            messages = {shacl_sparql.fill(m, row) for m in [*shape_messages, *c.messages]}
            path = row.get("path")
            findings.append(
                Finding(
                    severity=str(c.severity).rsplit("#", 1)[-1],
                    focus=row["this"],
                    path=path,
                    message="; ".join(sorted(messages)) or "constraint not met",
                    shape=c.shape,
                )
            )
    if altered is None:
        altered = shacl_core.altered_predicates([graph()], store, shacl_core.path_predicates(core))
    plan = shacl_core.plan(core, store, graphs=graphs, altered=altered, with_foci=True)
    if shacl_core.has_targets(plan.shapes):
        near = shacl_core.neighbourhood(plan, parts) if parts is not None else None
        if parts is None:
            near = shacl_core.neighbourhood(plan, [graph()], prefixes=graph())
        if near is not None:
            for chunk in near[0]:
                findings.extend(_pyshacl(near[1], chunk))
        else:
            findings.extend(_pyshacl(graph(), plan.shapes))
    return sorted(findings, key=lambda f: (f.severity, f.focus, f.message))


def prune(
    core: Graph, store: ox.Store, *, graphs: list[str] | None = None, altered: Mapping[str, str] | None = None
) -> Graph:
    """The shapes of ``core`` (shapes without the SPARQL constraints ``validate`` runs itself)
    that may fail on ``store``: what pySHACL has to run (graph/shacl_core.py)."""
    return shacl_core.prune(core, store, graphs=graphs, altered=altered or {})


def validate_with_pyshacl(data: Graph, shapes: Graph | None = None) -> list[Finding]:
    """Every SHACL result as pySHACL alone gives it (SPARQL constraints per focus node): the
    reference the faster ``validate`` is tested against, and the peer in bench/."""
    findings = _pyshacl(data, shapes if shapes is not None else load_shapes())
    return sorted(findings, key=lambda f: (f.severity, f.focus, f.message))


def _pyshacl(data: Graph, shapes: Graph) -> list[Finding]:
    # inplace: no copy of the data graph (nothing is inferred, and shapes/ has no sh:rule to add to it)
    inplace = not any(shapes.triples((None, SH.rule, None)))
    _, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, inplace=inplace
    )
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        path = report.value(result, SH.resultPath)
        findings.append(
            Finding(
                severity=severity,
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                message="; ".join(sorted(messages)) or "constraint not met",
                shape=str(report.value(result, SH.sourceShape)),
            )
        )
    return findings
