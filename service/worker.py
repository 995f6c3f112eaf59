"""What a worker process does with the store: run one job, return plain data.

Jobs and answers are dicts that cross a process boundary (pickled). A job names its ``op``;
an answer has ``ok`` and either the payload or ``status`` + ``error``. Nothing here knows HTTP
beyond the status a failure should map to.
"""

from __future__ import annotations


import pyoxigraph as ox

from service import describe, formats, results


def open_store(path: str, writable: bool) -> ox.Store:
    """The on-disk store, read-only unless this is the writer."""
    return ox.Store(path) if writable else ox.Store.read_only(path)


def _dataset(job: dict) -> dict:
    """Keyword arguments for Store.query from the protocol dataset (union default graph otherwise)."""
    default, named = job.get("default_graphs"), job.get("named_graphs")
    if not default and not named:
        return {"use_default_graph_as_union": True}
    kwargs = {"default_graph": [ox.NamedNode(g) for g in default or []] or ox.DefaultGraph()}
    if named:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
    else:
        kwargs["named_graphs"] = []
    if not default:
        # Only named graphs given: the default graph is empty (SPARQL 1.1 Protocol §2.1.4);
        # the store's own default graph is empty in a fukushi-kg build, so we use it.
        kwargs["default_graph"] = ox.DefaultGraph()
    return kwargs


def run_query(store: ox.Store, job: dict) -> dict:
    answer = store.query(job["query"], base_iri=job.get("base_iri"), **_dataset(job))
    media_type, cap = job["media_type"], job["row_cap"]
    if isinstance(answer, ox.QueryBoolean):
        return {"ok": True, "body": results.write_boolean(bool(answer), media_type), "truncated": False, "count": 1}
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = []
        truncated = False
        for solution in answer:
            if len(rows) >= cap:
                truncated = True
                break
            rows.append([solution[i] for i in range(len(variables))])
        body = results.write_solutions(variables, rows, media_type)
        return {"ok": True, "body": body, "truncated": truncated, "count": len(rows)}
    triples = []
    truncated = False
    for triple in answer:
        if len(triples) >= cap:
            truncated = True
            break
        triples.append(triple)
    body = ox.serialize(triples, format=formats.RDF_FORMATS[media_type], prefixes=job.get("prefixes"))
    return {"ok": True, "body": body, "truncated": truncated, "count": len(triples)}


def run_rows(store: ox.Store, job: dict) -> dict:
    """A SELECT as plain rows: {var: results.term_json(term)}; for pages and the JSON API."""
    answer = store.query(job["query"], use_default_graph_as_union=True, base_iri=job.get("base_iri"))
    if isinstance(answer, ox.QueryBoolean):
        return {"ok": True, "vars": [], "rows": [], "boolean": bool(answer), "truncated": False}
    variables = [v.value for v in answer.variables]
    rows, truncated = [], False
    for solution in answer:
        if len(rows) >= job["row_cap"]:
            truncated = True
            break
        rows.append({v: results.term_json(solution[i]) for i, v in enumerate(variables) if solution[i] is not None})
    return {"ok": True, "vars": variables, "rows": rows, "truncated": truncated}


def run_update(store: ox.Store, job: dict) -> dict:
    store.update(job["update"], base_iri=job.get("base_iri"))
    return {"ok": True}


def _graph_name(graph: str | None):
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def run_graph_get(store: ox.Store, job: dict) -> dict:
    """Graph Store Protocol GET: one graph serialized, or not found."""
    graph = job.get("graph")
    fmt = formats.RDF_FORMATS[job["media_type"]]
    if job.get("whole"):
        return {"ok": True, "body": ox.serialize(store.quads_for_pattern(None, None, None), format=fmt)}
    if graph is not None and not store.contains_named_graph(ox.NamedNode(graph)):
        return {"ok": False, "status": 404, "error": f"no graph <{graph}> in this dataset"}
    quads = store.quads_for_pattern(None, None, None, _graph_name(graph))
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    body = ox.serialize(triples, format=fmt, prefixes=job.get("prefixes"))
    return {"ok": True, "body": body}


def run_graph_write(store: ox.Store, job: dict) -> dict:
    """Graph Store Protocol PUT / POST / DELETE on one graph."""
    graph, method = job.get("graph"), job["method"]
    name = _graph_name(graph)
    existed = graph is None or store.contains_named_graph(name)
    if method == "DELETE":
        if not existed or (graph is None and not any(True for _ in store.quads_for_pattern(None, None, None, name))):
            return {"ok": False, "status": 404, "error": "no such graph"}
        if graph is None:
            store.clear_graph(name)
        else:
            store.remove_graph(name)
        return {"ok": True, "created": False}
    fmt = ox.RdfFormat.from_media_type(job["content_type"])
    if fmt is None or fmt.supports_datasets:
        return {"ok": False, "status": 415, "error": f"cannot read a graph from {job['content_type']}"}
    triples = list(ox.parse(job["data"], format=fmt, base_iri=job.get("base_iri") or graph))
    if method == "PUT" and existed:
        store.clear_graph(name)
    if graph is not None and not existed:
        store.add_graph(name)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return {"ok": True, "created": not existed}


def run_graphs(store: ox.Store, job: dict) -> dict:
    """The named graphs with their triple counts, and the default graph's count."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    graphs = {r["g"].value: int(r["n"].value) for r in rows}
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode):
            graphs.setdefault(g.value, 0)
    default = next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))["n"].value
    return {"ok": True, "graphs": graphs, "default": int(default)}


def run_describe(store: ox.Store, job: dict) -> dict:
    return {"ok": True, "resource": describe.describe(store, job["iri"], job["labels_lang"])}


OPS = {
    "query": run_query,
    "rows": run_rows,
    "update": run_update,
    "graph_get": run_graph_get,
    "graph_write": run_graph_write,
    "graphs": run_graphs,
    "describe": run_describe,
}


def handle(store: ox.Store, job: dict) -> dict:
    """Run one job; SPARQL syntax errors are 400 with the parser's message, store errors 500."""
    try:
        return OPS[job["op"]](store, job)
    except SyntaxError as error:
        return {"ok": False, "status": 400, "error": f"SPARQL syntax error: {error}"}
    except ValueError as error:
        return {"ok": False, "status": 400, "error": str(error)}
    except (OSError, RuntimeError) as error:  # RocksDB reports a corrupt block as RuntimeError
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return {"ok": False, "status": 500, "error": f"store error: {first}"}


def main(conn, store_path: str, writable: bool) -> None:
    """Worker process loop: open the store, answer jobs until told to stop (None) or killed."""
    store = open_store(store_path, writable)
    conn.send({"ok": True, "ready": True})
    while True:
        try:
            job = conn.recv()
        except EOFError:
            break
        if job is None:
            break
        conn.send(handle(store, job))
    if writable:
        store.flush()
    del store
