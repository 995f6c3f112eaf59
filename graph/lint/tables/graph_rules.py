"""Every rule of the graph linter, on the graph the tables build, each finding put back on its row.

The records are converted by the build's own ``to_dataset`` in memory and linted with
``graph.lint.run.lint``. Every resource the tables make is named by ``rdf.Iris`` from a row's keys,
so an index from IRI to row is made with the same ``Iris`` (plans, components, listings and their
programs, indicators and observations, results, citations, initiatives). A finding on any other node
(a span, a blank node, a data-set structure) goes to the indexed resource next to it in the graph
(the one that links to it, else the one it links to, two steps at most), else to the longest
indexed IRI it extends, else to the document's row.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from fukushi_kg import resources
from fukushi_kg.graph import identity, serialize
from fukushi_kg.graph.lint.inputs import LocalInput, load_quads
from fukushi_kg.graph.lint.model import Finding, Location
from fukushi_kg.graph.lint.run import LintOptions, lint
from fukushi_kg.graph.lint.tables.references import Read
from fukushi_kg.graph.rdf import DEFAULT_BASE, Iris, ascii_code, to_dataset
from fukushi_kg.graph.sources import Document
from fukushi_kg.graph.tables.catalog import own_organisations
from fukushi_kg.graph.text import norm

#: the column a graph finding points at, by code (or family) and table; default: the row's key
COLUMNS: dict[str, dict[str, str]] = {
    "REL001": {"listings": "relisted_at"},
    "REL002": {"listings": "name"},
    "REL003": {"listings": "divisions"},
    "RESP001": {"listings": "divisions"},
    "CODE": {"components": "code"},
    "IND003": {"observations": "year"},
    "IND004": {"indicators": "unit", "observations": "value"},
    "SDG": {"plan_sdg_goals": "goal"},
    "LAW": {"law_citations": "article", "plan_legal_basis": "article"},
    "LBL": {"listings": "name", "components": "title", "indicators": "name", "results": "name"},
    "AMT": {"results": "amount", "result_sub_amounts": "amount"},
    "SRC": {"*": "line_start"},
}


#: SHACL paths (the property's local name, as the SHACL001 message gives it) and their columns
PATH_COLUMNS = {
    "isRelistingOf": "relisted_at",
    "relistedWith": "relisted_at",
    "responsibleDivision": "divisions",
    "leadActor": "divisions",
    "selfEvaluation": "self_evaluation",
    "listedUnder": "component",
    "parentComponent": "parent",
    "refYear": "year",
    "unit": "unit",
    "label": "name",
    "amount": "amount",
    "citedLaw": "law",
}
_PATH = re.compile(r"\(path (\w+)\)")


@dataclass(frozen=True)
class RowRef:
    read: Read
    table: str
    index: int

    def location(self, code: str, message: str = "") -> Location:
        sheet = self.read.folder.sheets[self.table]
        columns = COLUMNS.get(code) or COLUMNS.get(code.rstrip("0123456789")) or {}
        column = columns.get(self.table) or columns.get("*")
        path = _PATH.search(message)
        if path and PATH_COLUMNS.get(path.group(1)) in sheet.header:
            column = PATH_COLUMNS[path.group(1)]
        if column is None or column not in sheet.header:
            key = [k for k in sheet.table.primary_key if k != "document" and k in sheet.header]
            column = key[0] if key else None
        return sheet.location(self.index, column)


def row_index(reads: list[Read], base: str = DEFAULT_BASE) -> dict[str, RowRef]:
    """IRI -> the row it was made from, with the IRIs ``rdf.Iris`` mints from the rows' keys."""
    iris = Iris(base)
    orgs = tomllib.loads(resources.reviewed("organisations.toml").read_text(encoding="utf-8"))
    city_slug = {norm(c["name"]): slug for slug, c in orgs.get("cities", {}).items()}
    out: dict[str, RowRef] = {}

    def put(iri: object, r: Read, table: str, index: int) -> None:
        out.setdefault(str(iri), RowRef(r, table, index))

    for r in reads:
        doc, rec, rows = r.folder.doc_id, r.records, r.rows
        for row in rows["document"][:1]:
            put(iris.document(doc), r, "document", row.index)
        for row in rows["plans"]:
            put(iris.plan(row["key"]), r, "plans", row.index)
        for row, c in zip(rows["components"], rec.components, strict=True):
            put(iris.component(c.plan, c.level, c.code), r, "components", row.index)
        for row, lst in zip(rows["listings"], rec.listings, strict=True):
            put(iris.listing(lst), r, "listings", row.index)
            put(iris.program(lst), r, "listings", row.index)
        observations = defaultdict(list)
        for row in rows["observations"]:
            observations[(row["plan"], row["indicator"])].append(row)
        for row, ind in zip(rows["indicators"], rec.indicators, strict=True):
            node = iris.indicator(ind.plan, ind.key)
            put(node, r, "indicators", row.index)
            seen: dict[str, int] = {}
            for o in observations[(ind.plan, ind.key)]:
                key = f"{o['kind']}-{o['year']}" + (f"-{ascii_code(o['series_key'])}" if o["series_key"] else "")
                seen[key] = seen.get(key, 0) + 1
                put(f"{node}/{key}" + (f"-{seen[key]}" if seen[key] > 1 else ""), r, "observations", o.index)
        for row, res in zip(rows["results"], rec.results, strict=True):
            put(iris.result(res), r, "results", row.index)
            put(iris.program(res), r, "results", row.index)
        for n, row in enumerate(rows["law_citations"], start=1):
            put(iris.citation(doc, n), r, "law_citations", row.index)
        cities = {row["name"]: city_slug.get(norm(row["name"])) for row in rows["cities"]}
        for row in rows["initiatives"]:
            slug = cities.get(row["city"])
            if slug:
                put(iris.initiative(doc, slug, row["seq"]), r, "initiatives", row.index)
    return out


class _Mapper:
    def __init__(self, inp: LocalInput, index: dict[str, RowRef], reads: list[Read]) -> None:
        self.store = inp.store
        self.index = index
        self.reads = reads
        self.cache: dict[str, RowRef | None] = {}

    def _node(self, focus: str) -> ox.NamedNode | ox.BlankNode:
        return ox.BlankNode(focus[2:]) if focus.startswith("_:") else ox.NamedNode(focus)

    def _near(self, focus: str) -> RowRef | None:
        try:
            start = self._node(focus)
        except ValueError:
            return None
        frontier: list = [start]
        seen: set = {start}
        for _ in range(2):
            nxt = []
            for node in frontier:
                for q in self.store.quads_for_pattern(None, None, node, None):
                    hit = self.index.get(q.subject.value) if isinstance(q.subject, ox.NamedNode) else None
                    if hit:
                        return hit
                    if q.subject not in seen:
                        seen.add(q.subject)
                        nxt.append(q.subject)
            for node in frontier:
                for q in self.store.quads_for_pattern(node, None, None, None):
                    if isinstance(q.object, ox.NamedNode) and q.predicate.value.endswith("#type"):
                        continue
                    hit = self.index.get(q.object.value) if isinstance(q.object, ox.NamedNode) else None
                    if hit:
                        return hit
            frontier = nxt
        return None

    def _prefix(self, focus: str) -> RowRef | None:
        iri = focus.split("#", 1)[0]
        while "/" in iri:
            if iri in self.index:
                return self.index[iri]
            iri = iri.rsplit("/", 1)[0]
        return None

    def row(self, focus: str) -> RowRef | None:
        if focus not in self.cache:
            self.cache[focus] = self.index.get(focus) or self._near(focus) or self._prefix(focus)
        return self.cache[focus]


def graph_findings(
    reads: list[Read], docs: dict[str, Document], options: LintOptions, codes: list[str], complete: bool
) -> tuple[list[Finding], list[str], list]:
    """The graph rules ``codes`` on the graph of ``reads``: (findings at rows, notices, skipped)."""
    extracted = [(docs[r.folder.doc_id], r.records) for r in reads]
    organisations = own_organisations([d for d, _ in extracted])  # the cities and divisions own folders add
    try:
        ds, warnings = to_dataset(extracted, DEFAULT_BASE, identity.MATCHES if complete else None, organisations)
    except ValueError as exc:  # what the build also refuses, e.g. a plan's city no registry names
        return [], [f"graph rules not run: the tables make no graph: {exc}"], []
    quads = serialize.sorted_quads(ds)
    inp = load_quads(quads, "the graph of the tables")
    opts = LintOptions(select=list(codes), fail_on=options.fail_on, shapes=options.shapes, source_roots=[])
    result = lint(inp, opts)
    mapper = _Mapper(inp, row_index(reads), reads)
    fallback = {r.folder.doc_id: r for r in reads}
    out = []
    for f in result.findings:
        ref = mapper.row(f.anchor or f.focus) or (mapper.row(f.focus) if f.anchor else None)
        if ref is not None:
            f.location = ref.location(f.code, f.message_en)
        elif reads:
            first = fallback[reads[0].folder.doc_id]
            sheet = first.folder.sheets.get("document")
            f.location = sheet.file_location() if sheet else Location(first.folder.display)
        f.rdf_location = None  # the graph is in memory: no RDF file to point at
        out.append(f)
    return out, [*result.notices, *(f"build: {w}" for w in warnings)], result.skipped
