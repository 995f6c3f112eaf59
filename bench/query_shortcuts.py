"""The named queries in an earlier text and in their current one, on the bare engine, in one run.

    python -m bench.query_shortcuts DATA.nq [DATA2.nq ...] [--before DIR] [--out bench/results] [--reps 7]

Each file (a dist's ``fukushi-kg.nq`` or ``bench synth`` output, which both hold the shortcuts
graph) is loaded into two pyoxigraph stores: in memory, and on disk (RocksDB, opened read-only:
what ``oxigraph serve-read-only`` and the service's workers query). On each, every named query
runs in its earlier text (``--before``: by default tests/graph/fixtures/queries-shortcuts-first/,
the texts that first read the build's shortcuts; tests/graph/fixtures/queries-before/ holds those
from before any shortcut) and in its current text (queries/), interleaved, with the union default
graph. The answers must be equal as multisets of rows, on every file and store (the run stops
otherwise). The time is that of the query with its results serialised as SPARQL JSON by the
engine (what the bare Oxigraph server does); a text slower than ``--slow`` seconds is not
repeated (its one answer run is its time).

**The floor** of a query with many rows (``--floor-rows``): the same answer, its rows written as a
``VALUES`` block, serialised as JSON, less the same query with ``LIMIT 0`` (its parse): the cost of
writing that many rows and columns out, with no join at all. And the other side: the query
wrapped in ``SELECT (COUNT(*) …) { … }``, its joins, filters and sort with no term read for
output. Minima over the runs.

Results: ``QUERIES-SHORTCUTS.md`` and ``queries-shortcuts.json`` in ``--out``, with the load
average before and after each file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "graph" / "fixtures"
PREVIOUS = FIXTURES / "queries-shortcuts-first"
ORIGINAL = FIXTURES / "queries-before"
JSON = ox.QueryResultsFormat.JSON


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def answers(store: ox.Store, text: str) -> tuple[list[str], Counter]:
    """The variables and the rows (as a multiset) of a SELECT query."""
    result = store.query(text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    rows = Counter(tuple(None if s[v] is None else str(s[v]) for v in variables) for s in result)
    return variables, rows


def values_query(store: ox.Store, text: str) -> str:
    """A query whose answer is ``text``'s answer, its rows written out in a VALUES block."""
    result = store.query(text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    rows = "\n".join("(" + " ".join("UNDEF" if s[v] is None else str(s[v]) for v in variables) + ")" for s in result)
    return f"SELECT * WHERE {{ VALUES ({' '.join('?' + v for v in variables)}) {{\n{rows}\n}} }}"


def count_query(text: str) -> str:
    """``text`` (a SELECT) counting its rows instead of returning them: its joins, filters and
    sort, with no term read for output."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip().upper().startswith("SELECT"))
    body = "\n".join(lines[at:])
    return "\n".join(lines[:at]) + f"\nSELECT (COUNT(*) AS ?n_rows) WHERE {{ {{\n{body}\n}} }}"


def _once(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _stats(times: list[float]) -> dict[str, float]:
    return {"min_ms": round(min(times), 2), "p50_ms": round(statistics.median(times), 2)}


def measure_store(
    store: ox.Store, before_dir: Path, reps: int, slow: float, floor_rows: int, only: list[str] | None = None
) -> dict:
    from fukushi_kg.graph.queries import list_queries

    def json_of(text: str) -> Callable[[], object]:
        return lambda: store.query(text, use_default_graph_as_union=True).serialize(format=JSON)

    out: dict = {}
    for q in list_queries():
        if only and q.name not in only:
            continue
        before = (before_dir / f"{q.name}.rq").read_text("utf-8")
        t0 = time.perf_counter()
        old = answers(store, before)
        first = time.perf_counter() - t0
        new = answers(store, q.text)
        if old != new:
            raise SystemExit(
                f"{q.name}: the answers differ ({sum(old[1].values())} rows before, {sum(new[1].values())} now)"
            )
        rows = sum(old[1].values())
        entry: dict = {"rows": rows, "columns": len(old[0]), "same_answers": True}
        b: list[float] = []
        a: list[float] = []
        for i in range(1 if first > slow else reps):  # interleaved, the first to run alternating
            pair = (("before", b), ("after", a)) if i % 2 == 0 else (("after", a), ("before", b))
            for which, times in pair:
                if which == "before" and first > slow:  # too slow to repeat: its answer run is its time
                    times.append(first * 1000)
                else:
                    times.append(_once(json_of(before if which == "before" else q.text)))
        entry["before"], entry["after"] = _stats(b), _stats(a)
        if rows >= floor_rows:
            values, counted = values_query(store, q.text), count_query(q.text)
            full, parse, joins = [], [], []
            for _ in range(reps):
                full.append(_once(json_of(values)))
                parse.append(_once(json_of(values + " LIMIT 0")))
                joins.append(_once(json_of(counted)))
            entry["floor"] = {  # minima: the least disturbed runs of a shared machine
                "values_min_ms": round(min(full), 2),
                "parse_min_ms": round(min(parse), 2),
                "output_ms": round(max(min(full) - min(parse), 0.0), 2),
                "count_min_ms": round(min(joins), 2),
            }
        out[q.name] = entry
        print(f"  {q.name}: {entry}", file=sys.stderr, flush=True)
    return out


def measure(
    path: Path, before_dir: Path, reps: int, slow: float, floor_rows: int, only: list[str] | None = None
) -> dict:
    memory = ox.Store()
    memory.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    out: dict = {"data": path.name, "quads": len(memory), "stores": {}}
    work = Path(tempfile.mkdtemp(prefix="qshortcuts-"))
    try:
        disk = ox.Store(str(work / "store"))
        disk.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        disk.optimize()
        del disk
        for kind, store in (("memory", memory), ("disk", ox.Store.read_only(str(work / "store")))):
            print(f"{path.name} ({kind})", file=sys.stderr, flush=True)
            la = loadavg()
            queries = measure_store(store, before_dir, reps, slow, floor_rows, only)
            out["stores"][kind] = {"load_average_before": la, "load_average_after": loadavg(), "queries": queries}
            del store
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _geo(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def report(results: list[dict], reps: int, before_dir: Path) -> str:
    try:
        before_name = before_dir.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        before_name = before_dir.name
    lines = [
        "# Named queries: earlier texts against the current ones (bare engine)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; Python "
        f"{platform.python_version()}, pyoxigraph {ox.__version__}. Written by `python -m bench.query_shortcuts`. "
        f"Before: `{before_name}/`; after: `queries/`. Each data file in an in-memory pyoxigraph Store and in an "
        "on-disk one (RocksDB, opened read-only, as `oxigraph serve-read-only` and the service's workers open it); "
        f"union default graph; {reps} interleaved runs of each text; milliseconds (p50, with the minimum in "
        "parentheses) of the query with its results serialised as SPARQL JSON by the engine (a text slower than "
        "the limit: its one answer run). Speed-up = before p50 / after p50. Answers compared as multisets of rows "
        "(the run stops at the first difference). Floor: the same answer written out as a VALUES block and "
        "serialised, less that query's parse (`LIMIT 0`): the cost of the output alone, no join (minima). Count: "
        "the current query wrapped in `SELECT (COUNT(*) …) { … }`: its joins and sort, no output (minimum).",
    ]
    for r in results:
        for kind, s in r["stores"].items():
            la = " ".join(f"{x:.2f}" for x in s["load_average_before"])
            lb = " ".join(f"{x:.2f}" for x in s["load_average_after"])
            lines += [
                "",
                f"## {r['data']}: {r['quads']:,} quads, {kind} store (load average 1/5/15 min: {la} before, {lb} after)",
                "",
                "| query | rows × columns | same answers | before ms | after ms | speed-up | output floor ms | count ms |",
                "|---|---:|---|---:|---:|---:|---:|---:|",
            ]
            ratios = []
            for name, e in s["queries"].items():
                b, a = e["before"], e["after"]
                ratio = b["p50_ms"] / max(a["p50_ms"], 1e-3)
                ratios.append(ratio)
                floor = f"{e['floor']['output_ms']:.1f} | {e['floor']['count_min_ms']:.1f}" if "floor" in e else " | "
                lines.append(
                    f"| {name} | {e['rows']} × {e['columns']} | {'yes' if e['same_answers'] else 'NO'} "
                    f"| {b['p50_ms']:.1f} ({b['min_ms']:.1f}) | {a['p50_ms']:.1f} ({a['min_ms']:.1f}) "
                    f"| {ratio:.1f}x | {floor} |"
                )
            lines += ["", f"Geometric mean speed-up: {_geo(ratios):.2f}x."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.query_shortcuts", description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path, nargs="+", help="N-Quads files holding the shortcuts graph")
    p.add_argument("--before", type=Path, default=PREVIOUS, help="the earlier texts, <name>.rq each")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--slow", type=float, default=5.0, help="seconds: a text slower than this runs once")
    p.add_argument("--only", nargs="+", metavar="NAME", help="these named queries alone")
    p.add_argument("--floor-rows", type=int, default=500, help="measure the output floor of answers this long")
    ns = p.parse_args(argv)
    missing = [str(d) for d in [*ns.data, ns.before] if not d.exists()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    results = [measure(d, ns.before, ns.reps, ns.slow, ns.floor_rows, ns.only) for d in ns.data]
    ns.out.mkdir(parents=True, exist_ok=True)
    (ns.out / "queries-shortcuts.json").write_text(json.dumps(results, indent=1) + "\n")
    text = report(results, ns.reps, ns.before)
    (ns.out / "QUERIES-SHORTCUTS.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
