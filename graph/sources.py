"""The source manifest: which documents exist, where their text is, what they are.

The seed sources ship with the package (``data/sources/``); ``fukushi-kg build --sources DIR``
reads a folder of one's own laid out the same way: ``DIR/manifest.json`` naming each document and
the text files next to it. ``fk:textFile`` records each text as the folder was named plus the file
(``data/sources/000_….txt`` for the seeds), which is where ``fukushi-kg lint`` looks for it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.text import read_lines

SOURCES = resources.SOURCES
SEED_FOLDER_NAME = "data/sources"  # the seeds' fk:textFile prefix: relative to the package (a checkout's root)


class SourcesError(ValueError):
    """A sources folder or its manifest that cannot be read; the message names the file and the fix."""


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
    folder: Path = SOURCES  # where manifest.json and the text are
    folder_name: str = SEED_FOLDER_NAME  # the folder as fk:textFile names it

    @property
    def path(self) -> Path:
        return self.folder / self.file

    @property
    def rel_path(self) -> str:
        return f"{self.folder_name}/{self.file}"

    def lines(self) -> list[str]:
        return _lines(self.path)


@cache
def _lines(path: Path) -> list[str]:
    return read_lines(path)


_REQUIRED = ("id", "file", "title", "title_en", "city", "prefecture", "publisher", "date", "kind", "layout")
_OPTIONAL = ("date_note", "publishers", "url", "retrieval_note", "licence", "terms", "terms_ja", "attribution")
_NULLABLE = ("city", "prefecture", "url", "licence")


def documents(folder: Path | None = None) -> tuple[Document, ...]:
    """The documents of ``folder``'s manifest.json (default: the seed sources); SourcesError when unusable.

    fk:textFile names a text as ``folder`` was given (``mysources/plan.txt``), so that ``fukushi-kg
    lint`` run from the same place finds it."""
    if folder is None:
        return _seed_documents()
    return _read_manifest(folder, folder.as_posix())


@lru_cache(maxsize=1)
def _seed_documents() -> tuple[Document, ...]:
    return _read_manifest(SOURCES, SEED_FOLDER_NAME)


def _read_manifest(folder: Path, name: str) -> tuple[Document, ...]:
    manifest = folder / "manifest.json"
    if not folder.is_dir():
        raise SourcesError(f"{folder}: no such sources folder")
    if not manifest.is_file():
        raise SourcesError(
            f"{manifest}: no manifest; a sources folder holds manifest.json naming each document and its text file"
        )
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourcesError(f"{manifest}: cannot be read as JSON ({exc})") from None
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f'{manifest}: needs a non-empty "documents" list')
    docs: list[Document] = []
    for i, entry in enumerate(entries, 1):
        doc = _entry(entry, f"{manifest}: document {i}", folder, name)
        if any(d.id == doc.id for d in docs):
            raise SourcesError(f"{manifest}: document {i}: the id {doc.id!r} is used twice")
        docs.append(doc)
    return tuple(docs)


def _entry(entry: object, where: str, folder: Path, name: str) -> Document:
    """One document's description (a manifest entry, or a plan folder's own), checked."""
    if not isinstance(entry, dict):
        raise SourcesError(f"{where} is not an object")
    missing = [k for k in _REQUIRED if k not in entry]
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if missing or unknown:
        raise SourcesError(
            f"{where}: "
            + "; ".join(
                ([f"missing {', '.join(missing)}"] if missing else [])
                + ([f"unknown keys {', '.join(unknown)}"] if unknown else [])
            )
        )
    publishers = entry.get("publishers", [])
    if not isinstance(publishers, list) or not all(isinstance(x, str) for x in publishers):
        raise SourcesError(f"{where}: publishers must be a list of organisations.toml keys (strings)")
    if not all(isinstance(v, str) or (v is None and k in _NULLABLE) for k, v in entry.items() if k != "publishers"):
        raise SourcesError(f"{where}: every value must be a string (city, prefecture, url and licence may be null)")
    doc = Document(**{**entry, "publishers": tuple(publishers)}, folder=folder, folder_name=name)
    if Path(doc.file).name != doc.file or not doc.path.is_file():
        raise SourcesError(f"{where} ({doc.id!r}): no text file {doc.file!r} in {folder}")
    return doc


def own_document(folder: Path) -> Document | None:
    """The document a plan folder describes itself (format 1.1: the ``fukushi-kg-document`` object
    of its datapackage.json, with the text file beside the tables), or None where it does not.

    Its id is the folder's name; fk:textFile names the text as the folder was given
    (``data/examples/x/x.txt``), so that ``fukushi-kg lint`` run from the same place finds it."""
    from fukushi_kg.graph.tables import schema

    dp_path = folder / schema.DATAPACKAGE
    try:
        dp = json.loads(dp_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # the table reader names what is wrong with the folder
    meta = dp.get(schema.document_key()) if isinstance(dp, dict) else None
    if meta is None:
        return None
    where = f"{dp_path}: {schema.document_key()}"
    if not isinstance(meta, dict):
        raise SourcesError(f"{where} is not an object")
    if "id" in meta:
        raise SourcesError(f"{where}: has no id; the document id is the folder's name ({folder.name})")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", folder.name):
        raise SourcesError(f"{folder}: a document id (the folder's name) is lower-case ASCII letters, digits and -")
    empty = [k for k in ("title", "title_en", "publisher", "date", "file") if not str(meta.get(k) or "").strip()]
    if empty:
        raise SourcesError(f"{where}: fill in {', '.join(empty)}")
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", str(meta.get("date"))):
        raise SourcesError(
            f"{where}: date {meta.get('date')!r} is not a year, year-month or date (2024, 2024-03, 2024-03-31)"
        )
    if meta.get("kind") not in schema.kinds():
        raise SourcesError(f"{where}: kind {meta.get('kind')!r} is not one of {', '.join(schema.kinds())}")
    return _entry({"id": folder.name, **meta}, where, folder, folder.as_posix())


def document(doc_id: str) -> Document:
    """A seed document by id or by the start of its file name (e.g. ``"000"``)."""
    for d in documents():
        if d.id == doc_id or d.file.startswith(doc_id):
            return d
    raise KeyError(f"no source document {doc_id!r} in data/sources/manifest.json")
