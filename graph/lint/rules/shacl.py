"""SHACL001: SHACL shapes from shapes/ and --shapes.

Core constraints run in pySHACL on an rdflib copy of the graph, and only those that may fail:
each is first asked on the linter's Oxigraph store (graph/shacl_core.py), and when none may fail
no rdflib copy is made. SPARQL-based constraints
(``sh:sparql`` on node shapes) are taken out of the shapes graph and each is run once over the
whole graph: the shape's targets are joined into the constraint's SELECT, instead of
pre-binding ``$this`` and running the query once per focus node (the same results, one query
instead of thousands). Constraints that a lint rule already checks (``SUPERSEDED``) are left to
that rule, so that one defect gives one finding.
"""

from __future__ import annotations

import re

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from fukushi_kg.graph import shacl_core, shacl_sparql
from fukushi_kg.graph.lint.inputs import CopyUnavailable
from fukushi_kg.graph.lint.model import Finding, RuleOutput, Skip
from fukushi_kg.graph.shacl_sparql import SparqlConstraint

CODES = ("SHACL001",)
SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

# constraints of shapes/ that a lint rule checks over the whole graph (message fragment -> code):
# sh:sparql constraints, and property shapes whose every check the rule covers
SUPERSEDED = {
    "has no responsible division": "RESP001",
    "dangling re-listing": "REL001",
    "has no observations": "IND001",
    "An SDG goal must be one of": "SDG001",
}


def _superseded(messages) -> str | None:
    messages = [str(m) for m in messages]
    for fragment, code in SUPERSEDED.items():
        if any(fragment in str(m) for m in messages):
            return code
    return None


def split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """A copy of ``shapes`` without the node shapes' sh:sparql constraints (run once over the
    whole graph, graph/shacl_sparql.py) and without property shapes a lint rule supersedes, and
    the SPARQL constraints; those a lint rule supersedes are dropped."""
    core, found = shacl_sparql.split(shapes, keep=lambda messages: _superseded(messages) is None)
    for shape, ps in list(core.subject_objects(SH.property)):
        if _superseded(core.objects(ps, SH.message)):
            core.remove((shape, SH.property, ps))
    return core, found


def _fill(template: str, row: dict) -> str:
    def sub(m):
        t = row.get(m.group(1))
        return t.node if t is not None and t.kind != "literal" else (t.value if t is not None else "")

    return re.sub(r"\{[$?](\w+)\}", sub, template)


def _short(node) -> str:
    text = str(node)
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if isinstance(node, URIRef) else text


def to_rdflib(local) -> Graph:
    """The union of the local store's graphs as an rdflib Graph (for pySHACL)."""
    import pyoxigraph as ox

    g = Graph()

    def conv(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value if t.datatype else None
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            dt = None
        return Literal(t.value, datatype=URIRef(dt) if dt else None)

    add = g.add
    for t in local.triples():
        add((conv(t.subject), conv(t.predicate), conv(t.object)))
    return g


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_SUBTYPES = {
    "positiveInteger": lambda v: v > 0,
    "nonNegativeInteger": lambda v: v >= 0,
    "negativeInteger": lambda v: v < 0,
    "nonPositiveInteger": lambda v: v <= 0,
    "long": lambda v: -(2**63) <= v < 2**63,
    "int": lambda v: -(2**31) <= v < 2**31,
    "short": lambda v: -(2**15) <= v < 2**15,
    "byte": lambda v: -128 <= v < 128,
    "unsignedLong": lambda v: 0 <= v < 2**64,
    "unsignedInt": lambda v: 0 <= v < 2**32,
    "unsignedShort": lambda v: 0 <= v < 2**16,
    "unsignedByte": lambda v: 0 <= v < 256,
}


def _integer_subtype_predicates(shapes: Graph) -> set[str]:
    """The predicates ``restore_integer_subtypes`` may retype values of."""
    out = set()
    for ps, dt in shapes.subject_objects(SH.datatype):
        path = shapes.value(ps, SH.path)
        if isinstance(path, URIRef) and str(dt).startswith(_XSD) and str(dt)[len(_XSD) :] in _INTEGER_SUBTYPES:
            out.add(str(path))
    return out


def restore_integer_subtypes(data: Graph, shapes: Graph) -> int:
    """Retype xsd:integer values of properties whose shapes want a derived integer type, where
    the value is valid for it. An Oxigraph store (and so an endpoint on one, ``fukushi-kg serve``
    included) keeps xsd:positiveInteger and the other derived integer types as xsd:integer, so a
    copy CONSTRUCTed from it would otherwise fail every such sh:datatype. Returns the count."""
    wanted = {}
    for ps, dt in shapes.subject_objects(SH.datatype):
        path = shapes.value(ps, SH.path)
        name = str(dt)[len(_XSD) :] if str(dt).startswith(_XSD) else None
        if isinstance(path, URIRef) and name in _INTEGER_SUBTYPES:
            wanted[path] = (URIRef(str(dt)), _INTEGER_SUBTYPES[name])
    changed = 0
    for p, (dt, ok) in wanted.items():
        for s, o in list(data.subject_objects(p)):
            if isinstance(o, Literal) and o.datatype == URIRef(_XSD + "integer"):
                try:
                    v = int(str(o))
                except ValueError:
                    continue
                if ok(v):
                    data.remove((s, p, o))
                    data.add((s, p, Literal(str(o), datatype=dt)))
                    changed += 1
    return changed


def _node(n) -> str:
    return f"_:{n}" if isinstance(n, BNode) else str(n)


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    shapes = ctx.shapes()
    core, constraints = split_sparql_constraints(shapes)
    for c in constraints:
        severity = SEVERITY.get(c.severity, "violation")
        for row in ctx.select(c.whole_graph_query()):
            if "this" not in row:
                continue
            msg = "; ".join(_fill(m, row) for m in c.messages) or f"constraint of {c.shape} not met"
            out.findings.append(
                Finding(
                    "SHACL001",
                    row["this"].node,
                    msg,
                    f"SHACL シェイプ {_short(URIRef(c.shape))} に適合しない: {msg}",
                    severity,
                )
            )
    try:
        local = ctx.local()
    except CopyUnavailable as exc:
        out.skipped.append(Skip(CODES, f"SHACL core constraints not checked: {exc}"))
        return out
    # the core constraints that hold on the store are not given to pySHACL (graph/shacl_core.py);
    # the predicates whose literals the rdflib copy holds in another form stay with pySHACL
    altered = shacl_core.altered_in_quads(local.quads, local.store, shacl_core.path_predicates(core))
    if ctx.remote:
        altered.update(dict.fromkeys(_integer_subtype_predicates(core), shacl_core.ALTERED))
    pruned = shacl_core.prune(core, local.store, altered=altered)
    if not shacl_core.has_targets(pruned):
        return out
    data = to_rdflib(local)
    if ctx.remote:
        n = restore_integer_subtypes(data, core)
        if n:
            ctx.notice(
                f"SHACL on the endpoint's copy: {n} xsd:integer values taken as the derived integer type their "
                "shape requires (an Oxigraph store keeps xsd:positiveInteger and the like as xsd:integer)"
            )
    _, report, _ = shacl_validate(data, shacl_graph=pruned, inference="none", advanced=True, allow_warnings=True)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITY.get(report.value(result, SH.resultSeverity), "violation")
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        msgs = sorted(str(m) for m in report.objects(result, SH.resultMessage)) or ["constraint not met"]
        detail = []
        if isinstance(path, URIRef):
            detail.append(f"path {_short(path)}")
        if value is not None:
            detail.append(f"value {value}")
        suffix = f" ({', '.join(detail)})" if detail else ""
        msg = "; ".join(msgs) + suffix
        shape_name = _short(shape) if isinstance(shape, URIRef) else "shape"
        out.findings.append(
            Finding("SHACL001", _node(focus), msg, f"SHACL シェイプ {shape_name} に適合しない: {msg}", severity)
        )
    return out
