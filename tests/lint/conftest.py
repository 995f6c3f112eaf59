"""Fixtures for the lint tests: the fixture folder, a runner for `fukushi-kg lint` as a subprocess,
and a minimal SPARQL endpoint (SPARQL 1.1 Protocol over an Oxigraph store) for the remote mode."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`fukushi-kg lint ARGS` as a real subprocess (this checkout's code first on the path)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    exe = Path(sys.executable).with_name("fukushi-kg")
    cmd = [str(exe)] if exe.exists() else ["fukushi-kg"]
    return subprocess.run(cmd + ["lint", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def run_cli():
    return _run_cli


class _Endpoint(BaseHTTPRequestHandler):
    store: ox.Store

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self.answer(parse_qs(urlsplit(self.path).query).get("query", [""])[0])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            body = parse_qs(body).get("query", [""])[0]
        self.answer(body)

    def answer(self, query: str):
        try:
            results = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(exc).encode())
            return
        if isinstance(results, ox.QuerySolutions):
            body = results.serialize(format=ox.QueryResultsFormat.JSON)
            media = "application/sparql-results+json"
        else:
            body = ox.serialize(list(results), format=ox.RdfFormat.N_TRIPLES)
            media = "application/n-triples"
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def endpoint():
    """Start an endpoint over a given file; yields a function path -> URL."""
    servers = []

    def start(path: Path) -> str:
        store = ox.Store()
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
        store.load(path=str(path), format=fmt)
        handler = type("Handler", (_Endpoint,), {"store": store})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sparql"

    yield start
    for s in servers:
        s.shutdown()
