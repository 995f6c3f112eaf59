"""HermiT through owlready2: consistent data passes, a contradiction is caught."""

from __future__ import annotations

import shutil

import pytest

from fukushi_kg.graph import rdf, reason, serialize

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java (OpenJDK 17): none on PATH")


def _dump(tiny, tmp_path, extra: str = "") -> object:
    quads = serialize.sorted_quads(rdf.to_dataset(tiny, match_table=None)[0])
    files = serialize.write_dumps(quads, tmp_path)
    if extra:
        with open(files["nt"], "a", encoding="utf-8") as f:
            f.write(extra)
    return files["nt"]


def test_tiny_graph_is_consistent(tiny, tmp_path):
    result = reason.check(_dump(tiny, tmp_path))
    assert result.ran and result.consistent, result.message


def test_a_resource_both_program_and_listing_is_inconsistent(tiny, tmp_path):
    listing = "https://w3id.org/fukushi-kg/id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1"
    bad = f"<{listing}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/fukushi-kg/def/Program> .\n"
    result = reason.check(_dump(tiny, tmp_path, bad))
    assert result.ran and result.consistent is False
    assert "inconsistent" in result.message


def test_non_owl2_datatypes_are_rewritten_for_hermit_only():
    text = '<a> <b> "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n<p> <http://www.w3.org/2000/01/rdf-schema#range> <http://www.w3.org/2001/XMLSchema#gYear> .\n'
    out = reason.owl2_datatypes(text)
    assert '"2023" .' in out and "XMLSchema#gYear" not in out


def test_owl_view_keeps_ontology_and_links_but_not_instance_literals():
    text = (
        '<https://w3id.org/fukushi-kg/def/Plan> <http://www.w3.org/2000/01/rdf-schema#label> "計画"@ja .\n'
        "<https://x/id/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/fukushi-kg/def/Plan> .\n"
        '<https://x/id/1> <http://www.w3.org/2000/01/rdf-schema#label> "a \\"quoted\\" name"@ja .\n'
        '<https://x/id/1> <https://w3id.org/fukushi-kg/def/order> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    )
    kept = reason.owl_view(text).splitlines()
    assert len(kept) == 2
    assert kept[0].startswith("<https://w3id.org/fukushi-kg/def/Plan>") and "#type>" in kept[1]


def test_the_old_program_match_modelling_is_inconsistent_with_prov_o(tiny, tmp_path):
    """fk:ProgramMatch is a prov:Entity; prov:generated (whose domain PROV-O makes prov:Activity,
    disjoint from prov:Entity) from a match was the misuse the imported PROV-O axioms now catch."""
    match = "https://w3id.org/fukushi-kg/id/program-match/old"
    program = "https://w3id.org/fukushi-kg/id/program/kumamoto-child-future-action-plan/1.1.1-1"
    bad = (
        f"<{match}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/fukushi-kg/def/ProgramMatch> .\n"
        f"<{match}> <http://www.w3.org/ns/prov#generated> <{program}> .\n"
    )
    result = reason.check(_dump(tiny, tmp_path, bad))
    assert result.ran and result.consistent is False, result.message


def test_the_new_program_match_modelling_is_consistent(tiny, tmp_path):
    match = "https://w3id.org/fukushi-kg/id/program-match/new"
    program = "https://w3id.org/fukushi-kg/id/program/kumamoto-child-future-action-plan/1.1.1-1"
    activity = "https://w3id.org/fukushi-kg/id/activity/program-identity"
    good = (
        f"<{match}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/fukushi-kg/def/ProgramMatch> .\n"
        f"<{match}> <https://w3id.org/fukushi-kg/def/matchedProgram> <{program}> .\n"
        f"<{match}> <http://www.w3.org/ns/prov#wasGeneratedBy> <{activity}> .\n"
        f"<{activity}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/prov#Activity> .\n"
    )
    result = reason.check(_dump(tiny, tmp_path, good))
    assert result.ran and result.consistent, result.message


def test_every_imported_vocabulary_is_loaded_without_owl_imports():
    text = reason.imported_axioms()
    for ns in (
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/ns/org#",
        "http://purl.org/linked-data/cube#",
        "http://www.w3.org/ns/dcat#",
    ):
        assert f"<{ns}" in text, ns
    assert "owl#imports>" not in text
    disjoint = "<http://www.w3.org/ns/prov#Activity> <http://www.w3.org/2002/07/owl#disjointWith> <http://www.w3.org/ns/prov#Entity> ."
    assert disjoint in text


def test_a_class_below_two_disjoint_classes_is_found_unsatisfiable(tiny, tmp_path):
    """The classification runs on the schema part only; a class of anyone's namespace is in it."""
    fk = "https://w3id.org/fukushi-kg/def/"
    bad = (
        "<urn:example:ProgramListing> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/2002/07/owl#Class> .\n"
        f"<urn:example:ProgramListing> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{fk}Program> .\n"
        f"<urn:example:ProgramListing> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{fk}Listing> .\n"
    )
    result = reason.check(_dump(tiny, tmp_path, bad))
    assert result.ran and result.consistent, result.message
    assert result.unsatisfiable == ["urn:example:ProgramListing"]


def test_the_schema_view_keeps_classes_properties_and_restrictions_but_not_instances():
    text = (
        "<urn:C> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .\n"
        '<urn:C> <http://www.w3.org/2000/01/rdf-schema#label> "C" .\n'
        "<urn:p> <http://www.w3.org/2000/01/rdf-schema#domain> <urn:C> .\n"
        "_:r <http://www.w3.org/2002/07/owl#onProperty> <urn:p> .\n"
        "<urn:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:C> .\n"
        "<urn:x> <urn:p> <urn:y> .\n"
    )
    kept = reason.tbox_view(text).splitlines()
    assert len(kept) == 4 and not any(line.startswith("<urn:x>") for line in kept)


_LISTING = "https://w3id.org/fukushi-kg/id/plan/kumamoto-child-future-action-plan/listing/1.1.1-1"
_BAD = f"<{_LISTING}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/fukushi-kg/def/Program> .\n"


def test_a_verdict_is_kept_by_the_hash_of_hermits_input_and_reused(tiny, tmp_path):
    text = _dump(tiny, tmp_path).read_text(encoding="utf-8")
    cache = tmp_path / "cache"
    first = reason.check_text(text, cache=cache)
    assert first.ran and first.consistent and not first.cached and first.key
    assert not cache.exists()  # check_text only reads the cache; remember writes it
    reason.remember(cache, first)
    again = reason.check_text(text, cache=cache)
    assert again.cached and again.key == first.key
    assert (again.ran, again.consistent, again.message, again.unsatisfiable) == (
        first.ran,
        first.consistent,
        first.message,
        first.unsatisfiable,
    )
    # a literal HermiT is not given (see owl_view) leaves its input, so its verdict, as it was
    label = '<urn:x:a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n'
    assert reason.check_text(text + label, cache=cache).cached
    # a changed input is checked again, and its verdict differs
    bad = reason.check_text(text + _BAD, cache=cache)
    assert not bad.cached and bad.key != first.key and bad.ran and bad.consistent is False
    reason.remember(cache, bad)
    kept = reason.check_text(text + _BAD, cache=cache)
    assert kept.cached and kept.consistent is False and "inconsistent" in kept.message
    # reuse=False (the build's --force) runs HermiT whatever the cache holds
    assert not reason.check_text(text, cache=cache, reuse=False).cached


def test_no_verdict_is_kept_when_hermit_did_not_give_one(tiny, tmp_path):
    import threading

    text = _dump(tiny, tmp_path).read_text(encoding="utf-8")
    cache = tmp_path / "cache"
    stopped = threading.Event()
    stopped.set()
    result = reason.check_text(text, cache=cache, cancel=stopped)
    assert not result.ran and result.consistent is None and "stopped" in result.message
    reason.remember(cache, result)
    assert not cache.exists()
    assert not reason.check_text(text, cache=cache).cached
