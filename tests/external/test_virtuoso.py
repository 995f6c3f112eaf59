"""The service over Virtuoso Open Source (``serve --store``) answers as it does over the embedded store.

The seed build is loaded into a Virtuoso of the test's own with ``fukushi-kg load`` (bulk loader
through isql, then again by the Graph Store Protocol), our service is started on it with
``--store``, and every named query is compared with the embedded store: the same rows after
normalising value formatting (literals by lexical form, numbers by value, language tags only
where both sides have one: Oxigraph keeps a shared tag on GROUP_CONCAT, Virtuoso does not),
in the same order of the ORDER BY keys.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal, InvalidOperation

import pytest

from fukushi_kg.graph.queries import list_queries
from fukushi_kg.service.results import term_json

pytestmark = pytest.mark.slow
ROOT_QUERIES = list_queries()
PROGRAM = "https://w3id.org/fukushi-kg/id/program/kumamoto-child-future-action-plan/3.1.1-2"
NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "short", "Integer")


def run_load(dist, virtuoso, *extra):
    cmd = [
        sys.executable,
        "-m",
        "fukushi_kg.service.cli",
        "load",
        "--to",
        virtuoso.sparql,
        "--dist",
        str(dist),
        "--user",
        "dba",
        "--password",
        "dba",
        *extra,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def loaded(seed_build, virtuoso):
    """The seed build in Virtuoso, by the bulk loader (isql + TTLP_MT)."""
    dist, report = seed_build
    done = run_load(dist, virtuoso, "--bulk", f"isql:{virtuoso.sql_port}", "--bulk-dir", str(virtuoso.folder / "bulk"))
    assert done.returncode == 0, done.stderr + virtuoso.log()
    return dist, report, done


@pytest.fixture(scope="module")
def remote(loaded, virtuoso, start_service):
    """Our service with --store on the loaded Virtuoso."""
    return start_service(loaded[0], "--store", virtuoso.sparql, "--timeout", "20", "--workers", "2")


def test_bulk_load_reports_progress_and_counts(loaded):
    dist, report, done = loaded
    assert f"[{len(report.graphs)}/{len(report.graphs)}]" in done.stderr
    assert "counts checked" in done.stdout
    assert f"{sum(report.graphs.values())} triples" in done.stdout


def test_graph_store_protocol_load_replaces_each_graph(loaded, virtuoso):
    dist, report, _ = loaded
    done = run_load(dist, virtuoso)  # PUT per graph on /sparql-graph-crud-auth (Digest), over the bulk load
    assert done.returncode == 0, done.stderr
    assert "Graph Store Protocol" in done.stdout and "counts checked" in done.stdout
    for graph in report.graphs:
        assert graph in done.stderr


def test_load_with_wrong_password_fails_clearly(loaded, virtuoso):
    dist = loaded[0]
    cmd = [
        sys.executable,
        "-m",
        "fukushi_kg.service.cli",
        "load",
        "--to",
        virtuoso.sparql,
        "--dist",
        str(dist),
        "--user",
        "dba",
        "--password",
        "not-the-password",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "401" in done.stderr


def _normal(term: dict | None):
    if term is None:
        return None
    if term["type"] in ("literal", "typed-literal"):
        datatype = term.get("datatype", "")
        if datatype.endswith(NUMERIC):
            try:
                return ("number", Decimal(term["value"]).normalize())
            except InvalidOperation:
                pass
        return ("literal", term["value"], term.get("xml:lang"))
    return (term["type"], term["value"])


def _same_term(a, b) -> bool:
    if a is None or b is None or a[0] != "literal" or b[0] != "literal":
        return a == b
    return a[1] == b[1] and (a[2] is None or b[2] is None or a[2] == b[2])


def _key(row):
    """A row without language tags, for counting (tags are compared pairwise afterwards)."""
    return tuple(t[:2] if t and t[0] == "literal" else t for t in row)


def order_keys(text: str, columns: list[str]) -> list[int]:
    """Positions of the projected variables the final ORDER BY sorts on."""
    tail = text[text.rfind("}") :]
    found = re.search(r"ORDER\s+BY\s+(.*)", tail, re.I | re.S)
    if not found:
        return []
    names = re.findall(r"[?$](\w+)", found.group(1))
    return [columns.index(n) for n in names if n in columns]


@pytest.mark.parametrize("query", ROOT_QUERIES, ids=[q.name for q in ROOT_QUERIES])
def test_named_query_answers_as_embedded(query, remote, seed_store):
    embedded = seed_store.query(query.text, use_default_graph_as_union=True)
    columns = [v.value for v in embedded.variables]
    expected = [tuple(_normal(term_json(s[c]) if s[c] is not None else None) for c in columns) for s in embedded]
    with remote.client() as client:
        response = client.get(
            "/sparql", params={"query": query.text}, headers={"Accept": "application/sparql-results+json"}
        )
    assert response.status_code == 200, response.text
    assert response.headers["Fukushi-Truncated"] == "false"
    body = response.json()
    assert body["head"]["vars"] == columns
    got = [tuple(_normal(b.get(c)) for c in columns) for b in body["results"]["bindings"]]
    assert Counter(map(_key, got)) == Counter(map(_key, expected))
    pairs = dict(zip(map(_key, expected), expected))
    for row in got:
        assert all(_same_term(a, b) for a, b in zip(row, pairs[_key(row)])), row
    keys = order_keys(query.text, columns)
    if keys:
        assert [[_key(r)[k] for k in keys] for r in got] == [[_key(r)[k] for k in keys] for r in expected]


def test_named_query_api_over_remote_store(remote, seed_store):
    with remote.client() as client:
        answer = client.get("/api/queries/single-parent-programs-both-plans").json()
    assert len(answer["rows"]) == 4
    assert {r["label"] for r in answer["rows"]} >= {"ひとり親家庭等日常生活支援事業"}


def test_program_page_dereferences_through_remote_store(remote, seed_store):
    path = PROGRAM.removeprefix("https://w3id.org/fukushi-kg")
    listings = {
        r["l"].value
        for r in seed_store.query(
            f"SELECT ?l WHERE {{ <{PROGRAM}> <https://w3id.org/fukushi-kg/def/hasListing> ?l }}",
            use_default_graph_as_union=True,
        )
    }
    assert listings
    with remote.client() as client:
        html = client.get(path, headers={"Accept": "text/html"})
        turtle = client.get(path, headers={"Accept": "application/n-triples"})
        missing = client.get("/id/program/no-such-program")
    assert html.status_code == 200
    assert "ひとり親家庭等日常生活支援事業" in html.text
    for listing in listings:
        assert listing.removeprefix("https://w3id.org/fukushi-kg") in html.text
    assert turtle.status_code == 200
    assert f"<{PROGRAM}> <http://www.w3.org/2000/01/rdf-schema#label>" in turtle.text
    assert missing.status_code == 404


def test_whole_graph_read_pages_past_the_server_row_limit(remote, loaded):
    graph, size = max(loaded[1].graphs.items(), key=lambda item: item[1])
    assert size > 10_000  # more than Virtuoso's ResultSetMaxRows
    with remote.client() as client:
        response = client.get("/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert len([line for line in response.text.splitlines() if line.strip()]) == size


def test_limits_apply_before_the_store_is_asked(remote):
    with remote.client() as client:
        capped = client.get(
            "/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}
        )
        service = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"})
        vendor = client.get("/sparql", params={"query": 'PREFIX bif: <bif:> SELECT (bif:sprintf("%s", 1) AS ?x) {}'})
        syntax = client.get("/sparql", params={"query": "SELECT * {"})
        system = client.get(
            "/sparql",
            params={
                "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                "default-graph-uri": "http://www.openlinksw.com/schemas/virtrdf#",
            },
            headers={"Accept": "application/sparql-results+json"},
        )
    assert capped.status_code == 200
    assert capped.headers["Fukushi-Truncated"] == "true"  # cut by Virtuoso's ResultSetMaxRows, and said so
    assert int(capped.headers["Fukushi-Row-Count"]) <= 10_000
    assert service.status_code == 403
    assert vendor.status_code == 400 and "vendor functions" in vendor.text
    assert syntax.status_code == 400 and "syntax" in syntax.text.lower()
    assert system.json()["results"]["bindings"][0]["n"]["value"] == "0"  # a server's system graph is not ours


def test_timeout_and_unreachable_store_are_503(loaded, virtuoso, start_service):
    slow = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y FILTER(STR(?x) = CONCAT(STR(?y), "z")) }'
    impatient = start_service(loaded[0], "--store", virtuoso.sparql, "--timeout", "1", "--workers", "1")
    with impatient.client() as client:
        response = client.get("/sparql", params={"query": slow})
        assert response.status_code == 503 and "Timeout" in response.text
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    gone = start_service(loaded[0], "--store", "http://127.0.0.1:9/sparql", "--timeout", "5", "--workers", "1")
    with gone.client() as client:
        response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 503 and "unavailable" in response.text
