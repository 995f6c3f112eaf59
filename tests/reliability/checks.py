"""What "nothing lost" is checked against: a digest of every quad, from a store directory or a live server."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx
import pyoxigraph as ox

_BNODE = re.compile(r"_:[A-Za-z0-9]+")


def _digest(lines) -> tuple[int, str]:
    """Count and hash of the sorted lines; blank node labels (which a parser renames) are blanked."""
    ordered = sorted(_BNODE.sub("_:", line) for line in lines if line.strip())
    h = hashlib.sha256()
    for line in ordered:
        h.update(line.encode())
        h.update(b"\n")
    return len(ordered), h.hexdigest()[:16]


def store_digest(store_path: Path) -> tuple[int, str]:
    """(quads, digest) of the store at ``store_path``, opened read-only."""
    store = ox.Store.read_only(str(store_path))
    try:
        return _digest(str(q) + " ." for q in store.quads_for_pattern(None, None, None))
    finally:
        del store


def served_digest(url: str) -> tuple[int, str]:
    """(quads, digest) of the whole dataset as the server gives it (Graph Store GET, N-Quads)."""
    response = httpx.get(url + "/store", headers={"Accept": "application/n-quads"}, timeout=120)
    response.raise_for_status()
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.N_QUADS)
    return _digest(str(q) + " ." for q in store.quads_for_pattern(None, None, None))
