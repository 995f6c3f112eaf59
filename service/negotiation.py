"""Content negotiation: pick one of the offered media types for an Accept header (RFC 9110 §12.5.1)."""

from __future__ import annotations

from dataclasses import dataclass

from fukushi_kg.service import formats
from fukushi_kg.service.jsonld import wants_expanded


def _parse(accept: str) -> list[tuple[str, str, float, int]]:
    """(type, subtype, q, position) for each range in an Accept header; malformed ranges are skipped."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        kind, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub, max(0.0, min(q, 1.0)), position))
    return ranges


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers, or None when nothing offered is acceptable.

    ``offers`` is in server preference order; a missing or empty Accept takes the first offer.
    The most specific matching range gives an offer its q (``text/turtle`` beats ``text/*`` beats
    ``*/*``); q=0 excludes. Ties keep the server's order.
    """
    if not offers:
        return None
    if accept is None or not accept.strip():
        return offers[0]
    ranges = _parse(accept)
    best: tuple[float, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        kind, _, sub = offer.lower().partition("/")
        quality = None
        specificity = -1
        for r_kind, r_sub, q, _ in ranges:
            if r_kind == kind and r_sub == sub:
                spec = 2
            elif r_kind == kind and r_sub == "*":
                spec = 1
            elif r_kind == "*" and r_sub == "*":
                spec = 0
            else:
                continue
            if spec > specificity:
                specificity, quality = spec, q
        if quality is None or quality <= 0:
            continue
        key = (quality, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def parameters(accept: str | None, media_type: str) -> str:
    """The parameters (``q`` and what follows it aside) of the Accept range naming ``media_type``
    exactly, as written (``profile="…"``); empty when no range names it. Used for JSON-LD profiles."""
    for part in (accept or "").split(","):
        media, _, params = part.partition(";")
        if media.strip().lower() != media_type:
            continue
        kept = []
        for param in params.split(";"):
            if param.strip().lower().startswith("q="):
                break  # accept-ext parameters after q are not media type parameters
            kept.append(param)
        return ";".join(kept)
    return ""


@dataclass(frozen=True)
class Choice:
    """The representation a request asks for: ``media_type`` (None: nothing offered is acceptable),
    ``expanded`` (JSON-LD in expanded form), ``negotiated`` (picked by Accept, so the answer varies with it)."""

    media_type: str | None
    expanded: bool = False
    negotiated: bool = True


def choose(accept: str | None, format_param: str | None, offers: list[str], graph: bool = True) -> Choice:
    """A ``format`` parameter (a short name, a media type or ``jsonld-expanded``) wins over Accept;
    in Accept, ``application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"`` asks for
    expanded JSON-LD. Aliases map to our canonical types (``application/json`` is JSON-LD for graphs)."""
    if format_param:
        if format_param.strip().lower() == "jsonld-expanded":
            return Choice(formats.JSONLD if formats.JSONLD in offers else None, True, False)
        return Choice(formats.pick([format_param], offers, graph), False, False)
    chosen = negotiate(accept, offers)
    if chosen is None:
        return Choice(None)
    media_type = formats.canonical(chosen, graph)
    expanded = media_type == formats.JSONLD and wants_expanded(parameters(accept, formats.JSONLD))
    return Choice(media_type, expanded, True)
