"""The build: plan tables -> records -> RDF -> validation -> dumps and store. Only chains the steps.

The records come from the reviewed tables of data/plans/ (graph/tables/); no extractor runs here
(``fukushi-kg import`` runs them once and writes the tables).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef

from fukushi_kg import resources
from fukushi_kg.graph import (
    build_inputs,
    identity,
    publish,
    reason,
    serialize,
    shacl_core,
    shortcuts,
    source_texts,
    store,
    validate,
)
from fukushi_kg.graph.mapping import DEFAULT_BASE, to_dataset
from fukushi_kg.graph.sources import SourcesError, documents
from fukushi_kg.graph.tables.catalog import own_organisations, read_plans
from fukushi_kg.graph.tables.schema import FormatError


class BuildError(RuntimeError):
    """The build stopped because the graph failed a check (SHACL, HermiT, tables that do not read);
    ``details`` lists what a person has to fix. ``fukushi-kg build`` exits 1."""

    exit_code = 1

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = details or []


class BuildInputError(BuildError):
    """What the build was given cannot be used: the sources folder or its manifest, a ``--shapes``
    file, the output folder. ``fukushi-kg build`` exits 2."""

    exit_code = 2


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
    checksums: dict[str, str] = field(default_factory=dict)  # SHA-256 of each file of ``files``
    inputs: str = ""  # SHA-256 of everything the build read (graph/build_inputs.py)
    texts: dict[str, str] = field(default_factory=dict)  # dist/sources/<name> -> document id (graph/source_texts.py)
    unchanged: bool = False  # true when dist/ already held the build of these inputs and was kept
    reused: list[str] = field(default_factory=list)  # steps whose result came from dist/.cache (by content hash)


#: The build's cache in the output folder: results of steps kept by the content hash of their input
#: (HermiT's verdicts, graph/reason.py)
CACHE = Path(".cache")
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _timed(step: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> tuple[_R, float]:
    """``step``'s result and how many seconds it took (for a step run in a thread)."""
    start = time.monotonic()
    out = step(*args, **kwargs)
    return out, round(time.monotonic() - start, 2)


def _say(progress: Callable[[str], None] | None, text: str) -> None:
    if progress:
        progress(text)


def build(
    dist: Path,
    base: str = DEFAULT_BASE,
    *,
    check_owl: bool = True,
    extra_shapes: list[Path] | None = None,
    progress: Callable[[str], None] | None = None,
    plans: Path | list[Path] | None = None,
    sources: Path | None = None,
    seeds: bool = True,
    force: bool = False,
) -> BuildReport:
    """Build everything into ``dist`` from the seeds (the packaged data/plans; not with ``seeds``
    false) or the documents of ``sources`` (a folder with manifest.json), and the table folders of
    ``plans`` (see graph/tables/catalog.py: a seed's folder replaces its tables, a folder that
    describes its own document adds it); raise BuildError (and leave ``dist`` as it was) on
    failure, BuildInputError when the input cannot be used. When ``dist`` already holds the build
    of the same inputs (by content, graph/build_inputs.py) it is kept and its report returned with
    ``unchanged`` set, unless ``force``."""
    if dist.exists() and not dist.is_dir():
        raise BuildInputError(f"{dist}: the output folder is a file")
    try:
        documents(sources)  # a missing folder or a broken manifest is found before any work
        shapes = validate.load_shapes(extra_shapes)
    except (SourcesError, validate.ShapesError) as exc:
        raise BuildInputError(str(exc)) from None
    t0 = time.monotonic()
    roots = [plans] if isinstance(plans, Path) else list(plans or [])
    inputs = build_inputs.digest(
        [*roots, sources, *(extra_shapes or [])], {"base": base, "reasoner": check_owl, "seeds": seeds}
    )
    previous = None if force else build_inputs.previous_build(dist, inputs)
    if previous is not None:
        _say(progress, f"nothing changed since the build of {previous.get('built')}: {dist}/ kept (--force rebuilds)")
        kept = BuildReport(**{k: v for k, v in previous.items() if k in BuildReport.__dataclass_fields__})
        kept.unchanged = True
        kept.seconds = {"check": round(time.monotonic() - t0, 2), "total": round(time.monotonic() - t0, 2)}
        return kept
    report = BuildReport(base=base, inputs=inputs)

    def lap(step: str, start: float) -> float:
        now = time.monotonic()
        report.seconds[step] = round(now - start, 2)
        return now

    _say(progress, "reading tables from " + ", ".join(map(str, [*([resources.PLANS] if seeds else []), *roots])))
    try:
        extracted = read_plans(roots, progress, sources, seeds=seeds)
        organisations = own_organisations([doc for doc, _ in extracted])
    except SourcesError as exc:
        raise BuildInputError(str(exc)) from None
    except FormatError as exc:
        raise BuildError(f"reading the tables failed: {exc.args[0]}", exc.details) from None
    t = lap("tables", t0)
    for doc, rec in extracted:
        report.documents[doc.id] = {
            "plans": len(rec.plans),
            "components": len(rec.components),
            "listings": len(rec.listings),
            "indicators": len(rec.indicators),
            "law_citations": len(rec.laws),
        }

    _say(progress, "converting to RDF")
    try:
        # the reviewed program matches name listings of the seed sources, so they apply to those only
        seeded = sources is None and seeds
        ds, warnings = to_dataset(extracted, base, identity.MATCHES if seeded else None, organisations)
    except ValueError as exc:  # a value the ontology's code lists lack, e.g. an unknown grade or unit
        raise BuildError(f"converting to RDF failed: {exc}") from None
    report.warnings.extend(warnings)
    memory = ox.Store()  # the quads in memory: the shortcuts are computed and SHACL-SPARQL runs on it
    quads = shortcuts.extend(serialize.sorted_quads(ds), base, memory)  # + derived facts the named queries read
    report.quads = len(quads)
    # every quad of the dataset is in a named graph (to_dataset writes none to the default graph)
    report.graphs = dict(
        sorted(Counter(q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)).items())
    )
    report.triples = len({q.triple for q in quads})
    t = lap("rdf", t)

    _say(progress, f"validating {report.triples} triples against shapes/")
    data_graphs = [str(g.identifier) for g in ds.graphs() if isinstance(g.identifier, URIRef) and len(g)]

    def union() -> Graph:  # made only when pySHACL has a core constraint that may fail to check
        out = Graph()
        for g in ds.graphs():
            out += g
        return out

    core_predicates = shacl_core.path_predicates(shapes)
    altered = shacl_core.altered_predicates(ds.graphs(), memory, core_predicates)
    findings = validate.validate(
        union, shapes, store=memory, graphs=data_graphs, altered=altered, parts=list(ds.graphs())
    )
    del memory
    violations = [f for f in findings if f.severity == "Violation"]
    report.shacl = "conforms" if not violations else f"{len(violations)} violations"
    report.warnings.extend(str(f) for f in findings if f.severity != "Violation")
    t = lap("shacl", t)
    if violations:
        raise BuildError(
            f"the graph does not conform to shapes/: {len(violations)} violations", [str(v) for v in violations]
        )

    # HermiT (a Java process, waited for in a thread) starts as soon as the graph passed SHACL, and
    # runs beside the dumps and the store load (Oxigraph's bulk loader, in a thread: it releases the
    # GIL); the store and the dumps are swapped in only once HermiT's verdict is in
    nt = serialize.ntriples(quads)
    pool = ThreadPoolExecutor(2)
    gzips = ThreadPoolExecutor(1)
    stop = threading.Event()  # set when the build stops before HermiT's verdict: HermiT is killed
    reasoning: Future[tuple[reason.ReasonerResult, float]] | None = None
    if check_owl:
        _say(progress, "checking OWL consistency with HermiT (beside the dumps and the store)")
        text = nt.decode("utf-8")
        reasoning = pool.submit(_timed, reason.check_text, text, cache=dist / CACHE, reuse=not force, cancel=stop)
    else:
        report.reasoner = "skipped (--no-reasoner)"
    store.remove_leftovers(dist)  # what builds killed earlier left behind
    staging = dist / f".staging-{os.getpid()}"
    loading: Future[tuple[Path, float]] | None = None
    try:
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        _say(progress, "loading the Oxigraph store (beside the dumps)")
        loading = pool.submit(_timed, store.load_store, quads, dist, "store")
        _say(progress, "writing dumps")
        # each dump is compressed in a thread (zlib releases the GIL) while the next one is made
        zipping: dict[Path, Future[Path]] = {}
        files = serialize.write_dumps(
            quads, staging, nt=nt, written=lambda path: zipping.setdefault(path, gzips.submit(publish.gzip_copy, path))
        )
        report.id = build_inputs.sha256(files["nq"])
        dumps = list(files.values())
        for kind, path in list(files.items()):
            files[f"{kind}.gz"] = zipping[path].result()
        files["sha256sums"] = publish.write_sums(
            [*dumps, *(files[f"{k}.gz"] for k in ("trig", "nq", "nt", "jsonld"))], staging
        )
        report.texts = source_texts.copy([doc for doc, _ in extracted], staging / source_texts.FOLDER)
        t = lap("dumps", t)
        loaded, report.seconds["store"] = loading.result()
        if reasoning is not None:
            result, report.seconds["reasoner"] = reasoning.result()
            report.reasoner = result.message
            if result.cached:
                report.reused.append("reasoner")
            reason.remember(dist / CACHE, result)
            problem = None
            if result.ran and not result.consistent:
                problem = BuildError("the ontology with the data is inconsistent", [result.message])
            elif result.unsatisfiable:
                problem = BuildError("the ontology has unsatisfiable classes", result.unsatisfiable)
            if problem is not None:
                raise problem
        t = lap("wait", t)  # for the store and HermiT, once the dumps were written
        store.swap_in_store(dist, loaded)
        loading = None  # served now: not removed below
        for kind, path in files.items():
            final = dist / path.name
            os.replace(path, final)
            report.files[kind] = str(final)
            report.checksums[kind] = build_inputs.sha256(final)
        source_texts.swap_in(staging / source_texts.FOLDER, dist / source_texts.FOLDER)
    finally:
        stop.set()
        pool.shutdown(wait=True)
        gzips.shutdown(wait=True)
        if loading is not None and loading.done() and loading.exception() is None:
            shutil.rmtree(loading.result()[0], ignore_errors=True)  # a store the build did not swap in
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds["total"] = round(time.monotonic() - t0, 2)
    report.built = datetime.now(UTC).isoformat(timespec="seconds")
    tmp = dist / f".build-report.json.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, dist / "build-report.json")  # never a half-written report
    return report


def main_progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
