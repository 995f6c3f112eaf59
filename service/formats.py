"""The media types the service speaks: results formats for SELECT/ASK, RDF formats for graphs.

Each table is in server preference order (the first is the default for ``*/*``); ``format``
short names and file extensions map onto the same media types.
"""

from __future__ import annotations

import pyoxigraph as ox

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"

TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
TRIG = "application/trig"
NQUADS = "application/n-quads"
HTML = "text/html"

SELECT_TYPES = [SPARQL_JSON, SPARQL_XML, CSV, TSV, "application/json", "application/xml"]
ASK_TYPES = [SPARQL_JSON, SPARQL_XML, "application/json", "application/xml", CSV, TSV]
GRAPH_TYPES = [TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS, "application/json", "application/xml", "text/plain"]
DATASET_TYPES = [TRIG, NQUADS]
UPLOAD_TYPES = [TURTLE, NTRIPLES, RDFXML, JSONLD]  # what a Graph Store PUT / POST reads (service.worker.parse_upload)

# Aliases a client may send that mean one of ours.
ALIASES = {
    "application/json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
}
GRAPH_ALIASES = {
    "application/json": JSONLD,
    "application/xml": RDFXML,
    "text/plain": NTRIPLES,
    # what SPARQLWrapper and other clients send for a graph: its JSON and XML names mean the RDF
    # forms, and N3 (a superset of Turtle) is answered in Turtle, which every N3 reader reads
    SPARQL_JSON: JSONLD,
    SPARQL_XML: RDFXML,
    "text/xml": RDFXML,
    "application/x-json+ld": JSONLD,
    "text/n3": TURTLE,
    "text/rdf+n3": TURTLE,
    "application/n3": TURTLE,
    "application/x-turtle": TURTLE,
}

SHORT_NAMES = {
    "json": SPARQL_JSON,
    "srj": SPARQL_JSON,
    "xml": SPARQL_XML,
    "srx": SPARQL_XML,
    "csv": CSV,
    "tsv": TSV,
    "ttl": TURTLE,
    "turtle": TURTLE,
    "nt": NTRIPLES,
    "ntriples": NTRIPLES,
    "n-triples": NTRIPLES,
    "jsonld": JSONLD,
    "json-ld": JSONLD,
    "rdf": RDFXML,
    "rdfxml": RDFXML,
    "rdf+xml": RDFXML,
    "n3": "text/n3",
    "owl": RDFXML,
    "trig": TRIG,
    "nq": NQUADS,
    "nquads": NQUADS,
    "html": HTML,
}

# File extensions of dereferenceable resources: /id/x.ttl is /id/x as Turtle.
EXTENSIONS = {".ttl": TURTLE, ".nt": NTRIPLES, ".jsonld": JSONLD, ".rdf": RDFXML, ".trig": TRIG, ".html": HTML}

RDF_FORMATS = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
    TRIG: ox.RdfFormat.TRIG,
    NQUADS: ox.RdfFormat.N_QUADS,
}


def from_format_param(value: str | None) -> str | None:
    """The media type a ``format`` parameter names (a short name or a media type), or None."""
    if not value:
        return None
    value = value.strip().lower()
    return SHORT_NAMES.get(value, value if "/" in value else None)


def pick(values: list[str], offers: list[str], graph: bool = False) -> str | None:
    """The first of the ``format`` parameters' values that names one of ``offers``.

    Clients send more than one: SPARQLWrapper sends ``format=json-ld`` and then
    ``format=application/ld+json,application/x-json+ld`` (a comma-separated list), ``format=n3``
    for N3 and ``format=xml`` or ``format=json`` for a CONSTRUCT. Each value may be a short name
    or a media type, or a comma-separated list of them; aliases map to our own types. None when
    nothing named is offered (the caller answers 406).
    """
    for value in values:
        for token in value.split(","):
            wanted = from_format_param(token.split(";")[0])
            if wanted is None:
                continue
            wanted = canonical(wanted, graph)
            if wanted in offers:
                return wanted
    return None


def canonical(media_type: str, graph: bool = False) -> str:
    """Our own media type for an alias (``application/json`` is SPARQL JSON, or JSON-LD for graphs)."""
    table = GRAPH_ALIASES if graph else ALIASES
    return table.get(media_type, media_type)


def with_charset(media_type: str) -> str:
    """The Content-Type header value: text formats say utf-8."""
    if media_type.startswith("text/") or media_type.endswith(("json", "xml")) or media_type in (NTRIPLES, TRIG, NQUADS):
        return f"{media_type}; charset=utf-8"
    return media_type
