"""Pages for people exploring the data: search, programs by facet (with CSV), plan dashboards.

Every page runs the queries of ``queries/explore/`` and shows them with a link to the query page;
every answer goes through ``Runtime.serve`` (validators, 304, the page cache).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from fukushi_kg.service import charts, dashboards, errors, facets, home_data, i18n, search
from fukushi_kg.service.caching import Representation
from fukushi_kg.service.explore_queries import QueryFailed, load, rows
from fukushi_kg.service.i18n import N_
from fukushi_kg.service.pages import language, render, vary
from fukushi_kg.service.runtime import Runtime, runtime
from fukushi_kg.service.view import local_href

router = APIRouter(tags=["Explore"])
MAX_QUERY_CHARS = 200
_indexes: dict[tuple, search.Index] = {}


def _failed(error: QueryFailed) -> Response:
    return error.response or errors.problem(500, f"A page query failed: {error}")


async def _index(rt: Runtime) -> search.Index:
    """The search index of this build (read again after a write or a new build)."""
    identity = rt.cache.identity
    key = (identity.digest if identity else None, rt.cache.writes)
    if identity is not None and key in _indexes:
        return _indexes[key]
    index = search.Index(await rows(rt, load("search-texts")))
    _indexes.clear()
    if identity is not None:
        _indexes[key] = index
    return index


@router.get("/search", response_class=HTMLResponse, summary="Search names, summaries and narratives (NFKC)")
async def search_page(request: Request) -> Response:
    rt = runtime(request)
    lang = language(request)
    q = request.query_params.get("q", "").strip()
    if len(q) > MAX_QUERY_CHARS:
        return errors.problem(400, f"The search is {len(q)} characters long; at most {MAX_QUERY_CHARS}.")
    rep = Representation(
        key=("search", " ".join(search.words(q)), lang),
        vary=vary(request, False, True),
        location="/search?" + urlencode([("q", q), ("lang", lang)]),
    )

    async def make() -> Response:
        try:
            index = await _index(rt)
        except QueryFailed as error:
            return _failed(error)
        hits, total = index.search(q) if q else ([], 0)
        suffix = urlencode([("hl", q), ("lang", lang)])
        results = [
            {
                "hit": h,
                "href": (local_href(h.resource, rt.settings.base) or h.resource) + "?" + suffix,
                "kind": i18n.gettext(lang, search_kind(h.kind)),
                "field": i18n.gettext(lang, search_field(h.field)),
            }
            for h in hits
        ]
        return render(request, "search.html", q=q, results=results, total=total, query=load("search-texts"))

    return await rt.serve(request, rep, make)


def search_kind(kind: str) -> str:
    return {
        "program": N_("Program"),
        "listing": N_("Plan listing"),
        "result": N_("Results-report entry"),
        "initiative": N_("City initiative"),
        "plan": N_("Plan"),
        "component": N_("Plan component"),
        "indicator": N_("Indicator"),
    }.get(kind, kind)


def search_field(field: str) -> str:
    return {
        "name": N_("name"),
        "summary": N_("summary"),
        "actions": N_("actions taken"),
        "direction": N_("future direction"),
        "reason": N_("reason for the evaluation"),
        "outcomes": N_("outcomes"),
    }.get(field, field)


FACET_TITLES = {
    "plan": N_("Plan"),
    "group": N_("Target group"),
    "division": N_("Division"),
    "grade": N_("Self-evaluation"),
    "actor": N_("Lead actor"),
    "sdg": N_("SDG goal"),
}


async def _programs(request: Request, csv: bool) -> Response:
    rt = runtime(request)
    lang = language(request)
    try:
        selection = facets.chosen(request.query_params)
    except facets.BadFacet as error:
        return errors.problem(400, f"Bad facet: {error}.")
    query = facets.query(selection)
    key = tuple((k, tuple(v)) for k, v in sorted(selection.items()))
    path = "/programs.csv" if csv else "/programs"
    rep = Representation(
        key=("programs", csv, key, lang),
        vary=vary(request, False, not csv),
        location=facets.href(selection, lang, path),
    )

    async def make() -> Response:
        try:
            found = facets.programs(await rows(rt, query))
        except QueryFailed as error:
            return _failed(error)
        if csv:
            # no Content-Disposition: a cached copy keeps only the fukushi- headers; the page's
            # link names the file (download="programs.csv")
            return Response(facets.to_csv(found, lang).encode("utf-8"), media_type="text/csv; charset=utf-8")
        counts = facets.counts(found, selection, lang)
        chosen_values = [(k, c) for k in facets.FACETS for c in counts[k] if c.selected]
        return render(
            request,
            "programs.html",
            programs=found,
            counts=counts,
            chosen=chosen_values,
            facet_names=facets.FACETS,
            facet_titles=FACET_TITLES,
            csv_href=facets.href(selection, lang, "/programs.csv"),
            clear_href=f"/programs?lang={lang}",
            query=query,
            href=lambda iri: local_href(iri, rt.settings.base),
        )

    return await rt.serve(request, rep, make)


@router.get("/programs", response_class=HTMLResponse, summary="Programs filtered by plan, target group, division…")
async def programs_page(request: Request) -> Response:
    return await _programs(request, csv=False)


@router.get("/programs.csv", summary="The programs the facet page shows, as CSV")
async def programs_csv(request: Request) -> Response:
    return await _programs(request, csv=True)


@router.get("/dashboards", response_class=HTMLResponse, summary="Dashboards of the plans and results reports")
async def dashboards_index(request: Request) -> Response:
    rt = runtime(request)
    lang = language(request)
    rep = Representation(key=("dashboards", lang), vary=vary(request, False, True), location=f"/dashboards?lang={lang}")

    async def make() -> Response:
        try:
            found = await home_data.sections(rt, lang)
        except QueryFailed as error:
            return _failed(error)
        return render(request, "dashboards.html", sections=found)

    return await rt.serve(request, rep, make)


@router.get("/dashboards/{key}", response_class=HTMLResponse, summary="Dashboard of one plan or results report")
async def dashboard(key: str, request: Request) -> Response:
    rt = runtime(request)
    lang = language(request)
    rep = Representation(
        key=("dashboard", key, lang), vary=vary(request, False, True), location=f"/dashboards/{key}?lang={lang}"
    )
    base = rt.settings.base

    def tr(message: str) -> str:
        return i18n.gettext(lang, message)

    async def make() -> Response:
        try:
            found = await home_data.sections(rt, lang)
            plan = next(
                (i for i in found["plans"].items if i.facts["dashboard"].split("?")[0] == f"/dashboards/{key}"), None
            )
            doc = next(
                (
                    i
                    for i in found["documents"].items
                    if (i.facts["dashboard"] or "").split("?")[0] == f"/dashboards/{key}"
                ),
                None,
            )
            if plan is None and doc is None:
                return errors.problem(404, f"No plan or results report {key!r} has a dashboard; see /dashboards.")
            context: dict = {"subject": plan or doc, "is_plan": plan is not None}
            if plan is not None:
                iri = f"{base}id/plan/{key}"
                q_ind = load("dashboard-indicators", plan=iri)
                tracks = dashboards.tracks(await rows(rt, q_ind))
                labels = {"baseline": tr("baseline"), "actual": tr("actual"), "target": tr("target"), "none": "—"}
                context["indicators"] = [
                    {
                        "track": t,
                        "svg": charts.indicator_chart(
                            t.actuals,
                            t.baseline,
                            t.target,
                            t.unit,
                            t.title,
                            tr("Baseline, actuals and target by year"),
                            labels,
                            reference=t.reference,
                        ),
                        "href": local_href(t.indicator, base),
                    }
                    for t in tracks
                ]
                context["q_indicators"] = q_ind
                q_grades = load("dashboard-grades", plan=iri)
                grade_rows = dashboards.grade_rows(await rows(rt, q_grades), lambda i: local_href(i, base))
                context["grades"] = grade_rows
                context["grades_svg"] = (
                    charts.stacked_bars(
                        grade_rows,
                        dashboards.GRADES,
                        tr("Self-evaluation grades per measure"),
                        tr("Listings per grade A–D under each measure"),
                    )
                    if grade_rows
                    else None
                )
                context["grade_names"] = dashboards.GRADES
                context["q_grades"] = q_grades
            else:
                iri = f"{base}id/document/{key}"
                q_spend = load("dashboard-spending", document=iri)
                spend_rows = await rows(rt, q_spend)
                bars = dashboards.spending_bars(spend_rows, None)
                context["spending"] = bars
                context["spending_total"] = sum(b.value for b in bars)
                context["spending_svg"] = (
                    charts.bar_chart(
                        bars,
                        tr("Spending per division (thousand yen)"),
                        tr("Sum of the amounts reported under each division"),
                    )
                    if bars
                    else None
                )
                context["q_spending"] = q_spend
        except QueryFailed as error:
            return _failed(error)
        return render(request, "dashboard.html", **context)

    return await rt.serve(request, rep, make)
