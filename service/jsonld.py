"""JSON-LD in compact form: the published context, compaction of the store's expanded JSON-LD, HTML embedding.

The context (served at ``/context.jsonld``) maps the prefixes the ontology files declare
(``@prefix fk: <…>`` in ``ontology/*.ttl``) and the usual vocabularies; nothing else, so it is
small enough to travel inside every document, which is how compact answers carry it: any JSON-LD
processor (Oxigraph's and rdflib's included, which never fetch a remote context) reads them as
they are. Its ``@id`` values and property names become compact IRIs (``fk:Program``), plain
strings lose their ``@value`` wrapper, one-element arrays their brackets, ``rdf:type`` becomes
``@type``; the triples are those of the expanded form (the tests compare them with Turtle).
"""

from __future__ import annotations

import asyncio

from fukushi_kg.graph.jsonld import (  # noqa: F401 - the service's names for the shared compactor
    COMMON,
    RDF_TYPE,
    Compactor,
    NotCompactable,
    compact,
    context_document,
    prefixes,
)

LARGE = 256 << 10  # bytes of JSON-LD compacted in a thread rather than on the event loop
EXPANDED_PROFILE = "http://www.w3.org/ns/json-ld#expanded"


async def compact_answer(body: bytes, prefix_map: dict[str, str], expanded: bool = False) -> bytes:
    """The store's JSON-LD ``body`` in compact form (as it is when ``expanded`` is asked for, or when one
    of its IRIs cannot be written compactly); a large document is compacted off the event loop."""
    if expanded or not body.strip():
        return body
    try:
        if len(body) > LARGE:
            return await asyncio.to_thread(compact, body, prefix_map)
        return compact(body, prefix_map)
    except ValueError:  # NotCompactable, or a document cut at the byte cap (not JSON): sent as it is
        return body


def script_text(body: bytes) -> str:
    """JSON for a ``<script type="application/ld+json">`` element: ``<``, ``>`` and ``&`` as ``\\u`` escapes,
    so neither ``</script>`` nor ``<!--`` can occur in it (they stand only inside JSON strings)."""
    text = body.decode("utf-8")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def wants_expanded(media_range_params: str | None) -> bool:
    """True when an Accept range's parameters ask for the expanded profile."""
    if not media_range_params:
        return False
    for param in media_range_params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "profile" and EXPANDED_PROFILE in value.strip().strip('"').split():
            return True
    return False
