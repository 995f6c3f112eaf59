"""The seed build: conformance, determinism, atomic store swap, failure leaves dist intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from fukushi_kg import resources
from fukushi_kg.graph.build import BuildError, build


def test_seed_build_conforms_and_reports(seed_build):
    dist, report = seed_build
    assert report.shacl == "conforms"
    assert report.triples > 20_000
    assert report.documents["kumamoto-child-plan-report-fy2023"]["listings"] == 91
    assert report.documents["kumamoto-regional-welfare-plan-5"]["listings"] == 218
    written = json.loads((dist / "build-report.json").read_text(encoding="utf-8"))
    assert written["triples"] == report.triples
    for name in ("fukushi-kg.trig", "fukushi-kg.nq", "fukushi-kg.nt", "fukushi-kg.jsonld"):
        assert (dist / name).stat().st_size > 0
    assert (dist / "store").is_symlink()
    graphs = set(report.graphs)
    base = report.base
    assert {base + "graph/ontology", base + "graph/vocabularies", base + "graph/links"} <= graphs
    assert base + "graph/kumamoto-child-plan-report-fy2023" in graphs


def test_the_report_names_the_build_by_its_content_and_time(seed_build):
    from datetime import UTC, datetime

    dist, report = seed_build
    written = json.loads((dist / "build-report.json").read_text(encoding="utf-8"))
    assert written["id"] == report.id == hashlib.sha256((dist / "fukushi-kg.nq").read_bytes()).hexdigest()
    built = datetime.fromisoformat(written["built"])
    assert built.tzinfo is not None and 0 <= (datetime.now(UTC) - built).total_seconds() < 86400


def test_seed_build_runs_hermit_where_java_is(seed_build):
    import shutil

    _, report = seed_build
    if shutil.which("java"):
        assert report.reasoner.startswith("HermiT: consistent"), report.reasoner
    else:
        assert "skipped" in report.reasoner


def _digest(dist: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(dist.glob("fukushi-kg.*"))}


def test_same_input_builds_byte_identical_dumps(seed_build, tmp_path):
    again = tmp_path / "again"
    build(again, check_owl=False)
    assert _digest(again) == _digest(seed_build[0])
    # the gzip copies (no name, mtime 0) and the checksum file are deterministic too, and right
    assert {f"fukushi-kg.{ext}.gz" for ext in ("trig", "nq", "nt", "jsonld")} <= set(_digest(again))
    sums = (again / "SHA256SUMS").read_text(encoding="ascii")
    assert sums == (seed_build[0] / "SHA256SUMS").read_text(encoding="ascii")
    assert sums.splitlines() == [f"{digest}  {name}" for name, digest in sorted(_digest(again).items())]


def test_a_failed_build_leaves_the_served_store_and_dumps_intact(tmp_path):
    dist = tmp_path / "dist"
    build(dist, check_owl=False)
    before_store = os.readlink(dist / "store")
    before = _digest(dist)
    strict = tmp_path / "strict.ttl"
    strict.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix fk: <https://w3id.org/fukushi-kg/def/> .\n"
        "<urn:x:s> a sh:NodeShape ; sh:targetClass fk:Plan ; sh:property [ sh:path fk:noSuchProperty ; sh:minCount 1 ;"
        ' sh:message "every plan needs fk:noSuchProperty" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as exc:
        build(dist, check_owl=False, extra_shapes=[strict])
    assert any("noSuchProperty" in d for d in exc.value.details)
    assert os.readlink(dist / "store") == before_store
    assert _digest(dist) == before
    assert not list(dist.glob(".staging-*"))


def test_a_build_of_unchanged_inputs_keeps_dist_and_a_change_rebuilds(tmp_path):
    dist = tmp_path / "dist"
    first = build(dist, check_owl=False)
    assert not first.unchanged and first.inputs
    before = (_digest(dist), os.readlink(dist / "store"))
    again = build(dist, check_owl=False)
    assert again.unchanged and again.built == first.built and again.inputs == first.inputs
    assert (_digest(dist), os.readlink(dist / "store")) == before
    # an option that changes the output, a damaged dump, or --force: built again
    assert not build(dist, check_owl=False, base="https://example.org/kg/").unchanged
    build(dist, check_owl=False)
    (dist / "fukushi-kg.nt").write_bytes(b"")
    rebuilt = build(dist, check_owl=False)
    assert not rebuilt.unchanged and (dist / "fukushi-kg.nt").stat().st_size > 0
    assert not build(dist, check_owl=False, force=True).unchanged


def test_a_changed_table_rebuilds(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(resources.PLANS, plans)
    dist = tmp_path / "dist"
    build(dist, check_owl=False, plans=plans)
    assert build(dist, check_owl=False, plans=plans).unchanged
    table = next(plans.rglob("listings.csv"))
    table.write_text(table.read_text(encoding="utf-8").replace("事業", "事 業", 1), encoding="utf-8")
    assert not build(dist, check_owl=False, plans=plans).unchanged


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java (OpenJDK 17): none on PATH")
def test_hermits_verdict_is_reused_when_its_input_did_not_change(tmp_path):
    dist = tmp_path / "dist"
    first = build(dist)
    assert first.reused == [] and first.reasoner.startswith("HermiT: consistent")
    # a shape every graph passes: the build's inputs change, the graph (so HermiT's input) does not
    shapes = tmp_path / "more.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix fk: <https://w3id.org/fukushi-kg/def/> .\n"
        "<urn:x:s> a sh:NodeShape ; sh:targetClass fk:Plan ; sh:property [ sh:path fk:noSuchProperty ;"
        " sh:maxCount 1 ] .\n",
        encoding="utf-8",
    )
    second = build(dist, extra_shapes=[shapes])
    assert not second.unchanged and second.reused == ["reasoner"] and second.reasoner == first.reasoner
    written = json.loads((dist / "build-report.json").read_text(encoding="utf-8"))
    assert written["reused"] == ["reasoner"] and written["reasoner"] == first.reasoner
    assert second.checksums == first.checksums  # the same dumps, byte for byte
    # --force runs every step; a changed graph (every IRI under another base) runs HermiT again
    assert build(dist, extra_shapes=[shapes], force=True).reused == []
    other = build(dist, base="https://example.org/kg/")
    assert other.reused == [] and other.reasoner == first.reasoner
