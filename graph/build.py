"""The build: sources -> records -> RDF -> validation -> dumps and store. Only chains the steps."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph

from fukushi_kg.graph import reason, serialize, store, validate
from fukushi_kg.graph.rdf import DEFAULT_BASE, to_dataset
from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import Document, documents

# layout (manifest) -> module in graph/extract with extract(doc) -> DocumentRecords
EXTRACTORS = {
    "child-plan-report": "fukushi_kg.graph.extract.child_plan",
    "welfare-plan": "fukushi_kg.graph.extract.welfare_plan",
    "kurume-status": "fukushi_kg.graph.extract.kurume_status",
    "welfare-results": "fukushi_kg.graph.extract.welfare_results",
    "case-studies": "fukushi_kg.graph.extract.case_studies",
}


class BuildError(RuntimeError):
    """The build stopped; ``details`` lists what a person has to fix."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = details or []


@dataclass
class BuildReport:
    base: str
    id: str = ""  # sha256 of the N-Quads dump: names this build's content (the service's HTTP validators)
    built: str = ""  # when the build finished (ISO 8601, UTC): the service's Last-Modified
    triples: int = 0
    quads: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    documents: dict[str, dict[str, int]] = field(default_factory=dict)
    shacl: str = ""
    reasoner: str = ""
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _say(progress: Callable[[str], None] | None, text: str) -> None:
    if progress:
        progress(text)


class ExtractionError(ValueError):
    """A source's text is not laid out as its extractor expects; the message names the file and where."""


# What an extractor raises when its text lacks a line it relies on (an index past the end, a
# ``next()`` that finds nothing): reported as a layout mismatch, never as a traceback.
_LAYOUT_ERRORS = (IndexError, KeyError, StopIteration, AttributeError, TypeError)


def extract_document(doc: Document) -> DocumentRecords:
    """Run ``doc``'s extractor; any failure is an ExtractionError naming the document and the place."""
    module = importlib.import_module(EXTRACTORS[doc.layout])
    try:
        return module.extract(doc)
    except ValueError as exc:
        raise ExtractionError(f"{doc.rel_path}: {exc}") from exc
    except _LAYOUT_ERRORS as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        raise ExtractionError(
            f"{doc.rel_path}: the text does not have the layout the {doc.layout!r} extractor expects "
            f"({type(exc).__name__} at {Path(where.filename).name}:{where.lineno} in {where.name}); "
            "check the source text and its reviewed corrections"
        ) from exc


def extract_all(progress: Callable[[str], None] | None = None) -> list[tuple[Document, DocumentRecords]]:
    """Run the extractor of every document in the manifest (documents without one yield no records)."""
    out = []
    for doc in documents():
        module = EXTRACTORS.get(doc.layout)
        if module is None:
            out.append((doc, DocumentRecords(doc=doc.id)))
            _say(progress, f"  {doc.id}: no extractor for layout {doc.layout!r} yet (document described only)")
            continue
        rec = extract_document(doc)
        _say(
            progress,
            f"  {doc.id}: {len(rec.components)} components, {len(rec.listings)} listings, {len(rec.indicators)} indicators",
        )
        out.append((doc, rec))
    return out


def build(
    dist: Path,
    base: str = DEFAULT_BASE,
    *,
    check_owl: bool = True,
    extra_shapes: list[Path] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build everything into ``dist``; raise BuildError (and leave ``dist`` as it was) on failure."""
    report = BuildReport(base=base)
    t0 = time.monotonic()

    def lap(step: str, start: float) -> float:
        now = time.monotonic()
        report.seconds[step] = round(now - start, 2)
        return now

    _say(progress, "extracting records")
    try:
        extracted = extract_all(progress)
    except ExtractionError as exc:
        raise BuildError(f"extraction failed: {exc}") from None
    t = lap("extract", t0)
    for doc, rec in extracted:
        report.documents[doc.id] = {
            "plans": len(rec.plans),
            "components": len(rec.components),
            "listings": len(rec.listings),
            "indicators": len(rec.indicators),
            "law_citations": len(rec.laws),
        }

    _say(progress, "converting to RDF")
    ds, warnings = to_dataset(extracted, base)
    report.warnings.extend(warnings)
    quads = serialize.sorted_quads(ds)
    report.quads = len(quads)
    report.graphs = dict(sorted(Counter(q.graph_name.value for q in quads).items()))
    report.triples = len({q.triple for q in quads})
    t = lap("rdf", t)

    _say(progress, f"validating {report.triples} triples against shapes/")
    union = Graph()
    for g in ds.graphs():
        union += g
    findings = validate.validate(union, validate.load_shapes(extra_shapes))
    violations = [f for f in findings if f.severity == "Violation"]
    report.shacl = "conforms" if not violations else f"{len(violations)} violations"
    report.warnings.extend(str(f) for f in findings if f.severity != "Violation")
    t = lap("shacl", t)
    if violations:
        raise BuildError(
            f"the graph does not conform to shapes/: {len(violations)} violations", [str(v) for v in violations]
        )

    store.remove_leftovers(dist)  # what builds killed earlier left behind
    staging = dist / f".staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        _say(progress, "writing dumps")
        files = serialize.write_dumps(quads, staging)
        report.id = _sha256(files["nq"])
        t = lap("dumps", t)

        if check_owl:
            _say(progress, "checking OWL consistency with HermiT")
            result = reason.check(files["nt"])
            report.reasoner = result.message
            t = lap("reasoner", t)
            if result.ran and not result.consistent:
                raise BuildError("the ontology with the data is inconsistent", [result.message])
            if result.unsatisfiable:
                raise BuildError("the ontology has unsatisfiable classes", result.unsatisfiable)
        else:
            report.reasoner = "skipped (--no-reasoner)"

        _say(progress, "loading the Oxigraph store")
        store.write_store(quads, dist, "store")
        t = lap("store", t)
        for kind, path in files.items():
            final = dist / path.name
            os.replace(path, final)
            report.files[kind] = str(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds["total"] = round(time.monotonic() - t0, 2)
    report.built = datetime.now(UTC).isoformat(timespec="seconds")
    tmp = dist / f".build-report.json.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, dist / "build-report.json")  # never a half-written report
    return report


def main_progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
