"""Where the package's data files are, wherever it is installed.

Everything the commands read besides the user's own input ships inside the package: the ontology
and vocabularies, the SHACL shapes, the named queries, the seed sources with their manifest, the
plans as tables and the reviewed registries.  They are found through ``importlib.resources``, never through the current
folder, so ``fukushi-kg`` works the same from a checkout, an editable install or a wheel.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: The installed package folder (in a checkout, ``fukushi_kg/``, whose entries link to the
#: repository's top-level folders).
PACKAGE = Path(str(files("fukushi_kg")))

ONTOLOGY_DIR = PACKAGE / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "fukushi.ttl"
VOCABULARIES = ONTOLOGY_DIR / "vocabularies.ttl"
SHAPES = PACKAGE / "shapes"
QUERIES = PACKAGE / "queries"
DATA = PACKAGE / "data"
SOURCES = DATA / "sources"
REVIEWED = DATA / "reviewed"
PLANS = DATA / "plans"  # the plans as tables, one folder per document (graph/tables/)


def reviewed(name: str) -> Path:
    """A reviewed registry or corrections file of ``data/reviewed/``."""
    return REVIEWED / name
