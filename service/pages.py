"""The portal pages: home, dataset, ontology, query page, dumps and the JSON-LD context.

Every answer goes through ``Runtime.serve`` (``service.caching``): validators, ``Cache-Control``,
``304`` and the page cache; negotiated answers say ``Vary`` and name their representation in
``Content-Location`` (``service.alternates``). Minted IRIs (``/id/…`` and the like) are
``service.dereference``.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from fukushi_kg.service import (
    alternates,
    dataset_facts,
    description,
    errors,
    formats,
    home_data,
    i18n,
    jsonld,
    links,
    named_queries,
    ontology_doc,
    query_vocabulary,
)
from fukushi_kg.service.caching import Representation
from fukushi_kg.service.explore_queries import QueryFailed
from fukushi_kg.service.negotiation import Choice, choose
from fukushi_kg.service.runtime import Runtime, runtime
from fukushi_kg.service.sparql import run_job
from fukushi_kg.service.view import Viewer, local_href

router = APIRouter(tags=["Linked data"])
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
links.install(templates.env)  # every dynamic href goes through the safe_href filter
DUMP_FILES = {
    "fukushi-kg.trig": formats.TRIG,
    "fukushi-kg.nt": formats.NTRIPLES,
    "fukushi-kg.nq": formats.NQUADS,
    "fukushi-kg.jsonld": formats.JSONLD,
    "fukushi-kg.trig.gz": "application/gzip",
    "fukushi-kg.nt.gz": "application/gzip",
    "fukushi-kg.nq.gz": "application/gzip",
    "fukushi-kg.jsonld.gz": "application/gzip",
    "SHA256SUMS": "text/plain",
    "build-report.json": "application/json",
}
RDF_DUMP_TYPES = {formats.TRIG, formats.NTRIPLES, formats.NQUADS, formats.JSONLD}  # one another's alternates
DATASET_TYPES = [formats.HTML, formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML]
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CONTEXT_PATH = "/context.jsonld"


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


def vary(request: Request, by_accept: bool, html: bool) -> tuple[str, ...]:
    """``Vary``: Accept when the media type was negotiated; Accept-Language when an HTML answer's
    language came from it rather than from ``?lang=``."""
    out: tuple[str, ...] = ("Accept",) if by_accept else ()
    if html and request.query_params.get("lang") not in ("ja", "en"):
        out += ("Accept-Language",)
    return out


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    context.setdefault("lang", language(request))
    context.update(i18n.context(context["lang"]))  # _() of the translation catalogue
    return templates.TemplateResponse(request, name, context, status_code=status)


def prefixes(rt: Runtime) -> dict[str, str]:
    return {**PREFIXES, "fk": rt.settings.base + "def/"}


def context_prefixes(rt: Runtime) -> dict[str, str]:
    """The prefixes of the published JSON-LD context (``/context.jsonld``)."""
    return jsonld.prefixes(rt.ontology_dir)


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
async def home(request: Request) -> Response:
    rt = runtime(request)
    lang = language(request)
    rep = Representation(
        key=("home", lang), vary=vary(request, False, True), location=f"/?lang={lang}", depends=(rt.queries_dir,)
    )

    async def make() -> Response:
        try:
            found = await home_data.sections(rt, lang)
        except QueryFailed as error:
            return error.response or errors.problem(500, f"A page query failed: {error}")
        viewer = Viewer({}, rt.settings.base, lang)
        return render(
            request,
            "home.html",
            triples=rt.triples,
            graphs=[
                {"term": viewer.term({"type": "uri", "value": g}), "count": n} for g, n in sorted(rt.graphs.items())
            ],
            sections=found,
            queries=named_queries.list_queries(rt.settings.queries_dir),
        )

    return await rt.serve(request, rep, make)


DEFAULT_QUERY = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n} LIMIT 20"


@router.get("/query", response_class=HTMLResponse, summary="SPARQL query editor with the named queries as examples")
async def query_page(request: Request) -> Response:
    """``?query=`` (a permalink) or ``?name=`` (a named query) fills the editor; ``&run=1`` runs it."""
    rt = runtime(request)
    lang = language(request)
    given = request.query_params.get("query")
    name = request.query_params.get("name", "")
    rep = Representation(
        key=("query", lang, rt.settings.row_cap, given, name, rt.settings.query_endpoint),
        vary=vary(request, False, True),
        location=f"/query?lang={lang}",
        store=False,
        depends=(rt.queries_dir, rt.ontology_dir),
    )

    async def make() -> Response:
        queries = named_queries.list_queries(rt.settings.queries_dir)
        chosen = next((q for q in queries if q.name == name), None)
        initial = given if given is not None else chosen.text if chosen else DEFAULT_QUERY
        return render(
            request,
            "query.html",
            queries=queries,
            row_cap=rt.settings.row_cap,
            initial=initial,
            selected=chosen.name if chosen and given is None else "",
            base=rt.settings.base,
            vocabulary=query_vocabulary.vocabulary(rt, {**PREFIXES, **context_prefixes(rt)}),
            endpoint=rt.settings.query_endpoint,
        )

    return await rt.serve(request, rep, make)


@router.get("/dataset", summary="The dataset: HTML page, or VoID + DCAT by Accept / ?format=")
async def dataset(request: Request) -> Response:
    choice = choose(request.headers.get("accept"), request.query_params.get("format"), DATASET_TYPES)
    return await dataset_document(request, choice)


async def dataset_document(request: Request, choice: Choice) -> Response:
    """The dataset page or its DCAT-AP + VoID description (also what ``{base}id/dataset`` and
    ``{base}id/catalog`` dereference to)."""
    rt = runtime(request)
    if choice.media_type is None or choice.media_type not in DATASET_TYPES:
        return errors.not_acceptable(DATASET_TYPES)
    media_type, lang = choice.media_type, language(request)
    html = media_type == formats.HTML
    if html:
        location = alternates.html_location("/dataset", lang)
    else:
        location = alternates.with_format("/dataset", [], media_type, choice.expanded)
    rep = Representation(
        key=("dataset", media_type, lang if html else "", choice.expanded),
        vary=vary(request, choice.negotiated, html),
        location=location,
        links=alternates.links(alternates.format_alternates("/dataset", DATASET_TYPES, html_langs=True)),
        depends=(rt.ontology_dir,),
    )

    async def make() -> Response:
        examples = await _examples(rt)
        if not html:
            facts = await dataset_facts.facts(rt)
            body = description.dataset_description(rt, facts, examples, media_type)
            if media_type == formats.JSONLD:
                body = await jsonld.compact_answer(body, context_prefixes(rt), choice.expanded)
            return Response(body, media_type=formats.with_charset(media_type))
        viewer = Viewer({}, rt.settings.base, lang)
        dumps = [
            {"name": n, "type": t, "size": (rt.settings.dist / n).stat().st_size}
            for n, t in DUMP_FILES.items()
            if (rt.settings.dist / n).is_file()
        ]
        return render(
            request,
            "dataset.html",
            triples=rt.triples,
            graphs=[
                {"term": viewer.term({"type": "uri", "value": g}), "count": n} for g, n in sorted(rt.graphs.items())
            ],
            examples=[viewer.term({"type": "uri", "value": e}) for e in examples],
            dumps=dumps,
            report=rt.report,
            base=rt.settings.base,
            page_alternates=[
                a
                for a in alternates.format_alternates("/dataset", DATASET_TYPES, html_langs=True)
                if a.media_type != formats.HTML or a.hreflang != lang
            ],
        )

    return await rt.serve(request, rep, make)


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
    others = [
        alternates.Alternate(f"/dumps/{n}", t)
        for n, t in DUMP_FILES.items()
        if t in RDF_DUMP_TYPES and (rt.settings.dist / n).is_file()
    ]
    rep = Representation(
        key=("dump", name),
        store=False,
        file=path,
        keep=False,
        links=alternates.links(others) if DUMP_FILES[name] in RDF_DUMP_TYPES else (),
    )

    async def make() -> Response:
        return FileResponse(path, media_type=formats.with_charset(DUMP_FILES[name]), filename=name)

    return await rt.serve(request, rep, make)


@router.get(
    CONTEXT_PATH,
    summary="The JSON-LD context of the compact JSON-LD answers (the ontology's prefixes)",
    responses={200: {"content": {formats.JSONLD: {}}}},
)
async def context(request: Request) -> Response:
    rt = runtime(request)
    rep = Representation(key=("context",), store=False, depends=(rt.ontology_dir,))

    async def make() -> Response:
        document = jsonld.context_document(context_prefixes(rt))
        body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        return Response(body.encode("utf-8"), media_type=formats.with_charset(formats.JSONLD))

    return await rt.serve(request, rep, make)


def ontology_representation(request: Request, rt: Runtime, location: str, by_accept: bool) -> Representation:
    lang = language(request)
    return Representation(
        key=("ontology", lang),
        vary=vary(request, by_accept, True),
        location=location,
        links=alternates.links(alternates.resource_alternates("def", "index")),
        store=False,
        depends=(rt.ontology_dir,),
    )


async def ontology_page(request: Request, rep: Representation) -> Response:
    rt = runtime(request)

    async def make() -> Response:
        doc = ontology_doc.ontology_document(rt.settings.ontology_dir)
        lang = language(request)
        viewer = Viewer({i: l for i, l in doc["labels"].items()}, rt.settings.base, lang)
        return render(
            request,
            "ontology.html",
            doc=doc,
            viewer=viewer,
            href=lambda i: local_href(i, rt.settings.base),
            page_alternates=[
                a
                for a in alternates.resource_alternates("def", "index")
                if a.media_type != formats.HTML or a.hreflang != lang
            ],
        )

    return await rt.serve(request, rep, make)


@router.get("/sources/{name}", summary="The text of a source document (text/plain), whose lines the spans count")
async def source_text(name: str, request: Request) -> Response:
    """Only the texts the build recorded (``texts`` of build-report.json, copied into dist/sources/;
    a build without the record: the seed texts), by their exact name: the RFC 5147 selectors of
    the graph's spans (``line=S,E``) resolve against these texts."""
    rt = runtime(request)
    path = rt.texts.get(name)
    if path is None or not path.is_file():
        return errors.problem(404, f"No source text {name!r}; the sources are: " + ", ".join(sorted(rt.texts)))
    rep = Representation(key=("source", name), store=False, file=path, keep=False)

    async def make() -> Response:
        return FileResponse(path, media_type="text/plain; charset=utf-8")

    return await rt.serve(request, rep, make)


@router.get("/ontology", response_class=HTMLResponse, summary="Documentation of the fukushi-kg ontology (ja, en)")
async def ontology(request: Request) -> Response:
    rt = runtime(request)
    location = f"/ontology?lang={language(request)}"
    return await ontology_page(request, ontology_representation(request, rt, location, False))
