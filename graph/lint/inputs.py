"""Lint inputs: RDF files and folders, the built graph, or a SPARQL endpoint.

Files are loaded into one in-memory Oxigraph store (triples of a Turtle / N-Triples file go to a
named graph named after the file; queries see the union of all graphs). A syntax error is an
``InputError`` naming file, line and column. ``locate`` finds where an IRI first occurs in the
input files, so that a finding on a node without a source span can still point at a line.

An endpoint is queried through the SPARQL 1.1 Protocol (the shared client of
``graph/sparql_client.py``, as ``serve --store`` does); the checks that need the whole graph
in memory (SHACL, OWL) run on a CONSTRUCTed copy when the endpoint gives a complete one.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg import resources
from fukushi_kg.graph import vocab
from fukushi_kg.graph.lint.model import Location, Row, Term
from fukushi_kg.graph.sparql_client import SparqlClient, SparqlError
from fukushi_kg.graph.store import solutions
from fukushi_kg.graph.untrusted import UnsafeDocument, check_rdf_xml

ONTOLOGY_FILE = resources.ONTOLOGY
ONTOLOGY_IRI = vocab.NS
ONTOLOGY_GRAPH = "urn:fukushi-kg:lint:ontology"
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
MEDIA_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_TRIPLE_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)


class InputError(ValueError):
    """The input cannot be read: a missing file, a syntax error (with line and column), a bad URL."""


class CopyUnavailable(RuntimeError):
    """No complete local copy of a remote graph could be made."""


def display_path(path: Path) -> str:
    """Repo-relative (cwd-relative) when possible, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def term(t) -> Term | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return Term("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        return Term("literal", t.value, t.datatype.value if t.datatype else None, t.language)
    raise TypeError(f"unexpected term {t!r}")


# ------------------------------------------------------------------ where an IRI occurs
_PREFIX_TTL = re.compile(r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.\-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_PREFIX_JSONLD = re.compile(r'"([A-Za-z][\w\-]*)"\s*:\s*"((?:https?|urn):[^"]*[/#:])"')
_LOCAL_OK = re.compile(r"^[\w\-.%]*$")


@dataclass
class SourceFile:
    """An RDF file of the input, with a lazily built index from offsets to lines."""

    path: Path
    format: ox.RdfFormat
    display: str
    reference: bool = False  # added by lint (the ontology), not given by the user
    _text: str | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _prefixes: list[tuple[str, str]] | None = field(default=None, repr=False)

    def text(self) -> str:
        if self._text is None:
            self._text = self.path.read_text(encoding="utf-8", errors="replace")
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
            pattern = _PREFIX_JSONLD if self.format == ox.RdfFormat.JSON_LD else _PREFIX_TTL
            self._prefixes = [(m.group(1) or "", m.group(2)) for m in pattern.finditer(self._text)]
        return self._text

    def _patterns(self, iri: str) -> list[re.Pattern]:
        self.text()
        if self.format == ox.RdfFormat.JSON_LD:
            out = [re.compile(re.escape(json.dumps(iri, ensure_ascii=False)))]
            for pfx, ns in self._prefixes or []:
                if iri.startswith(ns) and pfx:
                    out.append(re.compile(re.escape(json.dumps(f"{pfx}:{iri[len(ns) :]}", ensure_ascii=False))))
            return out
        out = [re.compile(re.escape(f"<{iri}>"))]
        if self.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            for pfx, ns in self._prefixes or []:
                local = iri[len(ns) :] if iri.startswith(ns) else None
                if local is None or not _LOCAL_OK.match(local) or local.endswith("."):
                    continue
                out.append(re.compile(r"(?<![\w\-.:])" + re.escape(f"{pfx}:{local}") + r"(?![\w\-:%]|\.[\w\-])"))
        return out

    def find(self, iri: str) -> Location | None:
        text = self.text()
        best = None
        for pattern in self._patterns(iri):
            m = pattern.search(text)
            if m and (best is None or m.start() < best):
                best = m.start()
        if best is None:
            return None
        starts = self._starts or [0]  # set by text()
        line = bisect.bisect_right(starts, best)
        return Location(self.display, line, best - starts[line - 1] + 1, "rdf")


def _syntax_error(display: str, exc: SyntaxError) -> InputError:
    line, col = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    msg = getattr(exc, "msg", None) or str(exc)
    if line:
        return InputError(f"{display}:{line}:{col or 1}: syntax error: {msg}")
    return InputError(f"{display}: syntax error: {msg}")


# ------------------------------------------------------------------ local input
@dataclass
class LocalInput:
    """RDF loaded into an in-memory Oxigraph store, with the files it came from."""

    store: ox.Store
    files: list[SourceFile]
    description: str
    quads: list[ox.Quad] = field(default_factory=list)  # as parsed: the store keeps only xsd:integer
    notices: list[str] = field(default_factory=list)
    remote = False

    def select(self, query: str) -> list[Row]:
        results = solutions(self.store.query(query, use_default_graph_as_union=True))
        variables = list(results.variables)
        rows: list[Row] = []
        for s in results:
            row: Row = {}
            for v in variables:
                t = term(s[v])
                if t is not None:
                    row[v.value] = t
            rows.append(row)
        return rows

    def locate(self, iri: str) -> Location | None:
        if iri.startswith("_:"):
            return None
        for f in self.files:
            loc = f.find(iri)
            if loc is not None:
                return loc
        return None

    def triples(self):
        """Every triple of the union of the graphs, once, with the datatypes as parsed (Oxigraph's
        store turns derived integer types such as xsd:positiveInteger into xsd:integer)."""
        seen = set()
        for q in self.quads:
            t = q.triple
            if t not in seen:
                seen.add(t)
                yield t

    def ntriples_file(self, directory: Path) -> Path:
        path = directory / "lint-input.nt"
        ox.serialize(list(self.triples()), path, ox.RdfFormat.N_TRIPLES)
        return path

    def local(self) -> LocalInput:
        return self

    def __len__(self) -> int:
        return len(self.store)


def _has_ontology(store: ox.Store) -> bool:
    return any(
        True
        for _ in store.quads_for_pattern(
            ox.NamedNode(ONTOLOGY_IRI),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"),
            None,
        )
    )


def collect_files(paths: list[Path]) -> list[Path]:
    """The RDF files named, and those under the folders named (sorted), by extension."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in FORMATS
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        elif p.is_file():
            if p.suffix.lower() not in FORMATS:
                raise InputError(f"{display_path(p)}: not an RDF file this linter reads ({', '.join(FORMATS)})")
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return out


def _parse(
    fmt: ox.RdfFormat, graph: str, *, path: Path | None = None, data: bytes | None = None, base: str | None = None
) -> list[ox.Quad]:
    """Parse a file or bytes into quads; triples of a triple format go to the named graph ``graph``."""
    kwargs = {"path": str(path)} if path is not None else {"input": data}
    parsed = ox.parse(format=fmt, base_iri=base, **kwargs)
    if fmt in _TRIPLE_FORMATS:
        g = ox.NamedNode(graph)
        return [ox.Quad(q.subject, q.predicate, q.object, g) for q in parsed]
    return list(parsed)


def _finish(quads: list[ox.Quad], files: list[SourceFile], description: str, with_ontology: bool = True) -> LocalInput:
    store = ox.Store()
    store.extend(quads)
    inp = LocalInput(store, files, description, quads)
    if with_ontology and not _has_ontology(store):
        onto = _parse(ox.RdfFormat.TURTLE, ONTOLOGY_GRAPH, path=ONTOLOGY_FILE)
        store.extend(onto)
        quads.extend(onto)
        files.append(SourceFile(ONTOLOGY_FILE, ox.RdfFormat.TURTLE, display_path(ONTOLOGY_FILE), reference=True))
        inp.notices.append("the input has no fk: ontology; ontology/fukushi.ttl was added for the class-based checks")
    return inp


def load_files(paths: list[Path], with_ontology: bool = True) -> LocalInput:
    """Load RDF files and folders into one store; InputError on a missing file or a syntax error."""
    files = collect_files(paths)
    if not files:
        raise InputError("no RDF files (" + ", ".join(FORMATS) + ") in " + ", ".join(str(p) for p in paths))
    quads: list[ox.Quad] = []
    sources = []
    for f in files:
        fmt = FORMATS[f.suffix.lower()]
        display = display_path(f)
        try:
            quads.extend(_parse(fmt, f.resolve().as_uri(), path=f, base=f.resolve().as_uri()))
        except SyntaxError as exc:
            raise _syntax_error(display, exc) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"{display}: cannot be read ({exc})") from None
        sources.append(SourceFile(f, fmt, display))
    desc = ", ".join(s.display for s in sources) if len(sources) <= 3 else f"{len(sources)} files"
    return _finish(quads, sources, desc, with_ontology)


def load_quads(quads: list[ox.Quad], description: str) -> LocalInput:
    """Quads made in memory (e.g. the graph of plan tables) as a lint input without files."""
    return _finish(list(quads), [], description)


def load_bytes(data: bytes, media_type: str, name: str = "request-body", with_ontology: bool = True) -> LocalInput:
    """Load an RDF document given as bytes (e.g. an HTTP request body); its text is kept so that
    findings can point at its lines."""
    fmt = MEDIA_TYPES.get(media_type)
    if fmt is None:
        raise InputError(f"unsupported media type {media_type!r}")
    try:
        if fmt == ox.RdfFormat.RDF_XML:
            check_rdf_xml(data, name)  # no DTD (entity expansion), bounded nesting
        quads = _parse(fmt, "urn:fukushi-kg:lint:body", data=data)
    except UnsafeDocument as exc:
        raise InputError(str(exc)) from None
    except SyntaxError as exc:
        raise _syntax_error(name, exc) from None
    except ValueError as exc:
        raise InputError(f"{name}: cannot be read ({exc})") from None
    source = SourceFile(Path(name), fmt, name, _text=data.decode("utf-8", errors="replace"))
    return _finish(quads, [source], name, with_ontology)


def load_dist(dist: Path) -> LocalInput:
    """The built graph: ``dist/fukushi-kg.trig`` (the dump the store was loaded from)."""
    trig = dist / "fukushi-kg.trig"
    if not trig.is_file():
        raise InputError(f"no built graph at {trig}: run `fukushi-kg build` first, or name RDF files to lint")
    return load_files([trig])


# ------------------------------------------------------------------ remote input
COPY_GRAPH = "urn:fukushi-kg:lint:copy"


@dataclass
class RemoteInput:
    """A SPARQL endpoint: rules' queries run there; SHACL and OWL on a CONSTRUCTed copy.

    Requests go through the shared SPARQL client (:mod:`fukushi_kg.graph.sparql_client`): GET or
    form POST, ``timeout`` seconds each, ``user`` / ``password`` when the endpoint wants them,
    redirects never followed; any failure is an InputError naming the endpoint."""

    url: str
    timeout: float = 60.0
    user: str | None = None
    password: str | None = None
    notices: list[str] = field(default_factory=list)
    remote = True
    _copy: LocalInput | None = None
    _copy_error: str | None = None
    _client: SparqlClient | None = None

    @property
    def description(self) -> str:
        return self.url

    @property
    def client(self) -> SparqlClient:
        if self._client is None:
            self._client = SparqlClient(self.url, user=self.user, password=self.password, timeout=self.timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def select(self, query: str) -> list[Row]:
        try:
            data, _ = self.client.select(query)
        except SparqlError as exc:
            raise InputError(str(exc)) from None
        out = []
        for b in data.get("results", {}).get("bindings", []):
            row = {}
            for var, v in b.items():
                kind = {"uri": "iri", "bnode": "bnode"}.get(v["type"], "literal")
                dt = v.get("datatype")
                if kind == "literal" and dt is None and "xml:lang" not in v:
                    dt = "http://www.w3.org/2001/XMLSchema#string"
                row[var] = Term(kind, v["value"], dt, v.get("xml:lang"))
            out.append(row)
        return out

    def locate(self, iri: str) -> Location | None:
        return None

    def local(self) -> LocalInput:
        """A copy of the whole graph (``CONSTRUCT { ?s ?p ?o }``), or CopyUnavailable.

        Endpoints cap their answers (ours at ``--row-cap`` rows, saying so in ``Fukushi-Truncated``;
        Virtuoso at ``ResultSetMaxRows``, silently). When the one CONSTRUCT comes back cut, or with
        fewer triples than the endpoint counts, the copy is fetched again in ordered pages small
        enough to pass the cap."""
        if self._copy is not None:
            return self._copy
        if self._copy_error:
            raise CopyUnavailable(self._copy_error)
        try:
            quads, truncated = self._construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            total = self._count()
            if truncated or (total is not None and len(quads) < total):
                quads = self._paged(total)
        except InputError as exc:
            self._copy_error = f"the endpoint gave no copy of the graph ({exc})"
            raise CopyUnavailable(self._copy_error) from None
        self._copy = _finish(quads, [], f"copy of {self.url}")
        self.notices.extend(self._copy.notices)
        return self._copy

    PAGE = 5000

    def _construct(self, query: str) -> tuple[list[ox.Quad], bool]:
        """The triples of a CONSTRUCT, in the copy's graph, and whether the endpoint says it cut them."""
        try:
            triples, reply = self.client.construct(query)
        except SparqlError as exc:
            raise InputError(str(exc)) from None
        graph = ox.NamedNode(COPY_GRAPH)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        return quads, reply.headers.get("fukushi-truncated", "").lower() == "true"

    def _count(self) -> int | None:
        """Distinct triples of the default graph, or None when the endpoint cannot say."""
        try:
            rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
            return int(rows[0]["n"].value)
        except (InputError, LookupError, ValueError):
            return None

    def _paged(self, total: int | None) -> list[ox.Quad]:
        """The copy in pages of ORDER BY ?s ?p ?o; a page the endpoint still cuts is asked again, halved."""
        quads: list[ox.Quad] = []
        offset, size = 0, self.PAGE
        while True:
            page, truncated = self._construct(
                "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } "
                f"ORDER BY ?s ?p ?o OFFSET {offset} LIMIT {size} }} }}"
            )
            if truncated:
                if size == 1:
                    raise InputError("the endpoint truncates even one-triple pages")
                size //= 2
                continue
            quads += page
            offset += size
            if len(page) < size or (total is not None and offset >= total):
                break
        if total is not None and len(quads) < total:
            raise InputError(f"the endpoint gave {len(quads)} of its {total} triples page by page")
        return quads


def open_input(
    paths: list[str], dist: Path, user: str | None = None, password: str | None = None
) -> LocalInput | RemoteInput:
    """Files and folders, one endpoint URL (with ``user`` and ``password`` when it wants them), or
    (nothing named) the built graph in ``dist``."""
    urls = [p for p in paths if re.match(r"^https?://", p)]
    if urls:
        if len(paths) != 1:
            raise InputError("name either one SPARQL endpoint URL or RDF files and folders, not both")
        return RemoteInput(urls[0], user=user, password=password)
    if not paths:
        return load_dist(dist)
    return load_files([Path(p) for p in paths])
