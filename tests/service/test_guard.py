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


# SERVICE and LOAD go out only to what --allow names: a graph of the dataset named like a URL is no
# exemption (issue 13), and --allow is matched on scheme, host and port exactly, path on a segment.
URL_NAMED_GRAPHS = DATASET | {"http://127.0.0.1:8000/sparql", "https://example.org/fk/graph/ontology"}


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE <http://127.0.0.1:8000/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE <https://example.org/fk/graph/ontology> { ?s ?p ?o } }",
        "LOAD <http://127.0.0.1:8000/sparql>",
        "LOAD <https://example.org/fk/graph/doc-a> INTO GRAPH <urn:g>",
    ],
)
def test_a_dataset_graph_name_is_no_pass_for_service_or_load(text):
    assert not check(text, URL_NAMED_GRAPHS).ok


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://127.0.0.1:8000/sparql> { ?s ?p ?o }",
        "SELECT * FROM NAMED <https://example.org/fk/graph/ontology> { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://127.0.0.1:8000/sparql> WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING NAMED <https://example.org/fk/graph/doc-a> WHERE { ?s ?p ?o }",
    ],
)
def test_dataset_graphs_pass_as_from_and_using(text):
    assert check(text, URL_NAMED_GRAPHS).ok


@pytest.mark.parametrize(
    "iri, allowed",
    [
        ("http://example.org/sparql", True),
        ("http://EXAMPLE.org:80/any/path", True),
        ("http://example.org.attacker.tld/", False),
        ("http://example.org@attacker.tld/", False),
        ("http://example.org:8080/", False),
        ("https://example.org/", False),
        ("http://sub.example.org/", False),
    ],
)
def test_allow_matches_scheme_host_and_port_exactly(iri, allowed):
    text = f"SELECT * {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}"
    assert check(text, DATASET, allow=("http://example.org",)).ok is allowed


@pytest.mark.parametrize(
    "iri, allowed",
    [
        ("https://query.wikidata.org/sparql", True),
        ("https://query.wikidata.org/sparql/", True),
        ("https://query.wikidata.org/sparql/x", True),
        ("https://query.wikidata.org/sparql?query=x", True),
        ("https://query.wikidata.org/sparql2", False),
        ("https://query.wikidata.org/sparql/../admin", False),
        ("https://query.wikidata.org/sparql/%2e%2e/admin", False),
        ("https://query.wikidata.org/", False),
        ("https://query.wikidata.org:444/sparql", False),
    ],
)
def test_allow_path_is_a_prefix_on_a_segment_boundary(iri, allowed):
    text = f"SELECT * {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}"
    assert check(text, DATASET, allow=("https://query.wikidata.org/sparql",)).ok is allowed


def test_allow_entries_must_be_http_urls():
    from fukushi_kg.service.guard import allow_entry_problem

    assert allow_entry_problem("https://query.wikidata.org/sparql") is None
    for bad in ("query.wikidata.org", "urn:x:", "file:///etc/", "http://"):
        assert allow_entry_problem(bad)
