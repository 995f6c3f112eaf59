"""The linked-data portal: home, dataset, ontology, query page, dumps, and every minted IRI.

``/id/…``, ``/def/…``, ``/eli/…`` and ``/graph/…`` dereference ``{base}`` + path: HTML for
browsers, Turtle / JSON-LD / N-Triples / RDF/XML (TriG for graphs) by Accept, ``format``
or a file extension (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.trig``). Unknown IRIs are 404
with a page that says what to try.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from fukushi_kg.service import description, errors, formats, links, named_queries, ontology_doc
from fukushi_kg.service.describe import valid_iri
from fukushi_kg.service.negotiation import negotiate
from fukushi_kg.service.profiles import page_view
from fukushi_kg.service.runtime import Runtime, runtime
from fukushi_kg.service.sparql import run_job
from fukushi_kg.service.view import Viewer, local_href, resource_view

router = APIRouter(tags=["Linked data"])
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
links.install(templates.env)  # every dynamic href goes through the safe_href filter
RESOURCE_TYPES = [
    formats.HTML,
    formats.TURTLE,
    formats.JSONLD,
    formats.NTRIPLES,
    formats.RDFXML,
    formats.TRIG,
    "application/json",
    "application/xml",
    "text/plain",
]
DUMP_FILES = {
    "fukushi-kg.trig": formats.TRIG,
    "fukushi-kg.nt": formats.NTRIPLES,
    "fukushi-kg.nq": formats.NQUADS,
    "fukushi-kg.jsonld": formats.JSONLD,
    "build-report.json": "application/json",
}
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def language(request: Request) -> str:
    """?lang=ja|en, else the first of ja/en in Accept-Language, else ja."""
    wanted = request.query_params.get("lang")
    if wanted in ("ja", "en"):
        return wanted
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in ("ja", "en"):
            return tag
    return "ja"


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    context.setdefault("lang", language(request))
    return templates.TemplateResponse(request, name, context, status_code=status)


def prefixes(rt: Runtime) -> dict[str, str]:
    return {**PREFIXES, "fk": rt.settings.base + "def/"}


def root_url(request: Request) -> str:
    """Where the service is published: its configured base (``--base``), never the Host header."""
    return runtime(request).settings.base


async def _examples(rt: Runtime, limit: int = 8) -> list[str]:
    """A few typed resources minted under {base}id/, for the dataset description and home page."""
    query = (
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{rt.settings.base}id/")) }} '
        f"ORDER BY ?s LIMIT {limit}"
    )
    answer = await run_job(rt, {"op": "rows", "query": query, "row_cap": limit})
    if isinstance(answer, Response) or not answer.get("ok"):
        return []
    return [r["s"]["value"] for r in answer["rows"]]


@router.get("/", response_class=HTMLResponse, summary="Home page of the dataset")
async def home(request: Request) -> HTMLResponse:
    rt = runtime(request)
    examples = await _examples(rt)
    viewer = Viewer({}, rt.settings.base, language(request))
    return render(
        request,
        "home.html",
        triples=rt.triples,
        graphs=[{"term": viewer.term({"type": "uri", "value": g}), "count": n} for g, n in sorted(rt.graphs.items())],
        examples=[viewer.term({"type": "uri", "value": e}) for e in examples],
        queries=named_queries.list_queries(rt.settings.queries_dir),
    )


@router.get("/query", response_class=HTMLResponse, summary="SPARQL query editor with the named queries as examples")
async def query_page(request: Request) -> HTMLResponse:
    rt = runtime(request)
    return render(
        request, "query.html", queries=named_queries.list_queries(rt.settings.queries_dir), row_cap=rt.settings.row_cap
    )


@router.get("/dataset", summary="The dataset: HTML page, or VoID + DCAT by Accept / ?format=")
async def dataset(request: Request) -> Response:
    rt = runtime(request)
    offers = [formats.HTML, formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML]
    wanted = formats.from_format_param(request.query_params.get("format"))
    media_type = wanted if wanted in offers else negotiate(request.headers.get("accept"), offers)
    if media_type is None:
        return errors.not_acceptable(offers)
    examples = await _examples(rt)
    if media_type != formats.HTML:
        body = description.dataset_description(rt, root_url(request), examples, media_type)
        return Response(body, media_type=formats.with_charset(media_type), headers={"Vary": "Accept"})
    viewer = Viewer({}, rt.settings.base, language(request))
    dumps = [
        {"name": n, "type": t, "size": (rt.settings.dist / n).stat().st_size}
        for n, t in DUMP_FILES.items()
        if (rt.settings.dist / n).is_file()
    ]
    return render(
        request,
        "dataset.html",
        triples=rt.triples,
        graphs=[{"term": viewer.term({"type": "uri", "value": g}), "count": n} for g, n in sorted(rt.graphs.items())],
        examples=[viewer.term({"type": "uri", "value": e}) for e in examples],
        dumps=dumps,
        report=rt.report,
        base=rt.settings.base,
    )


@router.get("/.well-known/void", summary="Redirect to the VoID description", include_in_schema=True)
async def well_known_void() -> RedirectResponse:
    return RedirectResponse("/dataset?format=ttl", status_code=303)


@router.get("/dumps/{name}", summary="Download a dump of the dataset (TriG, N-Triples, N-Quads, JSON-LD)")
async def dump(name: str, request: Request) -> Response:
    rt = runtime(request)
    path = rt.settings.dist / name
    if name not in DUMP_FILES or not path.is_file():
        return errors.problem(
            404, f"No dump {name!r}; available: " + ", ".join(n for n in DUMP_FILES if (rt.settings.dist / n).is_file())
        )
    return FileResponse(path, media_type=formats.with_charset(DUMP_FILES[name]), filename=name)


@router.get("/ontology", response_class=HTMLResponse, summary="Documentation of the fukushi-kg ontology (ja, en)")
async def ontology(request: Request) -> HTMLResponse:
    rt = runtime(request)
    doc = ontology_doc.ontology_document(rt.settings.ontology_dir)
    viewer = Viewer({i: l for i, l in doc["labels"].items()}, rt.settings.base, language(request))
    return render(request, "ontology.html", doc=doc, viewer=viewer, href=lambda i: local_href(i, rt.settings.base))


def _split_extension(path: str) -> tuple[str, str | None]:
    for ext, media_type in formats.EXTENSIONS.items():
        if path.endswith(ext):
            return path[: -len(ext)], media_type
    return path, None


async def dereference(request: Request, area: str, path: str) -> Response:
    """Serve ``{base}{area}/{path}`` as HTML or RDF."""
    rt = runtime(request)
    path, by_extension = _split_extension(path)
    if area == "def" and path in ("", "index") and by_extension in (None, formats.HTML):
        wants = negotiate(request.headers.get("accept"), RESOURCE_TYPES) if by_extension is None else formats.HTML
        if wants == formats.HTML:
            return await ontology(request)
    iri = f"{rt.settings.base}{area}/{'' if area == 'def' and path == 'index' else path}"
    if not valid_iri(iri):
        return render(request, "not_found.html", status=404, iri=iri, area=area)
    wanted = by_extension or formats.from_format_param(request.query_params.get("format"))
    if wanted:
        media_type = wanted if wanted in RESOURCE_TYPES else None
    else:
        media_type = negotiate(request.headers.get("accept"), RESOURCE_TYPES)
    if media_type is None:
        return errors.not_acceptable(RESOURCE_TYPES)
    media_type = formats.canonical(media_type, graph=True)
    lang = language(request)
    if media_type == formats.HTML:
        answer = await run_job(rt, {"op": "describe", "iri": iri, "labels_lang": lang})
        if isinstance(answer, Response):
            return answer
        if not answer["ok"]:
            return errors.problem(answer.get("status", 500), answer.get("error", "failed"))
        data = answer["resource"]
        if not data["found"]:
            return render(request, "not_found.html", status=404, iri=iri, area=area)
        alternates = {ext: f"/{area}/{path}{ext}" for ext in (".ttl", ".jsonld", ".nt", ".rdf")}
        response = render(
            request,
            "resource.html",
            r=resource_view(data, rt.settings.base, lang),
            pg=page_view(data, rt.settings.base, lang),
            alternates=alternates,
        )
        response.headers["Link"] = ", ".join(
            f'<{href}>; rel="alternate"; type="{formats.EXTENSIONS[ext]}"' for ext, href in alternates.items()
        )
        response.headers["Vary"] = "Accept"
        return response
    if area == "def" and path in ("", "index") and rt.settings.base + "graph/ontology" in rt.graphs:
        iri = rt.settings.base + "graph/ontology"  # the ontology document is the ontology graph
    job: dict[str, Any]
    if iri in rt.graphs:
        job = {"op": "graph_get", "graph": iri, "media_type": media_type, "prefixes": prefixes(rt)}
    else:
        job = {
            "op": "query",
            "query": f"DESCRIBE <{iri}>",
            "media_type": media_type,
            "row_cap": 100_000,
            "prefixes": prefixes(rt),
        }
    answer = await run_job(rt, job)
    if isinstance(answer, Response):
        return answer
    if not answer["ok"]:
        return errors.problem(answer.get("status", 500), answer.get("error", "failed"))
    if not answer["body"].strip() or answer.get("count") == 0:
        return errors.problem(404, f"No resource <{iri}> in this dataset.")
    return Response(answer["body"], media_type=formats.with_charset(media_type), headers={"Vary": "Accept"})


def _add_area(area: str) -> None:
    async def handler(path: str, request: Request) -> Response:
        return await dereference(request, area, path)

    handler.__name__ = f"dereference_{area}"
    router.add_api_route(
        f"/{area}/{{path:path}}",
        handler,
        methods=["GET", "HEAD"],
        summary=f"Dereference {{base}}{area}/… (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
        name=f"dereference_{area}",
    )


for _area in ("id", "def", "eli", "graph"):
    _add_area(_area)
