"""The named queries (queries/<name>.rq) as the service sees them: graph.queries is the one reader."""

from __future__ import annotations

from pathlib import Path

from fukushi_kg.graph.queries import NAME, NamedQuery, QueryError, list_queries  # noqa: F401  (re-exported for the routes)


def find_query(name: str, directory: Path | None = None) -> NamedQuery | None:
    """The named query called ``name``, or None (the routes answer 404)."""
    if not NAME.match(name):
        return None
    return next((q for q in list_queries(directory) if q.name == name), None)
