"""The URLs of a resource's representations: ``Content-Location``, ``Link: rel="alternate"`` and ``<link>``.

One scheme, and every URL it writes resolves to that representation and nothing else:

- a dereferenceable IRI's representations are its path with a file extension (``/id/plan/x.ttl``,
  ``.jsonld``, ``.nt``, ``.rdf``, ``.trig``; ``.html`` with ``?lang=ja|en``), and expanded JSON-LD
  is ``?format=jsonld-expanded``; ``/def/`` (the ontology document) is ``/def/index.…``;
- any other negotiated route (``/dataset``, ``/sparql``, ``/store``, ``/api/queries/…``) adds
  ``format=`` (``ttl``, ``jsonld``, ``jsonld-expanded``, ``nt``, ``rdf``, ``json``, ``csv``…) to its URL,
  and its HTML is ``?format=html&lang=ja|en``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from fukushi_kg.service import formats

EXPANDED = "jsonld-expanded"  # the format= value of expanded JSON-LD
LANGUAGES = ("ja", "en")
RESOURCE_EXTENSIONS = {
    formats.HTML: ".html",
    formats.TURTLE: ".ttl",
    formats.JSONLD: ".jsonld",
    formats.NTRIPLES: ".nt",
    formats.RDFXML: ".rdf",
    formats.TRIG: ".trig",
}
RDF_LISTED = [formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML]
FORMAT_NAMES = {
    formats.HTML: "html",
    formats.TURTLE: "ttl",
    formats.JSONLD: "jsonld",
    formats.NTRIPLES: "nt",
    formats.RDFXML: "rdf",
    formats.TRIG: "trig",
    formats.NQUADS: "nq",
    formats.SPARQL_JSON: "json",
    formats.SPARQL_XML: "xml",
    formats.CSV: "csv",
    formats.TSV: "tsv",
    "application/json": "json",
}
PATH_SAFE = "/:@!$&'()*+,;=-._~"  # what stays as is in a path segment (a decoded path's % is written %25)


@dataclass(frozen=True)
class Alternate:
    href: str
    media_type: str
    hreflang: str | None = None

    @property
    def label(self) -> str:
        ext = RESOURCE_EXTENSIONS.get(self.media_type)
        if self.media_type == formats.HTML:
            return f"HTML ({self.hreflang})" if self.hreflang else "HTML"
        return ext or FORMAT_NAMES.get(self.media_type, self.media_type)

    def link(self) -> str:
        """The value of one ``Link`` header entry."""
        lang = f'; hreflang="{self.hreflang}"' if self.hreflang else ""
        return f'<{self.href}>; rel="alternate"; type="{self.media_type}"{lang}'


def resource_path(area: str, path: str) -> str:
    """``/{area}/{path}`` for a decoded path; the ontology document (``/def/``) is ``/def/index``."""
    if area == "def" and path in ("", "index"):
        path = "index"
    return f"/{area}/{quote(path, safe=PATH_SAFE)}"


def resource_location(area: str, path: str, media_type: str, lang: str, expanded: bool = False) -> str:
    """The URL of exactly this representation of ``{base}{area}/{path}``."""
    base = resource_path(area, path)
    if expanded:
        return f"{base}?format={EXPANDED}"
    if media_type == formats.HTML:
        return f"{base}.html?lang={lang}"
    return base + RESOURCE_EXTENSIONS[media_type]


def resource_alternates(area: str, path: str, graph: bool = False) -> list[Alternate]:
    """Every representation of a dereferenceable IRI: HTML in each language, then the RDF formats."""
    out = [Alternate(resource_location(area, path, formats.HTML, lang), formats.HTML, lang) for lang in LANGUAGES]
    listed = RDF_LISTED + ([formats.TRIG] if graph else [])
    return out + [Alternate(resource_location(area, path, t, ""), t) for t in listed]


def with_format(path: str, params: list[tuple[str, str]], media_type: str, expanded: bool = False) -> str:
    """``path`` with its query ``params`` (any ``format`` replaced) naming ``media_type`` by ``format=``."""
    kept = [(k, v) for k, v in params if k != "format"]
    kept.append(("format", EXPANDED if expanded else FORMAT_NAMES[media_type]))
    return f"{path}?{urlencode(kept)}"


def format_alternates(path: str, media_types: list[str], html_langs: bool = False) -> list[Alternate]:
    """The representations of a route negotiated by ``format=`` (HTML by ``lang=`` when it has one)."""
    out = []
    for media_type in media_types:
        if media_type == formats.HTML:
            if html_langs:
                out += [Alternate(html_location(path, lang), formats.HTML, lang) for lang in LANGUAGES]
            continue
        out.append(Alternate(with_format(path, [], media_type), media_type))
    return out


def html_location(path: str, lang: str) -> str:
    """The HTML page of a route in one language, whatever the request's Accept says."""
    return f"{path}?format=html&lang={lang}"


def links(alternates: list[Alternate]) -> tuple[str, ...]:
    return tuple(a.link() for a in alternates)
