"""Servers under test as subprocesses on free loopback ports, and the memory of their process trees."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
HOST = "127.0.0.1"


PORTS = os.environ.get("FUKUSHI_KG_BENCH_PORTS", "")  # "LOW-HIGH": take ports from this range only
_GIVEN: set[int] = set()


def free_port() -> int:
    """A free loopback port: any (the system's pick), or one of ``FUKUSHI_KG_BENCH_PORTS`` when set
    (the benchmark's servers and the tests' alike)."""
    if PORTS:
        low, _, high = PORTS.partition("-")
        for port in range(int(low), int(high or low) + 1):
            if port in _GIVEN:  # free now, but handed out already: its server may not have bound it yet
                continue
            with socket.socket() as s:
                try:
                    s.bind((HOST, port))
                except OSError:
                    continue
                _GIVEN.add(port)
                return port
        raise RuntimeError(f"no free port in FUKUSHI_KG_BENCH_PORTS={PORTS}")
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def spawn(
    cmd: list[str], log: Path, *, cwd: Path = ROOT, env: dict[str, str] | None = None, **popen
) -> subprocess.Popen:
    """``cmd`` as a child process with its output (stdout and stderr) written to ``log``; ``popen``:
    more arguments of ``subprocess.Popen`` (e.g. ``preexec_fn``)."""
    with log.open("wb") as fh:
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT, **popen)


def stop(process: subprocess.Popen, wait: float = 10) -> None:
    """Terminate ``process`` and wait for it; killed when it does not end within ``wait`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(wait)


def wait_ready(
    process: subprocess.Popen,
    port: int,
    log: Path,
    timeout: float,
    *,
    path: str = "/sparql?query=ASK%7B%7D",
    name: str = "the server",
    any_status: bool = False,
) -> None:
    """Until ``GET path`` answers 200 (any status with ``any_status``); RuntimeError with the log's
    tail when the process exits first, or (after stopping it) when it does not answer within
    ``timeout`` seconds."""
    import http.client

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{name} exited ({process.returncode}) before answering:\n{tail}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            status = conn.getresponse().status
            conn.close()
            if status == 200 or any_status:
                return
        except OSError:
            pass
        time.sleep(0.1)
    stop(process)
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"{name} did not answer within {timeout:.0f} s (log: {log}):\n{tail}")


@contextlib.contextmanager
def recording_server(content_type: str, body: bytes) -> Iterator[tuple[int, list[str]]]:
    """A loopback HTTP server answering every GET and POST with ``body``, on a port of the system's
    choosing: (port, the paths asked so far); for showing that a server under test fetches nothing."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer((HOST, 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_port, hits
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path
    started_s: float = 0.0  # from spawn to the first answered query
    query_path: str = "/sparql"  # where the server takes SPARQL queries (GET ?query=, POST form)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        stop(self.process, 20)


def _wait_ready(server: Server, timeout: float) -> None:
    """Until ``ASK {}`` by GET answers 200 (the server's log tail in the error when it exits first)."""
    wait_ready(
        server.process, server.port, server.log, timeout, path=server.query_path + "?query=ASK%7B%7D", name=server.name
    )


def start_service(
    dist: Path, workers: int, timeout: float, log: Path, ready_timeout: float = 1800, root: Path = ROOT, *extra: str
) -> Server:
    """`fukushi-kg serve` (as ``python -m service``) on ``dist``; rows uncapped so it returns what the peer returns.
    ``root`` is the source tree the server runs from (another checkout, to measure an older version)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "fukushi_kg.service",
        "--dist",
        str(dist),
        "--port",
        str(port),
        "--host",
        HOST,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--row-cap",
        "100000000",
        # every client of the benchmark has one address (127.0.0.1): no per-address share, as behind a proxy
        "--per-client-queries",
        "0",
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("FUKUSHI_KG_WRITE_TOKEN", None)
    t0 = time.monotonic()
    process = spawn(cmd, log, cwd=root, env=env)
    server = Server(f"fukushi-kg (workers={workers})", process, port, log)
    _wait_ready(server, ready_timeout)
    server.started_s = time.monotonic() - t0
    return server


def start_rdflib_endpoint(trig: Path, log: Path, ready_timeout: float = 3600) -> Server:
    """bench/rdflib_endpoint_app.py (rdflib-endpoint over an rdflib Dataset parsed from ``trig``)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "rdflib_endpoint_app:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "COMPARE_TRIG": str(trig), "PYTHONPATH": str(ROOT)}
    t0 = time.monotonic()
    process = spawn(cmd, log, cwd=BENCH, env=env)
    server = Server("rdflib-endpoint", process, port, log)
    _wait_ready(server, ready_timeout)
    server.started_s = time.monotonic() - t0
    return server


def oxigraph_cli() -> str:
    """The ``oxigraph`` command of PyPI's ``oxigraph`` package (the engine's own server, in Rust): beside
    this Python's executable (a virtual environment), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6' (the bench extra)")
    return found


def start_oxigraph(store: Path, work: Path, log: Path, timeout: float, ready_timeout: float = 600) -> Server:
    """``oxigraph serve-read-only --union-default-graph`` on a copy of ``store`` (in ``work``): the engine
    the service embeds, served by its own Rust HTTP server, with the service's dataset (the union of
    all graphs as the default graph) and its query timeout."""
    copy = work / "oxigraph-store"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(store.resolve(), copy)
    port = free_port()
    cmd = [
        oxigraph_cli(),
        "serve-read-only",
        "--location",
        str(copy),
        "--bind",
        f"{HOST}:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(max(1, int(timeout))),
    ]
    t0 = time.monotonic()
    process = spawn(cmd, log, cwd=work)
    server = Server("oxigraph server", process, port, log, query_path="/query")
    _wait_ready(server, ready_timeout)
    server.started_s = time.monotonic() - t0
    return server


# ------------------------------------------------------------------------------------------ memory
def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        out.setdefault(ppid, []).append(int(entry))
    return out


def tree(pid: int) -> list[int]:
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _kib(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(pid: int) -> dict[str, int]:
    """RSS of the main process, and RSS and PSS summed over its process tree (bytes)."""
    pids = tree(pid)
    return {
        "main_rss": _kib(f"/proc/{pid}/status", "VmRSS:") * 1024,
        "tree_rss": sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids) * 1024,
        "tree_pss": sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) * 1024,
        "processes": len(pids),
    }


def cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time (user + system) of the main process and of the rest of its tree, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")

    def one(p: int) -> float:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            return 0.0

    pids = tree(pid)
    return {"main": one(pid), "others": sum(one(p) for p in pids if p != pid)}


@dataclass
class MemorySampler:
    """Samples ``memory(pid)`` every ``interval`` seconds in a thread; keeps the peaks."""

    pid: int
    interval: float = 0.25
    peak: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        m = memory(self.pid)
        for k, v in m.items():
            self.peak[k] = max(self.peak.get(k, 0), v)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sample()
