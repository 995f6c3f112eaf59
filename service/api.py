"""JSON API over the named queries: GET /api/queries and GET /api/queries/{name}."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from fukushi_kg.service import alternates, errors, formats, named_queries
from fukushi_kg.service.caching import Representation
from fukushi_kg.service.negotiation import negotiate
from fukushi_kg.service.runtime import runtime
from fukushi_kg.service.sparql import run_job

router = APIRouter(prefix="/api", tags=["API"])


def _plain(term: dict):
    return term.get("value")


@router.get("/queries", summary="List the named queries (name, title, description, columns, text)")
async def list_named(request: Request) -> Response:
    rt = runtime(request)
    rep = Representation(key=("api-queries",), max_age=None, store=False, depends=(rt.queries_dir,))

    async def make() -> Response:
        items = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "columns": list(q.columns),
                "parameters": [
                    {"name": p.name, "choices": list(p.choices), "default": p.default, "description": p.description}
                    for p in q.parameters
                ],
                "query": q.text,
                "url": f"{rt.settings.base}api/queries/{quote(q.name, safe='')}",  # the base, not the Host header
            }
            for q in named_queries.list_queries(rt.settings.queries_dir)
        ]
        return JSONResponse({"queries": items})

    return await rt.serve(request, rep, make)


@router.get(
    "/queries/{name}",
    summary="Run one named query",
    description="JSON by default ({columns, rows, truncated}); CSV with Accept: text/csv or ?format=csv.",
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}, 404: {"description": "No such query"}},
)
async def run_named(name: str, request: Request) -> Response:
    rt = runtime(request)
    query = named_queries.find_query(name, rt.settings.queries_dir)
    if query is None:
        return errors.problem(404, f"No named query {name!r}; see /api/queries.")
    values = {p.name: request.query_params[p.name] for p in query.parameters if p.name in request.query_params}
    try:
        text = query.bind(values)
    except named_queries.QueryError as exc:
        return errors.problem(400, str(exc))
    given = request.query_params.get("format")
    wanted = "application/json" if given == "json" else formats.from_format_param(given)
    media_type = (
        wanted
        if wanted in ("application/json", formats.CSV)
        else negotiate(request.headers.get("accept"), ["application/json", formats.CSV])
    )
    media_type = media_type or "application/json"  # an API answers JSON when Accept names neither
    negotiated = wanted not in ("application/json", formats.CSV)
    path = f"/api/queries/{quote(query.name, safe='')}"
    rep = Representation(
        key=("api-query", query.name, tuple(sorted(values.items())), media_type, rt.settings.row_cap),
        max_age=None,  # the answer depends on the query file: caches revalidate
        vary=("Accept",) if negotiated else (),
        location=alternates.with_format(path, sorted(values.items()), media_type),
        depends=(rt.queries_dir,),
    )
    return await rt.serve(request, rep, lambda: _run(rt, query, text, media_type))


async def _run(rt, query, text: str, media_type: str) -> Response:
    if media_type == formats.CSV:
        job = {"op": "query", "query": text, "media_type": formats.CSV, "row_cap": rt.settings.row_cap}
    else:
        job = {"op": "rows", "query": text, "row_cap": rt.settings.row_cap}
    answer = await run_job(rt, job)
    if isinstance(answer, Response):
        return answer
    if not answer["ok"]:
        return errors.problem(answer.get("status", 500), answer.get("error", "query failed"))
    headers = {"Fukushi-Row-Cap": str(rt.settings.row_cap), "Fukushi-Truncated": str(answer["truncated"]).lower()}
    if media_type == formats.CSV:
        return Response(answer["body"], media_type="text/csv; charset=utf-8", headers=headers)
    rows = [{k: _plain(v) for k, v in row.items()} for row in answer["rows"]]
    body = {
        "name": query.name,
        "title": query.title,
        "columns": answer["vars"],
        "rows": rows,
        "truncated": answer["truncated"],
    }
    return JSONResponse(body, headers=headers)
