"""SHACL-Core constraints as SPARQL ASK queries on Oxigraph, to leave pySHACL only what may fail.

Each constraint of each targeted shape of a shapes graph (a node shape's own constraints and
each of its property shapes) is compiled into one ASK over the whole store: true when some focus
node *may* violate it. The queries lean to "may fail": an ASK may say so of a constraint that
holds, but it never says "holds" of one pySHACL would report. A constraint, path or target this
module does not know, and every constraint on a predicate whose literals Oxigraph stores in
another form than the data graph has them (``altered_predicates``: Oxigraph canonicalises
``"01"^^xsd:integer`` to ``"1"``, ``xsd:positiveInteger`` to ``xsd:integer``, language tags to
lower case; rdflib tells an explicit ``xsd:string`` from a plain literal), counts as "may fail".

``prune`` keeps only the shapes with a check that may fail (and what they reference: lists,
blank nodes, shapes named by sh:node/sh:or, sh:prefixes); pySHACL then runs on that smaller
shapes graph, so every finding is still pySHACL's own. When nothing may fail the pruned graph
has no targets and pySHACL need not run at all (``has_targets``).

Which constraints shapes/ uses (and so which are compiled): sh:minCount, sh:maxCount,
sh:datatype, sh:class, sh:nodeKind, sh:in, sh:pattern, sh:minInclusive, sh:languageIn,
sh:lessThanOrEquals, sh:or of value constraints; predicate paths; sh:targetClass and
sh:targetSubjectsOf. Also compiled: the other numeric range constraints, sh:hasValue,
sh:minLength/sh:maxLength, sh:lessThan, sh:and/sh:not/sh:node of value constraints, sh:targetNode,
sh:targetObjectsOf, inverse, sequence, alternative and repetition paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from fukushi_kg.graph import shacl_sparql

SH = Namespace("http://www.w3.org/ns/shacl#")

# predicates of a shape that do not constrain anything
_NON_VALIDATING = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.path,
    SH.deactivated,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.prefixes,
    SH.declare,
}
# datatypes whose values pySHACL checks by the Python type rdflib parses them to: the lexical
# forms below are those every such parse accepts (stricter than XSD: anything else "may fail")
_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}
_NUMERIC = f"<{XSD.integer}>, <{XSD.decimal}>"
# a regular expression Python's re and Oxigraph's (Rust) regex read alike: ASCII literals,
# bracket classes, groups, alternation, quantifiers, anchors and escaped punctuation
_SIMPLE_PATTERN = re.compile(r"^(?:[A-Za-z0-9 _\-.:/#,^$()\[\]{}|?*+=&%@~!'<>;]|\\[.\\/\-^$()\[\]{}|?*+])*$")


@dataclass
class Check:
    """One constraint of one shape: ``ask`` is true when a focus node may violate it (``None``:
    not compiled, so it may)."""

    shape: Node  # the node shape, or the property shape, the constraint belongs to
    parent: Node | None  # the node shape whose targets give the focus nodes (None: ``shape`` has its own)
    constraint: str
    ask: str | None

    def may_fail(self, store: ox.Store, graphs: list[str] | None = None) -> bool:
        if self.ask is None:
            return True
        if graphs is None:
            return bool(store.query(self.ask, use_default_graph_as_union=True))
        return bool(store.query(self.ask, default_graph=[ox.NamedNode(g) for g in graphs]))

    def focus_nodes(self, store: ox.Store, graphs: list[str] | None = None) -> set[str] | None:
        """The focus nodes that may violate the constraint (IRIs, or ``_:`` and Oxigraph's label
        for a blank node); None when it is not compiled (every focus node may)."""
        if self.ask is None:
            return None
        query = "SELECT DISTINCT ?this WHERE " + self.ask[len("ASK ") :]
        if graphs is None:
            rows = store.query(query, use_default_graph_as_union=True)
        else:
            rows = store.query(query, default_graph=[ox.NamedNode(g) for g in graphs])
        assert isinstance(rows, ox.QuerySolutions)
        out = set()
        for row in rows:
            t = row["this"]
            out.add(f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
        return out


def _iri(node) -> str:
    return f"<{node}>"


def _term(node) -> str | None:
    """A SPARQL term for an rdflib node of a shape (sh:in, sh:hasValue); None for a blank node
    and for a literal Oxigraph might read as another term than rdflib does (only plain and
    language-tagged strings, booleans and integers in their canonical forms are taken)."""
    if isinstance(node, URIRef):
        return _iri(node)
    if isinstance(node, Literal):
        canonical = {XSD.boolean: r"true|false", XSD.integer: r"-?(0|[1-9][0-9]*)"}
        if node.language and node.language != node.language.lower():
            return None
        if not node.language and node.datatype is not None and node.datatype not in canonical:
            return None
        if node.datatype in canonical and not re.fullmatch(canonical[node.datatype], str(node), re.S):
            return None
        text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        return f'"{text}"^^<{node.datatype or XSD.string}>'
    return None


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _list(shapes: Graph, node) -> list | None:
    """The members of an RDF list, None when ``node`` is not a well-formed one."""
    out, seen = [], set()
    while node != RDF.nil:
        if node in seen or (node, RDF.first, None) not in shapes:
            return None
        seen.add(node)
        out.append(shapes.value(node, RDF.first))
        node = shapes.value(node, RDF.rest)
        if node is None:
            return None
    return out


def compile_path(shapes: Graph, path) -> tuple[str, set[str]] | None:
    """A SHACL path as a SPARQL property path and the predicates it uses; None when unknown."""
    if isinstance(path, URIRef):
        return _iri(path), {str(path)}
    if not isinstance(path, BNode):
        return None
    if (path, RDF.first, None) in shapes:
        members = _list(shapes, path)
        parts = [compile_path(shapes, m) for m in members or []]
        if not members or any(p is None for p in parts):
            return None
        return "(" + "/".join(p[0] for p in parts if p) + ")", set().union(*(p[1] for p in parts if p))
    props = {p for p, _ in shapes.predicate_objects(path)}
    if len(props) != 1:
        return None
    (prop,) = props
    inner = shapes.value(path, prop)
    if prop == SH.alternativePath:
        members = _list(shapes, inner)
        parts = [compile_path(shapes, m) for m in members or []]
        if not members or any(p is None for p in parts):
            return None
        return "(" + "|".join(p[0] for p in parts if p) + ")", set().union(*(p[1] for p in parts if p))
    suffix: dict[Node, str] = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?", SH.inversePath: ""}
    if prop not in suffix:
        return None
    sub = compile_path(shapes, inner)
    if sub is None:
        return None
    if prop == SH.inversePath:
        return "^(" + sub[0] + ")", sub[1]
    return "(" + sub[0] + ")" + suffix[prop], sub[1]


def _integer(node) -> int | None:
    if isinstance(node, Literal) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _numeric(node) -> str | None:
    """A numeric bound as a SPARQL literal (integer or decimal only)."""
    if isinstance(node, Literal) and node.datatype in (XSD.integer, XSD.decimal) and not node.ill_typed:
        return _term(node)
    return None


def value_condition(shapes: Graph, p, o, v: str, depth: int = 0) -> str | None:
    """A SPARQL expression true when the value ``v`` (a variable) satisfies the constraint
    ``p o`` (errors count as false where it is used); None when ``p`` is not a value
    constraint this module compiles."""
    if p == SH["class"] and isinstance(o, URIRef):
        return f"EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(o)} }}"
    if p == SH.datatype and isinstance(o, URIRef):
        if o == RDFS.Literal:
            return f"isLiteral({v})"
        if o == XSD.string:
            return f"(isLiteral({v}) && datatype({v}) = <{XSD.string}>)"
        if o == RDF.langString:
            return f'(isLiteral({v}) && lang({v}) != "")'
        base = f"(isLiteral({v}) && datatype({v}) = {_iri(o)})"
        if o in _LEXICAL:
            return f"({base} && REGEX(STR({v}), {_string(_LEXICAL[o])}) && sameTerm({v}, {_iri(o)}(STR({v}))))"
        if o in (XSD.gYear, XSD.gYearMonth):  # rdflib parses neither: pySHACL checks the datatype alone
            return base
        return None
    if p == SH.nodeKind:
        kinds = {
            SH.IRI: f"isIRI({v})",
            SH.BlankNode: f"isBlank({v})",
            SH.Literal: f"isLiteral({v})",
            SH.BlankNodeOrIRI: f"(isIRI({v}) || isBlank({v}))",
            SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
            SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
        }
        return kinds.get(o)
    if p == SH["in"]:
        members = _list(shapes, o)
        terms = [_term(m) for m in members] if members is not None else None
        if terms is None or any(t is None for t in terms):
            return None
        return "(" + " || ".join(f"sameTerm({v}, {t})" for t in terms) + ")" if terms else "false"
    if p == SH.pattern and isinstance(o, Literal):
        flags = shapes.value(None, SH.flags)  # any flags anywhere: leave patterns to pySHACL
        if flags is not None or not _SIMPLE_PATTERN.match(str(o)):
            return None
        return f"(!isBlank({v}) && REGEX(STR({v}), {_string(str(o))}))"
    if p in (SH.minLength, SH.maxLength) and _integer(o) is not None:
        op = ">=" if p == SH.minLength else "<="
        return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {_integer(o)})"
    ops = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
    if p in ops:
        bound = _numeric(o)
        if bound is None:
            return None
        return f"(isLiteral({v}) && datatype({v}) IN ({_NUMERIC}) && {v} {ops[p]} {bound})"
    if p == SH.languageIn:
        members = _list(shapes, o)
        if members is None or any(not isinstance(m, Literal) for m in members):
            return None
        tags = {str(m).lower() for m in members}
        if "*" in tags:
            return f'(isLiteral({v}) && lang({v}) != "")'
        listed = ", ".join(_string(t) for t in sorted(tags)) or '""'
        first = f'IF(CONTAINS(lang({v}), "-"), STRBEFORE(lang({v}), "-"), lang({v}))'
        return (
            f'(isLiteral({v}) && lang({v}) != "" && (LCASE(lang({v})) IN ({listed}) || LCASE({first}) IN ({listed})))'
        )
    if depth < 4 and p in (SH["or"], SH["and"]):
        members = _list(shapes, o)
        parts = [node_condition(shapes, m, v, depth + 1) for m in members or []]
        if members is None or any(c is None for c in parts):
            return None
        if not parts:
            return "false" if p == SH["or"] else "true"
        return "(" + (" || " if p == SH["or"] else " && ").join(c for c in parts if c) + ")"
    if depth < 4 and p in (SH["not"], SH.node):
        inner = node_condition(shapes, o, v, depth + 1)
        if inner is None:
            return None
        return f"(!COALESCE({inner}, true))" if p == SH["not"] else inner
    return None


def node_condition(shapes: Graph, shape, v: str, depth: int = 0) -> str | None:
    """A SPARQL expression true when ``v`` conforms to ``shape`` (a shape made of value
    constraints only, as the members of sh:or usually are), None otherwise. Errors count as
    not conforming."""
    if str(shapes.value(shape, SH.deactivated)).lower() == "true":
        return "true"
    parts = []
    for p, o in shapes.predicate_objects(shape):
        if p in _NON_VALIDATING and p not in (SH.property, SH.path):
            continue
        c = value_condition(shapes, p, o, v, depth)
        if c is None:
            return None
        parts.append(f"COALESCE({c}, false)")
    return "(" + " && ".join(parts) + ")" if parts else "true"


def _target_block(targets: list[str]) -> str:
    return "{ " + " UNION ".join("{ " + t + " }" for t in targets) + " }"


def _shape_checks(shapes: Graph, parent, member, targets: list[str], altered: dict[str, str]) -> list[Check]:
    """The checks of ``member`` (``parent`` itself or one of its property shapes)."""
    out: list[Check] = []
    if str(shapes.value(member, SH.deactivated)).lower() == "true":
        return out
    t = _target_block(targets)
    focus = "?this"
    path_preds: set[str] = set()
    if member != parent:
        compiled = compile_path(shapes, shapes.value(member, SH.path))
        if compiled is None:
            return [Check(member, parent, "sh:path", None)]
        path, path_preds = compiled
    kinds = {altered[q] for q in path_preds if q in altered}
    for p, o in shapes.predicate_objects(member):
        name = f"{shapes.namespace_manager.normalizeUri(str(p))} {o.n3() if hasattr(o, 'n3') else o}"
        if p in _NON_VALIDATING:
            if p == SH.property and member != parent:
                out.append(Check(member, parent, name, None))  # nested property shapes: pySHACL's
            continue
        value_only = p in _VALUE_ONLY or (p == SH.datatype and str(o) in _CANONICALISED)
        if ALTERED in kinds or (CANONICAL in kinds and not value_only) or (STRING in kinds and p not in _STRING_SAFE):
            out.append(Check(member, parent, name, None))  # the store's literals are not the data's
            continue
        ask: str | None = None
        if member == parent:
            cond = value_condition(shapes, p, o, focus)
            if cond is not None:
                ask = f"ASK {{ {t} FILTER(!COALESCE({cond}, false)) }}"
        elif p in (SH.minCount, SH.maxCount) and _integer(o) is not None:
            n = _integer(o)
            assert n is not None
            if p == SH.minCount and n <= 0:
                continue
            if p == SH.minCount and n == 1:
                ask = f"ASK {{ {t} FILTER NOT EXISTS {{ ?this {path} ?v }} }}"
            elif p == SH.maxCount and n == 0:
                ask = f"ASK {{ {t} ?this {path} ?v }}"
            elif p == SH.minCount:
                ask = (
                    f"ASK {{ {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {t} OPTIONAL {{ ?this {path} ?v }} }} "
                    f"GROUP BY ?this }} FILTER(?n < {n}) }}"
                )
            else:
                ask = (
                    f"ASK {{ {{ SELECT ?this WHERE {{ {t} ?this {path} ?v }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?v) > {n}) }} }}"
                )
        elif p == SH.hasValue:
            term = _term(o)
            if term is not None:
                ask = f"ASK {{ {t} FILTER NOT EXISTS {{ ?this {path} {term} }} }}"
        elif p in (SH.lessThan, SH.lessThanOrEquals) and isinstance(o, URIRef):
            if altered.get(str(o)) in (None, CANONICAL, STRING):
                op = "<" if p == SH.lessThan else "<="
                num = f"isLiteral(?v) && datatype(?v) IN ({_NUMERIC}) && isLiteral(?w) && datatype(?w) IN ({_NUMERIC})"
                ask = (
                    f"ASK {{ {t} ?this {path} ?v . ?this {_iri(o)} ?w FILTER(!COALESCE({num} && ?v {op} ?w, false)) }}"
                )
        else:
            cond = value_condition(shapes, p, o, "?v")
            if cond is not None:
                ask = f"ASK {{ {t} ?this {path} ?v FILTER(!COALESCE({cond}, false)) }}"
        out.append(Check(member, parent, name, ask))
    return out


def target_patterns(shapes: Graph, shape, altered: dict[str, str]) -> list[str] | None:
    """SPARQL patterns binding ?this to the shape's focus nodes ([] when none); None when a
    target cannot be compiled."""
    if (shape, SH.target, None) in shapes:
        return None
    if any(not isinstance(n, URIRef) for n in shapes.objects(shape, SH.targetNode)):
        return None
    for p in shapes.objects(shape, SH.targetObjectsOf):  # (the subjects of a predicate are the data's)
        if str(p) in altered:
            return None
    return shacl_sparql._targets(shapes, shape)


def checks(shapes: Graph, altered: Mapping[str, str] | Iterable[str] = ()) -> list[Check]:
    """Every check of every targeted shape of ``shapes`` (a graph without the SPARQL constraints
    graph/shacl_sparql.py runs); the predicates of ``altered`` (``altered_predicates``; a plain
    collection counts as ``ALTERED``) make the constraints that depend on their literals' forms
    "may fail"."""
    altered = dict(altered) if isinstance(altered, Mapping) else dict.fromkeys(altered, ALTERED)
    out: list[Check] = []
    targeted = {
        s
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
        for s in shapes.subjects(p, None)
    }
    targeted |= {s for s in shapes.subjects(RDF.type, RDFS.Class) if (s, RDF.type, SH.NodeShape) in shapes}
    for shape in sorted(targeted, key=str):
        targets = target_patterns(shapes, shape, altered)
        if targets is None:
            out.append(Check(shape, shape, "target", None))
            continue
        if not targets or str(shapes.value(shape, SH.deactivated)).lower() == "true":
            continue
        if shapes.value(shape, SH.path) is not None:  # a property shape with its own targets
            out.extend(_shape_checks(shapes, None, shape, targets, altered))
            continue
        out.extend(_shape_checks(shapes, shape, shape, targets, altered))
        for ps in shapes.objects(shape, SH.property):
            out.extend(_shape_checks(shapes, shape, ps, targets, altered))
    return out


def path_predicates(shapes: Graph) -> set[str]:
    """Every predicate a shape's path, target or comparison names (those ``altered_predicates``
    needs to look at)."""
    out: set[str] = set()
    for path in shapes.objects(None, SH.path):
        compiled = compile_path(shapes, path)
        if compiled is not None:
            out |= compiled[1]
    for p in (SH.targetSubjectsOf, SH.targetObjectsOf, SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint):
        out |= {str(o) for o in shapes.objects(None, p)}
    return out


def _stored(store: ox.Store, predicate: str) -> set[tuple[str, str | None, str | None]]:
    out = set()
    for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
        o = q.object
        if isinstance(o, ox.Literal):
            out.add((o.value, None if o.language else o.datatype.value, o.language))
    return out


# datatypes whose values Oxigraph may write in another (canonical) lexical form, keeping the
# datatype and the value; rdflib parses every form Oxigraph reads to the same Python value
_CANONICALISED = {str(XSD.integer), str(XSD.decimal), str(XSD.boolean)}
# the constraints that depend on a literal's value and datatype only, not on its lexical form
_VALUE_ONLY = {
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.nodeKind,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.lessThan,
    SH.lessThanOrEquals,
}
CANONICAL = "canonical"  # only numbers and booleans written canonically, no two values of a subject merged
STRING = "string"  # explicit xsd:string literals (plain to Oxigraph), no two values of a subject merged
ALTERED = "altered"
# what else holds for a STRING predicate: the lexical form and, to pySHACL, the datatype are kept
_STRING_SAFE = _VALUE_ONLY | {SH.datatype, SH.pattern, SH.minLength, SH.maxLength, SH.languageIn}


def _canonical(key: tuple[str, str | None, str | None]) -> tuple[str, str | None, str | None] | None:
    """The form Oxigraph stores a typed literal in (None when it is not a number or boolean
    Oxigraph reads, or the datatype would change)."""
    value, datatype, _ = key
    if datatype not in _CANONICALISED:
        return None
    scratch = ox.Store()
    lit = ox.Literal(value, datatype=ox.NamedNode(datatype))
    scratch.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), lit))
    (q,) = list(scratch)
    o = q.object
    if not isinstance(o, ox.Literal) or o.language or o.datatype.value != datatype or o.value == value:
        return None
    return (o.value, datatype, None)


def _key(o: Literal) -> tuple[str, str | None, str | None]:
    return (str(o), None, o.language) if o.language else (str(o), str(o.datatype or XSD.string), None)


def altered_predicates(graphs: Iterable[Graph], store: ox.Store, predicates: Iterable[str]) -> dict[str, str]:
    """The predicates among ``predicates`` with a literal in ``graphs`` (rdflib) that ``store``
    holds in another form: ``CANONICAL`` when it is a number or boolean Oxigraph writes in its
    canonical form, ``STRING`` when it is an explicit xsd:string (one term with the plain literal
    to Oxigraph, two to rdflib: sh:in and sh:hasValue cannot be asked), both only when no two
    values of one subject become one; ``ALTERED`` for anything else (another datatype, such as
    xsd:positiveInteger stored as xsd:integer; an upper-case language tag; a literal rdflib finds
    ill-typed, whose lexical form it may have replaced; both of the first two kinds)."""
    graphs = list(graphs)
    out: dict[str, str] = {}
    for predicate in predicates:
        stored: set | None = None
        p = URIRef(predicate)
        canonical: dict[tuple, tuple | None] = {}
        explicit = False
        for g in graphs:
            for o in g.objects(None, p):
                if not isinstance(o, Literal):
                    continue
                if (o.language and o.language != o.language.lower()) or o.ill_typed:
                    # (rdflib may show an ill-typed literal in another form: "yes"^^xsd:boolean as "false")
                    out[predicate] = ALTERED
                    break
                if o.datatype == XSD.string:
                    explicit = True
                    continue
                if stored is None:
                    stored = _stored(store, predicate)
                key = _key(o)
                if key not in stored:
                    if key not in canonical:
                        canonical[key] = _canonical(key)
                    if canonical[key] is None or canonical[key] not in stored:
                        out[predicate] = ALTERED
                        break
            if out.get(predicate) == ALTERED:
                break
        if (canonical or explicit) and predicate not in out:
            if _merged(graphs, p, canonical):
                out[predicate] = ALTERED
            else:
                out[predicate] = STRING if explicit and not canonical else CANONICAL if not explicit else ALTERED
    return out


def _merged(graphs: list[Graph], p: URIRef, canonical: dict[tuple, tuple | None]) -> bool:
    """Whether some subject has two values of ``p`` that Oxigraph stores as one."""
    values: dict = {}
    for g in graphs:
        for s, o in g.subject_objects(p):
            values.setdefault(s, set()).add(o)
    for objects in values.values():
        if len(objects) < 2:
            continue
        forms = [canonical.get(_key(o)) or _key(o) if isinstance(o, Literal) else o for o in objects]
        if len(set(forms)) < len(forms):
            return True
    return False


def altered_in_quads(quads: Iterable[ox.Quad], store: ox.Store, predicates: Iterable[str]) -> dict[str, str]:
    """``altered_predicates`` for data given as Oxigraph quads as parsed (the linter's input):
    every predicate with a literal the store holds in another form counts as ``ALTERED``."""
    wanted = set(predicates)
    stored: dict[str, set] = {}
    out: dict[str, str] = {}
    for q in quads:
        o, p = q.object, q.predicate.value
        if not isinstance(o, ox.Literal) or p not in wanted or p in out:
            continue
        if p not in stored:
            stored[p] = _stored(store, p)
        key = (o.value, None if o.language else o.datatype.value, o.language)
        if key not in stored[p]:
            out[p] = ALTERED
    return out


def _closure(shapes: Graph, pruned: Graph, start: list) -> None:
    """Copy into ``pruned`` everything the nodes of ``start`` reference in ``shapes``."""
    todo, seen = list(start), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            pruned.add((node, p, o))
            if p != RDF.type and (o, None, None) in shapes:
                todo.append(o)


@dataclass
class Plan:
    """What pySHACL has to run: ``shapes`` (the shapes with a check that may fail, and what they
    reference) and, for each of them, the focus nodes that may fail one of its checks
    (``foci``; None when some check is not compiled and so every focus node may)."""

    shapes: Graph
    foci: dict[Node, set[str] | None]
    # (shape, member) -> the focus nodes that may fail the member's checks (member: the shape
    # itself for its node-level constraints, or one of its property shapes)
    member_foci: dict[tuple[Node, Node], set[str]] = field(default_factory=dict)


def plan(
    shapes: Graph,
    store: ox.Store,
    *,
    graphs: list[str] | None = None,
    altered: Mapping[str, str] | Iterable[str] = (),
    with_foci: bool = False,
) -> Plan:
    """``prune``, and with ``with_foci`` each failing check's focus nodes (one SELECT per check
    instead of one ASK)."""
    fails: dict[Node, set] = {}
    foci: dict[Node, set[str] | None] = {}
    member_foci: dict[tuple[Node, Node], set[str]] = {}
    for c in checks(shapes, altered):
        owner = c.shape if c.parent is None else c.parent
        if with_foci:
            found = c.focus_nodes(store, graphs)
            if found is None or found:
                fails.setdefault(owner, set()).add(c.shape)
                known = foci.get(owner, set())
                foci[owner] = None if found is None or known is None else known | found
                if found is not None:
                    member_foci.setdefault((owner, c.shape), set()).update(found)
            continue
        if c.shape in fails.get(owner, set()):
            continue
        if c.may_fail(store, graphs):
            fails.setdefault(owner, set()).add(c.shape)
            foci[owner] = None
    pruned = Graph()
    for prefix, ns in shapes.namespaces():
        pruned.bind(prefix, ns)
    start = []
    for shape, members in fails.items():
        for p, o in shapes.predicate_objects(shape):
            if p == SH.property and o not in members:
                continue
            pruned.add((shape, p, o))
            if p != RDF.type and (o, None, None) in shapes:
                start.append(o)
    _closure(shapes, pruned, start)
    return Plan(pruned, foci, member_foci)


def prune(
    shapes: Graph,
    store: ox.Store,
    *,
    graphs: list[str] | None = None,
    altered: Mapping[str, str] | Iterable[str] = (),
) -> Graph:
    """The shapes of ``shapes`` with a check that may fail on ``store`` (the union of ``graphs``,
    or of all its graphs), with everything they reference; the others are left out, so pySHACL
    finds on the result exactly what it finds on ``shapes``."""
    return plan(shapes, store, graphs=graphs, altered=altered).shapes


# constraints whose evaluation for a focus node reads only the focus node's own triples and the
# types of its values (with the graph's rdfs:subClassOf triples): see ``neighbourhood``
_LOCAL = _VALUE_ONLY | {
    SH.datatype,
    SH["in"],
    SH.pattern,
    SH.flags,
    SH.hasValue,
    SH.languageIn,
    SH.minLength,
    SH.maxLength,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.node,
}


def _local_shape(shapes: Graph, shape) -> bool:
    """Whether pySHACL's findings for ``shape`` on a focus node depend only on the triples
    ``neighbourhood`` copies: predicate paths, constraints of ``_LOCAL`` (sh:or and the like
    only of value constraints), targets by class, subjects of or node, no implicit class target."""
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, SH.target, None) in shapes:
        return False
    if (shape, SH.targetObjectsOf, None) in shapes:
        return False
    members = [shape, *shapes.objects(shape, SH.property)]
    for m in members:
        if m != shape and not isinstance(shapes.value(m, SH.path), URIRef):
            return False
        for p, o in shapes.predicate_objects(m):
            if p in _NON_VALIDATING:
                if p == SH.property and m != shape:
                    return False
                continue
            if p not in _LOCAL:
                return False
            if p in (SH["or"], SH["and"], SH["not"], SH.node) and value_condition(shapes, p, o, "?v") is None:
                return False
    return True


def neighbourhood(
    plan: Plan, parts: Iterable[Graph], prefixes: Graph | None = None, chunk: int = 1000
) -> tuple[list[Graph], Graph] | None:
    """Shapes graphs and a data graph on which pySHACL finds what it finds with ``plan.shapes``
    on the union of ``parts`` (the shapes graphs share out the focus nodes, ``chunk`` to each:
    pySHACL's report takes time quadratic in its results' count): each property shape that may fail is validated on its own focus
    nodes that may fail it (a node shape of its own with sh:targetNode: its results name the
    property shape, as before), the node shape's own constraints on theirs, and the data holds
    only those focus nodes' triples of the predicates the shapes read, the types of their values
    and the rdfs:subClassOf triples. None when some shape needs more (``_local_shape``) or a
    focus node is blank (Oxigraph names blank nodes apart from rdflib). ``prefixes``: the graph
    whose prefixes pySHACL's messages would use (the data graph; default: those of a new rdflib
    Graph)."""
    shapes = plan.shapes
    parts = list(parts)
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    for shape, found in plan.foci.items():
        if found is None or not _local_shape(shapes, shape) or any(f.startswith("_:") for f in found):
            return None
    base = [t for t in shapes if t[1] not in targets and not (t[1] == SH.property and t[0] in plan.foci)]
    focused: list[tuple] = []
    nodes: set[str] = set()
    predicates: set[URIRef] = {RDF.type}
    for (shape, member), found in plan.member_foci.items():
        if not found:
            continue
        nodes |= found
        holder = shape
        if member != shape:
            holder = BNode()
            base.append((holder, RDF.type, SH.NodeShape))
            base.append((holder, SH.property, member))
            path = shapes.value(member, SH.path)
            predicates.add(URIRef(str(path)))
            for other in shapes.objects(member, SH.lessThan):
                predicates.add(URIRef(str(other)))
            for other in shapes.objects(member, SH.lessThanOrEquals):
                predicates.add(URIRef(str(other)))
        for f in sorted(found):
            focused.append((holder, SH.targetNode, URIRef(f)))
    chunks = []
    for start in range(0, len(focused), chunk):
        g = Graph()
        for prefix, ns in shapes.namespaces():
            g.bind(prefix, ns)
        for t in base:
            g.add(t)
        for t in focused[start : start + chunk]:
            g.add(t)
        chunks.append(g)
    data = Graph()
    if prefixes is not None:  # pySHACL's messages name nodes by the data graph's prefixes
        data.namespace_manager = prefixes.namespace_manager
    for g in parts:
        for t in g.triples((None, RDFS.subClassOf, None)):
            data.add(t)
    values = set()
    for f in nodes:
        node = URIRef(f)
        for g in parts:
            for p in predicates:
                for o in g.objects(node, p):
                    data.add((node, p, o))
                    if not isinstance(o, Literal):
                        values.add(o)
    for v in values:
        for g in parts:
            for t in g.triples((v, RDF.type, None)):
                data.add(t)
    return chunks, data


def has_targets(shapes: Graph) -> bool:
    """Whether pySHACL would find any focus node to validate with ``shapes``."""
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        if (None, p, None) in shapes:
            return True
    return any((s, RDF.type, SH.NodeShape) in shapes for s in shapes.subjects(RDF.type, RDFS.Class))
