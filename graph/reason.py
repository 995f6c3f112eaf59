"""OWL consistency of the ontology with the data, checked by HermiT through owlready2.

HermiT is a Java program; where no ``java`` is on the PATH the check is skipped and says so.

What HermiT is given: the ontology whole, and of the instance data every triple whose object is
an IRI or blank node (types, links between resources). Instance triples with a literal object
are left out: their datatypes and cardinalities are checked by the SHACL shapes, and leaving
them out takes HermiT from about 110 s to about 10 s on the seed graph. So HermiT checks class
disjointness, functional and inverse object properties, and object-property domains and ranges.

With them it is given the axioms of the vocabularies the ontology reuses (``ontology/imports/``:
PROV-O, SKOS, ORG, Data Cube, DCAT), so a standard term used against its specification is caught
like a misuse of our own: ``prov:generated`` on a ``fk:ProgramMatch`` (a ``prov:Entity``) makes it
a ``prov:Activity`` too, and PROV-O makes the two disjoint. ``owl:imports`` statements are dropped
(owlready2 would try to download what they name).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg import resources
from fukushi_kg.graph import vocab


@dataclass
class ReasonerResult:
    ran: bool
    consistent: bool | None
    message: str
    unsatisfiable: list[str] = field(default_factory=list)
    cached: bool = False  # the verdict of an earlier run on the same input (``check_text``'s cache)
    key: str = ""  # ``verdict_key`` of the input, when ``check_text`` was given a cache


# XSD date types outside the OWL 2 datatype map (HermiT rejects them). For the consistency
# check only, their literals become plain strings and ranges naming them become rdfs:Literal.
_NON_OWL2 = ("gYear", "gYearMonth", "date")
_XSD = "http://www.w3.org/2001/XMLSchema#"
# RDF 1.1's rdf:langString is not in the OWL 2 datatype map either: a range naming it is rdfs:Literal
_LANG_STRING = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ."
_IMPORTS_IRI = "http://www.w3.org/2002/07/owl#imports"
_CHAIN = "http://www.w3.org/2002/07/owl#propertyChainAxiom"
_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
IMPORTS = resources.ONTOLOGY_DIR / "imports"


_LITERAL_OBJECT = re.compile(r'"(\^\^<[^>]*>|@[a-zA-Z0-9-]+)? \.\s*$')


_OWL_IMPORTS = " <http://www.w3.org/2002/07/owl#imports> "


def owl_view(ntriples: str, ontology_prefix: str = f"<{vocab.NS}") -> str:
    """The ontology's triples plus the instance triples whose object is not a literal.

    ``owl:imports`` statements are left out: owlready2 would fetch each imported IRI (over HTTP,
    or a ``file:`` IRI from the disk) while loading, and the graph may come from anyone (POST
    /lint). The ontology HermiT needs is in the N-Triples already."""
    return "".join(
        line
        for line in ntriples.splitlines(keepends=True)
        if _OWL_IMPORTS not in line
        and (line.startswith(ontology_prefix) or line.startswith("_:") or not _LITERAL_OBJECT.search(line))
    )


def owl2_datatypes(ntriples: str) -> str:
    """``ntriples`` with the non-OWL 2 XSD datatypes rewritten as described above."""
    for dt in _NON_OWL2:
        ntriples = ntriples.replace(f"^^<{_XSD}{dt}>", "")
        ntriples = ntriples.replace(f"<{_XSD}{dt}> .", "<http://www.w3.org/2000/01/rdf-schema#Literal> .")
    return ntriples.replace(_LANG_STRING, "<http://www.w3.org/2000/01/rdf-schema#Literal> .")


def imported_axioms(directory: Path | None = None) -> str:
    """The vocabularies of ``ontology/imports/*.ttl`` as N-Triples, without ``owl:imports``."""
    out = []
    for path in sorted((directory or IMPORTS).glob("*.ttl")):
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        chains = _chain_nodes(quads)
        # blank nodes are renamed per file, so that two files' labels cannot meet
        prefix = path.stem.replace("-", "_")
        for q in quads:
            if q.predicate.value in (_IMPORTS_IRI, _CHAIN) or q.subject in chains:
                continue
            s = ox.BlankNode(f"{prefix}_{q.subject.value}") if isinstance(q.subject, ox.BlankNode) else q.subject
            o = ox.BlankNode(f"{prefix}_{q.object.value}") if isinstance(q.object, ox.BlankNode) else q.object
            out.append(str(ox.Triple(s, q.predicate, o)) + " .\n")
    return "".join(out)


def _chain_nodes(quads: list[ox.Quad]) -> set[object]:
    """The list nodes of ``owl:propertyChainAxiom`` statements.

    PROV-O defines each unqualified relation by a chain through its qualified form
    (``prov:wasGeneratedBy`` = ``prov:qualifiedGeneration`` o ``prov:activity``). The graph uses
    no qualified form, so the chains can entail nothing about it, and they make HermiT several
    times slower on the seed graph (about 200 s instead of 60 s, measured on a busy 2-core
    machine): they are left out.
    """
    rest = {q.subject: q.object for q in quads if q.predicate.value == _RDF_REST}
    nodes: set[object] = set()
    for q in quads:
        if q.predicate.value == _CHAIN:
            node: object = q.object
            while isinstance(node, ox.BlankNode) and node not in nodes:
                nodes.add(node)
                node = rest.get(node)
    return nodes


def _java_error(text: str) -> str:
    for line in text.splitlines():
        if "Exception" in line or "Error" in line:
            return line.strip()
    return text.strip().splitlines()[-1] if text.strip() else "unknown error"


# HermiT's classification output: one axiom a line, e.g. ``EquivalentClasses( <owl#Nothing> <X> )``
_HERMIT_AXIOM = re.compile(r"^([A-Za-z]+)\( ((?:<[^>]+>\s*)+)\)$", re.MULTILINE)
_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
JAVA_MEMORY_MB = 2000
#: HermiT runs for seconds, not minutes: the JVM's quick compiler alone (C1, no C2 compilation
#: threads) and the single-threaded collector take its check of the seed graph from 4.3 s to 2.1 s
#: (measured side by side on the 2-core machine); the verdict is the same program's.
JAVA_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData")


def _hermit_command(path: Path) -> list[str]:
    """HermiT's command line (the jar that ships with owlready2): classify ``path``, which also
    checks the consistency of the whole ontology, instance data included."""
    import owlready2

    here = Path(owlready2.__file__).parent / "hermit"
    classpath = os.pathsep.join([str(here), str(here / "HermiT.jar")])
    return [
        shutil.which("java") or "java",
        f"-Xmx{JAVA_MEMORY_MB}M",
        *JAVA_FLAGS,
        "-cp",
        classpath,
        "org.semanticweb.HermiT.cli.CommandLine",
        "-c",
        path.as_uri(),
    ]


def unsatisfiable_classes(output: str) -> list[str]:
    """The classes HermiT's classification output makes equivalent to owl:Nothing."""
    found: set[str] = set()
    for relation, iris in _HERMIT_AXIOM.findall(output):
        names = [x.strip("<> ") for x in iris.split("> <")]
        if relation == "EquivalentClasses" and _NOTHING in names:
            found.update(n for n in names if not n.startswith("http://www.w3.org/2002/07/owl#"))
    return sorted(found)


_OWL = "http://www.w3.org/2002/07/owl#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SCHEMA_TYPES = {
    f"<{_OWL}{name}>"
    for name in (
        "Class Restriction ObjectProperty DatatypeProperty AnnotationProperty Ontology TransitiveProperty "
        "FunctionalProperty InverseFunctionalProperty SymmetricProperty AsymmetricProperty ReflexiveProperty "
        "IrreflexiveProperty AllDisjointClasses AllDisjointProperties"
    ).split()
} | {f"<{_RDFS}Class>", f"<{_RDFS}Datatype>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Property>"}
_SCHEMA_PREDICATES = {f"<{_RDFS}{n}>" for n in ("subClassOf", "subPropertyOf", "domain", "range")} | {
    f"<{_OWL}{n}>" for n in ("equivalentClass", "disjointWith", "inverseOf", "equivalentProperty", "unionOf")
}


def tbox_view(ntriples: str) -> str:
    """The schema part of ``ntriples``: the statements about classes, properties, restrictions
    (blank nodes) and the ontology. HermiT classifies this part only: without nominals, instance
    data cannot make a class unsatisfiable without making the whole graph inconsistent, which
    the consistency check on everything finds."""
    lines = ntriples.splitlines(keepends=True)
    schema = set()
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) == 3 and (
            parts[1] in _SCHEMA_PREDICATES or (parts[1] == _TYPE and parts[2].rstrip(" .\n") in _SCHEMA_TYPES)
        ):
            schema.add(parts[0])
    return "".join(line for line in lines if line.startswith("_:") or line.split(" ", 1)[0] in schema)


def _run_hermit(text: str, action: str, tmp: Path) -> subprocess.Popen:
    """Start HermiT on ``text``; its output goes to files beside the input (``_answer`` reads them),
    so that a process is never stalled on a full pipe while the other is waited for."""
    path = tmp / f"{action.strip('-')}.nt"
    path.write_text(text, encoding="utf-8")
    command = _hermit_command(path)
    command[command.index("-c")] = action
    with path.with_suffix(".out").open("wb") as out, path.with_suffix(".err").open("wb") as err:
        return subprocess.Popen(command, stdout=out, stderr=err)


def _answer(run: subprocess.Popen, action: str, tmp: Path) -> tuple[int, str, str]:
    code = run.wait()
    path = tmp / f"{action.strip('-')}.nt"
    read = lambda suffix: path.with_suffix(suffix).read_bytes().decode("utf-8", "replace")  # noqa: E731
    return code, read(".out"), read(".err")


def _hermit_dir() -> Path:
    spec = importlib.util.find_spec("owlready2")  # found without importing owlready2 (slow to import)
    if spec is None or spec.origin is None:
        raise OSError("owlready2 (which ships HermiT) is not installed")
    return Path(spec.origin).parent / "hermit"


def verdict_key(view: str, imports: Path | None = None) -> str:
    """The cache key of HermiT's verdict on ``view`` (``owl_view`` of a graph's N-Triples): its
    SHA-256 with those of the imported vocabularies' files, of this module (which makes HermiT's
    input of them and reads its output) and of the HermiT jar. (HermiT's input itself is no key:
    the blank nodes of the imported vocabularies get new labels at each parse.)"""
    h = hashlib.sha256()
    h.update(view.encode("utf-8"))
    for path in sorted((imports or IMPORTS).glob("*.ttl")):
        h.update(f"\0{path.name}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    h.update(b"\0" + Path(__file__).read_bytes())
    jar = _hermit_dir() / "HermiT.jar"
    h.update(b"\0" + (jar.read_bytes() if jar.is_file() else b"no jar"))
    h.update(f"\0{JAVA_MEMORY_MB}".encode())
    return h.hexdigest()


#: How many verdicts a cache folder keeps (the newest; one a distinct HermiT input)
CACHE_KEEP = 8


def _cached(cache: Path, key: str) -> ReasonerResult | None:
    try:
        data = json.loads((cache / f"reasoner-{key}.json").read_text(encoding="utf-8"))
        return ReasonerResult(
            bool(data["ran"]),
            data["consistent"],
            str(data["message"]),
            list(data["unsatisfiable"]),
            cached=True,
            key=key,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(cache: Path, result: ReasonerResult) -> None:
    """Keep HermiT's verdict ``result`` (of ``check_text`` with ``cache``) in ``cache``; a result
    that is no verdict (HermiT did not run) or came from the cache is not written."""
    if not result.ran or result.cached or not result.key:
        return
    key = result.key
    cache.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in asdict(result).items() if k not in ("cached", "key")}
    tmp = cache / f"reasoner-{key}.tmp-{os.getpid()}-{threading.get_ident()}"
    tmp.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, cache / f"reasoner-{key}.json")
    kept = sorted(cache.glob("reasoner-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[CACHE_KEEP:]:
        old.unlink(missing_ok=True)


def check(ntriples: Path) -> ReasonerResult:
    """``check_text`` of the N-Triples file ``ntriples``, with no cache."""
    return check_text(ntriples.read_text(encoding="utf-8"))


def check_text(
    ntriples: str,
    *,
    cache: Path | None = None,
    reuse: bool = True,
    cancel: threading.Event | None = None,
) -> ReasonerResult:
    """Run HermiT on ``ntriples`` (ontology plus data, see ``owl_view``) with the imported vocabularies.

    Two HermiT processes run side by side: a consistency check (``-k``) of everything, and a
    classification (``-c``) of the schema part (``tbox_view``), whose classes equivalent to
    owl:Nothing are the unsatisfiable ones. (Classifying everything, data included, took about
    60 s on the seed graph; the two together take the time of the consistency check.)

    HermiT is run directly (not through owlready2's ``sync_reasoner``, which would also apply the
    inferred class hierarchy to its in-memory world, and fails to on the class/individual punning
    PROV-O and SKOS allow): an inconsistent ontology is its exit status 1 with "Inconsistent
    ontology".

    With ``cache`` (a folder), the result carries ``verdict_key`` of HermiT's input, and a verdict
    that ``remember`` kept there for the same key is returned (``cached`` set) without running
    HermiT, unless ``reuse`` is false. Setting ``cancel`` stops the HermiT processes (the result
    then says HermiT did not run).
    """
    if shutil.which("java") is None:
        return ReasonerResult(False, None, "HermiT skipped: no Java runtime on PATH (install OpenJDK 17 to run it)")
    view = owl_view(ntriples)
    key = verdict_key(view) if cache is not None else ""
    if cache is not None and reuse:
        found = _cached(cache, key)
        if found is not None:
            return found
    result = _hermit(owl2_datatypes(view + imported_axioms()), cancel)
    result.key = key
    return result


def _hermit(text: str, cancel: threading.Event | None) -> ReasonerResult:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            runs = [_run_hermit(text, "-k", Path(tmp)), _run_hermit(tbox_view(text), "-c", Path(tmp))]
        except OSError as exc:
            return ReasonerResult(False, None, f"HermiT could not run: {exc}")
        while cancel is not None and not cancel.is_set() and any(run.poll() is None for run in runs):
            cancel.wait(0.05)
        if cancel is not None and cancel.is_set():
            for run in runs:
                run.kill()
                run.wait()
            return ReasonerResult(False, None, "HermiT stopped: the build stopped before its verdict")
        answers = [_answer(run, action, Path(tmp)) for run, action in zip(runs, ("-k", "-c"), strict=True)]
    for code, output, errors in answers:
        if code != 0:
            if "Inconsistent ontology" in output + errors or "InconsistentOntology" in output + errors:
                return ReasonerResult(True, False, "HermiT: the ontology with the data is inconsistent")
            return ReasonerResult(False, None, f"HermiT could not run: {_java_error(errors or output)}")
    unsat = unsatisfiable_classes(answers[1][1])
    msg = "HermiT: consistent" + (
        f"; unsatisfiable classes: {', '.join(unsat)}" if unsat else "; no unsatisfiable classes"
    )
    return ReasonerResult(True, True, msg, unsat)
