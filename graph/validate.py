"""SHACL validation of a built graph against ``shapes/`` (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from fukushi_kg import resources

SHAPES = resources.SHAPES
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    message: str
    shape: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}"


class ShapesError(ValueError):
    """A shapes file that is missing or cannot be parsed; the message names it."""


def load_shapes(extra: list[Path] | None = None) -> Graph:
    """shapes/*.ttl and ``extra``; ShapesError naming the file when one is missing or not Turtle."""
    g = Graph()
    for path in sorted(SHAPES.glob("*.ttl")) + list(extra or []):
        if not path.is_file():
            raise ShapesError(f"{path}: no such shapes file")
        try:
            g.parse(path)
        except Exception as exc:  # rdflib raises several unrelated types for syntax errors
            raise ShapesError(f"{path}: the shapes file cannot be parsed ({exc})") from None
    return g


def validate(data: Graph, shapes: Graph | None = None) -> list[Finding]:
    """Every SHACL result as a Finding; an empty list means the graph conforms."""
    shapes = shapes if shapes is not None else load_shapes()
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        path = report.value(result, SH.resultPath)
        findings.append(
            Finding(
                severity=severity,
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                message="; ".join(sorted(messages)) or "constraint not met",
                shape=str(report.value(result, SH.sourceShape)),
            )
        )
    return sorted(findings, key=lambda f: (f.severity, f.focus, f.message))
