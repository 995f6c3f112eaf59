"""service/fastlane.py: bounded queries answered in the service process, byte for byte as a worker
answers them; everything else (a slow query above all) still runs in a worker that the timeout kills.

Against the service as real uvicorn subprocesses over one fixture store: the lane on, the lane off
(``--no-front-lane``), and writes enabled (which turns the lane off)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, TOKEN, make_dist, start_server, stop_server  # noqa: E402

from fukushi_kg.service import fastlane, guard, settings, worker  # noqa: E402
from fukushi_kg.service.fastlane import FrontLane, bounded  # noqa: E402

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
ROW_CAP = 3
PLAN = f"<{BASE}id/plan/kumamoto>"
PROGRAM = f"<{BASE}id/program/kodomo-shokudo>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PREFIXES = f"PREFIX fk: <{BASE}def/>\nPREFIX id: <{BASE}id/plan/>\nPREFIX prog: <{BASE}id/program/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
# bounded queries (the lane answers them), with answers of every shape: none, one row, a language tag,
# markup in a literal, a row cap that cuts, a ground ASK true and false, an error the store reports
LANE_QUERIES = [
    f"SELECT ?label WHERE {{ {PROGRAM} {LABEL} ?label }}",
    PREFIXES + "SELECT * { prog:xss rdfs:label ?l }",
    PREFIXES + "SELECT ?o { id:kumamoto fk:lists ?o . id:kumamoto a fk:Plan } LIMIT 1",
    f"SELECT ?p ?o {{ {PLAN} ?p ?o }}",  # five triples: the row cap (3) cuts it
    f"SELECT ?p {{ {PLAN} ?p ?o }} LIMIT 2",
    f"SELECT ?label {{ <{BASE}id/nothing> {LABEL} ?label }}",
    f'SELECT ?x {{ {PLAN} {LABEL} "熊本市こども未来計画"@ja ; {LABEL} ?x }}',
    f"ASK {{ {PLAN} <{BASE}def/lists> {PROGRAM} }}",
    f"ASK {{ {PROGRAM} <{BASE}def/lists> {PLAN} }}",
    f"ASK {{ {PLAN} {LABEL} ?any }}",
    "ASK {}",
    "SELECT ?o { undeclared:x <http://example.org/p> ?o }",  # a syntax error: the same 400
]
ACCEPTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
HEADERS = ("content-type", "fukushi-row-cap", "fukushi-byte-cap", "fukushi-truncated", "fukushi-row-count")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    return make_dist(tmp_path_factory.mktemp("lane") / "dist")


def _start(dist: Path, *extra: str, env: dict | None = None):
    return start_server(
        dist,
        *("--timeout", "3", "--row-cap", str(ROW_CAP), "--workers", "1", "--per-client-queries", "0"),
        *extra,
        env=env,
    )


@pytest.fixture(scope="module")
def lane_on(dist):
    srv = _start(dist)
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def lane_off(dist):
    srv = _start(dist, "--no-front-lane")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def with_token(dist):
    srv = _start(dist, env={"FUKUSHI_KG_WRITE_TOKEN": TOKEN})
    yield srv
    stop_server(srv)


def test_the_lane_queries_are_bounded():
    for query in LANE_QUERIES:
        assert bounded(guard.check(query, set())), query


def _compare(on, off, method: str, query: str, accept: str) -> None:
    if method == "GET":
        a, b = (c.get("/sparql", params={"query": query}, headers={"Accept": accept}) for c in (on, off))
    else:
        a, b = (c.post("/sparql", data={"query": query}, headers={"Accept": accept}) for c in (on, off))
    assert a.status_code == b.status_code, (query, accept, a.text, b.text)
    assert a.content == b.content, (query, accept)
    for name in HEADERS:
        assert a.headers.get(name) == b.headers.get(name), (name, query, accept)


def test_answers_are_byte_identical_with_the_lane_on_and_off(lane_on, lane_off):
    with lane_on.client() as on, lane_off.client() as off:
        for query in LANE_QUERIES:
            for accept in ACCEPTS:
                for method in ("GET", "POST"):
                    _compare(on, off, method, query, accept)
        capped = on.post("/sparql", data={"query": LANE_QUERIES[3]}, headers={"Accept": ACCEPTS[0]})
        assert capped.headers["Fukushi-Truncated"] == "true" and capped.headers["Fukushi-Row-Count"] == str(ROW_CAP)
        assert len(capped.json()["results"]["bindings"]) == ROW_CAP
        whole = on.post("/sparql", data={"query": LANE_QUERIES[0]}, headers={"Accept": ACCEPTS[0]})
        assert whole.headers["Fukushi-Truncated"] == "false" and whole.headers["Fukushi-Row-Count"] == "2"
        labels = {b["label"]["value"] for b in whole.json()["results"]["bindings"]}
        assert labels == {"こども食堂支援", "Children's cafeteria support"}
        assert on.get("/sparql", params={"query": LANE_QUERIES[-1]}).status_code == 400


def _form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def test_the_protocol_dataset_is_honoured_the_same_way(lane_on, lane_off):
    """default-graph-uri / named-graph-uri set the dataset the lane queries, as they do a worker's."""
    datasets = [
        [("default-graph-uri", f"{BASE}graph/doc-a")],
        [("default-graph-uri", f"{BASE}graph/ontology")],
        [("named-graph-uri", f"{BASE}graph/doc-a")],
        [("default-graph-uri", f"{BASE}graph/ontology"), ("default-graph-uri", f"{BASE}graph/doc-a")],
    ]
    with lane_on.client() as on, lane_off.client() as off:
        for dataset in datasets:
            for query in (LANE_QUERIES[0], LANE_QUERIES[3], LANE_QUERIES[7]):
                body = _form([("query", query), *dataset])
                a, b = (c.post("/sparql", data=body, headers={"Accept": ACCEPTS[0]}) for c in (on, off))
                assert a.status_code == b.status_code == 200 and a.content == b.content, (query, dataset)
                assert a.headers["Fukushi-Row-Count"] == b.headers["Fukushi-Row-Count"]
        only_ontology = on.post("/sparql", data=_form([("query", LANE_QUERIES[0]), *datasets[1]]))
        assert only_ontology.json()["results"]["bindings"] == []  # the program's labels are in doc-a


def _descendants(pid: int) -> set[int]:
    """Live (not zombie) processes under ``pid``: the forkserver and the workers it started."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _slow_then_quick(server, quick: str) -> tuple[bool, dict]:
    """Start SLOW (it takes the only worker until the timeout kills it), then ``quick``: whether
    ``quick`` was answered while SLOW was still under way, and what happened to both."""
    with ThreadPoolExecutor(1) as pool, server.client() as client:
        before = _descendants(server.process.pid)
        slow = pool.submit(client.post, "/sparql", data={"query": SLOW})
        time.sleep(0.5)  # SLOW is on the worker by now
        answer = client.post("/sparql", data={"query": quick}, headers={"Accept": ACCEPTS[0]})
        quick_first = not slow.done()
        slow_answer = slow.result(30)
        for _ in range(3):  # a worker answers again (unbounded: never the lane)
            assert client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        after = _descendants(server.process.pid)
    return quick_first, {"quick": answer, "slow": slow_answer, "before": before, "after": after}


def test_a_slow_query_still_times_out_and_its_worker_is_killed_while_the_lane_answers(lane_on):
    quick_first, seen = _slow_then_quick(lane_on, LANE_QUERIES[0])
    assert seen["quick"].status_code == 200 and seen["quick"].headers["Fukushi-Row-Count"] == "2"
    assert quick_first, "the bounded query waited for the worker"
    assert seen["slow"].status_code == 503 and "Timeout" in seen["slow"].text
    assert seen["before"] - seen["after"], "the worker that ran the slow query is still alive"
    assert seen["after"] - seen["before"], "no new worker replaced it"


def test_without_the_lane_every_query_waits_for_a_worker(lane_off):
    quick_first, seen = _slow_then_quick(lane_off, LANE_QUERIES[0])
    assert seen["slow"].status_code == 503 and seen["quick"].status_code == 200
    assert not quick_first


def test_the_lane_is_off_when_writes_are_enabled(with_token):
    quick_first, seen = _slow_then_quick(with_token, LANE_QUERIES[0])
    assert seen["slow"].status_code == 503 and seen["quick"].status_code == 200
    assert not quick_first


@pytest.mark.parametrize(
    "query",
    [
        "ASK { ?s ?p ?o }",  # no IRI subject
        f"SELECT ?o {{ {PLAN} ?p ?o . {PROGRAM} ?q ?o }}",  # two patterns with variables
        f"SELECT ?o {{ ?s {LABEL} ?o }}",
        f"SELECT ?o {{ _:b {LABEL} ?o }}",  # a blank node is a variable
        f"SELECT ?o {{ {PLAN} <{BASE}def/lists> [ {LABEL} ?o ] }}",
        f"SELECT ?o {{ {PLAN} <{BASE}def/lists>/{LABEL} ?o }}",  # property paths
        f"SELECT ?o {{ {PLAN} <{BASE}def/lists>* ?o }}",
        f"SELECT ?o {{ {PLAN} ^{LABEL} ?o }}",
        f"SELECT ?o {{ {PLAN} !{LABEL} ?o }}",
        f"SELECT ?o {{ {PLAN} ({LABEL}) ?o }}",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o FILTER(lang(?o) = 'ja') }}",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o OPTIONAL {{ {PLAN} a ?t }} }}",
        f"SELECT ?o {{ {{ {PLAN} {LABEL} ?o }} UNION {{ {PROGRAM} {LABEL} ?o }} }}",
        f"SELECT ?o {{ {{ SELECT ?o {{ {PLAN} {LABEL} ?o }} }} }}",
        f"SELECT ?o {{ SERVICE <http://127.0.0.1:9/sparql> {{ {PLAN} {LABEL} ?o }} }}",
        f"SELECT ?o {{ GRAPH <{BASE}graph/doc-a> {{ {PLAN} {LABEL} ?o }} }}",
        f"SELECT (COUNT(*) AS ?n) {{ {PLAN} ?p ?o }}",
        f"SELECT ?p (SAMPLE(?o) AS ?s) {{ {PLAN} ?p ?o }} GROUP BY ?p",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o }} ORDER BY ?o",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o BIND(1 AS ?x) }}",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o MINUS {{ {PLAN} a ?o }} }}",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o VALUES ?o {{ 'x' }} }}",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o }} VALUES ?o {{ 'x' }}",
        f"SELECT ?o FROM <{BASE}graph/doc-a> {{ {PLAN} {LABEL} ?o }}",
        f"SELECT ?o {{ {PLAN} {LABEL} ?o }} LIMIT 1 LIMIT 2",
        # the engine would read triples it does not return, with no row to check the clock between
        f"SELECT DISTINCT ?p {{ {PLAN} ?p ?o }}",
        f"SELECT REDUCED ?p {{ {PLAN} ?p ?o }}",
        f"SELECT ?o {{ {PLAN} ?p ?o }} OFFSET 1",
        f"SELECT ?o {{ {PLAN} ?p ?o }} LIMIT 5 OFFSET 1",
        f"SELECT ?p {{ {PLAN} ?p ?p }}",
        f"SELECT ?p {{ {PLAN} _:x _:x }}",
        f"SELECT ?o {{ {PLAN} <{BASE}def/x> 4.5, ?o }}",  # a decimal (not read: refused, strictly)
        f"CONSTRUCT {{ {PLAN} {LABEL} ?o }} WHERE {{ {PLAN} {LABEL} ?o }}",
        f"DESCRIBE {PLAN}",
        "SELECT ?o { " + " . ".join(f"{PLAN} <{BASE}def/p{i}> <{BASE}o>" for i in range(16)) + f" . {PLAN} ?p ?o }}",
        f"INSERT DATA {{ {PLAN} {LABEL} 'x' }}",
        # more tokens than the guard keeps (guard.LANE_TOKENS): 90 prefixes, then a lookup
        "".join(f"PREFIX p{i}: <{BASE}p{i}/>\n" for i in range(90)) + f"SELECT ?o {{ {PLAN} {LABEL} ?o }}",
    ],
)
def test_the_classifier_refuses_what_is_not_provably_fast(query):
    assert not bounded(guard.check(query, set()))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { " + " . ".join(f"{PLAN} <{BASE}def/p{i}> <{BASE}o>" for i in range(15)) + f" . {PLAN} ?p ?o }}",
        f"select * where {{ {PLAN} a <{BASE}def/Plan> ; ?p ?o }} limit 5",
        f"SELECT ?p {{ {PLAN} ?p _:x }}",
        f"BASE <{BASE}> SELECT ?o {{ <id/plan/kumamoto> <def/lists> ?o , <id/x> }}",  # one pattern with variables
        f'SELECT ?o {{ {PLAN} <{BASE}def/x> "a"@en-US, "b"^^<{BASE}t>, 412, true ; {LABEL} ?o . }}',
        f"ASK {{ {PLAN} {LABEL} ?o ; }}",
    ],
)
def test_the_classifier_takes_anchored_lookups(query):
    assert bounded(guard.check(query, set()))


def _job(query: str) -> dict:
    return {
        "op": "query",
        "query": query,
        "default_graphs": [],
        "named_graphs": [],
        "media_type": "application/sparql-results+json",
        "row_cap": 10,
        "max_bytes": 1 << 30,
        "base_iri": None,
    }


def test_the_lane_hands_a_query_to_a_worker_past_its_time_or_size(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    s, p = ox.NamedNode(BASE + "s"), ox.NamedNode(BASE + "p")
    store.add(ox.Quad(s, p, ox.Literal("x" * (worker.SMALL + 10)), ox.NamedNode(BASE + "g")))
    store.add(ox.Quad(s, ox.NamedNode(BASE + "q"), ox.Literal("small"), ox.NamedNode(BASE + "g")))
    small = _job(f"SELECT ?o {{ <{BASE}s> <{BASE}q> ?o }}")
    assert FrontLane(store).answer(small, 30) == next(worker.stream_query(store, small))
    assert FrontLane(store, seconds=-1).answer(small, 30) is None  # its time passed before the first row
    assert FrontLane(store).answer(small, -1) is None  # the job's own timeout counts too
    assert FrontLane(store).answer(_job(f"SELECT ?o {{ <{BASE}s> <{BASE}p> ?o }}"), 30) is None  # too large
    failed = FrontLane(store).answer(_job("SELECT ?o { nope:s ?p ?o }"), 30)
    assert failed is not None and failed["status"] == 400 and not failed["ok"]


def test_the_setting_and_its_environment_variable(monkeypatch):
    def parsed(*argv: str, env: str | None = None) -> bool:
        if env is None:
            monkeypatch.delenv("FUKUSHI_KG_FRONT_LANE", raising=False)
        else:
            monkeypatch.setenv("FUKUSHI_KG_FRONT_LANE", env)
        parser = argparse.ArgumentParser()
        settings.add_arguments(parser)
        return parser.parse_args(list(argv)).front_lane

    assert parsed() is True
    assert parsed("--no-front-lane") is False
    assert parsed(env="0") is False and parsed(env="off") is False and parsed(env="1") is True
    on = settings.Settings(dist=Path("/nonexistent"))
    assert FrontLane.open(settings.Settings(dist=on.dist, front_lane=False)) is None
    assert FrontLane.open(settings.Settings(dist=on.dist, write_token="t")) is None
    assert FrontLane.open(settings.Settings(dist=on.dist, store="http://127.0.0.1:9/sparql")) is None


def test_the_lane_follows_a_build_that_swaps_the_store(tmp_path, monkeypatch):
    """``dist/store`` is a link a build swaps to a new directory (graph/store.py): the lane opens
    the new store at its next look, as a worker started after the swap would."""
    from fukushi_kg.graph import store as stores

    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    s, g = ox.NamedNode(BASE + "s"), ox.NamedNode(BASE + "g")
    dist = tmp_path / "dist"
    stores.write_store([ox.Quad(s, label, ox.Literal("first"), g)], dist, "store")
    lane = FrontLane.open(settings.Settings(dist=dist))
    assert lane is not None
    query = _job(f"SELECT ?l {{ <{BASE}s> {LABEL} ?l }}")
    assert b"first" in lane.answer(query, 30)["body"]
    target = stores.load_store([ox.Quad(s, label, ox.Literal("second"), g)], dist, "store-next")
    stores.swap_in_store(dist, target)
    monkeypatch.setattr(fastlane, "RECHECK_SECONDS", 0.0)
    assert b"second" in lane.answer(query, 30)["body"]
