"""The service against the engine's own server: ``fukushi-kg serve`` and ``oxigraph serve-read-only``.

    python -m bench engine --dist DIST --label seed          # a build (fukushi-kg build --dist DIST)
    python -m bench engine --size 1e6                        # synthetic data (bench.synth), as `run` makes it

Both servers run at once on the same store (the Oxigraph server on a copy of it, with
``--union-default-graph``, the service's dataset), on loopback ports, with the same query timeout;
the service's row cap is lifted so both return the same rows. Steps, each with the machine's load
average before and after:

1. **named queries** (``queries/*.rq``) by POST form with JSON results, *interleaved*: round after
   round, every query goes to both servers one after the other (which one first alternates), so
   both see the same moments of a shared machine; a query gets rounds until ``--budget`` seconds of
   it are spent (at least ``--min-rounds``, at most ``--max-rounds``). p50 per query and server, the
   ratio service / server per query and their geometric mean; the row counts must agree.
2. **one-row throughput**: a program's label, over 200 programs, by POST form from ``--clients``
   keep-alive clients, ``--requests`` requests; the two servers alternately, ``--repeats`` times
   each; the median of each server's runs and the service's share of the server's rate.

Every request loop is bounded in count and time and addresses only the two servers started here.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench import httpload, procs

RESULTS = procs.ROOT / "bench" / "results"


@dataclass
class Options:
    work: Path
    cap: float = 30.0
    budget: float = 4.0  # seconds of one query on one server, over the rounds
    min_rounds: int = 5
    max_rounds: int = 25
    clients: int = 8
    requests: int = 2000
    repeats: int = 3
    workers: int = 2
    baseline: Path | None = None  # another source tree of fukushi-kg, measured in the same run


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def named_queries() -> list:
    from fukushi_kg.graph.queries import list_queries

    return list_queries()


def p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def interleaved(servers: list[procs.Server], opts: Options, say=print) -> dict:
    """Step 1: the named queries, round-robin over queries and servers (see the module's docstring)."""
    queries = named_queries()
    clients = {s.name: httpload.Client(s.port, opts.cap + 5) for s in servers}
    samples: dict[str, dict[str, list[float]]] = {q.name: {s.name: [] for s in servers} for q in queries}
    rows: dict[str, dict[str, int]] = {q.name: {} for q in queries}
    spent = {q.name: 0.0 for q in queries}
    failed: dict[str, str] = {}
    before = loadavg()
    for q in queries:  # warm-up: one run each, rows compared
        for s in servers:
            status, body, seconds = clients[s.name].post(q.text, s.query_path)
            if status != 200:
                failed[q.name] = f"{s.name} answered {status}: {body[:200]!r}"
                break
            rows[q.name][s.name] = _rows(body)
            spent[q.name] += seconds
    for r in range(opts.max_rounds):
        active = [
            q
            for q in queries
            if q.name not in failed and (r < opts.min_rounds or spent[q.name] < opts.budget * len(servers))
        ]
        if not active:
            break
        for i, q in enumerate(active):
            order = servers if (r + i) % 2 == 0 else servers[::-1]
            for s in order:
                status, body, seconds = clients[s.name].post(q.text, s.query_path)
                if status != 200:
                    failed[q.name] = f"{s.name} answered {status}: {body[:200]!r}"
                    break
                samples[q.name][s.name].append(seconds)
                spent[q.name] += seconds
    for c in clients.values():
        c.close()
    service, server = servers[0].name, servers[1].name
    others = [x.name for x in servers[2:]]  # a baseline service (``--baseline``): its ratio too
    per_query = {}
    for q in queries:
        if q.name in failed:
            per_query[q.name] = {"failed": failed[q.name]}
            say(f"  {q.name:36} failed: {failed[q.name]}")
            continue
        a, b = p50(samples[q.name][service]), p50(samples[q.name][server])
        per_query[q.name] = {
            "service_p50_ms": round(a, 3),
            "server_p50_ms": round(b, 3),
            "ratio": round(a / b, 3),
            "n": len(samples[q.name][service]),
            "rows": rows[q.name],
            "rows_agree": len(set(rows[q.name].values())) == 1,
        }
        for name in others:
            c = p50(samples[q.name][name])
            per_query[q.name]["baseline_p50_ms"] = round(c, 3)
            per_query[q.name]["baseline_ratio"] = round(c / b, 3)
        say(
            f"  {q.name:36} service {a:9.2f} ms  server {b:9.2f} ms  ratio {a / b:5.2f}  "
            + "".join(f"baseline {per_query[q.name]['baseline_ratio']:5.2f}  " for _ in others)
            + f"n={len(samples[q.name][service])} rows={rows[q.name][service]}"
            + ("" if per_query[q.name]["rows_agree"] else f" (rows differ: {rows[q.name]})")
        )
    ratios = [v["ratio"] for v in per_query.values() if "ratio" in v]
    out = {
        "queries": per_query,
        "geomean_ratio": round(geomean(ratios), 3),
        "max_ratio": max(ratios) if ratios else None,
        "load_average": before + loadavg(),
    }
    if others:
        out["baseline_geomean_ratio"] = round(
            geomean([v["baseline_ratio"] for v in per_query.values() if "baseline_ratio" in v]), 3
        )
        say(f"  baseline: geometric mean ratio {out['baseline_geomean_ratio']:.3f}")
    say(f"  geometric mean ratio {out['geomean_ratio']:.3f}, highest {out['max_ratio']}")
    return out


def point_queries(store: Path, n: int = 200) -> list[str]:
    """A program's label, over ``n`` programs (so no cache of a single answer helps)."""
    import pyoxigraph as ox

    from fukushi_kg.graph.vocab import FK

    s = ox.Store.read_only(str(store))
    found = s.query(f"SELECT ?p WHERE {{ ?p a <{FK.Program}> }} LIMIT {n}", use_default_graph_as_union=True)
    programs = [r["p"].value for r in found]
    del s
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    return [f"SELECT ?label WHERE {{ <{p}> <{label}> ?label }}" for p in programs]


def throughput(servers: list[procs.Server], queries: list[str], opts: Options, say=print) -> dict:
    """Step 2: one-row queries by POST form from ``opts.clients`` clients, the servers alternately."""
    runs: dict[str, list[dict]] = {s.name: [] for s in servers}
    before = loadavg()
    for s in servers:  # warm-up
        httpload.load(s.port, queries, opts.clients, min(400, opts.requests), 60, s.query_path, post=True)
    for r in range(opts.repeats):
        for s in servers if r % 2 == 0 else servers[::-1]:
            la = loadavg()
            result = httpload.load(s.port, queries, opts.clients, opts.requests, 120, s.query_path, post=True)
            lat = sorted(result.latencies)
            runs[s.name].append(
                {
                    "rps": round(result.throughput, 1),
                    "ok": result.ok,
                    "errors": result.errors,
                    "seconds": round(result.seconds, 2),
                    "p50_ms": round(lat[len(lat) // 2] * 1000, 3) if lat else None,
                    "load_average": la + loadavg(),
                }
            )
            say(f"  {s.name:24} {result.throughput:8.1f} req/s ({result.ok} ok, {result.errors} errors)")
    service, server = servers[0].name, servers[1].name
    med = {name: statistics.median(x["rps"] for x in rs) for name, rs in runs.items()}
    share = med[service] / med[server] if med[server] else float("nan")
    say(f"  one-row throughput: service {med[service]:.0f} req/s, server {med[server]:.0f} req/s: {share:.0%}")
    out = {
        "clients": opts.clients,
        "requests": opts.requests,
        "runs": runs,
        "service_rps": med[service],
        "server_rps": med[server],
        "share": round(share, 3),
        "load_average": before + loadavg(),
    }
    for extra in servers[2:]:
        out["baseline_rps"] = med[extra.name]
        out["baseline_share"] = round(med[extra.name] / med[server], 3) if med[server] else None
        say(f"  baseline {med[extra.name]:.0f} req/s: {out['baseline_share']:.0%}")
    return out


def measure(dist: Path, opts: Options, say=print) -> dict:
    """Both steps on ``dist`` (a build, or bench.suite.make_dist's layout)."""
    logs = opts.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    service = procs.start_service(dist, opts.workers, opts.cap, logs / "engine-service.log")
    service.name = "fukushi-kg"
    baseline = None
    try:
        server = procs.start_oxigraph(dist / "store", opts.work, logs / "engine-oxigraph.log", opts.cap)
        if opts.baseline is not None:
            baseline = procs.start_service(
                dist, opts.workers, opts.cap, logs / "engine-baseline.log", root=opts.baseline.resolve()
            )
            baseline.name = "fukushi-kg baseline"
        try:
            servers = [service, server] + ([baseline] if baseline else [])
            say("named queries, interleaved (POST form, JSON results)")
            queries = interleaved(servers, opts, say)
            say(f"one-row throughput ({opts.clients} keep-alive clients, POST form)")
            rate = throughput(servers, point_queries(dist / "store"), opts, say)
        finally:
            server.stop()
            if baseline is not None:
                baseline.stop()
            shutil.rmtree(opts.work / "oxigraph-store", ignore_errors=True)
    finally:
        service.stop()
    return {"named": queries, "one_row": rate}


def meta() -> dict:
    import platform
    from importlib.metadata import version

    packages = {}
    for p in ("pyoxigraph", "oxigraph", "fastapi", "starlette", "uvicorn"):
        try:
            packages[p] = version(p)
        except Exception:  # noqa: BLE001
            packages[p] = "not installed"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "packages": packages,
    }


def markdown(results: dict) -> str:
    """ENGINE.md: one table per measured dataset."""
    out = [
        "# fukushi-kg against the Oxigraph server",
        "",
        "`python -m bench engine` (bench/engine.py): `fukushi-kg serve` (2 workers) and `oxigraph serve-read-only "
        "--union-default-graph` on a copy of the same store, in one run; named queries by POST form with JSON "
        "results, interleaved; one-row queries from 8 keep-alive clients. Ratio = service p50 / server p50. "
        "The load average (1, 5, 15 min) is the machine's, before → after each step: this is a 2-core machine "
        "shared with other work, so read the same-run ratios, not the absolute times.",
        "",
    ]
    for label, r in results.get("datasets", {}).items():
        m, named, rate = r["meta"], r["named"], r["one_row"]
        base = "baseline_geomean_ratio" in named  # a baseline source tree served in the same run
        la, lb = named["load_average"], rate["load_average"]
        out += [
            f"## {label} ({r.get('quads', '?'):,} quads)" if isinstance(r.get("quads"), int) else f"## {label}",
            "",
            f"{m['date']}, {m['cpus']} CPUs, Python {m['python']}, "
            + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
            "",
            "| query | fukushi-kg p50 ms | Oxigraph server p50 ms | ratio | rows | n |"
            + (" baseline p50 ms | baseline ratio |" if base else ""),
            "|---|---|---|---|---|---|" + ("---|---|" if base else ""),
        ]
        for name, q in named["queries"].items():
            if "failed" in q:
                out.append(f"| {name} | failed: {q['failed']} | | | | |" + (" | |" if base else ""))
                continue
            rows = q["rows"]["fukushi-kg"]
            agree = "" if q["rows_agree"] else f" (differ: {q['rows']})"
            out.append(
                f"| {name} | {q['service_p50_ms']:.2f} | {q['server_p50_ms']:.2f} | {q['ratio']:.2f} | "
                f"{rows}{agree} | {q['n']} |"
                + (f" {q['baseline_p50_ms']:.2f} | {q['baseline_ratio']:.2f} |" if base else "")
            )
        out += [
            f"| **geometric mean** | | | **{named['geomean_ratio']:.2f}** (highest {named['max_ratio']:.2f}) | | |"
            + (f" | **{named['baseline_geomean_ratio']:.2f}** |" if base else ""),
            "",
            f"Load average during the queries: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} → {la[3]:.2f} {la[4]:.2f} {la[5]:.2f}.",
            "",
            f"One-row throughput ({rate['clients']} clients, {rate['requests']} requests a run, runs alternating): "
            f"fukushi-kg **{rate['service_rps']:,.0f}** req/s, Oxigraph server **{rate['server_rps']:,.0f}** req/s "
            f"(median of {len(rate['runs']['fukushi-kg'])} runs each): **{rate['share']:.0%}** of the server's rate. "
            f"Runs: fukushi-kg {', '.join(str(x['rps']) for x in rate['runs']['fukushi-kg'])}; server "
            f"{', '.join(str(x['rps']) for x in rate['runs']['oxigraph server'])}. Load average "
            f"{lb[0]:.2f} → {lb[3]:.2f}."
            + (
                f" Baseline ({r.get('baseline', 'another tree')}): **{rate['baseline_rps']:,.0f}** req/s, "
                f"{rate['baseline_share']:.0%} (runs {', '.join(str(x['rps']) for x in rate['runs']['fukushi-kg baseline'])})."
                if "baseline_rps" in rate
                else ""
            ),
            "",
        ]
    return "\n".join(out)


def write(results: dict, out: Path = RESULTS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "engine.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    notes = out / "ENGINE-NOTES.md"
    text = markdown(results) + ("\n" + notes.read_text() if notes.is_file() else "")
    (out / "ENGINE.md").write_text(text)


def main(ns) -> int:
    from bench import suite, synth

    opts = Options(
        work=ns.work,
        cap=ns.cap,
        budget=ns.budget,
        clients=ns.clients,
        requests=ns.requests,
        repeats=ns.repeats,
        baseline=ns.baseline,
    )
    opts.work.mkdir(parents=True, exist_ok=True)
    path = ns.out / "engine.json"
    results = json.loads(path.read_text()) if path.is_file() else {"datasets": {}}
    if ns.dist:
        if not (ns.dist / "store").exists():
            raise SystemExit(f"no store in {ns.dist}: run `fukushi-kg build --dist {ns.dist}` first")
        label = ns.label or "seed"
        report = json.loads((ns.dist / "build-report.json").read_text())
        quads = report.get("quads") or report.get("triples")
        suite.say(f"{label}: {ns.dist}")
        r = measure(ns.dist, opts, suite.say)
    else:
        size = synth.parse_size(ns.size)
        label = ns.label or f"synthetic {size:,}"
        sopts = suite.Options(work=opts.work, out=ns.out, seed=ns.seed, cap=opts.cap)
        nq, gen = suite.generate(size, sopts)
        quads = gen["quads"]
        dist = opts.work / f"dist-engine-{size}"
        suite.say(f"{label}: loading {quads:,} quads")
        suite.make_dist(nq, dist, quads)
        try:
            r = measure(dist, opts, suite.say)
        finally:
            shutil.rmtree(dist, ignore_errors=True)
    results["datasets"][label] = {"quads": quads, "meta": meta(), **r}
    if ns.baseline:
        results["datasets"][label]["baseline"] = ns.baseline_name or str(ns.baseline)
    write(results, ns.out)
    suite.say(f"{label} done; {ns.out / 'ENGINE.md'} updated")
    return 0
