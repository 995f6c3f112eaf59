"""What a worker process does with the store: run one job, return plain data.

Jobs and answers are dicts that cross a process boundary (pickled). A job names its ``op``;
an answer has ``ok`` and either the payload or ``status`` + ``error``. Nothing here knows HTTP
beyond the status a failure should map to.

A query job with ``"stream": True`` (the embedded service's /sparql) is answered by
:func:`stream_query` as several messages: a header dict (``ok``, ``count``, ``truncated``, or a
failure), then ``None``; a whole ``body`` (ASK / CONSTRUCT / DESCRIBE and small SELECT answers)
is one message, its header marked ``"last": True``, with nothing after it (one hop, not two). A large SELECT answer is written to an unlinked temporary file whose descriptor is
passed to the service process (header ``"spool": True``, then the descriptor, then ``None``):
the worker is free as soon as the answer is written, whatever the client does with it. Only
where no file can be written are the results sent as bytes frames of about :data:`FRAME` bytes
before ``None``; a failure after the header is a dict ``{"ok": False, "error": ...}`` in place
of ``None``.

A Graph Store write with ``"confirm": True`` is done in two steps (:func:`write_confirmed`): the
upload is read and checked, the worker says :data:`READY`, and it commits (in one transaction)
only when the service answers :data:`COMMIT`, so the service alone decides whether a write that
is running out of time happens: killed before that word, nothing was written.
"""

from __future__ import annotations

import io
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator
from multiprocessing import reduction
from typing import BinaryIO

import pyoxigraph as ox

from fukushi_kg.graph.store import solutions
from fukushi_kg.graph.untrusted import UnsafeDocument, check_rdf_xml
from fukushi_kg.service import describe, formats, results
from fukushi_kg.service.memory import limit_this_process, out_of_memory_message

MEMORY_LIMIT: int | None = None  # this worker's --worker-memory, set by serve()


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
    if isinstance(answer, ox.QuerySolutions):
        head, row, separator, tail = results.solution_writer([v.value for v in answer.variables], job["media_type"])
        rows = CappedRows(answer, job, row, AnswerBudget(job, head, separator, tail))
        body = head.encode() + separator.encode().join(rows) + tail.encode()
        return {"ok": True, "body": body, "truncated": rows.truncated, "count": rows.count}
    return run_query_answer(answer, job)


class AnswerBudget:
    """The byte cap of one answer (``job["max_bytes"]``, the service's ``--max-answer-bytes``): the
    head and tail of the format are reserved, then each row (with its separator) must fit whole."""

    def __init__(self, job: dict, head: str, separator: str, tail: str):
        limit = job.get("max_bytes") or 0
        self.separator = len(separator.encode())
        self.left = limit - len(head.encode()) - len(tail.encode()) if limit else None

    def take(self, size: int, rows_before: int) -> bool:
        """Whether a row of ``size`` bytes still fits (and count it when it does)."""
        if self.left is None:
            return True
        size += self.separator if rows_before else 0
        if size > self.left:
            return False
        self.left -= size
        return True


class CappedRows:
    """The serialised rows of a SELECT answer up to the row cap (``job["row_cap"]``) and the byte cap
    (:class:`AnswerBudget`): the one loop every way of answering uses.

    :meth:`next` gives the next row, the same one again until :meth:`taken` counts it as written, so
    a row whose writing failed (a full disk) is still the next one, never lost. ``truncated``: a cap
    cut the answer (a row beyond ``row_cap`` exists, or the next row does not fit the bytes left)."""

    def __init__(self, answer: ox.QuerySolutions, job: dict, row, budget: AnswerBudget, deadline: float | None = None):
        self.solutions = iter(answer) if deadline is None else _until(answer, deadline)
        self.cap = job["row_cap"]
        self.row, self.budget = row, budget
        self.width = range(len(answer.variables))
        self.count, self.truncated = 0, False
        self.pending: bytes | None = None
        self.ended = False

    def next(self) -> bytes | None:
        """The next row to write, or None when the answer ends or a cap cuts it."""
        if self.pending is not None:
            return self.pending
        if self.ended:
            return None
        solution = next(self.solutions, None)
        if solution is not None and self.count >= self.cap:
            self.truncated = True
            solution = None
        if solution is not None:
            text = self.row([solution[i] for i in self.width]).encode()
            if self.budget.take(len(text), self.count):
                self.pending = text
                return text
            self.truncated = True
        self.ended = True
        return None

    def taken(self) -> None:
        """The row :meth:`next` gave is written: count it."""
        self.pending = None
        self.count += 1

    def __iter__(self) -> Iterator[bytes]:
        """The rows, each counted as it is given (where writing it cannot fail)."""
        while (text := self.next()) is not None:
            self.taken()
            yield text


def run_rows(store: ox.Store, job: dict) -> dict:
    """A SELECT as plain rows: {var: results.term_json(term)}; for pages and the JSON API."""
    answer = store.query(job["query"], use_default_graph_as_union=True, base_iri=job.get("base_iri"))
    if isinstance(answer, ox.QueryBoolean):
        return {"ok": True, "vars": [], "rows": [], "boolean": bool(answer), "truncated": False}
    answer = solutions(answer)  # a SELECT: a CONSTRUCT has no rows
    variables = [v.value for v in answer.variables]
    rows: list[dict] = []
    truncated = False
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


def _graph_content(store: ox.Store, job: dict):
    """(quads or triples to serialise, RDF format) of a Graph Store GET, or a 404 answer."""
    graph = job.get("graph")
    fmt = formats.RDF_FORMATS[job["media_type"]]
    if job.get("whole"):
        return store.quads_for_pattern(None, None, None), fmt
    if graph is not None and not store.contains_named_graph(ox.NamedNode(graph)):
        return {"ok": False, "status": 404, "error": f"no graph <{graph}> in this dataset"}, fmt
    quads = store.quads_for_pattern(None, None, None, _graph_name(graph))
    return (ox.Triple(q.subject, q.predicate, q.object) for q in quads), fmt


class _Counter(io.BytesIO):
    """A binary file that keeps nothing and counts the bytes written to it."""

    size = 0

    def write(self, data) -> int:
        n = memoryview(data).nbytes
        self.size += n
        return n


def run_graph_get(store: ox.Store, job: dict) -> dict:
    """Graph Store Protocol GET: one graph serialized, or not found. With ``measure`` only its size
    (for HEAD), serialised into a counter and not kept."""
    content, fmt = _graph_content(store, job)
    if isinstance(content, dict):
        return content
    prefixes = None if job.get("whole") else job.get("prefixes")
    if job.get("measure"):
        counter = _Counter()
        ox.serialize(content, counter, format=fmt, prefixes=prefixes)
        return {"ok": True, "size": counter.size}
    return {"ok": True, "body": ox.serialize(content, format=fmt, prefixes=prefixes)}


def stream_graph(store: ox.Store, job: dict) -> Iterator[dict | bytes]:
    """A Graph Store GET as messages (header, then frames): serialised by Oxigraph into a temporary
    file as it reads the store, then sent from it, so a whole-dataset download takes a few MiB of
    memory whatever the dataset's size."""
    content, fmt = _graph_content(store, job)
    if isinstance(content, dict):
        yield content
        return
    prefixes = None if job.get("whole") else job.get("prefixes")
    with tempfile.TemporaryFile(prefix="fukushi-kg-graph-") as spool:
        ox.serialize(content, spool, format=fmt, prefixes=prefixes)
        yield {"ok": True, "size": spool.tell()}
        spool.seek(0)
        while frame := spool.read(FRAME):
            yield frame


class UnsupportedUpload(ValueError):
    """An uploaded document's media type names no RDF graph format (415)."""


class UploadSyntaxError(ValueError):
    """An uploaded document does not parse (400): ``RDF syntax error in <part> (<format>, line n): …``."""


class UploadTooLarge(ValueError):
    """An uploaded document has a term longer than the parser takes, or needs more memory (413)."""


def parse_upload(job: dict, graph: str | None) -> list:
    """The triples of a Graph Store upload: the body, or every multipart part (``job["parts"]``), all
    read before anything is written, so a bad part changes nothing. Parts get fresh blank nodes so
    that two documents' ``_:b1`` stay two nodes. Turtle, N-Triples, RDF/XML, N3 and JSON-LD (whose
    remote contexts are never fetched; a document with named graphs is refused, as it is not one
    graph) are read. UploadSyntaxError names the part, the format and the line. RDF/XML with a DTD or
    nested too deep is refused (graph.untrusted), and a term over the parser's 16 MiB buffer is
    UploadTooLarge."""
    parts = job.get("parts")
    documents = parts or [{"name": "the body", "data": job["data"], "content_type": job["content_type"]}]
    triples = []
    for doc in documents:
        fmt = ox.RdfFormat.from_media_type(doc["content_type"])
        if fmt is None or (fmt.supports_datasets and fmt != ox.RdfFormat.JSON_LD):
            raise UnsupportedUpload(
                f"cannot read a graph from {doc['content_type'] or '(no type)'}"
                + (f" ({doc['name']})" if parts else "")
                + f"; send one of: {', '.join(formats.UPLOAD_TYPES)}"
            )
        if fmt == ox.RdfFormat.RDF_XML:
            check_rdf_xml(doc["data"], doc["name"])
        try:
            for t in ox.parse(
                doc["data"], format=fmt, base_iri=job.get("base_iri") or graph, rename_blank_nodes=bool(parts)
            ):
                if isinstance(t, ox.Quad):
                    if not isinstance(t.graph_name, ox.DefaultGraph):
                        raise UploadSyntaxError(
                            f"{doc['name']} ({fmt.name}) holds a named graph ({t.graph_name}); "
                            "a Graph Store upload is one graph: send its triples without @graph under an @id"
                        )
                    t = ox.Triple(t.subject, t.predicate, t.object)
                triples.append(t)
        except SyntaxError as error:
            line = f", line {error.lineno}" if getattr(error, "lineno", None) else ""
            raise UploadSyntaxError(f"RDF syntax error in {doc['name']} ({fmt.name}{line}): {error}") from None
        except MemoryError as error:
            raise UploadTooLarge(
                f"{doc['name']} cannot be read here ({error or 'out of memory'}): "
                "no literal or IRI may be longer than 16 MiB, and the graph must fit the worker's memory"
            ) from None
    return triples


def run_parse_upload(store, job: dict) -> dict:
    """Parse a Graph Store upload on a reader (off the event loop, under the query timeout) before the
    write takes the store: the answer is the graph as N-Triples (blank nodes of multipart documents
    already kept apart), which the writer then reads in linear time. Nothing touches ``store``."""
    try:
        triples = parse_upload(job, job.get("graph"))
    except UnsupportedUpload as error:
        return {"ok": False, "status": 415, "error": str(error)}
    except UploadTooLarge as error:
        return {"ok": False, "status": 413, "error": f"The upload is too large: {error}."}
    except UnsafeDocument as error:
        return {"ok": False, "status": 400, "error": f"The upload is refused: {error}."}
    except UploadSyntaxError as error:
        return {"ok": False, "status": 400, "error": str(error)}
    return {"ok": True, "data": ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "triples": len(triples)}


def prepare_graph_write(store: ox.Store, job: dict) -> dict | Callable[[], dict]:
    """Graph Store Protocol PUT / POST / DELETE on one graph, read and checked: a failure answer (404,
    415; a syntax error raises), or the function that makes the change in one transaction.

    A PUT that replaces a graph with content is one SPARQL Update (``DROP SILENT`` the graph, then
    ``INSERT DATA`` the new triples, written as N-Triples: parsed terms only, so nothing in the
    upload can change the update's text); stopped anywhere, it leaves the old graph as it was.
    The upload's blank nodes become fresh ones there, as SPARQL Update makes them. Adding to a
    graph (POST, or PUT of a graph that is new or empty) is one ``Store.extend``, atomic too."""
    graph, method = job.get("graph"), job["method"]
    name = _graph_name(graph)
    existed = graph is None or store.contains_named_graph(name)
    if method == "DELETE":
        if not existed or (graph is None and not any(True for _ in store.quads_for_pattern(None, None, None, name))):
            return {"ok": False, "status": 404, "error": "no such graph"}

        def delete() -> dict:
            if graph is None:
                store.clear_graph(name)
            else:
                store.remove_graph(name)
            return {"ok": True, "created": False}

        return delete
    try:
        triples = parse_upload(job, graph)
    except UnsupportedUpload as error:
        return {"ok": False, "status": 415, "error": str(error)}
    if method == "PUT" and existed and any(True for _ in store.quads_for_pattern(None, None, None, name)):
        target = "DEFAULT" if graph is None else f"GRAPH {name}"
        if triples:
            body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
            del triples
            inner = body if graph is None else f"GRAPH {name} {{\n{body}}}"
            update = f"DROP SILENT {target} ;\nINSERT DATA {{\n{inner}}}"
        else:
            update = f"CLEAR SILENT {target}"

        def replace() -> dict:
            store.update(update)
            return {"ok": True, "created": False}

        return replace
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
    del triples

    def add() -> dict:
        if quads:
            store.extend(quads)
        elif graph is not None and not existed:
            store.add_graph(name)
        return {"ok": True, "created": not existed}

    return add


def run_graph_write(store: ox.Store, job: dict) -> dict:
    """Graph Store Protocol PUT / POST / DELETE on one graph, in one step."""
    prepared = prepare_graph_write(store, job)
    return prepared if isinstance(prepared, dict) else prepared()


def run_graphs(store: ox.Store, job: dict) -> dict:
    """The named graphs with their triple counts, and the default graph's count."""
    rows = solutions(store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))
    graphs = {r["g"].value: int(r["n"].value) for r in rows}
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode):
            graphs.setdefault(g.value, 0)
    default = next(iter(solutions(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))))["n"].value
    return {"ok": True, "graphs": graphs, "default": int(default)}


def run_describe(store: ox.Store, job: dict) -> dict:
    return {"ok": True, "resource": describe.describe(store, job["iri"], job["labels_lang"])}


OPS = {
    "query": run_query,
    "rows": run_rows,
    "update": run_update,
    "graph_get": run_graph_get,
    "graph_write": run_graph_write,
    "parse_upload": run_parse_upload,
    "graphs": run_graphs,
    "describe": run_describe,
}


FRAME = 64 * 1024  # bytes per streamed frame
SMALL = 4 * 1024 * 1024  # a SELECT answer that serialises to at most this is sent from one evaluation


class PastDeadline(Exception):
    """A query run with a ``deadline`` (:func:`stream_query`) passed it between two rows."""


def _until(rows: Iterator, deadline: float) -> Iterator:
    """``rows``, checking the clock before each: PastDeadline once ``deadline`` (``time.monotonic()``) passes."""
    for row in rows:
        if time.monotonic() > deadline:
            raise PastDeadline
        yield row


def stream_query(
    store: ox.Store, job: dict, handoff: bool = False, deadline: float | None = None, spool: bool = True
) -> Generator[dict | bytes | BinaryIO, None, None]:
    """A query job as messages: the header dict, then (SELECT only) bytes frames; with ``handoff``,
    a spooled answer is the open file instead of its frames (header ``"spool": True``).

    The service's front lane (:mod:`service.fastlane`) runs it in the service process with a
    ``deadline`` (``time.monotonic()``; PastDeadline is raised between rows once it passes) and
    without ``spool``: an answer larger than :data:`SMALL` then yields nothing (the worker answers it).

    The headers must say how many rows come and whether a cap cut them before the first byte is
    sent, so a SELECT is evaluated and serialised into memory up to :data:`SMALL` bytes; an answer
    that ends by then (or reaches ``row_cap + 1`` rows, or the byte cap ``max_bytes``) is sent from
    that buffer. A larger answer is serialised on into a temporary file (up to the caps, so the file
    never grows past ``max_bytes``), then sent from it in :data:`FRAME` byte frames, or handed over
    whole: one evaluation, and memory stays at a few MiB whatever the size of the answer. Where the
    file cannot be written (a full disk), the rest is counted (and measured) without being kept and
    the query evaluated a second time to stream it.
    """
    answer = store.query(job["query"], base_iri=job.get("base_iri"), **_dataset(job))
    if not isinstance(answer, ox.QuerySolutions):
        yield run_query_answer(answer, job)
        return
    head, row, separator, tail = results.solution_writer([v.value for v in answer.variables], job["media_type"])
    rows = CappedRows(answer, job, row, AnswerBudget(job, head, separator, tail), deadline)
    sep = separator.encode()
    pieces, size, small = [head.encode()], len(head), True
    for text in rows:
        if rows.count > 1:
            pieces.append(sep)
        pieces.append(text)
        size += len(text)
        if size > SMALL:
            small = False
            break
    if small:
        pieces.append(tail.encode())
        yield {"ok": True, "body": b"".join(pieces), "truncated": rows.truncated, "count": rows.count}
        return
    if not spool:
        return
    file = tempfile.TemporaryFile(prefix="fukushi-kg-answer-")
    try:
        try:
            file.write(b"".join(pieces))
            del pieces
            while (following := rows.next()) is not None:
                file.write(sep + following)
                rows.taken()  # only now: a row whose write failed is counted by the fallback
            file.write(tail.encode())
            file.flush()
        except OSError:  # no room for the answer on disk: count on, then evaluate again
            yield from _count_then_stream(store, job, rows, head, row, separator, tail)
            return
        file.seek(0)
        if handoff:
            yield {"ok": True, "truncated": rows.truncated, "count": rows.count, "spool": True}
            yield file
            return
        yield {"ok": True, "truncated": rows.truncated, "count": rows.count}
        while frame := file.read(FRAME):
            yield frame
    finally:
        file.close()


def _count_then_stream(store, job, rows: CappedRows, head, row, separator, tail) -> Iterator[dict | bytes]:
    """The fallback of :func:`stream_query`: count (and measure) the rest of the answer ``rows`` is
    reading (the row whose write failed included) without keeping it, then evaluate the query again
    and stream that many rows. Should the second evaluation pass the byte cap after all, the stream
    is ended as failed (the error marker), not cut silently."""
    for _ in rows:
        pass
    count = rows.count
    yield {"ok": True, "truncated": rows.truncated, "count": count}
    width = rows.width
    answer = store.query(job["query"], base_iri=job.get("base_iri"), **_dataset(job))
    limit = job.get("max_bytes") or 0
    pieces, size, sent, total = [head], len(head), 0, 0
    for solution in answer:
        if sent >= count:
            break
        if sent:
            pieces.append(separator)
        text = row([solution[i] for i in width])
        pieces.append(text)
        size += len(text)
        sent += 1
        if size >= FRAME:
            frame = "".join(pieces).encode()
            total += len(frame)
            if limit and total > limit:
                raise RuntimeError(f"the answer passed the byte cap ({limit} bytes) on its second evaluation")
            yield frame
            pieces, size = [], 0
    if sent < count:
        raise RuntimeError(f"the answer changed between evaluations ({count} rows, then {sent})")
    pieces.append(tail)
    yield "".join(pieces).encode()


def run_query_answer(answer, job: dict) -> dict:
    """The whole answer of an ASK, CONSTRUCT or DESCRIBE, as :func:`run_query` gives it: at most
    ``row_cap`` triples and ``max_bytes`` bytes (whole triples; ``truncated`` says when either cut)."""
    media_type, cap = job["media_type"], job["row_cap"]
    if isinstance(answer, ox.QueryBoolean):
        return {"ok": True, "body": results.write_boolean(bool(answer), media_type), "truncated": False, "count": 1}
    limit = job.get("max_bytes") or 0
    triples: list[ox.Triple] = []
    truncated = False
    size = 0
    for triple in answer:
        if len(triples) >= cap:
            truncated = True
            break
        size += len(str(triple).encode()) + 3  # its N-Triples line: the measure of the byte cap
        if limit and size > limit:
            truncated = True
            break
        triples.append(triple)
    fmt, prefixes = formats.RDF_FORMATS[media_type], job.get("prefixes")
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    while limit and len(body) > limit and triples:  # a wordier format than N-Triples: fewer triples
        triples = triples[: max(0, min(len(triples) - 1, int(len(triples) * limit / len(body) * 0.95)))]
        body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        truncated = True
    return {"ok": True, "body": body, "truncated": truncated, "count": len(triples)}


def failure(error: Exception) -> dict:
    """The answer for an exception a job raised: SPARQL syntax errors are 400, store errors 500,
    the worker's memory limit 503."""
    if isinstance(error, MemoryError):
        return {"ok": False, "status": 503, "error": f"Out of memory: {out_of_memory_message(MEMORY_LIMIT)}."}
    if isinstance(error, SyntaxError):
        return {"ok": False, "status": 400, "error": f"SPARQL syntax error: {error}"}
    if isinstance(error, ValueError):
        return {"ok": False, "status": 400, "error": str(error)}
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return {"ok": False, "status": 500, "error": f"store error: {first}"}


# RocksDB reports a corrupt block as RuntimeError; MemoryError is the worker's memory limit (--worker-memory)
JOB_ERRORS = (SyntaxError, ValueError, OSError, RuntimeError, MemoryError)


def handle(store: ox.Store, job: dict) -> dict:
    """Run one job; SPARQL syntax errors are 400 with the parser's message, store errors 500."""
    try:
        return OPS[job["op"]](store, job)
    except JOB_ERRORS as error:
        return failure(error)


def stream(conn, store: ox.Store, job: dict) -> None:
    """Send the messages of :func:`stream_query` (or :func:`stream_graph`), then ``None``; a failure
    is a dict in their place (and is the last message). A spool file is sent as its descriptor
    (``SCM_RIGHTS`` on the worker's socket): the service process reads it, and the file, unlinked
    from the start, is gone when the service closes it."""
    started = False
    try:
        messages: Iterator[dict | bytes | BinaryIO]
        if job["op"] == "query":
            messages = stream_query(store, job, handoff=True)
        else:
            messages = stream_graph(store, job)
        for message in messages:
            if not started and isinstance(message, dict) and message.get("ok") and "body" in message:
                conn.send({**message, "last": True})  # the whole answer in one message: no None after it
                return
            if isinstance(message, dict | bytes):
                conn.send(message)
                if not started and isinstance(message, dict) and not message.get("ok"):
                    return  # a failure header (a graph not found) ends the job, as a raised failure does
            else:
                reduction.send_handle(conn, message.fileno(), 0)
            started = True
    except JOB_ERRORS as error:
        answer = failure(error)
        conn.send(answer if not started else {"ok": False, "error": answer["error"]})
        return
    conn.send(None)


READY = "ready"  # a confirmed write is read and checked; it waits for COMMIT
COMMIT = "commit"


def write_confirmed(conn, store: ox.Store, job: dict) -> None:
    """A Graph Store write in two steps: read and check it (:func:`prepare_graph_write`), send
    :data:`READY`, then commit only on :data:`COMMIT` and send the answer. Any other word, or the
    service going away, leaves the store as it was."""
    try:
        prepared = prepare_graph_write(store, job)
    except JOB_ERRORS as error:
        conn.send(failure(error))
        return
    if isinstance(prepared, dict):
        conn.send(prepared)
        return
    conn.send(READY)
    try:
        word = conn.recv()
    except EOFError:
        return
    if word != COMMIT:
        conn.send({"ok": False, "status": 503, "error": "the write was called off; nothing was written"})
        return
    try:
        answer = prepared()
    except JOB_ERRORS as error:
        answer = failure(error)
    conn.send(answer)


# Oxigraph recurses per nesting level; a large stack (reserved, touched only as used) keeps a
# query the guard lets through (service.guard.MAX_DEPTH, MAX_OPERATORS) far from overflowing it.
STACK_BYTES = 256 << 20


def main(conn, store_path: str, writable: bool, memory: int | None = None) -> None:
    """Worker process: run :func:`serve` on a thread with a large stack."""
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=serve, args=(conn, store_path, writable, memory), name="fukushi-kg-worker")
    thread.start()
    thread.join()


def serve(conn, store_path: str, writable: bool, memory: int | None = None) -> None:
    """Worker loop: open the store, answer jobs until told to stop (None) or killed. Once the store is
    open, the worker may allocate at most ``memory`` bytes more (service.memory)."""
    global MEMORY_LIMIT
    store = open_store(store_path, writable)
    MEMORY_LIMIT = memory
    limit_this_process(memory)
    conn.send({"ok": True, "ready": True})
    while True:
        try:
            job = conn.recv()
        except EOFError:
            break
        if job is None:
            break
        if job.get("stream"):
            stream(conn, store, job)
        elif job.get("confirm"):
            write_confirmed(conn, store, job)
        else:
            conn.send(handle(store, job))
    if writable:
        store.flush()
    del store
