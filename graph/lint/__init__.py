"""``fukushi-kg lint``: check a graph the way a reviewer would.

SHACL shapes (pySHACL), whole-graph SPARQL rules on Oxigraph, HermiT through owlready2, and
source fidelity (every span's text against the source file). The codes are in ``codes.py``,
one module per rule family in ``rules/``, inputs in ``inputs.py``, output formats in
``report.py``; ``run.lint`` runs them.
"""

from fukushi_kg.graph.lint.codes import TABLE
from fukushi_kg.graph.lint.inputs import InputError, load_bytes, load_files, open_input
from fukushi_kg.graph.lint.run import LintOptions, LintResult, lint

__all__ = ["TABLE", "InputError", "LintOptions", "LintResult", "lint", "load_bytes", "load_files", "open_input"]
