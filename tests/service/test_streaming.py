"""Streamed SELECT results: complete and well-formed in every format, honest row-cap headers, and a
timeout after the first byte that ends the stream visibly without hanging anyone."""

from __future__ import annotations

import csv
import io
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, start_server, stop_server  # noqa: E402

from fukushi_kg.service import worker  # noqa: E402
from fukushi_kg.service.sparql import STREAM_ERROR  # noqa: E402

N = 30_000  # triples: every format serialises to more than worker.SMALL, so the answers are streamed
ALL = "SELECT * WHERE { ?s ?p ?o }"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


def _triples() -> list[ox.Triple]:
    """Literals with the characters each format must escape, language tags, datatypes, blank nodes."""
    p_label = ox.NamedNode(BASE + "def/label")
    p_n = ox.NamedNode(BASE + "def/n")
    p_ref = ox.NamedNode(BASE + "def/ref")
    out = []
    for i in range(N // 3):
        s = ox.NamedNode(f"{BASE}id/item/{i:06d}")
        text = f'項目 {i}, "quoted" <b>&amp;</b>\ttab\nline ' + "x" * 400
        out.append(ox.Triple(s, p_label, ox.Literal(text, language="ja") if i % 2 else ox.Literal(text)))
        out.append(ox.Triple(s, p_n, ox.Literal(str(i), datatype=XSD_INTEGER)))
        out.append(ox.Triple(s, p_ref, ox.BlankNode(f"b{i}") if i % 5 == 0 else ox.NamedNode(f"{BASE}id/ref/{i}")))
    return out


@pytest.fixture(scope="module")
def big_dist(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("stream") / "dist"
    dist.mkdir(parents=True)
    store = ox.Store(str(dist / "store"))
    graph = ox.NamedNode(BASE + "graph/big")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in _triples())
    store.flush()
    del store
    for name in ("queries", "ontology"):
        (dist.parent / name).mkdir()
    return dist


@pytest.fixture(scope="module")
def direct(big_dist) -> tuple[list[str], Counter]:
    """The answer to ALL straight from pyoxigraph, as a multiset of term tuples."""
    store = ox.Store.read_only(str(big_dist / "store"))
    answer = store.query(ALL, use_default_graph_as_union=True)
    variables = [v.value for v in answer.variables]
    rows = Counter(tuple(s[i] for i in range(len(variables))) for s in answer)
    del store
    return variables, rows


@pytest.fixture(scope="module")
def big_server(big_dist):
    srv = start_server(big_dist, "--timeout", "20", "--row-cap", "1000000", "--workers", "2")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def capped_server(big_dist):
    srv = start_server(big_dist, "--timeout", "2", "--row-cap", "25000", "--workers", "2")
    yield srv
    stop_server(srv)


def _get(srv, fmt: str, query: str = ALL) -> httpx.Response:
    with srv.client() as c:
        return c.get("/sparql", params={"query": query, "format": fmt})


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_large_result_is_complete_and_parses(big_server, direct, fmt):
    variables, rows = direct
    r = _get(big_server, fmt)
    assert r.status_code == 200, r.text[:500]
    assert len(r.content) > worker.SMALL, "the answer should be large enough to be streamed"
    assert r.headers.get("transfer-encoding") == "chunked"
    assert r.headers["Fukushi-Truncated"] == "false"
    assert r.headers["Fukushi-Row-Count"] == str(N)
    assert b"FUKUSHI-KG-ERROR" not in r.content
    parsed = ox.parse_query_results(r.content, format=FORMATS[fmt])
    assert [v.value for v in parsed.variables] == variables
    assert Counter(tuple(s[i] for i in range(len(variables))) for s in parsed) == rows


def _csv_text(term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def test_large_csv_is_complete(big_server, direct):
    variables, rows = direct
    r = _get(big_server, "csv")
    assert r.status_code == 200
    assert len(r.content) > worker.SMALL
    assert r.headers["Fukushi-Row-Count"] == str(N)
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8"), newline="")))
    assert table[0] == variables
    assert Counter(tuple(line) for line in table[1:]) == Counter(
        {tuple(_csv_text(t) for t in row): n for row, n in rows.items()}
    )


def test_small_answers_are_unchanged(big_server):
    r = _get(big_server, "json", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3")
    assert r.status_code == 200
    assert r.headers["Fukushi-Row-Count"] == "3"
    assert "content-length" in r.headers  # sent whole from the first evaluation
    assert len(r.json()["results"]["bindings"]) == 3


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_row_cap_headers_on_a_streamed_answer(capped_server, fmt):
    r = _get(capped_server, fmt)
    assert r.status_code == 200
    assert r.headers.get("transfer-encoding") == "chunked"  # streamed: the cap was counted before the body
    assert r.headers["Fukushi-Row-Cap"] == "25000"
    assert r.headers["Fukushi-Truncated"] == "true"
    assert r.headers["Fukushi-Row-Count"] == "25000"
    if fmt == "json":
        assert len(r.json()["results"]["bindings"]) == 25000
    else:
        assert len(list(csv.reader(io.StringIO(r.content.decode(), newline="")))) == 25001
    exact = _get(capped_server, "json", ALL + " LIMIT 25000")
    assert exact.headers["Fukushi-Truncated"] == "false"
    assert exact.headers["Fukushi-Row-Count"] == "25000"


def test_errors_before_the_first_byte_keep_their_status(capped_server):
    assert _get(capped_server, "json", "SELECT * WHERE { ?s ?p }").status_code == 400
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    r = _get(capped_server, "json", slow)
    assert r.status_code == 503 and "Timeout" in r.text


def test_timeout_mid_stream_ends_the_body_and_others_are_served(capped_server):
    """A client that reads slowly outlives the 2 s timeout after the headers: the stream is cut at the
    deadline, the body ends with the error marker and without the final chunk, and other requests get
    answers meanwhile (the answer streams from its spool file, holding no worker)."""
    # about 17 MB of CSV: more than the socket buffers hold, yet produced well within the 2 s timeout
    # on a loaded machine (the answer is spooled whole before the headers go out)
    copies = ", ".join(["?l"] * 10)
    wide = f"SELECT ?s (CONCAT({copies}) AS ?big) WHERE {{ ?s <{BASE}def/label> ?l }}"
    started = time.monotonic()
    received = bytearray()
    with ThreadPoolExecutor(1) as pool, httpx.Client(base_url=capped_server.url, timeout=30) as c:
        with c.stream("GET", "/sparql", params={"query": wide, "format": "csv"}) as r:
            assert r.status_code == 200
            chunks = r.iter_raw()  # no chunk_size: httpx would drop a partial chunk at the error
            received += next(chunks)

            def others() -> list[int]:
                with capped_server.client() as other:
                    return [other.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code for _ in range(5)]

            quick = pool.submit(others)
            assert quick.result(10) == [200] * 5  # the other worker answers while this stream is stuck
            time.sleep(2.5)  # past the timeout
            with pytest.raises(httpx.RemoteProtocolError):
                for chunk in chunks:
                    received += chunk
    assert time.monotonic() - started < 15
    assert STREAM_ERROR + b"Timeout: " in received[-1000:]
    # the killed worker was replaced: both workers answer again
    with capped_server.client() as c:
        for _ in range(4):
            assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def _stream_directly(job_query: str, media_type: str = "text/csv", cap: int = 10**9) -> tuple[dict, bytes]:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in _triples())
    messages = list(worker.stream_query(store, {"query": job_query, "media_type": media_type, "row_cap": cap}))
    return messages[0], b"".join(m for m in messages[1:] if isinstance(m, bytes))


def test_a_large_answer_is_spooled_once_and_sent_whole():
    header, body = _stream_directly(ALL)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert header["count"] == N and len(rows) == N + 1 and not header["truncated"]


def test_with_no_room_on_disk_the_answer_is_counted_and_evaluated_again(monkeypatch):
    def full_disk(*args, **kwargs):
        class Full:
            def write(self, data):
                raise OSError(28, "No space left on device")

            def close(self):
                pass

        return Full()

    monkeypatch.setattr(worker.tempfile, "TemporaryFile", full_disk)
    header, body = _stream_directly(ALL, cap=N - 5)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert header == {"ok": True, "truncated": True, "count": N - 5} and len(rows) == N - 5 + 1


@pytest.mark.parametrize("room", [1, 3, 40])
def test_when_the_disk_fills_mid_answer_no_row_is_lost(monkeypatch, room):
    """The spool takes ``room`` writes, then the disk is full: the row whose write failed is counted
    and sent with the others (the answer is counted on and evaluated again), none is dropped."""
    real = worker.tempfile.TemporaryFile

    def filling(*args, **kwargs):
        spool = real(*args, **kwargs)
        writes = 0

        class Filling:
            def write(self, data):
                nonlocal writes
                writes += 1
                if writes > room:
                    raise OSError(28, "No space left on device")
                return spool.write(data)

            def __getattr__(self, name):
                return getattr(spool, name)

        return Filling()

    monkeypatch.setattr(worker.tempfile, "TemporaryFile", filling)
    header, body = _stream_directly(ALL)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert header == {"ok": True, "truncated": False, "count": N} and len(rows) == N + 1
    assert len({tuple(r) for r in rows[1:]}) == N  # every triple once
    capped_header, capped_body = _stream_directly(ALL, cap=N - 5)
    assert capped_header == {"ok": True, "truncated": True, "count": N - 5}
    assert len(list(csv.reader(io.StringIO(capped_body.decode())))) == N - 5 + 1
