"""The SPARQL behind the explore pages (home, facets, search, dashboards): ``service/queries/explore/*.rq``.

Each file starts with ``# title:`` and ``# description:`` comments, like the named queries. A page
runs the file's text with its placeholders (``$plan``, ``$document``) replaced by an IRI, and shows
that very text with a link that opens it on the query page (:func:`permalink`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import Response

from fukushi_kg.service.describe import valid_iri
from fukushi_kg.service.runtime import Runtime

DIRECTORY = Path(__file__).parent / "queries" / "explore"
ROW_CAP = 100_000
_HEADER = re.compile(r"^#\s*(title|description):\s*(.*)$", re.MULTILINE)
_PLACEHOLDER = re.compile(r"\$(plan|document)\b")


class QueryFailed(Exception):
    """A page query did not answer (timeout, lost worker, error): the page answers with ``response``."""

    def __init__(self, response: Response | None, message: str = ""):
        super().__init__(message)
        self.response = response


@dataclass(frozen=True)
class PageQuery:
    name: str
    title: str
    description: str
    text: str

    @property
    def href(self) -> str:
        return permalink(self.text)


@cache
def _source(name: str) -> str:
    return (DIRECTORY / f"{name}.rq").read_text(encoding="utf-8")


def load(name: str, **iris: str) -> PageQuery:
    """The query ``name`` with ``$plan`` / ``$document`` replaced by ``<iri>`` (checked IRIs only)."""
    text = _source(name)
    for iri in iris.values():
        if not valid_iri(iri):
            raise ValueError(f"not an IRI: {iri!r}")
    text = _PLACEHOLDER.sub(lambda m: f"<{iris[m.group(1)]}>", text)
    header = dict(_HEADER.findall(text))
    return PageQuery(name, header.get("title", name), header.get("description", ""), text)


def permalink(text: str) -> str:
    """The query page with this query in its editor."""
    return "/query?query=" + quote(text, safe="")


async def rows(rt: Runtime, query: PageQuery | str) -> list[dict]:
    """The rows of a SELECT as ``{var: {"type", "value", ...}}``; raises QueryFailed."""
    from fukushi_kg.service.sparql import run_job  # sparql imports pages' neighbours; keep imports one way

    text = query.text if isinstance(query, PageQuery) else query
    answer = await run_job(rt, {"op": "rows", "query": text, "row_cap": ROW_CAP})
    if isinstance(answer, Response):
        raise QueryFailed(answer)
    if not answer.get("ok"):
        raise QueryFailed(None, str(answer.get("error", "the query failed")))
    return answer["rows"]


def value(row: dict, key: str, default: str = "") -> str:
    cell = row.get(key)
    return cell["value"] if cell else default


def number(row: dict, key: str) -> float | None:
    try:
        return float(row[key]["value"])
    except (KeyError, ValueError):
        return None
