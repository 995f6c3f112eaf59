"""The SPARQL 1.1 Protocol (query and update at /sparql) and the Graph Store Protocol (/store).

Dataset: without ``default-graph-uri`` / ``named-graph-uri`` (or FROM / FROM NAMED in the query)
the default graph is the union of all graphs, and every named graph is available to GRAPH.
Graph IRIs named by the protocol parameters are never dereferenced: one the store lacks is an
empty graph. Writes (update, PUT/POST/DELETE) need the server's write token as a Bearer token.
"""

from __future__ import annotations

import asyncio
import hmac
import re
import uuid
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fukushi_kg.service import alternates, description, errors, fastlane, formats, guard, jsonld
from fukushi_kg.service.caching import Representation
from fukushi_kg.service.executor import QueryTimeout, StoreBusy, WorkerDied, WorkerOutOfMemory, WriteTimeout
from fukushi_kg.service.fastlane import FrontLane
from fukushi_kg.service.negotiation import choose, negotiate, parameters
from fukushi_kg.service.quotas import SPARE_SECONDS, ClientQuotas, Refused, Ticket
from fukushi_kg.service.runtime import Runtime, runtime
from fukushi_kg.service.streaming import STREAM_ERROR, DeadlineStream, StreamAborted  # noqa: F401 (re-exported)
from fukushi_kg.service.update_dataset import with_using

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
SD_TYPES = [formats.TURTLE, formats.RDFXML, formats.NTRIPLES, formats.JSONLD]
# Answers that may differ between two runs over the same data get no validators (service.caching).
UNREPEATABLE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(|\bSERVICE\b", re.I)
MAX_LOCATION = 2048  # a Content-Location longer than this (a long query in the URL) is left out


def _media(header: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header."""
    if not header:
        return None, None
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _choose(
    request: Request, offers: list[str], graph: bool = False, params: list[tuple[str, str]] | None = None
) -> str | None:
    """Negotiate: a ``format`` parameter (in the URL or, given ``params``, a form body) wins over
    Accept; aliases map to our canonical types."""
    given = [v for k, v in params if k == "format"] if params is not None else request.query_params.getlist("format")
    if given:
        return formats.pick(given, offers, graph)
    chosen = negotiate(request.headers.get("accept"), offers)
    return formats.canonical(chosen, graph) if chosen else None


async def _params(request: Request) -> tuple[list[tuple[str, str]], Response | None]:
    """All protocol parameters (URL and, for form POST, body), or an error response."""
    params = list(parse_qsl(request.url.query, keep_blank_values=True))
    if request.method != "POST":
        return params, None
    media, charset = _media(request.headers.get("content-type"))
    if charset not in (None, "utf-8", "utf8"):
        return params, errors.unsupported_media_type(request.headers.get("content-type"), [f"{QUERY}; charset=utf-8"])
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return params, errors.bad_request("The request body is not UTF-8.")
    if media == FORM:
        params += parse_qsl(text, keep_blank_values=True)
    elif media == QUERY:
        params.append(("query", text))
    elif media == UPDATE:
        params.append(("update", text))
    else:
        return params, errors.unsupported_media_type(media, [FORM, QUERY, UPDATE])
    return params, None


def _failure(answer: dict) -> Response:
    return errors.problem(answer.get("status", 500), answer.get("error", "query failed"))


def authorised(request: Request, rt: Runtime) -> Response | None:
    """None when a write may go ahead; else 403 (read-only service), 401 (bad or missing token) or
    429 (too many bad tokens from this client lately: ``service.throttle``)."""
    token = rt.settings.write_token
    if not token:
        return errors.forbidden("This service is read-only: SPARQL Update and graph writes are disabled.")
    throttle = request.app.state.auth_throttle
    client = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(client)
    if wait is not None:
        return errors.problem(
            429,
            f"Too many failed write tokens from {client}: try again in {wait} s.",
            {"Retry-After": str(wait)},
        )
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        throttle.failed(client)
        return errors.problem(
            401, "Writes need a valid Bearer token.", {"WWW-Authenticate": 'Bearer realm="fukushi-kg"'}
        )
    return None


async def run_job(rt: Runtime, job: dict, write: bool = False) -> dict | Response:
    """Run a job on the executor; timeouts and dead workers become 503 responses. After a write the
    graph list is read again; that read cannot turn a write that was made into a failure."""
    try:
        if write:
            ran = True
            try:
                return await rt.executor.write(job)
            except StoreBusy:
                ran = False  # it never started: nothing to refresh, and the 503 goes out at once
                raise
            finally:
                if ran:
                    rt.written()  # even a failed write may have changed something: validators change
                    await rt.refresh()  # never raises: a write that was made is never reported as failed
        return await rt.executor.run(job)
    except (QueryTimeout, WorkerDied) as error:
        return _unavailable(error, write)


def _unavailable(error: Exception, write: bool = False) -> Response:
    if write and isinstance(error, WorkerDied):
        return errors.problem(503, f"The write failed: {error}.")
    if isinstance(error, StoreBusy):
        return errors.problem(503, f"Busy: {error}", {"Retry-After": "1"})
    if isinstance(error, WriteTimeout):
        return errors.problem(503, f"Timeout: {error}.")
    if isinstance(error, QueryTimeout):
        return errors.problem(503, f"Timeout: {error}; the query was stopped. Narrow it or add a LIMIT.")
    if isinstance(error, WorkerOutOfMemory):
        return errors.problem(503, f"Out of memory: {error}.")
    return errors.problem(503, f"The query worker failed ({error}); it was restarted.")


def offers_for(form: str | None) -> list[str]:
    if form == "ASK":
        return formats.ASK_TYPES
    if form in ("CONSTRUCT", "DESCRIBE"):
        return formats.GRAPH_TYPES
    return formats.SELECT_TYPES


async def check_text(rt: Runtime, text: str) -> tuple[guard.Verdict, Response | None]:
    """The guard's verdict on a query or update; a long text is checked off the event loop."""
    args = (text, set(rt.graphs), rt.settings.allow, rt.settings.base)
    verdict = guard.check_cached(*args) if len(text) < 65536 else await asyncio.to_thread(guard.check, *args)
    if verdict.too_complex:
        return verdict, errors.bad_request(f"Query too complex: {verdict.too_complex}. Split it into simpler queries.")
    return verdict, None


async def execute_query(request: Request, rt: Runtime, query: str, params: list[tuple[str, str]]) -> Response:
    verdict, error = await check_text(rt, query)
    if error:
        return error
    if not verdict.ok:
        return errors.forbidden("Query refused: " + "; ".join(verdict.refused))
    if verdict.form == "UPDATE":
        return errors.bad_request("This is a SPARQL Update: send it as 'update' by POST, not as 'query'.")
    graph = verdict.form in ("CONSTRUCT", "DESCRIBE")
    given = [v for k, v in params if k == "format"]
    expanded = False  # JSON-LD of a graph is compact unless the expanded form is asked for
    media_type: str | None
    if graph and any(v.strip().lower() == alternates.EXPANDED for v in given):
        media_type, expanded = formats.JSONLD, True
    else:
        media_type = _choose(request, offers_for(verdict.form), graph, params)
        if graph and media_type == formats.JSONLD and not given:
            expanded = jsonld.wants_expanded(parameters(request.headers.get("accept"), formats.JSONLD))
    if media_type is None:
        return errors.not_acceptable(offers_for(verdict.form))
    default_graphs = [v for k, v in params if k == "default-graph-uri"]
    named_graphs = [v for k, v in params if k == "named-graph-uri"]
    job = {
        "op": "query",
        "query": query,
        "default_graphs": default_graphs,
        "named_graphs": named_graphs,
        "media_type": media_type,
        "row_cap": rt.settings.row_cap,
        "max_bytes": rt.settings.max_answer_bytes,
        "base_iri": rt.settings.base,
    }
    quotas = request.app.state.quotas
    lane = rt.lane if rt.lane is not None and fastlane.bounded(verdict) else None

    async def answer() -> Response:
        try:
            ticket = quotas.admit_query(request, getattr(rt.executor, "idle_workers", 0))
        except Refused as refused:
            return refused.response()
        try:
            response = await _answer_query(rt, job, media_type, ticket, quotas, lane)
        finally:
            ticket.release()  # a streamed answer holds its own release until the stream ends (idempotent)
        if media_type == formats.JSONLD and not expanded and response.status_code == 200 and hasattr(response, "body"):
            response.body = await jsonld.compact_answer(bytes(response.body), jsonld.prefixes(rt.ontology_dir))
            response.headers["content-length"] = str(len(response.body))
        return response

    if request.method == "POST":  # not cacheable: no validators
        response = await answer()
        response.headers["Vary"] = "Accept"
        return response
    negotiated = not request.query_params.get("format")
    location = alternates.with_format("/sparql", params, media_type, expanded) if negotiated else None
    rep = Representation(
        key=(
            "sparql",
            query,
            tuple(default_graphs),
            tuple(named_graphs),
            media_type,
            expanded,
            rt.settings.row_cap,
            rt.settings.max_answer_bytes,
        ),
        max_age=None,  # the answer depends on the query: caches revalidate (ETag from build + query + format)
        vary=("Accept",) if negotiated else (),
        location=location if location and len(location) <= MAX_LOCATION else None,
        validate=not UNREPEATABLE.search(query),
    )
    return await rt.serve(request, rep, answer)


async def _answer_query(
    rt: Runtime, job: dict, media_type: str, ticket: Ticket, quotas: ClientQuotas, lane: FrontLane | None = None
) -> Response:
    """Run a query job: SELECT answers streamed from the embedded store, others in one body. A client
    past its share runs as a guest (``ticket.spare``): at most SPARE_SECONDS on an idle worker. A
    bounded query (``lane``: service.fastlane) is answered in this process when it can be."""
    timeout = min(rt.settings.timeout, SPARE_SECONDS) if ticket.spare else None
    frames = None
    answer = lane.answer(job, timeout or rt.settings.timeout) if lane is not None else None
    if answer is None:
        try:
            if hasattr(rt.executor, "stream"):  # the embedded store streams SELECT results; a remote store does not
                answer, frames = await rt.executor.stream(job, timeout)
            else:
                answer = await rt.executor.run(job, timeout)
        except QueryTimeout as failure:
            return quotas.spare_timeout().response() if ticket.spare else _unavailable(failure)
        except WorkerDied as died:
            return _unavailable(died)
    if not answer["ok"]:
        return _failure(answer)
    headers = {
        "Fukushi-Row-Cap": str(rt.settings.row_cap),
        "Fukushi-Byte-Cap": str(rt.settings.max_answer_bytes),
        "Fukushi-Truncated": "true" if answer["truncated"] else "false",
        "Fukushi-Row-Count": str(answer["count"]),
    }
    if frames is not None:
        release, ticket.on_release = ticket.on_release, None  # the stream releases it when it ends
        return DeadlineStream(frames, formats.with_charset(media_type), headers, on_close=release)
    return Response(answer["body"], media_type=formats.with_charset(media_type), headers=headers)


async def execute_update(request: Request, rt: Runtime, update: str, params: list[tuple[str, str]]) -> Response:
    denied = authorised(request, rt)
    if denied:
        return denied
    verdict, error = await check_text(rt, update)
    if error:
        return error
    if not verdict.ok:
        return errors.forbidden("Update refused: " + "; ".join(verdict.refused))
    using = [v for k, v in params if k == "using-graph-uri"]
    using_named = [v for k, v in params if k == "using-named-graph-uri"]
    if (using or using_named) and verdict.dataset_clause:
        return errors.bad_request("using-graph-uri / using-named-graph-uri conflict with USING or WITH in the update.")
    if using or using_named:
        try:
            update = with_using(update, using, using_named)
        except ValueError as exc:
            return errors.bad_request(f"using-graph-uri / using-named-graph-uri: {exc}")
        verdict, error = await check_text(rt, update)  # the protocol dataset's IRIs pass the guard too
        if error:
            return error
        if not verdict.ok:
            return errors.forbidden("Update refused: " + "; ".join(verdict.refused))
    answer = await run_job(rt, {"op": "update", "update": update, "base_iri": rt.settings.base}, write=True)
    if isinstance(answer, Response):
        return answer
    if not answer["ok"]:
        return _failure(answer)
    return Response(status_code=204)


@router.api_route(
    "/sparql",
    methods=["GET", "POST"],
    summary="SPARQL 1.1 query and update endpoint",
    description=(
        "GET with `query`, POST form (`query` or `update`), POST `application/sparql-query` or "
        "`application/sparql-update`. `default-graph-uri` / `named-graph-uri` set the dataset; without them the "
        "default graph is the union of all graphs. Results are negotiated by Accept or `format` (json, xml, csv, "
        "tsv, ttl, nt, jsonld, rdf, trig). GET without a query returns the SPARQL Service Description. "
        "Headers Fukushi-Row-Cap / Fukushi-Truncated report the row cap."
    ),
    responses={
        200: {"description": "Query results"},
        400: {"description": "Syntax error"},
        403: {"description": "Refused"},
    },
)
async def sparql(request: Request) -> Response:
    rt = runtime(request)
    params, error = await _params(request)
    if error:
        return error
    queries = [v for k, v in params if k == "query"]
    updates = [v for k, v in params if k == "update"]
    if len(queries) + len(updates) > 1:
        return errors.bad_request("Exactly one 'query' or 'update' may be given.")
    if updates:
        if request.method != "POST":
            return errors.problem(405, "SPARQL Update must be sent by POST.", {"Allow": "POST"})
        return await execute_update(request, rt, updates[0], params)
    if queries:
        return await execute_query(request, rt, queries[0], params)
    if request.method == "POST":
        return errors.bad_request("Missing 'query' or 'update'.")
    if any(k in ("graph", "default") for k, _ in params):
        return await graph_store(request)
    choice = choose(request.headers.get("accept"), request.query_params.get("format"), [*SD_TYPES, formats.HTML])
    if choice.media_type == formats.HTML:
        return RedirectResponse("/query", status_code=303)
    if choice.media_type is None:
        return errors.not_acceptable(SD_TYPES)
    media_type = choice.media_type
    rep = Representation(
        key=("service-description", media_type, choice.expanded),
        vary=("Accept",) if choice.negotiated else (),
        location=alternates.with_format("/sparql", [], media_type, choice.expanded),
        links=alternates.links(alternates.format_alternates("/sparql", SD_TYPES)),
        depends=(rt.ontology_dir,),  # the JSON-LD context
    )

    async def make() -> Response:
        # the configured base, never the request's Host header (which the client chooses)
        body = description.service_description(rt, rt.settings.base + "sparql", media_type)
        if media_type == formats.JSONLD:
            body = await jsonld.compact_answer(body, jsonld.prefixes(rt.ontology_dir), choice.expanded)
        return Response(body, media_type=formats.with_charset(media_type))

    return await rt.serve(request, rep, make)


def _target(request: Request, rt: Runtime) -> tuple[str | None, bool, Response | None]:
    """(graph IRI or None for the default graph, whole dataset?, error) from ?graph= / ?default."""
    params = parse_qsl(request.url.query, keep_blank_values=True)
    graphs = [v for k, v in params if k == "graph"]
    default = any(k == "default" for k, _ in params)
    if len(graphs) > 1 or (graphs and default):
        return None, False, errors.bad_request("Give one of ?graph=IRI or ?default.")
    if graphs:
        return graphs[0], False, None
    return None, not default, None


@router.api_route(
    "/store",
    methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
    summary="SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification)",
    description=(
        "`?graph=IRI` names a graph, `?default` the store's default graph (empty in a fukushi-kg build); neither, "
        "on GET, the whole dataset (TriG or N-Quads). GET/HEAD are open; PUT/POST/DELETE need the write token. "
        "PUT and POST take one RDF document, or several as multipart/form-data parts (each with its Content-Type)."
    ),
)
async def graph_store(request: Request) -> Response:
    rt = runtime(request)
    graph, whole, error = _target(request, rt)
    if error:
        return error
    return await _graph_store(request, rt, graph, whole)


@router.api_route(
    "/store/{path:path}",
    methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
    summary="SPARQL 1.1 Graph Store HTTP Protocol (direct graph identification)",
    description=(
        "The request path under the service's base (--base) names the graph, e.g. PUT /store/person/1.ttl "
        "stores the graph <{base}store/person/1.ttl>. The same methods and rules as /store."
    ),
)
async def graph_store_direct(request: Request, path: str) -> Response:
    rt = runtime(request)
    if any(k in ("graph", "default") for k, _ in parse_qsl(request.url.query, keep_blank_values=True)):
        return errors.bad_request("A graph named by its URL takes no ?graph= or ?default.")
    # named under the configured base, never after the Host header the client sent
    return await _graph_store(request, rt, rt.settings.base + "store/" + request.url.path.split("/store/", 1)[1], False)


async def _graph_store(request: Request, rt: Runtime, graph: str | None, whole: bool) -> Response:
    job: dict[str, Any]
    if request.method in ("GET", "HEAD"):  # HEAD: the same answer, whose body the server leaves out
        offers = formats.DATASET_TYPES if whole else formats.GRAPH_TYPES
        media_type = _choose(request, offers, graph=True)
        if media_type is None:
            return errors.not_acceptable(offers)
        job = {"op": "graph_get", "graph": graph, "whole": whole, "media_type": media_type, "prefixes": None}
        negotiated = not request.query_params.get("format")
        params = parse_qsl(request.url.query, keep_blank_values=True)
        rep = Representation(
            key=("store", graph, whole, media_type),
            vary=("Accept",) if negotiated else (),
            location=alternates.with_format(request.url.path, params, media_type) if negotiated else None,
            keep=False,  # streamed (and a HEAD only measured): never kept in the page cache
        )
        return await rt.serve(request, rep, lambda: _graph_read(request, rt, job, media_type))
    denied = authorised(request, rt)
    if denied:
        return denied
    created_location = None
    if request.method == "POST" and whole:
        graph = f"{rt.settings.base}graph/upload-{uuid.uuid4().hex}"
        created_location = graph
    elif whole:
        return errors.bad_request("Name the graph: ?graph=IRI or ?default.")
    media, _ = _media(request.headers.get("content-type"))
    job = {
        "op": "graph_write",
        "method": "POST" if request.method == "POST" else request.method,
        "graph": graph,
        "content_type": media or "",
    }
    if media == "multipart/form-data" and request.method in ("PUT", "POST"):
        parts, error = await _multipart_parts(request)
        if error:
            return error
        job["parts"] = parts
    else:
        job["data"] = await request.body()
    if request.method != "DELETE" and not media:
        return errors.unsupported_media_type(None, formats.UPLOAD_TYPES)
    if request.method != "DELETE":  # parsed on a reader first: a slow or hostile document never holds the store
        try:  # reads nothing of the store, so it runs beside a write
            parsed = await rt.executor.run({**job, "op": "parse_upload"}, reads_store=False)
        except (QueryTimeout, WorkerDied) as error:
            return errors.problem(
                503, f"The upload could not be read: {error}; nothing was written (the graph is as it was)."
            )
        if not parsed["ok"]:
            return _failure(parsed)
        job = {**job, "data": parsed["data"], "content_type": formats.NTRIPLES}
        job.pop("parts", None)
    answer = await run_job(rt, job, write=True)
    if isinstance(answer, Response):
        return answer
    if not answer["ok"]:
        return _failure(answer)
    if created_location:
        return Response(status_code=201, headers={"Location": created_location})
    return Response(status_code=201 if answer.get("created") else 204)


async def _graph_read(request: Request, rt: Runtime, job: dict, media_type: str) -> Response:
    """GET streams the serialised graph (or dataset) from the worker; HEAD measures it."""
    headers = {"Vary": "Accept"}
    frames = None
    if request.method == "HEAD":
        answer = await run_job(rt, {**job, "measure": True})
    elif hasattr(rt.executor, "stream"):  # the embedded store streams; a remote store answers whole
        try:
            answer, frames = await rt.executor.stream(job)
        except (QueryTimeout, WorkerDied) as error:
            return _unavailable(error)
    else:
        answer = await run_job(rt, job)
    if isinstance(answer, Response):
        return answer
    if not answer["ok"]:
        return _failure(answer)
    media = formats.with_charset(media_type)
    if request.method == "HEAD":
        size = answer["size"] if "size" in answer else len(answer["body"])
        return Response(b"", media_type=media, headers={**headers, "Content-Length": str(size)})
    if frames is not None:
        return DeadlineStream(frames, media, headers)
    return Response(answer["body"], media_type=media, headers=headers)


MAX_PARTS = 100


async def _multipart_parts(request: Request) -> tuple[list[dict], Response | None]:
    """The RDF documents of a multipart/form-data upload: one per file part, each with its media type
    (from the part's Content-Type, else its file name's extension). The size limit of the upload
    route applies to the whole body (service.limits)."""
    import pyoxigraph as ox
    from starlette.datastructures import UploadFile

    try:
        form = await request.form(max_files=MAX_PARTS, max_fields=MAX_PARTS)
    except Exception as error:  # malformed multipart: python-multipart's own message
        return [], errors.bad_request(f"Malformed multipart/form-data body: {error}")
    parts = []
    for name, value in form.multi_items():
        if not isinstance(value, UploadFile):
            continue
        media, _ = _media(value.content_type)
        if media in (None, "application/octet-stream") and value.filename and "." in value.filename:
            fmt = ox.RdfFormat.from_extension(value.filename.rsplit(".", 1)[1].lower())
            media = fmt.media_type if fmt else media
        parts.append({"name": value.filename or name, "data": await value.read(), "content_type": media or ""})
    await form.close()
    if not parts:
        return [], errors.bad_request("The multipart/form-data body has no file part: send each RDF document as one.")
    return parts, None
