"""Content negotiation: pick one of the offered media types for an Accept header (RFC 9110 §12.5.1)."""

from __future__ import annotations


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
