"""What the dataset description counts in the store: distinct triples, vocabularies, links out, coverage.

Each fact is one SPARQL query run by the worker processes (so it works with ``--store URL`` too),
over the union of the dataset's graphs; the answers are kept until the graphs change (a write
changes the per-graph counts the cache is keyed on).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.responses import Response

from fukushi_kg.service.runtime import Runtime

# Links to other datasets, counted per predicate (void:Linkset): target key -> (IRI prefix, titles)
LINK_TARGETS = {
    "e-stat": (
        "http://data.e-stat.go.jp/lod/sac/",
        "e-Stat 統計LOD 標準地域コード",
        "e-Stat statistical LOD: standard area codes",
    ),
    "e-gov": ("https://laws.e-gov.go.jp/law/", "e-Gov 法令検索", "e-Gov law search"),
    "un-sdg": ("http://metadata.un.org/sdg/", "国連 SDG メタデータ", "UN SDG metadata"),
}


@dataclass
class Facts:
    triples: int = 0  # distinct triples over all graphs (a triple in two graphs counts once)
    vocabularies: list[str] = field(default_factory=list)  # namespaces of predicates, classes, datatypes
    links: dict[tuple[str, str], int] = field(default_factory=dict)  # (target key, predicate) -> triples
    areas: list[str] = field(default_factory=list)  # e-Stat area IRIs the municipalities govern
    first_year: int | None = None
    last_year: int | None = None


def namespace(iri: str) -> str:
    """The vocabulary namespace of a term: up to the last ``#``, else up to the last ``/``."""
    cut = iri.rfind("#")
    if cut < 0:
        cut = iri.rfind("/")
    return iri[: cut + 1]


_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
_TERMS = """SELECT DISTINCT ?term WHERE {
  { GRAPH ?g { ?s ?term ?o } } UNION { GRAPH ?g { ?s a ?term FILTER isIRI(?term) } }
  UNION { GRAPH ?g { ?s ?p ?o FILTER isLiteral(?o) BIND (DATATYPE(?o) AS ?term) } }
}"""
_LINKS = """SELECT ?p (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER (isIRI(?o) && STRSTARTS(STR(?o), "%s")) } } }
} GROUP BY ?p ORDER BY ?p"""
_AREAS = """PREFIX fk: <https://w3id.org/fukushi-kg/def/>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?area WHERE { GRAPH ?g { ?city a fk:Municipality ; dct:spatial ?area FILTER isIRI(?area) } } ORDER BY ?area"""
_YEARS = """PREFIX fk: <https://w3id.org/fukushi-kg/def/>
SELECT (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  GRAPH ?g { ?s fk:refYear|fk:periodStart|fk:periodEnd|fk:fiscalYear|fk:reportYear ?v }
  BIND (xsd:integer(SUBSTR(STR(?v), 1, 4)) AS ?y)
}"""

_cache: dict[tuple, Facts] = {}


async def _rows(rt: Runtime, query: str, cap: int = 100_000) -> list[dict]:
    from fukushi_kg.service.sparql import run_job  # sparql.py imports description.py, which imports this

    answer = await run_job(rt, {"op": "rows", "query": query, "row_cap": cap})
    if isinstance(answer, Response) or not answer.get("ok"):
        return []
    return answer["rows"]


def _int(row: dict, key: str) -> int | None:
    try:
        return int(row[key]["value"])
    except (KeyError, ValueError):
        return None


async def facts(rt: Runtime) -> Facts:
    key = (rt.settings.base, tuple(sorted(rt.graphs.items())))
    if key in _cache:
        return _cache[key]
    f = Facts()
    rows = await _rows(rt, _TRIPLES)
    f.triples = (_int(rows[0], "n") if rows else None) or 0
    spaces = {namespace(r["term"]["value"]) for r in await _rows(rt, _TERMS) if r.get("term", {}).get("type") == "uri"}
    f.vocabularies = sorted(ns for ns in spaces if ns and not ns.startswith(rt.settings.base + "id/"))
    for target, (prefix, _ja, _en) in LINK_TARGETS.items():
        for r in await _rows(rt, _LINKS % prefix):
            n = _int(r, "n")
            if n:
                f.links[(target, r["p"]["value"])] = n
    f.areas = [r["area"]["value"] for r in await _rows(rt, _AREAS)]
    years = await _rows(rt, "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + _YEARS)
    if years:
        f.first_year, f.last_year = _int(years[0], "first"), _int(years[0], "last")
    _cache.clear()
    _cache[key] = f
    return f
