"""service.guard: SERVICE / LOAD / FROM / USING IRIs outside the dataset are refused; forms are recognised."""

import pytest

from fukushi_kg.service.guard import check, tokens

DATASET = {"https://example.org/fk/graph/doc-a"}


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://169.254.169.254/latest/meta-data/> { ?s ?p ?o }",
        "SELECT * { SERVICE <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT <http://localhost/> { ?s ?p ?o } }",
        "PREFIX e: <http://127.0.0.1/> SELECT * { SERVICE e:x { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1/> SELECT * { SERVICE :x { ?s ?p ?o } }",
        "BASE <http://127.0.0.1/> SELECT * { SERVICE <x> { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
        "SELECT * { SeRvIcE <http://127.0.0.1/> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { SERVICE undeclared:x { ?s ?p ?o } }",
        "LOAD <http://127.0.0.1/data.ttl>",
        "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>",
        "DELETE { ?s ?p ?o } USING <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o } #\nSERVICE <http://127.0.0.1/> {}",
    ],
)
def test_refused(text):
    assert not check(text, DATASET).ok


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?o }",
        "SELECT * FROM <https://example.org/fk/graph/doc-a> { ?s ?p ?o }",
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1/>" }',
        "SELECT * { ?s ?p '''LOAD <http://x/>\nFROM <file:///etc/passwd>''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1/>",
        "PREFIX ex: <http://example.org/> SELECT * { ?s ex:service ?o . ?service ex:from ?x }",
        "SELECT * { FILTER(?a < ?b) }",
    ],
)
def test_allowed(text):
    assert check(text, DATASET).ok, check(text, DATASET).refused


def test_allow_list_lets_a_prefix_through():
    text = "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    assert not check(text, DATASET).ok
    assert check(text, DATASET, allow=("https://query.wikidata.org/",)).ok


@pytest.mark.parametrize(
    "text, form",
    [
        ("PREFIX a: <http://a/> SELECT * {}", "SELECT"),
        ("ask {}", "ASK"),
        ("BASE <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x>", "DESCRIBE"),
        ("INSERT DATA { <a:a> <a:b> <a:c> }", "UPDATE"),
        ("CLEAR ALL", "UPDATE"),
        ("# SELECT\nASK {}", "ASK"),
    ],
)
def test_form(text, form):
    assert check(text, DATASET).form == form


def test_tokens_keep_iris_strings_and_prefixed_names():
    kinds = [k for k, _ in tokens('SELECT ?x { <http://a> ex:b "c\\"d" }')]
    assert kinds == ["word", "var", "other", "iri", "pname", "string", "other"]
