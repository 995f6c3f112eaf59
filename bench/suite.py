"""The measurements of ``python -m bench run``: one function per step, each appending to a results dict.

For each size: generate N-Quads (bench.synth), load them (Oxigraph bulk load into an on-disk store,
Oxigraph in memory, rdflib), run the named queries embedded (Oxigraph, rdflib) and over HTTP
(fukushi-kg, rdflib-endpoint), measure the service's overhead over a direct pyoxigraph call, HTTP
throughput under concurrent clients (fukushi-kg with 1 and 2 workers, rdflib-endpoint) and the
servers' memory. rdflib is stopped at ``cap`` seconds per query and the table says so.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench import httpload, procs, synth
from fukushi_kg.graph.vocab import FK

ROOT = procs.ROOT
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass
class Options:
    work: Path
    out: Path
    seed: int = 0
    cap: float = 30.0  # seconds one query may take before it is stopped and reported as capped
    budget: float = 6.0  # seconds of repetitions per query and engine (at least one run)
    max_reps: int = 25
    clients: int = 8
    requests: int = 2000
    mix_requests: int = 400  # requests of the named-query mix (bounded by 60 s as well)
    rdflib_max: int = 1_000_000  # largest size rdflib (in process and rdflib-endpoint) is run at


T0 = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.monotonic() - T0:7.1f}s] {text}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ timing
class Capped(Exception):
    """The query ran past the cap and was stopped."""


def _alarm(signum, frame):
    raise Capped()


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(samples)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summarise(samples: list[float], rows: int | None, capped: bool = False, note: str = "") -> dict:
    if capped or not samples:
        return {"capped": True, "n": 0, "rows": None, "note": note}
    return {
        "capped": False,
        "n": len(samples),
        "p50_ms": percentile(samples, 50) * 1000,
        "p95_ms": percentile(samples, 95) * 1000,
        "rows": rows,
        "note": note,
    }


def repeat(run: Callable[[], int], opts: Options, in_process_cap: bool = False) -> dict:
    """A warm-up run, then repetitions for ``opts.budget`` seconds (at most ``max_reps``).

    ``run`` returns the row count. With ``in_process_cap`` a SIGALRM stops a run at ``opts.cap``
    (for pure-Python engines, where the signal lands between bytecodes)."""

    def once() -> tuple[int, float]:
        if in_process_cap:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, opts.cap)
        t0 = time.perf_counter()
        try:
            rows = run()
        finally:
            if in_process_cap:
                signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - t0
        if isinstance(rows, tuple):  # (rows, seconds measured where the query ran)
            rows, elapsed = rows
        return rows, elapsed

    try:
        rows, first = once()
    except Capped:
        return summarise([], None, True, f"stopped at the {opts.cap:g} s cap")
    if first >= opts.budget:
        return summarise([first], rows, note="one run (slower than the repetition budget)")
    samples: list[float] = []
    while len(samples) < opts.max_reps and sum(samples) < opts.budget:
        try:
            rows, t = once()
        except Capped:
            break
        samples.append(t)
    return summarise(samples, rows)


# ------------------------------------------------------------------------------------------ steps
def generate(size: int, opts: Options) -> tuple[Path, dict]:
    path = opts.work / f"synth-{size}-seed{opts.seed}.nq"
    t0 = time.perf_counter()
    last = [0.0]

    def progress(count: int, cities: int) -> None:
        if time.perf_counter() - last[0] > 5:
            last[0] = time.perf_counter()
            say(f"  generating: {count:,} quads, {cities} municipalities")

    n = synth.write_file(path, size, opts.seed, progress)
    return path, {"quads": n, "generate_s": time.perf_counter() - t0, "nq_bytes": path.stat().st_size}


def to_trig(nq: Path) -> Path:
    """The same quads as TriG, for bench/rdflib_endpoint_app.py (which parses TriG); streamed."""
    trig = nq.with_suffix(".trig")
    if not trig.exists() or trig.stat().st_mtime < nq.stat().st_mtime:
        ox.serialize(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS), str(trig), ox.RdfFormat.TRIG)
    return trig


def make_dist(nq: Path, dist: Path, quads: int) -> dict:
    """A dist/ the service can serve: dist/stores/<name> bulk-loaded, dist/store -> it (as graph.store
    does), and a minimal build-report.json. Returns the load time and the store's size on disk."""
    if dist.exists():
        shutil.rmtree(dist)
    stores = dist / "stores"
    stores.mkdir(parents=True)
    target = stores / "store-bench"
    t0 = time.perf_counter()
    store = ox.Store(str(target))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    store.optimize()
    optimize_s = time.perf_counter() - t1
    del store
    gc.collect()
    os.symlink(Path("stores") / target.name, dist / "store")
    (dist / "build-report.json").write_text(
        json.dumps(
            {
                "base": "https://w3id.org/fukushi-kg/",
                "triples": quads,
                "quads": quads,
                "shacl": "not run (bench synthetic data)",
                "reasoner": "not run",
                "warnings": [],
                "seconds": {"store": round(seconds, 2)},
                "files": {},
            },
            indent=2,
        )
        + "\n"
    )
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    return {"oxigraph_disk_s": seconds, "oxigraph_optimize_s": optimize_s, "store_bytes": size}


def load_memory_store(nq: Path) -> float:
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    seconds = time.perf_counter() - t0
    del store
    gc.collect()
    return seconds


def load_rdflib(nq: Path):
    from rdflib import Dataset

    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(str(nq), format="nquads")
    return ds, time.perf_counter() - t0


def named_queries() -> list:
    from fukushi_kg.graph.queries import list_queries

    return list_queries()


def point_queries(dist: Path, n: int = 200) -> list[str]:
    """Small-result queries (one program's label), over different programs so no cache answers them."""
    store = ox.Store.read_only(str(dist / "store"))
    rows = store.query(f"SELECT ?p WHERE {{ ?p a <{FK.Program}> }} LIMIT {n}", use_default_graph_as_union=True)
    programs = [r["p"].value for r in rows]
    del store
    return [f"SELECT ?label WHERE {{ <{p}> <{RDFS_LABEL}> ?label }}" for p in programs]


def _oxigraph_worker(conn, store_path: str) -> None:
    """Runs queries on the store with graph.queries.run and answers (rows, seconds)."""
    from fukushi_kg.graph.queries import run

    store = ox.Store.read_only(store_path)
    conn.send("ready")
    while (text := conn.recv()) is not None:
        t0 = time.perf_counter()
        rows = len(run(store, text)[1])
        conn.send((rows, time.perf_counter() - t0))


class OxigraphWorker:
    """pyoxigraph cannot cancel a query, so the embedded measurements run in a child process that is
    killed (and started afresh) at the cap. Times are taken inside the child, around the query."""

    def __init__(self, store_path: Path):
        import multiprocessing

        self.ctx = multiprocessing.get_context("fork")
        self.store_path = str(store_path)
        self._start()

    def _start(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.process = self.ctx.Process(target=_oxigraph_worker, args=(child, self.store_path), daemon=True)
        self.process.start()
        child.close()
        self.conn.recv()

    def query(self, text: str, cap: float) -> tuple[int, float]:
        self.conn.send(text)
        if not self.conn.poll(cap):
            self.process.kill()
            self.process.join(10)
            self._start()
            raise Capped()
        return self.conn.recv()

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(10)


def embedded_oxigraph(dist: Path, opts: Options) -> dict:
    worker = OxigraphWorker(dist / "store")
    out = {}
    for q in named_queries():
        out[q.name] = repeat(lambda: worker.query(q.text, opts.cap), opts)
        say(f"  oxigraph embedded  {q.name:36} {_fmt(out[q.name])}")
    worker.close()
    return out


def embedded_rdflib(ds, opts: Options) -> dict:
    """rdflib at its best: each query parsed and translated once (``prepareQuery``, as rdflib-endpoint
    caches it), only the evaluation timed; the one-off preparation time is kept as ``prepare_ms``."""
    from rdflib.plugins.sparql import prepareQuery

    out = {}
    for q in named_queries():
        t0 = time.perf_counter()
        prepared = prepareQuery(q.text)
        prepare_ms = (time.perf_counter() - t0) * 1000
        out[q.name] = repeat(lambda: sum(1 for _ in ds.query(prepared)), opts, in_process_cap=True)
        out[q.name]["prepare_ms"] = prepare_ms
        say(f"  rdflib in-memory   {q.name:36} {_fmt(out[q.name])}")
    return out


def http_queries(
    server: procs.Server,
    opts: Options,
    skip: dict[str, str] | None = None,
    restart: Callable[[], procs.Server] | None = None,
) -> tuple[dict, procs.Server]:
    """Named queries over HTTP. A request past the cap is reported as capped; a server that cannot be
    interrupted (rdflib-endpoint keeps computing) is restarted by ``restart``."""
    out = {}
    for q in named_queries():
        if skip and q.name in skip:
            out[q.name] = summarise([], None, True, skip[q.name])
            say(f"  {server.name:18} {q.name:36} skipped: {skip[q.name]}")
            continue
        client = httpload.Client(server.port, opts.cap + 5)
        rows = [None]
        state = {"capped": False}

        def run() -> int:
            status, body, _ = _get(client, q.text, opts.cap)
            if status != 200:
                state["capped"] = True
                raise Capped()
            rows[0] = body
            return 0

        try:
            result = repeat(run, opts)
        except (OSError, TimeoutError) as exc:
            result = summarise([], None, True, f"no answer within the {opts.cap:g} s cap ({type(exc).__name__})")
            if restart is not None:
                say(f"  {server.name} is still busy with the stopped query: restarting it")
                server.stop()
                server = restart()
        if state["capped"] and not result.get("note"):
            result["note"] = f"stopped at the {opts.cap:g} s cap (503)"
        if rows[0] is not None and not result["capped"]:
            result["rows"] = len(json.loads(rows[0])["results"]["bindings"])
        client.close()
        out[q.name] = result
        say(f"  {server.name:18} {q.name:36} {_fmt(result)}")
    return out, server


def _get(client: httpload.Client, query: str, cap: float) -> tuple[int, bytes, float]:
    import http.client

    if client.conn is None:
        client.conn = http.client.HTTPConnection(procs.HOST, client.port, timeout=cap)
    t0 = time.perf_counter()
    try:
        client.conn.request("GET", httpload.path_for(query), headers={"Accept": httpload.ACCEPT})
        response = client.conn.getresponse()
        body = response.read()
    except http.client.IncompleteRead:
        # a streamed answer the server stopped at its timeout: the body ends without its last chunk
        client.close()
        return 503, b"", time.perf_counter() - t0
    except (OSError, http.client.HTTPException):
        client.close()
        raise
    return response.status, body, time.perf_counter() - t0


def overhead(server: procs.Server, dist: Path, queries: list[str], n: int = 300) -> dict:
    """p50 of a small-result query through the service (sequential, one keep-alive connection) and
    through a direct pyoxigraph call on the same store; the difference is the service's overhead."""
    from fukushi_kg.graph.queries import run

    store = ox.Store.read_only(str(dist / "store"))
    direct = []
    for i in range(n + 20):
        t0 = time.perf_counter()
        run(store, queries[i % len(queries)])
        if i >= 20:
            direct.append(time.perf_counter() - t0)
    del store
    client = httpload.Client(server.port, 30)
    via = []
    for i in range(n + 20):
        status, _, t = client.get(queries[i % len(queries)])
        if status != 200:
            raise RuntimeError(f"{server.name} answered {status} to a point query")
        if i >= 20:
            via.append(t)
    client.close()
    d50, s50 = percentile(direct, 50) * 1000, percentile(via, 50) * 1000
    return {
        "direct_p50_ms": d50,
        "service_p50_ms": s50,
        "overhead_p50_ms": s50 - d50,
        "service_p95_ms": percentile(via, 95) * 1000,
        "n": n,
    }


MIX = ["plan-foundations", "single-parent-programs-both-plans", "relisted-programs", "kurume-indicators", "spending"]


def mix_queries() -> list[str]:
    """The named-query mix of the second throughput workload: queries with small answers but real joins."""
    by_name = {q.name: q.text for q in named_queries()}
    return [by_name[n] for n in MIX if n in by_name]


def throughput(
    server: procs.Server, queries: list[str], opts: Options, requests: int | None = None, time_bound: float = 120
) -> dict:
    requests = requests or opts.requests
    httpload.load(server.port, queries, opts.clients, min(len(queries) * 2, requests), time_bound=time_bound)  # warm-up
    cpu0, own0 = procs.cpu_seconds(server.process.pid), time.process_time()
    r = httpload.load(server.port, queries, opts.clients, requests, time_bound=time_bound)
    cpu1, own1 = procs.cpu_seconds(server.process.pid), time.process_time()
    out = {
        "clients": r.clients,
        "requests": r.requests,
        "ok": r.ok,
        "errors": r.errors,
        "seconds": r.seconds,
        "rps": r.throughput,
        # CPU seconds used during the run: the server's main process, its children (workers), the client
        "cpu_s": {
            "server_main": cpu1["main"] - cpu0["main"],
            "server_children": cpu1["others"] - cpu0["others"],
            "client": own1 - own0,
        },
    }
    if r.latencies:
        out["p50_ms"] = percentile(r.latencies, 50) * 1000
        out["p95_ms"] = percentile(r.latencies, 95) * 1000
    say(
        f"  {server.name:18} throughput ({'one-row' if requests == opts.requests else 'named mix'}) {out['rps']:8.1f} req/s ({r.ok} ok, {r.errors} errors, {r.clients} clients, "
        f"{r.seconds:.1f} s)"
    )
    return out


def _fmt(r: dict) -> str:
    if r["capped"]:
        return f"capped ({r.get('note', '')})"
    return f"p50 {r['p50_ms']:9.1f} ms  p95 {r['p95_ms']:9.1f} ms  n={r['n']:<3} rows={r['rows']}"


# ------------------------------------------------------------------------------------------ one size
def run_size(size: int, opts: Options, memory_only: bool = False) -> dict:
    """Every measurement at one size (``memory_only``: the service at this size, no rdflib)."""
    say(f"size {size:,}: generating N-Quads (seed {opts.seed})")
    load_start = loadavg()
    nq, gen = generate(size, opts)
    res: dict = {"requested": size, "memory_only": memory_only, **gen, "loadavg": {"start": load_start}}
    say(f"  {gen['quads']:,} quads, {gen['nq_bytes'] / 1e6:.0f} MB in {gen['generate_s']:.1f} s")
    dist = opts.work / f"dist-{size}"
    say("  loading into an on-disk Oxigraph store (bulk load)")
    res["load"] = make_dist(nq, dist, gen["quads"])
    say(f"  oxigraph bulk load {res['load']['oxigraph_disk_s']:.1f} s, store {res['load']['store_bytes'] / 1e6:.0f} MB")
    use_rdflib = size <= opts.rdflib_max and not memory_only
    if not memory_only:
        res["load"]["oxigraph_memory_s"] = load_memory_store(nq)
        say(f"  oxigraph in-memory load {res['load']['oxigraph_memory_s']:.1f} s")
        say("running the named queries on the embedded Oxigraph store")
        res["oxigraph"] = embedded_oxigraph(dist, opts)
    rdflib_capped: dict[str, str] = {}
    if use_rdflib:
        say("  parsing the N-Quads with rdflib")
        ds, seconds = load_rdflib(nq)
        res["load"]["rdflib_s"] = seconds
        say(f"  rdflib parse {seconds:.1f} s")
        say("running the named queries on rdflib's in-memory engine")
        res["rdflib"] = embedded_rdflib(ds, opts)
        rdflib_capped = {
            n: f"not sent: rdflib in process already exceeded the {opts.cap:g} s cap"
            for n, r in res["rdflib"].items()
            if r["capped"]
        }
        del ds
        gc.collect()
    elif not memory_only:
        res["load"]["rdflib_s"] = None
        res["rdflib_skipped"] = f"rdflib not run above {opts.rdflib_max:,} quads"

    points = point_queries(dist)
    logs = opts.work / "logs"
    logs.mkdir(exist_ok=True)
    say("starting fukushi-kg (2 workers)")
    server = procs.start_service(dist, 2, opts.cap, logs / f"service-{size}-w2.log")
    res["service_start_s"] = server.started_s
    say(f"  ready in {server.started_s:.1f} s")
    try:
        with procs.MemorySampler(server.process.pid) as mem:
            mem.sample()
            res["service_idle_memory"] = dict(mem.peak)
            res["service"], server = http_queries(server, opts)
            if not memory_only:
                res["overhead"] = overhead(server, dist, points)
                say(
                    f"  overhead p50 {res['overhead']['overhead_p50_ms']:.2f} ms "
                    f"(service {res['overhead']['service_p50_ms']:.2f} ms, direct {res['overhead']['direct_p50_ms']:.2f} ms)"
                )
            res["throughput"] = {"service_w2": throughput(server, points, opts)}
            res["throughput_named"] = {"service_w2": throughput(server, mix_queries(), opts, opts.mix_requests, 60)}
        res["service_memory"] = dict(mem.peak)
        say(
            f"  service peak RSS (tree) {mem.peak['tree_rss'] / 2**20:.0f} MiB, PSS {mem.peak['tree_pss'] / 2**20:.0f} MiB"
        )
    finally:
        server.stop()
    if not memory_only:
        say("starting fukushi-kg (1 worker)")
        server = procs.start_service(dist, 1, opts.cap, logs / f"service-{size}-w1.log")
        try:
            res["throughput"]["service_w1"] = throughput(server, points, opts)
            res["throughput_named"]["service_w1"] = throughput(server, mix_queries(), opts, opts.mix_requests, 60)
        finally:
            server.stop()
    if not memory_only:
        from bench import engine

        say("fukushi-kg against the Oxigraph server (oxigraph serve-read-only, bench/engine.py)")
        res["oxigraph_server"] = engine.measure(
            dist,
            engine.Options(work=opts.work, cap=opts.cap, clients=opts.clients, requests=opts.requests),
            say,
        )
    if use_rdflib:
        trig = to_trig(nq)
        say("starting rdflib-endpoint (parses the TriG dump at start)")

        def start() -> procs.Server:
            return procs.start_rdflib_endpoint(trig, logs / f"rdflib-endpoint-{size}.log")

        peer = start()
        res["rdflib_endpoint_start_s"] = peer.started_s
        say(f"  ready in {peer.started_s:.1f} s")
        try:
            with procs.MemorySampler(peer.process.pid) as mem:
                res["rdflib_endpoint"], peer = http_queries(peer, opts, rdflib_capped, start)
                res["throughput"]["rdflib_endpoint"] = throughput(peer, points, opts)
                res["throughput_named"]["rdflib_endpoint"] = throughput(
                    peer, mix_queries(), opts, opts.mix_requests, 60
                )
            res["rdflib_endpoint_memory"] = dict(mem.peak)
            say(f"  rdflib-endpoint peak RSS {mem.peak['tree_rss'] / 2**20:.0f} MiB")
        finally:
            peer.stop()
    shutil.rmtree(dist, ignore_errors=True)
    res["loadavg"]["end"] = loadavg()
    return res


def loadavg() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages: other work on the machine shows here."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def meta(opts: Options) -> dict:
    import datetime
    import platform
    from importlib.metadata import version

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = procs._kib("/proc/meminfo", "MemTotal:") * 1024
    packages = {}
    for p in ("pyoxigraph", "rdflib", "rdflib-endpoint", "fastapi", "uvicorn", "pyshacl", "matplotlib"):
        try:
            packages[p] = version(p)
        except Exception:  # noqa: BLE001
            packages[p] = "not installed"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu or platform.processor()}, {os.cpu_count()} cores, {mem / 2**30:.0f} GiB RAM, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": packages,
        "seed": opts.seed,
        "cap_s": opts.cap,
        "budget_s": opts.budget,
        "clients": opts.clients,
        "requests": opts.requests,
        "mix_requests": opts.mix_requests,
        "mix": MIX,
        "rdflib_max": opts.rdflib_max,
    }
