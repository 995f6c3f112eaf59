"""``python -m bench run|report|synth``: the benchmark suite (bench/README.md).

python -m bench run --sizes 1e4,1e5,1e6 [--out bench/results]   # measure, write results.json, RESULTS.md, PNGs
python -m bench run --memory-sizes 1e7                          # fukushi-kg alone at 10^7 (memory figure)
python -m bench report [--out bench/results]                     # redraw RESULTS.md and PNGs from results.json
python -m bench synth 1e5 -o /tmp/synth.nq                       # only generate data
python -m bench engine --dist DIST | --size 1e6                   # fukushi-kg against the Oxigraph server
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import report, synth

ROOT = Path(__file__).resolve().parent.parent


def _sizes(text: str) -> list[int]:
    return [synth.parse_size(x) for x in text.split(",") if x.strip()]


def cmd_run(ns: argparse.Namespace) -> int:
    from bench import suite

    opts = suite.Options(
        work=ns.work,
        out=ns.out,
        seed=ns.seed,
        cap=ns.cap,
        budget=ns.budget,
        clients=ns.clients,
        requests=ns.requests,
        rdflib_max=ns.rdflib_max,
    )
    ns.work.mkdir(parents=True, exist_ok=True)
    ns.out.mkdir(parents=True, exist_ok=True)
    path = ns.out / "results.json"
    results = json.loads(path.read_text()) if path.is_file() and not ns.fresh else {"sizes": []}
    results["meta"] = suite.meta(opts)
    plan = [(s, False) for s in ns.sizes] + [(s, True) for s in ns.memory_sizes]
    for size, memory_only in plan:
        res = suite.run_size(size, opts, memory_only)
        results["sizes"] = [
            s for s in results["sizes"] if (s["requested"], s["memory_only"]) != (size, memory_only)
        ] + [res]
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        report.write(results, ns.out)
        suite.say(f"size {size:,} done; {ns.out / 'RESULTS.md'} updated")
    return 0


def cmd_report(ns: argparse.Namespace) -> int:
    results = json.loads((ns.out / "results.json").read_text())
    print(report.write(results, ns.out))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description="fukushi-kg benchmark suite")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="generate data, measure, write results")
    r.add_argument(
        "--sizes", type=_sizes, default=[10**4, 10**5, 10**6], help="comma-separated quad counts (default 1e4,1e5,1e6)"
    )
    r.add_argument(
        "--memory-sizes",
        type=_sizes,
        default=[],
        help="sizes to serve with fukushi-kg alone, for the memory figure (e.g. 1e7)",
    )
    r.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results", help="results folder (default bench/results)"
    )
    r.add_argument(
        "--work", type=Path, default=Path("/tmp/fukushi-kg-bench"), help="scratch folder for data and stores"
    )
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--cap", type=float, default=30.0, help="seconds a query may run before it is stopped (default 30)")
    r.add_argument("--budget", type=float, default=6.0, help="seconds of repetitions per query and engine (default 6)")
    r.add_argument("--clients", type=int, default=8, help="concurrent clients in the throughput run (default 8)")
    r.add_argument("--requests", type=int, default=2000, help="requests in the throughput run (default 2000)")
    r.add_argument(
        "--rdflib-max", type=synth.parse_size, default=10**6, help="largest size rdflib is run at (default 1e6)"
    )
    r.add_argument("--fresh", action="store_true", help="start a new results.json instead of merging into it")
    r.set_defaults(func=cmd_run)
    rp = sub.add_parser("report", help="rewrite RESULTS.md and the plots from results.json")
    rp.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    rp.set_defaults(func=cmd_report)
    en = sub.add_parser("engine", help="fukushi-kg against the Oxigraph server (bench/engine.py)")
    what = en.add_mutually_exclusive_group(required=True)
    what.add_argument("--dist", type=Path, help="a build to serve (fukushi-kg build --dist DIST)")
    what.add_argument("--size", help="synthetic quads instead (e.g. 1e6)")
    en.add_argument("--label", help="name of the dataset in the results (default: seed, or the size)")
    en.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    en.add_argument("--work", type=Path, default=Path("/tmp/fukushi-kg-bench"))
    en.add_argument("--seed", type=int, default=0)
    en.add_argument("--cap", type=float, default=30.0, help="query timeout of both servers (default 30)")
    en.add_argument("--budget", type=float, default=4.0, help="seconds per query and server (default 4)")
    en.add_argument("--clients", type=int, default=8)
    en.add_argument("--requests", type=int, default=2000)
    en.add_argument("--repeats", type=int, default=3, help="throughput runs per server (default 3)")
    en.add_argument(
        "--baseline", type=Path, help="another fukushi-kg source tree, served too (before/after in one run)"
    )
    en.add_argument("--baseline-name", help="how the results name the baseline (e.g. a commit)")
    en.set_defaults(func=lambda ns: __import__("bench.engine").engine.main(ns))
    sy = sub.add_parser("synth", help="only generate synthetic N-Quads")
    sy.add_argument("size", type=synth.parse_size)
    sy.add_argument("-o", "--output", type=Path, required=True)
    sy.add_argument("--seed", type=int, default=0)
    sy.set_defaults(func=lambda ns: synth.main([str(ns.size), "-o", str(ns.output), "--seed", str(ns.seed)]))
    ns = p.parse_args(argv)
    return ns.func(ns)


if __name__ == "__main__":
    sys.exit(main())
