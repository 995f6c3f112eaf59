"""The remote backend's query handling that needs no server: LIMIT placement, vendor functions, dataset parameters."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from fukushi_kg.service.remote import EMPTY_GRAPH, Endpoint, RemoteStore, vendor_functions, with_limit

G1, G2 = "https://example.org/graph/a", "https://example.org/graph/b"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }\nLIMIT 11\n"),
        ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 5"),
        ("SELECT * { ?s ?p ?o } LIMIT 500 OFFSET 3", "SELECT * { ?s ?p ?o } LIMIT 11 OFFSET 3"),
        ("SELECT * { ?s ?p ?o } ORDER BY ?s # done", "SELECT * { ?s ?p ?o } ORDER BY ?s # done\nLIMIT 11\n"),
        (
            "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 500 } } VALUES ?s { <x> }",
            "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 500 } } LIMIT 11\nVALUES ?s { <x> }",
        ),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\nLIMIT 11\n"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 99", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 11"),
        ("DESCRIBE <x>", "DESCRIBE <x>"),
        ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }"),
        ('SELECT * { ?s ?p "LIMIT 3 }" }', 'SELECT * { ?s ?p "LIMIT 3 }" }\nLIMIT 11\n'),
    ],
)
def test_row_cap_goes_into_the_query(query, expected):
    assert with_limit(query, 11) == expected


def test_capped_queries_still_parse():
    store = ox.Store()
    for query in [
        "SELECT * { ?s ?p ?o } ORDER BY ?s",
        "SELECT * { ?s ?p ?o } VALUES ?s { <x:y> }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } OFFSET 2",
    ]:
        store.query(with_limit(query, 10))


def test_vendor_functions_are_found_through_prefixes():
    assert vendor_functions('PREFIX b: <bif:> SELECT (b:sprintf("x") AS ?x) {}') == ["bif:sprintf"]
    assert vendor_functions("SELECT (<sql:f>() AS ?x) {}") == ["sql:f"]
    assert vendor_functions('SELECT * { ?s ?p "bif:x" }') == []


def test_dataset_is_the_union_of_the_build_graphs():
    store = RemoteStore(Endpoint("http://127.0.0.1:9/sparql"), [G1, G2], time.monotonic() + 1)
    union = store.dataset_params(use_default_graph_as_union=True)
    assert union == [
        ("default-graph-uri", G1),
        ("default-graph-uri", G2),
        ("named-graph-uri", G1),
        ("named-graph-uri", G2),
    ]
    assert store.dataset_params()[0] == ("default-graph-uri", EMPTY_GRAPH)  # the store's own default graph: empty
    chosen = store.dataset_params(default_graph=[ox.NamedNode(G2), ox.NamedNode("http://elsewhere/")], named_graphs=[])
    assert chosen == [("default-graph-uri", G2), ("default-graph-uri", EMPTY_GRAPH), ("named-graph-uri", EMPTY_GRAPH)]
    store.endpoint.close()
