"""A SPARQL 1.1 Protocol endpoint standing in for the embedded store (``fukushi-kg serve --store URL``).

:class:`RemoteStore` implements the part of ``pyoxigraph.Store`` that :mod:`service.worker`,
:mod:`service.describe` and :mod:`service.pagedata` use (``query``, ``update``,
``contains_named_graph``, ``named_graphs``, ``quads_for_pattern``), so the same job code answers
from either store. Every request:

- is a GET, or a form POST when the URL would be long; never ``POST application/sparql-query``
  (Virtuoso 7.2 hangs on it), always with an explicit ``Accept`` (Virtuoso answers HTML otherwise);
- is checked first: it must parse as SPARQL (the same parser and messages as the embedded store),
  and may not call Virtuoso's ``bif:`` / ``sql:`` functions. The SSRF guard and the protocol
  checks have run before the job reached here;
- carries the row cap: a SELECT / CONSTRUCT / DESCRIBE gets ``LIMIT row_cap+1`` (or its own
  smaller LIMIT), so the server never computes more than the service can return;
- runs under the job's deadline as the HTTP client's timeout; a timeout is a 503.

Union default graph. Servers differ (Virtuoso's default graph is every graph it has, system
graphs included; Fuseki's is its own default graph unless ``unionDefaultGraph``; QLever's is
the union; GraphDB's the union plus its default graph), so nothing server-specific is relied
on: every query names its dataset with the protocol parameters. The dataset graphs are those
of the loaded build (``dist/build-report.json``), else the graphs under ``{base}graph/`` the
server has. Without ``default-graph-uri`` / ``named-graph-uri`` from the client a query is sent
with every dataset graph as ``default-graph-uri`` *and* as ``named-graph-uri``: the default
graph is their union and ``GRAPH ?g`` ranges over them, as in the embedded store. Graph IRIs a
client names that are not dataset graphs become an empty graph
(:data:`EMPTY_GRAPH`), so a server's system graphs are never exposed.
"""

from __future__ import annotations

import json
import logging
import re
import threading

import pyoxigraph as ox

from fukushi_kg.graph.sparql_client import (  # noqa: F401  (RESULTS_ACCEPT, GRAPH_ACCEPT, Reply, auth: used by the loader)
    GRAPH_ACCEPT,
    RESULTS_ACCEPT,
    Reply,
    SparqlClient,
    SparqlRefused,
    SparqlTimeout,
    SparqlUnavailable,
    auth,
    read_triples,
    results_json,
)
from fukushi_kg.service import guard

logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines repeat every query URL

EMPTY_GRAPH = "urn:x-fukushi-kg:empty-graph"
PAGE = 5000  # triples per request when a whole graph is read
_SR353 = re.compile(r"SR353: .*? Only (\d+) are allowed")
VENDOR_SCHEMES = ("bif:", "sql:")  # Virtuoso's built-in SQL functions, reachable as IRIs

# The service's names for the shared client's failures: a timeout is a 503, an unreachable store
# a 503, a refused request (a ValueError) a 400.
RemoteTimeout = SparqlTimeout
RemoteUnavailable = SparqlUnavailable
RemoteRefused = SparqlRefused


class Endpoint(SparqlClient):
    """Where the store answers (the query URL, the update URL, credentials), with what the service
    learns about it while it runs: ``max_rows``, the server's own row maximum once it has told us,
    and ``unordered_pages``, that it cannot sort deep pages (Virtuoso), so pages go without ORDER BY."""

    def __init__(
        self, url: str, update_url: str | None = None, user: str | None = None, password: str | None = None
    ) -> None:
        super().__init__(url, update_url, user, password, label="the store")
        self.max_rows: int | None = None
        self.unordered_pages = False


# ------------------------------------------------------------------ query text


def _positioned_tokens(text: str) -> list[tuple[str, str, int, int]]:
    return [
        (m.lastgroup or "", m.group(), m.start(), m.end())  # every alternative of _TOKEN is named
        for m in guard._TOKEN.finditer(text)  # noqa: SLF001
        if m.lastgroup not in ("ws", "comment")
    ]


def with_limit(query: str, limit: int) -> str:
    """``query`` with its outermost LIMIT at most ``limit`` (added when missing).

    The text is changed only where the grammar is clear: after the WHERE group of a SELECT,
    CONSTRUCT or DESCRIBE, before a trailing VALUES block. Anything else is sent as it is (the
    rows are still cut at the cap while they are read).
    """
    if guard._ESCAPE.search(query):  # noqa: SLF001  (token positions would not match the text)
        return query
    toks = _positioned_tokens(query)
    form_at = next((i for i, t in enumerate(toks) if t[0] == "word" and t[1].upper() in guard.QUERY_FORMS), None)
    if form_at is None or toks[form_at][1].upper() == "ASK":
        return query
    depth, closes = 0, []
    for i, (kind, value, _, _) in enumerate(toks):
        if kind == "other" and value == "{":
            depth += 1
        elif kind == "other" and value == "}":
            depth -= 1
            if depth == 0:
                closes.append(i)
    if depth != 0 or not closes:
        return query
    form = toks[form_at][1].upper()
    template = form == "CONSTRUCT" and form_at + 1 < len(toks) and toks[form_at + 1][1] == "{"
    if template and len(closes) < 2:
        return query
    where_end = closes[1] if template else closes[0]
    rest = toks[where_end + 1 :]
    for j, (kind, value, _, _) in enumerate(rest):
        if kind == "word" and value.upper() == "LIMIT":
            digits: list[tuple[str, str, int, int]] = []
            for tok in rest[j + 1 :]:
                if tok[0] == "other" and tok[1].isdigit() and (not digits or digits[-1][3] == tok[2]):
                    digits.append(tok)
                else:
                    break
            if not digits:
                return query
            start, end = digits[0][2], digits[-1][3]
            if int(query[start:end]) <= limit:
                return query
            return query[:start] + str(limit) + query[end:]
        if kind == "word" and value.upper() == "VALUES":
            at = rest[j][2]
            return query[:at] + f"LIMIT {limit}\n" + query[at:]
    return query.rstrip() + f"\nLIMIT {limit}\n"


def vendor_functions(query: str) -> list[str]:
    """IRIs in the text that reach Virtuoso's SQL built-ins (``bif:``, ``sql:``)."""
    prefixes: dict[str, str] = {}
    found = []
    toks = guard.tokens(query)
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        if kind == "word" and value.upper() == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].partition(":")[0]] = toks[i + 2][1][1:-1]
            i += 3
            continue
        iri = None
        if kind == "iri":
            iri = value[1:-1]
        elif kind == "pname":
            prefix, _, local = value.partition(":")
            iri = prefixes[prefix] + local if prefix in prefixes else value
        if iri and iri.lower().startswith(VENDOR_SCHEMES):
            found.append(iri)
        i += 1
    return found


_SYNTAX = threading.local()
_FORMS = {
    "ASK": ox.QueryBoolean,
    "SELECT": ox.QuerySolutions,
    "CONSTRUCT": ox.QueryTriples,
    "DESCRIBE": ox.QueryTriples,
}


def parse_form(query: str):
    """The class of the answer (QueryBoolean, QuerySolutions or QueryTriples); SyntaxError as the embedded store says it."""
    store = getattr(_SYNTAX, "store", None)
    if store is None:
        store = _SYNTAX.store = ox.Store()  # in memory and empty: only the parser does work
    try:
        return type(store.query(query))
    except SyntaxError:
        raise
    except Exception:  # noqa: BLE001  (parsed; Oxigraph cannot evaluate it, the remote store may)
        return _FORMS[guard.check(query, set()).form or "SELECT"]


# ------------------------------------------------------------------ answers


def read_results(response: Reply):
    """SELECT or ASK results as pyoxigraph reads them, and the number of rows."""
    data = results_json(response, "the store")
    count = len(data.get("results", {}).get("bindings", []))
    try:
        return ox.parse_query_results(json.dumps(data).encode(), format=ox.QueryResultsFormat.JSON), count
    except (ValueError, SyntaxError) as error:
        raise RemoteUnavailable(f"the store's results cannot be read: {error}") from None


# ------------------------------------------------------------------ the store


class RemoteStore:
    """The endpoint, seen through the subset of ``pyoxigraph.Store`` the job code uses.

    One per job: ``deadline`` (``time.monotonic()``) bounds every request it makes, ``row_cap``
    (when given) is put into every query's LIMIT, and ``server_truncated`` records that the server
    cut an answer by its own limit (Virtuoso's ``ResultSetMaxRows``, reported in ``X-SPARQL-MaxRows``).
    """

    def __init__(self, endpoint: Endpoint, graphs: list[str], deadline: float, row_cap: int | None = None):
        self.endpoint = endpoint
        self.graphs = list(graphs)
        self.deadline = deadline
        self.row_cap = row_cap
        self.server_truncated = False

    # -- dataset

    def _names(self, terms) -> list[str]:
        out = []
        for term in terms:
            value = term.value if isinstance(term, ox.NamedNode) else None
            out.append(value if value in self.graphs else EMPTY_GRAPH)
        return out or [EMPTY_GRAPH]

    def dataset_params(self, use_default_graph_as_union: bool = False, default_graph=None, named_graphs=None):
        """default-graph-uri / named-graph-uri for the dataset the embedded store would use."""
        every = self.graphs or [EMPTY_GRAPH]
        if default_graph is None and named_graphs is None:
            default = every if use_default_graph_as_union else [EMPTY_GRAPH]  # the store's own default graph is empty
            named = every
        else:
            if default_graph is None or isinstance(default_graph, ox.DefaultGraph):
                default = [EMPTY_GRAPH]
            else:
                default = self._names(default_graph if isinstance(default_graph, list) else [default_graph])
            named = every if named_graphs is None else self._names(named_graphs)
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    # -- the Store API

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph=None,
        named_graphs=None,
        base_iri: str | None = None,
        **_ignored,
    ):
        vendor = vendor_functions(query)
        if vendor:
            raise RemoteRefused(f"vendor functions are not available through this service: {', '.join(vendor[:3])}")
        kind = parse_form(query)
        dataset = self.dataset_params(use_default_graph_as_union, default_graph, named_graphs)
        for _ in range(2):
            limit = None
            if kind is not ox.QueryBoolean:
                caps = [
                    c for c in (self.row_cap + 1 if self.row_cap is not None else None, self.endpoint.max_rows) if c
                ]
                limit = min(caps) if caps else None
            text = with_limit(query, limit) if limit else query
            if base_iri:
                text = f"BASE <{base_iri}>\n{text}"
            accept = GRAPH_ACCEPT if kind is ox.QueryTriples else RESULTS_ACCEPT
            try:
                response = self.endpoint.request([("query", text)] + dataset, accept, self.deadline)
            except RemoteUnavailable as error:
                # Virtuoso refuses ORDER BY with a LIMIT above its ResultSetMaxRows (SR353): learn its maximum, ask again
                allowed = _SR353.search(str(error))
                if allowed and self.endpoint.max_rows is None:
                    self.endpoint.max_rows = int(allowed.group(1))
                    continue
                raise
            break
        if response.headers.get("x-sql-state") == "S1TAT":
            raise RemoteTimeout("the store stopped the query at its own time limit (its answer was partial)")
        if response.headers.get("x-sparql-maxrows"):
            self.server_truncated = True
        if kind is ox.QueryTriples:
            return read_triples(response, "the store")
        answer, count = read_results(response)
        if kind is ox.QueryBoolean and not isinstance(answer, ox.QueryBoolean):
            raise RemoteUnavailable("the store answered an ASK query with solutions")
        if (
            self.endpoint.max_rows
            and count >= self.endpoint.max_rows
            and (self.row_cap is None or count <= self.row_cap)
        ):
            self.server_truncated = True  # cut by the server's maximum, below our own cap
        return answer

    def update(self, update: str, base_iri: str | None = None) -> None:
        text = f"BASE <{base_iri}>\n{update}" if base_iri else update
        self.endpoint.request([("update", text)], "*/*", self.deadline, update=True)

    def contains_named_graph(self, graph) -> bool:
        return isinstance(graph, ox.NamedNode) and graph.value in self.graphs

    def named_graphs(self):
        return [ox.NamedNode(g) for g in self.graphs]

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph_name=None):
        """Every quad of one dataset graph (or of all), read in pages; only the whole-graph pattern is needed."""
        if subject is not None or predicate is not None or obj is not None:
            raise ValueError("the remote store reads whole graphs only")
        if isinstance(graph_name, ox.DefaultGraph):
            return iter(())
        graphs = [graph_name.value] if graph_name is not None else self.graphs
        return (quad for g in graphs if g in self.graphs for quad in self._graph_quads(g))

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        """One graph, page by page: ORDER BY pages where the server allows them, else unordered pages
        checked against the graph's COUNT (Virtuoso sorts at most ResultSetMaxRows rows, offset included)."""
        name = ox.NamedNode(graph)
        dataset = [("default-graph-uri", EMPTY_GRAPH), ("named-graph-uri", graph)]
        page = min(PAGE, self.endpoint.max_rows or PAGE)
        seen: dict[tuple, None] = {}
        offset = 0
        while True:
            order = "" if self.endpoint.unordered_pages else "ORDER BY ?s ?p ?o "
            query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} {order}LIMIT {page} OFFSET {offset}"
            try:
                response = self.endpoint.request([("query", query)] + dataset, RESULTS_ACCEPT, self.deadline)
            except RemoteUnavailable as error:
                if self.endpoint.unordered_pages or not _SR353.search(str(error)):
                    raise
                self.endpoint.unordered_pages = True
                seen, offset = {}, 0
                continue
            rows = list(read_results(response)[0])
            for row in rows:
                seen[(row["s"], row["p"], row["o"])] = None
            if len(rows) < page:
                break
            offset += page
        if self.endpoint.unordered_pages:
            counted = self.endpoint.request(
                [("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")] + dataset,
                RESULTS_ACCEPT,
                self.deadline,
            )
            expected = int(next(iter(read_results(counted)[0]))["n"].value)
            if expected != len(seen):
                raise RemoteUnavailable(f"reading <{graph}> in pages gave {len(seen)} of its {expected} triples")
        return [ox.Quad(s, p, o, name) for s, p, o in seen]


def discover_graphs(endpoint: Endpoint, prefix: str, deadline: float) -> list[str]:
    """The graphs the server has whose IRI starts with ``prefix`` (``{base}graph/``)."""
    literal = json.dumps(prefix)
    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {literal})) }}"
    response = endpoint.request([("query", query)], RESULTS_ACCEPT, deadline)
    return sorted(row["g"].value for row in read_results(response)[0] if isinstance(row["g"], ox.NamedNode))
