"""``fukushi-kg lint`` on plan tables: a CSV folder (or a folder of them) or a workbook.

The steps, each on what the one before could read:

1. the files (files.py): encoding, byte-order mark, empty files, CSV quoting, tables missing or
   stray; in a workbook formulas, merged cells, dates;
2. the format (schema_checks.py): header rows, then Frictionless;
3. the records and references (references.py): the build's reader, re-listings, target years,
   divisions and laws in the reviewed registries; identities across documents;
4. the graph (graph_rules.py): every graph rule on the graph the build would make, when the
   tables have no violation (the build refuses those), each finding put back on its row.
"""

from __future__ import annotations

import time
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.lint.codes import PLAN_TABLE_CODES, TABLE, select_codes
from fukushi_kg.graph.lint.inputs import InputError
from fukushi_kg.graph.lint.model import Finding, Skip
from fukushi_kg.graph.lint.run import LintOptions, LintResult
from fukushi_kg.graph.lint.tables import files, references, schema_checks
from fukushi_kg.graph.lint.tables.files import finding
from fukushi_kg.graph.sources import SourcesError, documents, own_document

ALL_CODES = (*TABLE, *PLAN_TABLE_CODES)
#: findings the build does not refuse (the graph rules still run with them)
_ACCEPTED = {"TAB021", "TAB023", "TAB024", "TAB030"}


def is_tables_input(paths: list[str]) -> bool:
    """Whether the paths name plan tables (every one a plan folder, a folder of them or a workbook)."""
    found = [files.is_table_input(Path(p)) for p in paths]
    if any(found) and not all(found):
        raise InputError("name either plan tables (folders, .xlsx) or RDF files, not both")
    return bool(paths) and all(found)


def _sort_key(f: Finding) -> tuple:
    loc = f.location
    if loc is None:
        return ("", 0, 0, f.code, f.message_en)
    return (loc.file, loc.line or 0, loc.column or 0, f.code, f.message_en)


def _seed_documents() -> set[str]:
    return {p.name for p in resources.PLANS.iterdir() if p.is_dir()} if resources.PLANS.is_dir() else set()


def lint_tables(paths: list[Path], options: LintOptions | None = None) -> LintResult:
    """Lint plan tables; InputError when a path is not plan tables at all."""
    from fukushi_kg.graph.lint.tables.graph_rules import graph_findings

    options = options or LintOptions()
    t0 = time.monotonic()
    chosen = select_codes(options.select or None, options.ignore or None, ALL_CODES)
    chosen_set = {c.code for c in chosen}
    graph_codes = [c.code for c in chosen if not c.code.startswith("TAB")]
    inputs = files.expand(paths)
    folders = [files.read_input(p) for p in inputs]
    seen: dict[str, str] = {}
    for f in folders:
        if f.doc_id in seen:
            raise InputError(f"{f.display} and {seen[f.doc_id]} both hold the tables of {f.doc_id}; lint one of them")
        seen[f.doc_id] = f.display
    docs = {d.id: d for d in documents()}
    notices: list[str] = []
    findings: list[Finding] = []
    reads = []
    blocked = False
    for f in folders:
        found = list(f.findings)
        cells = {x.location.cell for x in found if x.location is not None and x.location.cell}
        found += [
            x
            for x in schema_checks.check(f)
            if x.location is None or x.location.cell is None or x.location.cell not in cells
        ]
        doc = docs.get(f.doc_id)
        if doc is None and f.path is not None and f.path.is_dir():
            try:  # a folder that describes its own document (format 1.1, `fukushi-kg new`)
                doc = own_document(f.path)
            except SourcesError as exc:
                raise InputError(str(exc)) from None
            if doc is not None:
                docs[doc.id] = doc
        if doc is None:
            notices.append(
                f"{f.display}: {f.doc_id} is not in data/sources/manifest.json: its lines are not checked against "
                "a text and the graph rules do not run on it"
            )
        if not any(x.severity == "violation" for x in found):
            rd, problems = references.records(f, len(doc.lines()) if doc else None)
            found += problems
            found += references.reference_findings(rd)  # on the typed rows: what the build accepts, a reviewer not
            if not problems and doc is not None:
                reads.append(rd)
        if any(x.severity == "violation" for x in found if x.code not in _ACCEPTED) or doc is None:
            blocked = True
        findings += found
    complete = bool(_seed_documents()) and _seed_documents() <= {r.folder.doc_id for r in reads}
    identities = references.identity_findings(reads, complete)
    findings += identities
    if any(x.location is not None and x.location.kind == "source" for x in identities):
        complete = False  # the build would refuse the reviewed matches: make the graph without them
    if not complete:
        notices.append(
            "the reviewed program matches (data/reviewed/program-matches.toml) are checked when every plan folder "
            "of data/plans/ is linted together"
        )
    skipped: list[Skip] = []
    if graph_codes and blocked:
        reason = "the tables have findings the build refuses; fix them and lint again"
        skipped.append(Skip(tuple(graph_codes), reason))
        notices.append(f"graph rules not run: {reason}")
    elif graph_codes and reads:
        try:
            graph, graph_notices, graph_skipped = graph_findings(reads, docs, options, graph_codes, complete)
        except ValueError as exc:  # a value the ontology's code lists lack
            graph, graph_notices, graph_skipped = [], [], []
            first = reads[0].folder
            findings.append(
                finding(
                    "TAB020",
                    first.sheets["document"].file_location(),
                    f"the graph cannot be made from the tables: {exc}",
                    f"表からグラフを作れない: {exc}",
                )
            )
        tab_rows = {(x.location.file, x.location.line) for x in findings if x.code == "TAB021" and x.location}
        findings += [
            g
            for g in graph
            if not (g.code == "REL001" and g.location and (g.location.file, g.location.line) in tab_rows)
        ]
        notices += graph_notices
        skipped += graph_skipped
    findings = [x for x in findings if x.code in chosen_set]
    unique: dict[tuple, Finding] = {}
    for x in findings:
        unique.setdefault((x.code, str(x.location), x.focus, x.message_en), x)
    result = sorted(unique.values(), key=_sort_key)
    shown = ", ".join(f.display for f in folders) if len(folders) <= 3 else f"{len(folders)} plan folders"
    return LintResult(
        input=shown,
        findings=result,
        codes=[c.code for c in chosen],
        skipped=skipped,
        notices=notices,
        seconds=round(time.monotonic() - t0, 3),
        fail_on=options.fail_on,
    )
