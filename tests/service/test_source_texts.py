"""Which source texts the service reads: only the names the build recorded, found in dist/sources/."""

from __future__ import annotations

import json

from fukushi_kg.graph import source_texts
from fukushi_kg.graph.sources import documents
from fukushi_kg.service.profiles import source_lines


def _dist(tmp_path, texts: dict[str, str], recorded: dict[str, str]):
    dist = tmp_path / "dist"
    (dist / "sources").mkdir(parents=True)
    for name, text in texts.items():
        (dist / "sources" / name).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not a source\n", encoding="utf-8")
    report = {"texts": recorded}
    (dist / "build-report.json").write_text(json.dumps(report), encoding="utf-8")
    return dist, report


def test_only_recorded_names_in_dist_sources_are_served(tmp_path):
    dist, report = _dist(
        tmp_path,
        {"plan.txt": "一\n\n三\n", "unrecorded.txt": "x\n"},
        {"plan.txt": "plan", "../secret.txt": "x", "gone.txt": "gone", "/etc/passwd": "x", "..": "x"},
    )
    assert source_texts.served(dist, report) == {"plan.txt": dist / "sources" / "plan.txt"}
    # a build without the record (made before it existed) serves the seed texts of the package
    assert source_texts.served(dist, {}) == {d.file: d.path for d in documents()}


def test_quotes_are_numbered_from_the_served_text_only(tmp_path):
    dist, report = _dist(tmp_path, {"plan.txt": "一\n\n三\n"}, {"plan.txt": "plan"})
    texts = source_texts.served(dist, report)
    # fk:textFile names the text as the build was given it; its last part is the served name
    assert source_lines("data/examples/plan/plan.txt", 1, 3, "一\n三", texts) == [(1, "一"), (2, ""), (3, "三")]
    assert source_lines("plan.txt", 1, 3, "一\n二", texts) is None  # the text no longer agrees with the quote
    assert source_lines("../secret.txt", 1, 1, "not a source", texts) is None
    assert source_lines("other/unrecorded.txt", 1, 1, "x", texts) is None
