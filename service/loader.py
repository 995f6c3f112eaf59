"""Load a built dataset into an external store: ``fukushi-kg load --to URL``.

Two ways, both one named graph at a time (each graph is replaced, never merged, and keeps its name):

- the SPARQL 1.1 Graph Store Protocol: ``PUT {graph-store}?graph=IRI`` with the graph as N-Triples,
  authenticated (Basic or Digest, whichever the server asks for). Works with Virtuoso
  (``/sparql-graph-crud-auth``, Digest), Fuseki (``/ds/data``), Oxigraph server (``/store``),
  GraphDB (``/repositories/ID/rdf-graphs/service``);
- Virtuoso's bulk loader through ``isql-vt`` (``--bulk isql:[HOST:]PORT``): each graph is written to
  an N-Triples file under ``--bulk-dir`` (default ``DIST/bulk``), which must be readable by the
  server and listed in ``DirsAllowed`` of its ``virtuoso.ini``; then ``SPARQL CLEAR GRAPH`` and
  ``DB.DBA.TTLP_MT(file_to_string_output(file), '', graph)`` per graph and one ``checkpoint``.

Afterwards every graph's triple count is read back through the SPARQL endpoint (``--to``) and
compared with the build; a difference fails the load.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from fukushi_kg.service.remote import (
    RESULTS_ACCEPT,
    Endpoint,
    RemoteRefused,
    RemoteTimeout,
    RemoteUnavailable,
    auth,
    read_results,
)


class LoadError(RuntimeError):
    """The load stopped; the message says where and why."""


@dataclass
class Loaded:
    graphs: dict[str, int]  # graph IRI -> triples in the store after loading
    seconds: float
    method: str


def read_graphs(dist: Path) -> dict[str, list[ox.Triple]]:
    """The build's named graphs (``dist/fukushi-kg.nq``), in the build report's order."""
    dump = dist / "fukushi-kg.nq"
    if not dump.is_file():
        raise LoadError(f"no {dump}: run `fukushi-kg build --dist {dist}` first")
    graphs: dict[str, list[ox.Triple]] = {}
    report = dist / "build-report.json"
    if report.is_file():
        for g in json.loads(report.read_text(encoding="utf-8")).get("graphs", {}):
            graphs[g] = []
    for quad in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise LoadError(
                f"{dump} has a triple in the default graph; a fukushi-kg build keeps every triple in a named graph"
            )
        graphs.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return {g: t for g, t in graphs.items() if t}


def guess_graph_store(endpoint: str, authenticated: bool) -> str:
    """The Graph Store endpoint next to a query endpoint, for the servers whose layout is known."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if path == "/sparql":  # Virtuoso
        return at("/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud")
    if path.endswith(("/sparql", "/query")) and path.count("/") >= 2:  # Fuseki: /ds/sparql, /ds/query
        return at(path.rsplit("/", 1)[0] + "/data")
    if path == "/query":  # Oxigraph server
        return at("/store")
    if "/repositories/" in path:  # GraphDB, RDF4J
        return at(path + "/rdf-graphs/service")
    raise LoadError(f"cannot tell the Graph Store endpoint of {endpoint}; give it with --graph-store URL")


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""  # bytes when no output is given


def _authenticate(client: httpx.Client, graph_store: str) -> None:
    """Answer the server's challenge with a body-less request first. A server that asks for Digest
    answers the first, unauthenticated PUT with 401 and closes the connection while a large body is
    still being sent (Virtuoso: "Connection reset by peer"); after this GET the client sends its
    credentials with every PUT. Wrong credentials are reported here, before any graph is sent.
    The graph asked for does not exist, so the answer (404 once authenticated) is empty."""
    try:
        response = client.get(
            graph_store,
            params={"graph": "urn:fukushi-kg:authentication-check"},
            headers={"Accept": "application/n-triples"},
        )
    except httpx.HTTPError as error:
        raise LoadError(f"GET {graph_store}: {error}") from None
    if response.status_code in (401, 403):
        raise LoadError(
            f"GET {graph_store} answered {response.status_code} (check --user / --password): "
            f"{response.text.strip()[:300]}"
        )


def put_graphs(
    graphs: dict[str, list[ox.Triple]],
    graph_store: str,
    user: str | None,
    password: str | None,
    timeout: float,
    say: Callable[[str], None],
) -> None:
    """Graph Store Protocol: PUT each graph (replacing what the store had under that name)."""
    with httpx.Client(auth=auth(user, password), timeout=timeout) as client:
        if user:
            _authenticate(client, graph_store)
        for i, (graph, triples) in enumerate(graphs.items(), 1):
            started = time.monotonic()
            try:
                response = client.put(
                    graph_store,
                    params={"graph": graph},
                    content=_ntriples(triples),
                    headers={"Content-Type": "application/n-triples", "Accept": "*/*"},
                )
            except httpx.HTTPError as error:
                raise LoadError(f"PUT {graph_store}?graph={graph}: {error}") from None
            if response.status_code not in (200, 201, 204):
                hint = " (check --user / --password)" if response.status_code in (401, 403) else ""
                raise LoadError(
                    f"PUT {graph_store}?graph={graph} answered {response.status_code}{hint}: "
                    f"{response.text.strip()[:300]}"
                )
            say(f"[{i}/{len(graphs)}] {graph}: {len(triples)} triples ({time.monotonic() - started:.1f} s)")


def isql_command() -> str:
    found = os.environ.get("FUKUSHI_KG_ISQL") or shutil.which("isql-vt")
    if not found:
        raise LoadError(
            "isql-vt is not installed (Debian: apt-get install virtuoso-opensource); "
            "set FUKUSHI_KG_ISQL to Virtuoso's isql, or load with the Graph Store Protocol"
        )
    return found


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def run_isql(target: str, user: str, password: str, script: str, timeout: float) -> str:
    """Run SQL statements with Virtuoso's isql; an ``*** Error`` in its output is a LoadError."""
    try:
        done = subprocess.run(
            [isql_command(), target, user, password], input=script, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise LoadError(f"isql on {target} did not finish within {timeout:g} s") from None
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output:
        lines = [line for line in output.splitlines() if "Error" in line] or output.splitlines()[-3:]
        hint = ""
        if "FA003" in output or "access control" in output.lower():
            hint = " (add the --bulk-dir folder to DirsAllowed in virtuoso.ini)"
        raise LoadError(f"isql on {target}: {' '.join(lines)[:500]}{hint}")
    return output


def bulk_graphs(
    graphs: dict[str, list[ox.Triple]],
    target: str,
    user: str,
    password: str,
    folder: Path,
    timeout: float,
    say: Callable[[str], None],
) -> None:
    """Virtuoso: write each graph as N-Triples, then CLEAR GRAPH + TTLP_MT per graph through isql."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    for i, (graph, triples) in enumerate(graphs.items(), 1):
        started = time.monotonic()
        path = folder / f"graph-{i:03d}.nt"
        path.write_bytes(_ntriples(triples))
        path.chmod(0o644)
        script = (
            f"SPARQL CLEAR GRAPH <{graph}>;\n"
            f"DB.DBA.TTLP_MT(file_to_string_output({_sql_string(str(path))}), '', {_sql_string(graph)}, 0);\n"
        )
        run_isql(target, user, password, script, timeout)
        say(f"[{i}/{len(graphs)}] {graph}: {len(triples)} triples ({time.monotonic() - started:.1f} s)")
    run_isql(target, user, password, "checkpoint;\n", timeout)


def count_graphs(
    endpoint_url: str, graphs: list[str], user: str | None, password: str | None, timeout: float
) -> dict[str, int]:
    """Each graph's triple count, read through the SPARQL endpoint."""
    endpoint = Endpoint(endpoint_url, user=user, password=password)
    try:
        values = " ".join(f"<{g}>" for g in graphs)
        query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        response = endpoint.request([("query", query)], RESULTS_ACCEPT, time.monotonic() + timeout)
        counts = {g: 0 for g in graphs}
        for row in read_results(response)[0]:
            counts[row["g"].value] = int(row["n"].value)
        return counts
    except (RemoteTimeout, RemoteUnavailable, RemoteRefused) as error:
        raise LoadError(f"cannot read the graphs back from {endpoint_url}: {error}") from None
    finally:
        endpoint.close()


def load(
    to: str,
    dist: Path,
    *,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    bulk: str | None = None,
    bulk_dir: Path | None = None,
    timeout: float = 600.0,
    say: Callable[[str], None] = print,
) -> Loaded:
    """Load ``dist``'s named graphs into the store at ``to`` (its SPARQL endpoint); check the counts."""
    started = time.monotonic()
    graphs = read_graphs(dist)
    total = sum(len(t) for t in graphs.values())
    if bulk:
        kind, _, target = bulk.partition(":")
        if kind != "isql" or not target:
            raise LoadError(f"--bulk {bulk}: expected isql:PORT or isql:HOST:PORT")
        if not user or password is None:
            raise LoadError("--bulk isql needs --user and --password (or FUKUSHI_KG_STORE_USER / _PASSWORD)")
        method = f"Virtuoso bulk load (isql {target})"
        say(f"loading {total} triples in {len(graphs)} graphs by {method}")
        bulk_graphs(graphs, target, user, password, bulk_dir or dist / "bulk", timeout, say)
    else:
        store = graph_store or guess_graph_store(to, bool(user))
        method = f"Graph Store Protocol ({store})"
        say(f"loading {total} triples in {len(graphs)} graphs by {method}")
        put_graphs(graphs, store, user, password, timeout, say)
    counts = count_graphs(to, list(graphs), user, password, timeout)
    wrong = [
        f"{g}: {counts.get(g, 0)} in the store, {len(t)} built" for g, t in graphs.items() if counts.get(g, 0) != len(t)
    ]
    if wrong:
        raise LoadError("the store does not hold what was built:\n  " + "\n  ".join(wrong))
    return Loaded(counts, round(time.monotonic() - started, 2), method)


def command(ns) -> int:
    """``fukushi-kg load``: exit 0 loaded and checked, 1 the load failed, 2 usage or input error."""
    password = ns.password if ns.password is not None else os.environ.get("FUKUSHI_KG_STORE_PASSWORD")

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    try:
        if not (ns.dist / "fukushi-kg.nq").is_file():
            print(f"fukushi-kg load: no {ns.dist}/fukushi-kg.nq; run `fukushi-kg build` first", file=sys.stderr)
            return 2
        done = load(
            ns.to,
            ns.dist,
            graph_store=ns.graph_store,
            user=ns.user,
            password=password,
            bulk=ns.bulk,
            bulk_dir=ns.bulk_dir,
            timeout=ns.timeout,
            say=say,
        )
    except LoadError as error:
        print(f"fukushi-kg load: {error}", file=sys.stderr)
        return 1
    print(
        f"loaded {sum(done.graphs.values())} triples in {len(done.graphs)} named graphs into {ns.to} "
        f"by {done.method} ({done.seconds} s); counts checked"
    )
    return 0
