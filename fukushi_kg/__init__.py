"""fukushi-kg: a knowledge graph and SPARQL service for Japanese municipal welfare and child-support plans.

The importable package is ``fukushi_kg``; its code lives in the repository's top-level folders
``graph/`` (sources -> tables -> RDF -> validation -> store) and ``service/`` (the command line and
the HTTP service), and its data in ``ontology/``, ``shapes/``, ``queries/`` and ``data/``.  In the
repository ``fukushi_kg/`` holds links to those folders; the wheel holds real copies, so the
package reads everything it needs through ``fukushi_kg.resources`` wherever it is installed.
"""

__version__ = "0.2.0"
