"""Fuzzing what reads outside input: the extractors (source text) and the RDF loader of `lint` (bytes).

- Extractors: each seed document's lines, mutated by hypothesis (lines deleted, duplicated,
  swapped, blanked, truncated, characters replaced, random text inserted), go through
  ``graph.tables.importer.extract_document``: records, or an ``ExtractionError`` (a ValueError) naming the
  source file; nothing else, and no example may run longer than its time bound.
- RDF: ``graph.lint.inputs.load_bytes`` (what `fukushi-kg lint` and POST /lint read) gets
  random bytes and mutated Turtle / TriG / N-Triples / N-Quads / JSON-LD: a loaded input, or an
  ``InputError`` (a ValueError) with line and column; deep nesting and remote JSON-LD contexts
  neither crash nor fetch anything.

Examples per target: ``FUKUSHI_KG_FUZZ_EXAMPLES`` (default 25). A watchdog ends the process
(with the stack of every thread) if one example hangs, so CI never waits on a hang.
"""

from __future__ import annotations

import collections
import dataclasses
import faulthandler
import signal
import time
from contextlib import contextmanager

import pytest
from conftest import env_number
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import procs
from fukushi_kg.graph.sources import Document, documents
from fukushi_kg.graph.tables.importer import EXTRACTORS, ExtractionError, extract_document

EXAMPLES = int(env_number("FUKUSHI_KG_FUZZ_EXAMPLES", 25))
EXAMPLE_SECONDS = 10.0  # the bound on one example (the real documents extract in well under a second)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OUTCOMES: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)


class ExampleTooSlow(Exception):
    pass


@contextmanager
def time_bound(seconds: float):
    """Raise ExampleTooSlow in Python code past ``seconds``; end the process past 3x (a hang in native code)."""

    def alarm(signum, frame):
        raise ExampleTooSlow(f"example ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(3 * seconds, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


# ------------------------------------------------------------------ extractors


@dataclasses.dataclass(frozen=True)
class FuzzedDocument(Document):
    """A manifest document whose text is given, not read from data/sources/."""

    text: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return list(self.text)


EDIT = st.tuples(
    st.sampled_from(["delete", "duplicate", "swap", "blank", "truncate", "char", "insert", "replace"]),
    st.floats(0, 1, exclude_max=True),
    st.floats(0, 1, exclude_max=True),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60),
)


def mutate(lines: list[str], edits) -> list[str]:
    out = list(lines)
    for op, a, b, text in edits:
        if not out:
            out = [text]
            continue
        i, j = int(a * len(out)), int(b * len(out))
        if op == "delete":
            del out[i : i + 1 + int(b * 40)]
        elif op == "duplicate":
            out[i:i] = out[i : i + 1 + int(b * 20)]
        elif op == "swap":
            out[i], out[j] = out[j], out[i]
        elif op == "blank":
            out[i] = ""
        elif op == "truncate":
            out = out[:i]
        elif op == "char" and out[i]:
            k = int(b * len(out[i]))
            out[i] = out[i][:k] + (text[:1] or "０") + out[i][k + 1 :]
        elif op == "insert":
            out.insert(i, text)
        elif op == "replace":
            out[i] = text
    return out


LAYOUTS = sorted({d.layout for d in documents() if d.layout in EXTRACTORS})


@pytest.mark.parametrize("layout", LAYOUTS)
def test_extractors_survive_mutated_text(layout, figures):
    doc = next(d for d in documents() if d.layout == layout)
    base = doc.lines()
    fields = {f.name: getattr(doc, f.name) for f in dataclasses.fields(Document)}
    outcomes = OUTCOMES[f"extract {layout}"]
    slowest = [0.0]

    @FUZZ
    @given(st.lists(EDIT, min_size=1, max_size=6))
    def run(edits):
        fuzzed = FuzzedDocument(**fields, text=tuple(mutate(base, edits)))
        started = time.perf_counter()
        with time_bound(EXAMPLE_SECONDS):
            try:
                extract_document(fuzzed)
                outcomes["records"] += 1
            except ExtractionError as error:
                assert str(error).startswith(doc.rel_path + ": "), error
                cause = type(error.__cause__).__name__ if error.__cause__ else "ValueError"
                outcomes[f"ExtractionError ({cause})"] += 1
        slowest[0] = max(slowest[0], time.perf_counter() - started)

    run()
    figures.setdefault("fuzzed extractors", {})[layout] = {**dict(outcomes), "slowest example s": round(slowest[0], 2)}


# ------------------------------------------------------------------ RDF input of lint

SAMPLES = {
    "text/turtle": b"@prefix fk: <https://w3id.org/fukushi-kg/def/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    b'<https://w3id.org/fukushi-kg/id/program/p/1-1> a fk:Program ;\n  rdfs:label "\xe3\x81\x93\xe3\x81\xa9\xe3\x82\x82"@ja ;\n'
    b'  fk:hasListing [ a fk:Listing ; fk:lineStart 12 ] , ( 1 2.5 "x" ) .\n',
    "application/trig": b"@prefix fk: <https://w3id.org/fukushi-kg/def/> .\n<urn:g> { <urn:a> a fk:Plan ; fk:periodStart 2025 . }\n",
    "application/n-triples": b'<urn:a> <urn:b> "c"@ja .\n<urn:a> <urn:b> _:x .\n_:x <urn:c> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    "application/n-quads": b'<urn:a> <urn:b> "c" <urn:g> .\n<urn:a> <urn:b> <urn:d> .\n',
    "application/ld+json": b'{"@context": {"fk": "https://w3id.org/fukushi-kg/def/", "label": "http://www.w3.org/2000/01/rdf-schema#label"},'
    b' "@id": "urn:a", "@type": "fk:Plan", "label": {"@value": "\xe8\xa8\x88\xe7\x94\xbb", "@language": "ja"},'
    b' "fk:hasListing": [{"@id": "urn:l", "fk:lineStart": 3}]}',
}
BYTE_EDIT = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "truncate", "repeat"]),
    st.floats(0, 1, exclude_max=True),
    st.binary(min_size=1, max_size=16),
)


def mutate_bytes(data: bytes, edits) -> bytes:
    for op, a, payload in edits:
        i = int(a * (len(data) + 1))
        if op == "insert":
            data = data[:i] + payload + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + len(payload) :]
        elif op == "replace":
            data = data[:i] + payload + data[i + len(payload) :]
        elif op == "truncate":
            data = data[:i]
        elif op == "repeat":
            data = data[:i] + data[i : i + len(payload)] * 200 + data[i:]
    return data


def load(data: bytes, media_type: str, outcomes: collections.Counter) -> None:
    from fukushi_kg.graph.lint.inputs import InputError, load_bytes

    with time_bound(EXAMPLE_SECONDS):
        try:
            load_bytes(data, media_type, name="fuzz", with_ontology=False)
            outcomes["loaded"] += 1
        except InputError as error:
            assert str(error).startswith("fuzz"), error
            outcomes["InputError"] += 1


@pytest.mark.parametrize("media_type", list(SAMPLES))
def test_rdf_loader_survives_mutated_documents(media_type, figures):
    pytest.importorskip("fukushi_kg.graph.lint.inputs")
    outcomes = OUTCOMES[f"parse {media_type}"]

    @FUZZ
    @given(
        st.one_of(
            st.lists(BYTE_EDIT, min_size=1, max_size=8).map(lambda e: mutate_bytes(SAMPLES[media_type], e)),
            st.binary(max_size=2000),
        )
    )
    def run(data):
        load(data, media_type, outcomes)

    run()
    figures.setdefault("fuzzed RDF input", {})[media_type] = dict(outcomes)


HOSTILE_RDF = {
    "turtle collection nested x200000": ("text/turtle", b"<urn:a> <urn:b> " + b"(" * 200_000 + b")" * 200_000 + b" ."),
    "turtle blank nodes nested x200000": (
        "text/turtle",
        b"<urn:a> <urn:b> " + b"[ <urn:p> " * 200_000 + b"<urn:o> " + b"]" * 200_000 + b" .",
    ),
    "json-ld arrays nested x200000": (
        "application/ld+json",
        b'{"@id":"urn:a","urn:b":' + b"[" * 200_000 + b"]" * 200_000 + b"}",
    ),
    "json-ld objects nested x100000": (
        "application/ld+json",
        b'{"@id":"urn:a","urn:b":' + b'{"urn:c":' * 100_000 + b"1" + b"}" * 100_000 + b"}",
    ),
    "8 MiB literal": ("application/n-triples", b'<urn:a> <urn:b> "' + b"x" * (8 << 20) + b'" .\n'),
    "100000 prefixes": (
        "text/turtle",
        b"".join(b"@prefix p%d: <urn:p%d#> .\n" % (i, i) for i in range(100_000)) + b"p1:a p2:b p3:c .",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE_RDF))
def test_rdf_loader_survives_hostile_documents(name):
    pytest.importorskip("fukushi_kg.graph.lint.inputs")
    media_type, data = HOSTILE_RDF[name]
    load(data, media_type, OUTCOMES["hostile RDF"])


@pytest.fixture()
def listener():
    with procs.recording_server("application/ld+json", b'{"@context": {"x": "urn:x#"}}') as got:
        yield got


def test_json_ld_remote_contexts_are_not_fetched(listener):
    pytest.importorskip("fukushi_kg.graph.lint.inputs")
    port, hits = listener
    doc = b'{"@context": "http://127.0.0.1:%d/context.jsonld", "@id": "urn:a", "x:b": "c"}' % port
    load(doc, "application/ld+json", OUTCOMES["hostile RDF"])
    assert hits == []
