"""The plans a build reads: every document with its tables' records.

The seeds (the documents of data/sources/manifest.json with their tables in the packaged
data/plans) come first, unless the build is told otherwise; then every folder given with
``--plans``: a folder of one document's tables, or a folder of such folders. A folder named after
a document of the manifest replaces that document's tables; a folder that describes its own
document (format 1.1: ``fukushi-kg-document`` in its datapackage.json, its text beside the tables,
as ``fukushi-kg new`` writes it) adds that document. Such a folder may also hold an
``organisations.toml`` (the layout of data/reviewed/organisations.toml) naming its city and
divisions when the reviewed registry does not.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph import source_texts
from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import Document, SourcesError, documents, own_document
from fukushi_kg.graph.tables import read, schema
from fukushi_kg.graph.tables.schema import FormatError

ORGANISATIONS = "organisations.toml"


def document_folders(root: Path) -> list[Path]:
    """``root`` itself when it is one document's folder, else its sub-folders (not hidden ones)."""
    if not root.is_dir():
        raise FormatError(f"{root} is not a folder of plan tables")
    if (root / schema.DATAPACKAGE).is_file():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def read_plans(
    roots: Path | Sequence[Path] | None = None,
    progress: Callable[[str], None] | None = None,
    sources: Path | None = None,
    *,
    seeds: bool = True,
) -> list[tuple[Document, DocumentRecords]]:
    """(document, records) for every document of the build, the manifest's first (in manifest
    order), then the documents of the folders in ``roots`` that describe themselves.

    The manifest is ``sources``' manifest.json, or the seeds' (unless ``seeds`` is false; then
    only self-described folders are read). The seeds' tables are the packaged data/plans when
    ``sources`` is not given and ``seeds`` is true. A document of the manifest without a folder is
    described only (no records); a folder that names no document is an error, as is any problem
    in a folder's tables (all of them reported, folder by folder). SourcesError: a folder's own
    description that cannot be used.
    """
    if isinstance(roots, Path):
        roots = [roots]
    base = documents(sources) if (sources is not None or seeds) else ()
    known = {d.id for d in base}
    folders: dict[str, Path] = {}
    if sources is None and seeds:
        folders = {d.id: resources.PLANS / d.id for d in base if (resources.PLANS / d.id).is_dir()}
    own: list[Document] = []
    strays: list[str] = []
    for root in roots or []:
        for folder in document_folders(root):
            doc = own_document(folder)
            if doc is None:
                if folder.name in known:
                    folders[folder.name] = folder  # the manifest's document, tables of one's own
                else:
                    strays.append(str(folder))
                continue
            if doc.id in known or any(o.id == doc.id for o in own):
                raise SourcesError(
                    f"{folder}: the document id {doc.id!r} is used twice (by "
                    + ("a document of the manifest" if doc.id in known else "another folder given")
                    + "); rename the folder"
                )
            own.append(doc)
            folders[doc.id] = folder
    if strays:
        raise FormatError(
            f"folders name no document of the sources manifest and describe none: {', '.join(strays)}",
            [
                "a new document's folder describes itself (write it with `fukushi-kg new KIND FOLDER`), "
                "or rename the folder to the id of a document of the manifest"
            ],
        )
    docs = [*base, *own]
    source_texts.by_name(docs)  # a text is served and cited as {base}sources/<file>: no two share a name
    if not docs:
        raise FormatError("no documents to build: give --plans FOLDER (with --no-seeds, the seeds are left out)")
    out = []
    problems: list[str] = []
    for doc in docs:
        tables = folders.get(doc.id)
        if tables is None:
            out.append((doc, DocumentRecords(doc=doc.id)))
            if progress:
                progress(f"  {doc.id}: no tables (document described only)")
            continue
        try:
            rec = read.read_folder(tables, len(doc.lines()))
        except FormatError as exc:
            problems += [str(exc).splitlines()[0], *(f"  {d}" for d in exc.details)]
            continue
        out.append((doc, rec))
        if progress:
            progress(
                f"  {doc.id}: {len(rec.components)} components, {len(rec.listings)} listings, "
                f"{len(rec.indicators)} indicators"
            )
    if problems:
        raise FormatError("the plan tables cannot be read", problems)
    return out


def own_organisations(docs: Sequence[Document]) -> dict:
    """The cities, bodies and divisions the self-described documents' folders add to the reviewed
    registry (``organisations.toml`` beside their tables); none may redefine a reviewed entry."""
    reviewed = tomllib.loads(resources.reviewed(ORGANISATIONS).read_text(encoding="utf-8"))
    out: dict[str, dict] = {"cities": {}, "bodies": {}, "divisions": {}}
    for doc in docs:
        path = doc.folder / ORGANISATIONS
        if doc.folder == resources.SOURCES or not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SourcesError(f"{path}: cannot be read as TOML ({exc})") from None
        unknown = sorted(set(data) - set(out))
        if unknown:
            raise SourcesError(f"{path}: unknown tables {', '.join(unknown)} (cities, bodies, divisions)")
        for section, entries in data.items():
            for key, value in entries.items():
                if key in reviewed.get(section, {}) or key in out[section]:
                    raise SourcesError(f"{path}: [{section}.{key}] is defined already; a folder may only add entries")
                if section == "cities" and not {"name", "name_en", "code"} <= set(value):
                    raise SourcesError(f"{path}: [cities.{key}] needs name, name_en and code")
                out[section][key] = value
    return out
