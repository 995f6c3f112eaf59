"""The table format as data: ``schema.json`` beside this module, expanded for the code.

``schema.json`` is the one description of the format; write.py, read.py, the ``datapackage.json``
of every folder and docs/format.md are all derived from it. This module expands its shorthands
(the ``document`` column every table starts with, ``{"span": P}`` for the two line columns) and
builds the Frictionless Data Package descriptor of one document's folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("schema.json")

#: The key of datapackage.json that carries the format version.
VERSION_KEY = "fukushi-kg-format"
DATAPACKAGE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


class FormatError(ValueError):
    """A folder's tables cannot be read; ``details`` lists each problem (file, row, column)."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = details or []

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *(f"  {d}" for d in self.details)])


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | number | boolean | list
    required: bool
    title: dict[str, str]
    description: dict[str, str] | None
    constraints: dict
    span: str | None = None  # for line columns: the span's prefix ("" for the row's own lines)


@dataclass(frozen=True)
class Table:
    name: str
    record: str
    title: dict[str, str]
    description: dict[str, str] | None
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@cache
def _raw() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def version() -> str:
    """The format version this code writes, e.g. "1.0"."""
    return _raw()["format"]


def list_delimiter() -> str:
    return _raw()["list_delimiter"]


def comment_char() -> str:
    """A row whose first cell starts with this is a comment (an example row of a scaffold): readers
    skip it (Frictionless through the resources' ``dialect.commentChar``)."""
    return _raw()["comment_char"]


def is_comment(cells: list[str]) -> bool:
    """Whether a CSV row (its cells as text) is a comment row."""
    return bool(cells) and cells[0].startswith(comment_char())


def document_key() -> str:
    """The key of datapackage.json that describes a document not in a sources manifest (format 1.1)."""
    return _raw()["document_key"]


def kinds() -> dict[str, dict]:
    """The document kinds the format knows: kind -> {"title": {en, ja}, "tables": [the tables to fill]}."""
    return _raw()["kinds"]


_DOCUMENT = {
    "name": "document",
    "type": "string",
    "required": True,
    "title": {"en": "Document", "ja": "文書"},
    "description": {
        "en": "The document id (data/sources/manifest.json); the same in every row of a folder.",
        "ja": "文書ID（data/sources/manifest.json）。フォルダ内のすべての行で同じ。",
    },
}


def _columns(fields: list[dict]) -> list[Column]:
    out = []
    for f in [_DOCUMENT, *fields]:
        if "span" in f:
            prefix = f["span"]
            stem = f"{prefix}_line" if prefix else "line"
            for end, en, ja in (("start", "first line", "開始行"), ("end", "last line", "終了行")):
                title = {"en": f"{f['title']['en']}: {en}", "ja": f"{f['title']['ja']}（{ja}）"}
                out.append(
                    Column(f"{stem}_{end}", "integer", bool(f.get("required")), title, None, {"minimum": 1}, prefix)
                )
            continue
        constraints = {k: f[k] for k in ("enum", "pattern", "minimum", "maximum") if k in f}
        out.append(Column(f["name"], f["type"], bool(f.get("required")), f["title"], f.get("description"), constraints))
    return out


@cache
def tables() -> tuple[Table, ...]:
    """Every table of the format, in the order of schema.json (parents before children)."""
    out = []
    for t in _raw()["tables"]:
        out.append(
            Table(
                name=t["name"],
                record=t["record"],
                title=t["title"],
                description=t.get("description"),
                columns=tuple(_columns(t["fields"])),
                primary_key=tuple(t["primaryKey"]),
                foreign_keys=tuple(t.get("foreignKeys", ())),
            )
        )
    return tuple(out)


def table(name: str) -> Table:
    for t in tables():
        if t.name == name:
            return t
    raise KeyError(f"no table {name!r} in the format")


def _field_descriptor(c: Column, doc_id: str) -> dict:
    d: dict = {"name": c.name, "type": c.type, "title": c.title["en"], "title_ja": c.title["ja"]}
    if c.description:
        d["description"] = c.description["en"]
        d["description_ja"] = c.description["ja"]
    if c.type == "list":
        d["delimiter"] = list_delimiter()
        d["itemType"] = "string"
    constraints = dict(c.constraints)
    if c.required:
        constraints = {"required": True, **constraints}
    if c.name == "document":
        constraints["enum"] = [doc_id]
    if constraints:
        d["constraints"] = constraints
    return d


def datapackage(doc_id: str, title: str = "", document: dict | None = None) -> dict:
    """The Frictionless Data Package descriptor of the folder of ``doc_id`` (every table listed);
    ``document``: the description of a document that no sources manifest names (its title,
    publisher, kind, text file ...: see sources.py), kept under :func:`document_key`."""
    resources = []
    for t in tables():
        schema: dict = {
            "fields": [_field_descriptor(c, doc_id) for c in t.columns],
            "missingValues": [""],
            "primaryKey": list(t.primary_key),
        }
        if t.foreign_keys:
            schema["foreignKeys"] = [dict(fk) for fk in t.foreign_keys]
        res: dict = {
            "name": t.name,
            "type": "table",
            "path": t.file,
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"commentChar": comment_char()},
            "title": t.title["en"],
            "title_ja": t.title["ja"],
        }
        if t.description:
            res["description"] = t.description["en"]
            res["description_ja"] = t.description["ja"]
        res["schema"] = schema
        resources.append(res)
    out: dict = {"$schema": PROFILE, "name": doc_id, VERSION_KEY: version()}
    if title:
        out["title"] = title
    if document:
        out[document_key()] = document
    out["resources"] = resources
    return out


def newer_minor(found: str) -> bool:
    """Whether ``found`` (same major) is a later minor version than this code's."""
    ours = [int(x) for x in version().split(".")]
    theirs = [int(x) for x in found.split(".")]
    return theirs[0] == ours[0] and theirs[1:] > ours[1:]


def check_version(found: object, where: str) -> None:
    """Refuse a folder written in a format this code cannot read (a newer major version, or none)."""
    ours = version()
    if not isinstance(found, str) or not found.replace(".", "").isdigit() or "." not in found:
        raise FormatError(
            f'{where} has no "{VERSION_KEY}" version (expected "{ours}"); it is not a fukushi-kg table folder'
        )
    major, our_major = int(found.split(".")[0]), int(ours.split(".")[0])
    if major > our_major:
        raise FormatError(
            f"{where} is in fukushi-kg table format {found}, newer than this fukushi-kg reads ({our_major}.x); "
            "upgrade fukushi-kg to read it"
        )
    if major < our_major:
        raise FormatError(
            f"{where} is in fukushi-kg table format {found}, older than this fukushi-kg reads ({our_major}.x); "
            "re-import it with `fukushi-kg import` or convert it as docs/format.md describes"
        )
