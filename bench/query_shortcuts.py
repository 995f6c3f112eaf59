"""The named queries before and after the build's shortcuts, on the bare engine, in one run.

    python -m bench.query_shortcuts DATA.nq [DATA2.nq ...] [--out bench/results] [--reps 7]

Each file (a dist's ``fukushi-kg.nq`` or ``bench synth`` output, which both hold the shortcuts
graph) is loaded into an in-memory pyoxigraph Store; each named query runs in its text before the
shortcuts (tests/graph/fixtures/queries-before/) and in its current text (queries/), interleaved,
on the same store with the union default graph. The answers must be equal (as multisets); the time
is that of the query with its results serialised as SPARQL JSON by the engine (what the bare
Oxigraph server does) and, apart, iterated as Python rows (``graph.queries.run``). Results:
``QUERIES-SHORTCUTS.md`` and ``queries-shortcuts.json`` in ``--out``, with the load average.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
BEFORE = ROOT / "tests" / "graph" / "fixtures" / "queries-before"


def _time(fn, reps: int) -> tuple[float, float]:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, statistics.median(times) * 1000


def measure(path: Path, reps: int, slow: float = 5.0) -> dict:
    from fukushi_kg.graph.queries import list_queries, run

    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)

    def json_of(text: str):
        return lambda: store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)

    def rows_of(text: str):
        return lambda: run(store, text)

    out = {"data": str(path), "quads": len(store), "load_average_before": os.getloadavg(), "queries": {}}
    for q in list_queries():
        before = (BEFORE / f"{q.name}.rq").read_text("utf-8")
        answers, first = [], []
        for text in (before, q.text):
            t0 = time.perf_counter()
            variables, rows = run(store, text)
            first.append(time.perf_counter() - t0)
            answers.append((variables, Counter(tuple(str(t) for t in r) for r in rows)))
        # a text that takes longer than ``slow`` seconds is not repeated: its answer run is its time
        n = 1 if max(first) > slow else reps
        entry: dict = {"row_count": sum(answers[0][1].values()), "same_answers": answers[0] == answers[1]}
        if n == 1:  # too slow to repeat: the answer runs are the timings (Python rows)
            b_ms, a_ms = first[0] * 1000, first[1] * 1000
            timing = {"before_min_ms": round(b_ms, 2), "before_p50_ms": round(b_ms, 2)}
            timing |= {"after_min_ms": round(a_ms, 2), "after_p50_ms": round(a_ms, 2)}
            entry["json"] = entry["rows"] = timing
            out["queries"][q.name] = entry
            continue
        for kind, make in (("json", json_of), ("rows", rows_of)):
            b, a = [], []
            for _ in range(n):  # interleaved: before, after, before, after …
                b.append(_time(make(before), 1)[0])
                a.append(_time(make(q.text), 1)[0])
            entry[kind] = {
                "before_min_ms": round(min(b), 2),
                "before_p50_ms": round(statistics.median(b), 2),
                "after_min_ms": round(min(a), 2),
                "after_p50_ms": round(statistics.median(a), 2),
            }
        out["queries"][q.name] = entry
        print(q.name, entry, file=sys.stderr, flush=True)
    out["load_average_after"] = os.getloadavg()
    return out


def report(results: list[dict], reps: int) -> str:
    lines = [
        "# Named queries before and after the build's shortcuts (bare engine)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; Python "
        f"{platform.python_version()}, pyoxigraph {ox.__version__}. Written by `python -m bench.query_shortcuts`. "
        f"In-memory pyoxigraph Store, union default graph, {reps} interleaved runs of each text; "
        "milliseconds (p50, with the minimum in parentheses) of the query with its results serialised as "
        "SPARQL JSON by the engine (a text slower than 5 s: its one answer run, through Python). Speed-up = before p50 / after p50. Answers compared as multisets.",
    ]
    for r in results:
        la = " ".join(f"{x:.2f}" for x in r["load_average_before"])
        lb = " ".join(f"{x:.2f}" for x in r["load_average_after"])
        lines += [
            "",
            f"## {Path(r['data']).name}: {r['quads']:,} quads (load average 1/5/15 min: {la} before, {lb} after)",
            "",
            "| query | rows | same answers | before ms | after ms | speed-up | Python rows: before / after ms |",
            "|---|---:|---|---:|---:|---:|---|",
        ]
        ratios = []
        for name, e in r["queries"].items():
            j, p = e["json"], e["rows"]
            ratio = j["before_p50_ms"] / max(j["after_p50_ms"], 1e-6)
            ratios.append(ratio)
            lines.append(
                f"| {name} | {e['row_count']} | {'yes' if e['same_answers'] else 'NO'} "
                f"| {j['before_p50_ms']:.1f} ({j['before_min_ms']:.1f}) | {j['after_p50_ms']:.1f} ({j['after_min_ms']:.1f}) "
                f"| {ratio:.1f}x | {p['before_p50_ms']:.1f} / {p['after_p50_ms']:.1f} |"
            )
        geo = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        lines += ["", f"Geometric mean speed-up: {geo:.2f}x."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.query_shortcuts", description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path, nargs="+", help="N-Quads files holding the shortcuts graph")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--reps", type=int, default=7)
    ns = p.parse_args(argv)
    missing = [str(d) for d in ns.data if not d.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    results = [measure(d, ns.reps) for d in ns.data]
    ns.out.mkdir(parents=True, exist_ok=True)
    (ns.out / "queries-shortcuts.json").write_text(json.dumps(results, indent=1) + "\n")
    text = report(results, ns.reps)
    (ns.out / "QUERIES-SHORTCUTS.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
