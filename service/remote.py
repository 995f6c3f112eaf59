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

import base64
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from fukushi_kg.service import guard

logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines repeat every query URL

EMPTY_GRAPH = "urn:x-fukushi-kg:empty-graph"
RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
MAX_GET_URL = 4000  # longer requests are sent as form POST
MAX_BODY = 512 * 1024 * 1024  # a response larger than this is refused, whatever the row cap
PAGE = 5000  # triples per request when a whole graph is read
_SR353 = re.compile(r"SR353: .*? Only (\d+) are allowed")
VENDOR_SCHEMES = ("bif:", "sql:")  # Virtuoso's built-in SQL functions, reachable as IRIs


class RemoteTimeout(Exception):
    """The store did not answer before the job's deadline."""


class RemoteUnavailable(Exception):
    """The store could not be reached, or answered with a server error or an unreadable body."""


class RemoteRefused(ValueError):
    """The store refused the request (4xx); a ValueError, so a job answers 400 with the message."""


class _Auth(httpx.Auth):
    """Basic or Digest, whichever the server's first 401 asks for (Virtuoso's Graph Store wants Digest)."""

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password
        self._digest: httpx.DigestAuth | None = None
        self._basic = False
        self._lock = threading.Lock()

    def _basic_header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()

    def auth_flow(self, request):
        if self._digest is not None:
            yield from self._digest.auth_flow(request)
            return
        if self._basic:
            request.headers["Authorization"] = self._basic_header()
            yield request
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        with self._lock:
            if challenge.startswith("digest"):
                self._digest = httpx.DigestAuth(self.user, self.password)
            else:
                self._basic = True
        if self._digest is not None:
            yield from self._digest.auth_flow(request)
        else:
            request.headers["Authorization"] = self._basic_header()
            yield request


def auth(user: str | None, password: str | None) -> httpx.Auth | None:
    return _Auth(user, password or "") if user else None


@dataclass
class Endpoint:
    """Where the store answers: the query URL, the update URL, credentials; one shared HTTP client."""

    url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = None
    client: httpx.Client = field(init=False)
    max_rows: int | None = None  # the server's own row maximum, once it has told us
    unordered_pages: bool = False  # the server cannot sort deep pages (Virtuoso): page without ORDER BY

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            auth=auth(self.user, self.password), follow_redirects=False, headers={"User-Agent": "fukushi-kg"}
        )

    def close(self) -> None:
        self.client.close()

    def request(self, params: list[tuple[str, str]], accept: str, deadline: float, update: bool = False) -> Reply:
        """One protocol request: GET when short, else form POST (updates always POST)."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RemoteTimeout("no time left")
        url = (self.update_url or self.url) if update else self.url
        encoded = urlencode(params)
        headers = {"Accept": accept}
        try:
            if not update and len(url) + len(encoded) + 1 <= MAX_GET_URL:
                response = self._send("GET", f"{url}?{encoded}", headers, None, remaining)
            else:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                response = self._send("POST", url, headers, encoded.encode(), remaining)
        except httpx.TimeoutException:
            raise RemoteTimeout(f"the store did not answer within {max(remaining, 0):.3g} s") from None
        except httpx.HTTPError as error:
            raise RemoteUnavailable(f"cannot reach the store at {url}: {error}") from None
        if response.status_code >= 500:
            raise RemoteUnavailable(f"the store answered {response.status_code}: {_excerpt(response.content)}")
        if response.status_code >= 400:
            raise RemoteRefused(f"the store refused the request ({response.status_code}): {_excerpt(response.content)}")
        return response

    def _send(self, method: str, url: str, headers: dict, body: bytes | None, timeout: float) -> Reply:
        with self.client.stream(method, url, headers=headers, content=body, timeout=timeout) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY:
                    raise RemoteUnavailable(f"the store's answer is larger than {MAX_BODY // 2**20} MB")
                chunks.append(chunk)
            return Reply(response.status_code, response.headers, b"".join(chunks))


@dataclass(frozen=True)
class Reply:
    """A response read in full (under :data:`MAX_BODY`)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


def _excerpt(body: bytes, limit: int = 500) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    return text[:limit] + ("…" if len(text) > limit else "")


# ------------------------------------------------------------------ query text


def _positioned_tokens(text: str) -> list[tuple[str, str, int, int]]:
    return [
        (m.lastgroup, m.group(), m.start(), m.end())
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
            digits = []
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


def _fix_binding(term: dict) -> dict:
    """Older or vendor JSON results into SPARQL 1.1 JSON (Virtuoso: typed-literal, nodeID:// blank nodes)."""
    if term.get("type") == "typed-literal":
        term = {**term, "type": "literal"}
    if term.get("type") == "bnode":
        term = {**term, "value": re.sub(r"[^A-Za-z0-9_]", "_", term["value"]).lstrip("_") or "b"}
    return term


def read_results(response: Reply):
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if "json" not in media:
        raise RemoteUnavailable(f"the store answered {media or 'no content type'}, not SPARQL JSON results")
    try:
        data = json.loads(response.content)
        if "results" in data:
            for row in data["results"].get("bindings", []):
                for key, term in row.items():
                    row[key] = _fix_binding(term)
        count = len(data.get("results", {}).get("bindings", []))
        return ox.parse_query_results(json.dumps(data).encode(), format=ox.QueryResultsFormat.JSON), count
    except (ValueError, SyntaxError, AttributeError, TypeError) as error:
        raise RemoteUnavailable(f"the store's results cannot be read: {error}") from None


def read_triples(response: Reply) -> list[ox.Triple]:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = ox.RdfFormat.from_media_type(media) if media else None
    if fmt is None or fmt.supports_datasets:
        raise RemoteUnavailable(f"the store answered {media or 'no content type'} to a graph query")
    try:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)]
    except SyntaxError as error:
        raise RemoteUnavailable(f"the store's graph cannot be read: {error}") from None


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
            return read_triples(response)
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
