"""The named queries (queries/<name>.rq), from graph.queries when the build provides it.

Fallback parser for the header contract: leading ``# title:``, ``# description:``, ``# columns: a, b``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    columns: list[str]
    text: str


def parse_query_file(path: Path) -> NamedQuery:
    """Read one .rq file and its comment header."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").partition(":")
        if sep and key.strip().lower() in ("title", "description", "columns"):
            header[key.strip().lower()] = value.strip()
    columns = [c.strip() for c in header.get("columns", "").split(",") if c.strip()]
    return NamedQuery(path.stem, header.get("title", path.stem), header.get("description", ""), columns, text)


def list_queries(directory: Path | None = None) -> list:
    """Every named query, sorted by name; graph.queries.list_queries when it exists."""
    try:
        from graph.queries import list_queries as build_list  # the build's own reader, once it lands
    except ImportError:
        build_list = None
    if build_list is not None:
        return list(build_list(directory) if directory is not None else build_list())
    directory = directory or ROOT / "queries"
    if not directory.is_dir():
        return []
    return [parse_query_file(p) for p in sorted(directory.glob("*.rq"))]


def find_query(name: str, directory: Path | None = None):
    if not NAME.match(name):
        return None
    return next((q for q in list_queries(directory) if q.name == name), None)
