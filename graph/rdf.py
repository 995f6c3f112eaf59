"""Records -> RDF: the names modules and scripts import from here. The mapping itself is the package
graph.mapping, one module per kind of row (its docstring lists them)."""

from __future__ import annotations

from fukushi_kg.graph.mapping import to_dataset
from fukushi_kg.graph.mapping.iris import DEFAULT_BASE, Iris, ascii_code
from fukushi_kg.graph.mapping.labels import add_search_labels, search_form
from fukushi_kg.graph.mapping.terms import QB
from fukushi_kg.graph.vocab import FK

__all__ = ["DEFAULT_BASE", "FK", "QB", "Iris", "add_search_labels", "ascii_code", "search_form", "to_dataset"]
