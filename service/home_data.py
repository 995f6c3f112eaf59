"""What the home page shows besides the named queries: plans, documents and the ways in
(target groups, divisions, SDG goals, laws), each section with the query it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from fukushi_kg.service.explore_queries import PageQuery, load, number, rows, value
from fukushi_kg.service.runtime import Runtime
from fukushi_kg.service.view import local_href


@dataclass
class Item:
    label: str
    href: str | None
    other: str = ""  # the label in the other language, when there is one
    facts: dict = field(default_factory=dict)


@dataclass
class Section:
    key: str
    query: PageQuery
    items: list[Item]


def pick(row: dict, stem: str, lang: str) -> tuple[str, str]:
    """(label in ``lang``, label in the other language) from ``{stem}_ja`` / ``{stem}_en``."""
    ja, en = value(row, f"{stem}_ja"), value(row, f"{stem}_en")
    return (en or ja, ja if en else "") if lang == "en" else (ja or en, en if ja else "")


def facet_href(facet: str, iri: str, lang: str) -> str:
    return "/programs?" + urlencode([(facet, iri), ("lang", lang)])


def key_of(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


async def sections(rt: Runtime, lang: str) -> dict[str, Section]:
    base = rt.settings.base
    out: dict[str, Section] = {}

    q = load("plans")
    items = []
    for r in await rows(rt, q):
        label, other = pick(r, "title", lang)
        plan = value(r, "plan")
        start, end = value(r, "start")[:4], value(r, "end")[:4]
        items.append(
            Item(
                label,
                local_href(plan, base),
                other,
                {
                    "city": value(r, "city_label"),
                    "period": f"{start}–{end}" if start or end else "",
                    "document": local_href(value(r, "document"), base),
                    "listings": int(number(r, "listings") or 0),
                    "programs": int(number(r, "programs") or 0),
                    "indicators": int(number(r, "indicators") or 0),
                    "dashboard": f"/dashboards/{key_of(plan)}?lang={lang}",
                    "facet": facet_href("plan", plan, lang),
                },
            )
        )
    out["plans"] = Section("plans", q, items)

    q = load("documents")
    items = []
    for r in await rows(rt, q):
        label, other = pick(r, "title", lang)
        doc = value(r, "document")
        kind = value(r, "kind")
        items.append(
            Item(
                label,
                local_href(doc, base),
                other,
                {
                    "kind": kind,
                    "issued": value(r, "issued"),
                    "stated": int(number(r, "stated") or 0),
                    "dashboard": f"/dashboards/{key_of(doc)}?lang={lang}" if kind == "program-results-report" else None,
                },
            )
        )
    out["documents"] = Section("documents", q, items)

    for key, name, stem, facet, count in (
        ("groups", "target-groups", "group", "group", "programs"),
        ("divisions", "divisions", "division", "division", "programs"),
        ("sdg", "sdg-goals", "goal", "sdg", "programs"),
    ):
        q = load(name)
        items = []
        for r in await rows(rt, q):
            label, other = pick(r, "label", lang)
            iri = value(r, stem)
            code = value(r, "notation")
            items.append(
                Item(
                    f"{code} {label}".strip() if code else label or iri,
                    facet_href(facet, iri, lang),
                    other,
                    {"count": int(number(r, count) or 0)},
                )
            )
        out[key] = Section(key, q, items)

    q = load("laws")
    items = []
    for r in await rows(rt, q):
        label, other = pick(r, "label", lang)
        items.append(
            Item(
                label or value(r, "act"),
                local_href(value(r, "act"), base),
                other,
                {"count": int(number(r, "citations") or 0), "basis": int(number(r, "basis_of") or 0)},
            )
        )
    out["laws"] = Section("laws", q, items)
    return out
