"""Every minted IRI dereferences: ``/id/…``, ``/def/…``, ``/eli/…`` and ``/graph/…`` serve ``{base}`` + path.

HTML for browsers (with the resource's JSON-LD embedded), Turtle / JSON-LD (compact; expanded by
``?format=jsonld-expanded`` or the expanded profile in Accept) / N-Triples / RDF/XML (TriG for
graphs) by Accept, ``format`` or a file extension (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``,
``.trig``, ``.html``). Unknown IRIs are 404 with a page that says what to try. ``/def/`` itself is
the ontology document (its HTML is the ``/ontology`` page, its RDF the ontology graph).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from fukushi_kg.service import alternates, errors, formats, jsonld
from fukushi_kg.service.caching import Representation
from fukushi_kg.service.describe import valid_iri
from fukushi_kg.service.negotiation import Choice, choose
from fukushi_kg.service.pages import (
    context_prefixes,
    dataset_document,
    language,
    ontology_page,
    ontology_representation,
    prefixes,
    render,
    vary,
)
from fukushi_kg.service.profiles import page_view
from fukushi_kg.service.runtime import Runtime, runtime
from fukushi_kg.service.sparql import run_job
from fukushi_kg.service.view import resource_view

router = APIRouter(tags=["Linked data"])
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
EMBED_MAX = 256 << 10  # bytes of compact JSON-LD embedded in a page at most (a whole named graph is not)
DESCRIBE_ROWS = 100_000


def _split_extension(path: str) -> tuple[str, str | None]:
    for ext, media_type in formats.EXTENSIONS.items():
        if path.endswith(ext):
            return path[: -len(ext)], media_type
    return path, None


def _describe_job(rt: Runtime, iri: str, media_type: str) -> dict:
    return {
        "op": "query",
        "query": f"DESCRIBE <{iri}>",
        "media_type": media_type,
        "row_cap": DESCRIBE_ROWS,
        "prefixes": prefixes(rt),
    }


async def dereference(request: Request, area: str, path: str) -> Response:
    """Serve ``{base}{area}/{path}`` as HTML or RDF."""
    rt = runtime(request)
    path, by_extension = _split_extension(path)
    if by_extension:
        choice = Choice(by_extension, False, False)
    else:
        choice = choose(request.headers.get("accept"), request.query_params.get("format"), RESOURCE_TYPES)
    lang = language(request)
    if area == "id" and path in ("dataset", "catalog"):  # the dataset and its catalogue: /dataset
        return await dataset_document(request, choice)
    index = area == "def" and path in ("", "index")
    if index and choice.media_type == formats.HTML:
        location = alternates.resource_location("def", "index", formats.HTML, lang)
        return await ontology_page(request, ontology_representation(request, rt, location, choice.negotiated))
    iri = f"{rt.settings.base}{area}/{'' if index else path}"
    if not valid_iri(iri):
        return render(request, "not_found.html", status=404, iri=iri, area=area)
    media_type = choice.media_type
    if media_type is None:
        return errors.not_acceptable(RESOURCE_TYPES)
    html = media_type == formats.HTML
    if index and rt.settings.base + "graph/ontology" in rt.graphs:
        iri = rt.settings.base + "graph/ontology"  # the ontology document is the ontology graph
    every = alternates.resource_alternates(area, path, graph=iri in rt.graphs)
    rep = Representation(
        key=("resource", alternates.resource_path(area, path), media_type, lang if html else "", choice.expanded),
        vary=vary(request, choice.negotiated, html),
        location=alternates.resource_location(area, path, media_type, lang, choice.expanded),
        links=alternates.links(every),
        depends=(rt.ontology_dir,),  # the JSON-LD context
    )

    async def make_html() -> Response:
        answer, embedded = await asyncio.gather(
            run_job(rt, {"op": "describe", "iri": iri, "labels_lang": lang}),
            run_job(rt, _describe_job(rt, iri, formats.JSONLD)),
        )
        if isinstance(answer, Response):
            return answer
        if not answer["ok"]:
            return errors.problem(answer.get("status", 500), answer.get("error", "failed"))
        data = answer["resource"]
        if not data["found"]:
            return render(request, "not_found.html", status=404, iri=iri, area=area)
        return render(
            request,
            "resource.html",
            r=resource_view(data, rt.settings.base, lang),
            pg=page_view(data, rt.settings.base, lang, rt.texts),
            alternates=every,
            page_alternates=[a for a in every if a.media_type != formats.HTML or a.hreflang != lang],
            jsonld=await _embedded(rt, embedded),
        )

    async def make_rdf() -> Response:
        if iri in rt.graphs:
            job = {"op": "graph_get", "graph": iri, "media_type": media_type, "prefixes": prefixes(rt)}
        else:
            job = _describe_job(rt, iri, media_type)
        answer = await run_job(rt, job)
        if isinstance(answer, Response):
            return answer
        if not answer["ok"]:
            return errors.problem(answer.get("status", 500), answer.get("error", "failed"))
        if not answer["body"].strip() or answer.get("count") == 0:
            return errors.problem(404, f"No resource <{iri}> in this dataset.")
        body = answer["body"]
        if media_type == formats.JSONLD:
            body = await jsonld.compact_answer(body, context_prefixes(rt), choice.expanded)
        return Response(body, media_type=formats.with_charset(media_type))

    return await rt.serve(request, rep, make_html if html else make_rdf)


async def _embedded(rt: Runtime, answer) -> Markup | None:
    """The compact JSON-LD of a DESCRIBE answer as the text of a ``<script type="application/ld+json">``."""
    if isinstance(answer, Response) or not answer.get("ok") or not answer["body"].strip():
        return None
    body = await jsonld.compact_answer(answer["body"], context_prefixes(rt))
    if len(body) > EMBED_MAX:
        return None
    return Markup(jsonld.script_text(body))  # noqa: S704 - escaped for a script element by script_text


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
