"""What rules produce and what they run against: findings, locations, terms, the lint context."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from fukushi_kg.graph.lint.codes import BY_CODE


@dataclass(frozen=True)
class Location:
    """A place a person can open: a source text (``kind="source"``), an RDF input file
    (``"rdf"``), an endpoint (``"endpoint"``), a CSV table (``"table"``: line is the physical line
    of the file) or a cell of a workbook (``"workbook"``: ``cell`` is ``Sheet!C12``). Lines and
    columns are 1-based; ``column_name`` names a table's column."""

    file: str
    line: int | None = None
    column: int | None = None
    kind: str = "rdf"
    column_name: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.file}:{self.cell}"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


@dataclass
class Finding:
    code: str
    focus: str  # IRI, or _:label for a blank node; "" for a finding on a table's cell
    message_en: str
    message_ja: str
    severity: str = ""  # "" = the code's default severity
    anchor: str | None = None  # node whose source span locates the finding (default: focus)
    location: Location | None = None  # primary: source text where the fact has a span, else RDF input
    rdf_location: Location | None = None  # where the focus node first occurs in the RDF input

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = BY_CODE[self.code].severity

    @property
    def name(self) -> str:
        return BY_CODE[self.code].name

    def message(self, lang: str = "en") -> str:
        return self.message_ja if lang == "ja" else self.message_en

    def key(self) -> tuple:
        return (self.code, self.focus, self.message_en)


@dataclass(frozen=True)
class Term:
    """One value of a SPARQL solution, the same whether it came from Oxigraph or a remote endpoint."""

    kind: str  # "iri" | "bnode" | "literal"
    value: str
    datatype: str | None = None
    lang: str | None = None

    def __str__(self) -> str:
        return self.value

    @property
    def node(self) -> str:
        """The focus-node form: the IRI, or ``_:label``."""
        return f"_:{self.value}" if self.kind == "bnode" else self.value

    def sparql(self) -> str:
        if self.kind == "iri":
            return f"<{self.value}>"
        raise ValueError("only IRIs can be written back into a query")


Row = dict[str, Term]


class Context(Protocol):
    """What a rule may use. ``select`` runs on the local store or the remote endpoint."""

    remote: bool
    texts: object  # graph.lint.texts.PublishedTexts | RootedTexts: the source texts SRC001 may read
    extra_shapes: list[Path]

    def select(self, query: str) -> list[Row]: ...

    def local(self):  # -> graph.lint.inputs.LocalInput (a full copy; raises CopyUnavailable)
        ...

    def notice(self, text: str) -> None: ...


@dataclass
class Skip:
    """Codes a rule could not run, and why (e.g. no Java for HermiT)."""

    codes: tuple[str, ...]
    reason: str


@dataclass
class RuleOutput:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


def label_of(row: Row, var: str = "label") -> str:
    t = row.get(var)
    return t.value if t is not None else ""
