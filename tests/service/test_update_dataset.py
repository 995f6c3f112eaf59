"""using-graph-uri / using-named-graph-uri written in as USING clauses (Protocol §2.2.3), checked
on the real Oxigraph store: the rewritten update sees exactly the protocol dataset."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from fukushi_kg.service.update_dataset import with_using

T = ox.NamedNode("urn:T")


def store() -> ox.Store:
    s = ox.Store()
    for g, subject in (("urn:g1", "urn:a"), ("urn:g2", "urn:b"), ("urn:g3", "urn:c")):
        s.add(
            ox.Quad(
                ox.NamedNode(subject),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                T,
                ox.NamedNode(g),
            )
        )
    return s


def seen(s: ox.Store, graph: str = "urn:out") -> set[str]:
    return {q.subject.value for q in s.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


COPY = "INSERT { GRAPH <urn:out> { ?s a <urn:Seen> } } WHERE { ?s a <urn:T> }"


def test_using_graph_uri_is_the_default_graph_of_the_where_clause():
    s = store()
    s.update(with_using(COPY, ["urn:g1", "urn:g2"], []))
    assert seen(s) == {"urn:a", "urn:b"}


def test_using_named_graph_uri_gives_the_named_graphs():
    s = store()
    s.update(
        with_using("INSERT { GRAPH <urn:out> { ?s a <urn:Seen> } } WHERE { GRAPH ?g { ?s a <urn:T> } }", [], ["urn:g3"])
    )
    assert seen(s) == {"urn:c"}


def test_delete_where_shortcut_is_rewritten_with_the_dataset():
    s = store()
    s.update(with_using("DELETE WHERE { GRAPH <urn:g2> { ?s a <urn:T> } }", [], ["urn:g2"]))
    assert not list(s.quads_for_pattern(None, None, None, ox.NamedNode("urn:g2")))
    assert len(list(s.quads_for_pattern(None, None, None, None))) == 2


def test_data_operations_and_words_inside_strings_are_left_alone():
    update = (
        'INSERT DATA { <urn:x> <urn:p> "WHERE { }" } ; '
        'DELETE { ?s ?p ?o } INSERT { ?s ?p "where" } WHERE { ?s ?p ?o } # WHERE in a comment'
    )
    rewritten = with_using(update, ["urn:g1"], [])
    assert rewritten.count("USING <urn:g1>") == 1
    assert 'INSERT DATA { <urn:x> <urn:p> "WHERE { }" }' in rewritten
    assert rewritten.index("USING <urn:g1>") < rewritten.rindex("WHERE { ?s ?p ?o }")
    ox.Store().update(rewritten)  # still valid SPARQL


def test_each_operation_gets_the_clauses_and_no_parameters_change_nothing():
    update = COPY + " ; " + COPY.replace("urn:out", "urn:out2")
    assert with_using(update, ["urn:g1"], []).count("USING <urn:g1> WHERE") == 2
    assert with_using(update, [], []) == update


@pytest.mark.parametrize("bad", ["urn:a> } ; DROP ALL ; INSERT DATA { <urn:b", "has space", 'q"uote'])
def test_a_parameter_that_is_not_an_iri_is_refused(bad):
    with pytest.raises(ValueError, match="not an IRI"):
        with_using(COPY, [bad], [])
