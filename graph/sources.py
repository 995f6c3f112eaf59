"""The source manifest: which documents exist, where their text is, what they are."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.text import read_lines

SOURCES = resources.SOURCES


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    title: str
    title_en: str
    city: str | None
    prefecture: str | None
    publisher: str
    date: str
    kind: str
    layout: str
    date_note: str = ""
    # publication metadata (see graph/source_meta.py): organisations.toml keys of the publishers
    # ("city-or-body" or "city-or-body/division-slug"), the original URL where known (None: unknown),
    # how the PDF was obtained, the licence IRI where one is known, the publisher's terms as far as
    # they are known (en, ja), and the attribution statement to print when reusing the text
    publishers: tuple[str, ...] = ()
    url: str | None = None
    retrieval_note: str = ""
    licence: str | None = None
    terms: str = ""
    terms_ja: str = ""
    attribution: str = ""

    @property
    def path(self) -> Path:
        return SOURCES / self.file

    @property
    def rel_path(self) -> str:
        return f"data/sources/{self.file}"

    def lines(self) -> list[str]:
        return _lines(self.path)


@cache
def _lines(path: Path) -> list[str]:
    return read_lines(path)


@lru_cache(maxsize=1)
def documents() -> tuple[Document, ...]:
    data = json.loads((SOURCES / "manifest.json").read_text(encoding="utf-8"))
    return tuple(Document(**{**d, "publishers": tuple(d.get("publishers", ()))}) for d in data["documents"])


def document(doc_id: str) -> Document:
    for d in documents():
        if d.id == doc_id or d.file.startswith(doc_id):
            return d
    raise KeyError(f"no source document {doc_id!r} in data/sources/manifest.json")
