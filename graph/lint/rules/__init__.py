"""The rules: one module per rule family, each with ``CODES`` and ``check(ctx, codes)``.

``check`` returns a ``RuleOutput`` (findings, and the codes it had to skip with the reason).
SPARQL rules keep their query text in ``<code>.rq`` next to the module; each query runs once
over the whole graph (on the local Oxigraph store, or on the remote endpoint).
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = (
    "shacl",
    "relisting",
    "responsibility",
    "component_codes",
    "indicators",
    "sdg",
    "cube",
    "law",
    "labels",
    "amounts",
    "owl",
    "source",
)


@cache
def query(name: str) -> str:
    """The text of ``rules/<name>.rq``."""
    return (HERE / f"{name}.rq").read_text(encoding="utf-8")


def modules():
    return [importlib.import_module(f"fukushi_kg.graph.lint.rules.{m}") for m in MODULES]
