"""OWL consistency of the ontology with the data, checked by HermiT through owlready2.

HermiT is a Java program; where no ``java`` is on the PATH the check is skipped and says so.

What HermiT is given: the ontology whole, and of the instance data every triple whose object is
an IRI or blank node (types, links between resources). Instance triples with a literal object
are left out: their datatypes and cardinalities are checked by the SHACL shapes, and leaving
them out takes HermiT from about 110 s to about 10 s on the seed graph. So HermiT checks class
disjointness, functional and inverse object properties, and object-property domains and ranges.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fukushi_kg.graph import vocab


@dataclass
class ReasonerResult:
    ran: bool
    consistent: bool | None
    message: str
    unsatisfiable: list[str] = field(default_factory=list)


# XSD date types outside the OWL 2 datatype map (HermiT rejects them). For the consistency
# check only, their literals become plain strings and ranges naming them become rdfs:Literal.
_NON_OWL2 = ("gYear", "gYearMonth", "date")
_XSD = "http://www.w3.org/2001/XMLSchema#"


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
    return ntriples


def _java_error(text: str) -> str:
    for line in text.splitlines():
        if "Exception" in line or "Error" in line:
            return line.strip()
    return text.strip().splitlines()[-1] if text.strip() else "unknown error"


def check(ntriples: Path) -> ReasonerResult:
    """Load ``ntriples`` (ontology plus data) into owlready2 and run HermiT on it."""
    if shutil.which("java") is None:
        return ReasonerResult(False, None, "HermiT skipped: no Java runtime on PATH (install OpenJDK 17 to run it)")
    import owlready2

    world = owlready2.World()
    with tempfile.TemporaryDirectory() as tmp:
        # owlready2 reads N-Triples; it needs a file it can open by path.
        copy = Path(tmp) / "data.nt"
        copy.write_text(owl2_datatypes(owl_view(ntriples.read_text(encoding="utf-8"))), encoding="utf-8")
        with contextlib.redirect_stderr(io.StringIO()):  # owlready2 prints punning notices
            onto = world.get_ontology(copy.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasonerResult(True, False, f"HermiT: the ontology with the data is inconsistent ({exc})")
        except owlready2.OwlReadyJavaError as exc:
            return ReasonerResult(False, None, f"HermiT could not run: {_java_error(str(exc))}")
    unsat = sorted(str(c.iri) for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    msg = "HermiT: consistent" + (
        f"; unsatisfiable classes: {', '.join(unsat)}" if unsat else "; no unsatisfiable classes"
    )
    return ReasonerResult(True, True, msg, unsat)
