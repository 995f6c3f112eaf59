"""The plans folder as a whole: every document of the manifest with its tables' records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import Document, documents
from fukushi_kg.graph.tables import read
from fukushi_kg.graph.tables.schema import FormatError


def read_plans(
    root: Path, progress: Callable[[str], None] | None = None, sources: Path | None = None
) -> list[tuple[Document, DocumentRecords]]:
    """(document, records) for every document of ``sources``' manifest.json (default: the seeds'
    data/sources/manifest.json), in manifest order.

    A document without a folder under ``root`` is described only (no records); a folder that names
    no document of the manifest is an error, as is any problem in a folder's tables (all of them
    reported, folder by folder).
    """
    docs = documents(sources)
    known = {d.id for d in docs}
    if not root.is_dir():
        raise FormatError(f"{root} is not a folder of plan tables")
    strays = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name not in known)
    if strays:
        raise FormatError(
            f"{root}: folders name no document of data/sources/manifest.json: {', '.join(strays)}",
            ["add the document (its text and manifest entry) first, or rename the folder to its document id"],
        )
    out = []
    problems: list[str] = []
    for doc in docs:
        folder = root / doc.id
        if not folder.exists():
            out.append((doc, DocumentRecords(doc=doc.id)))
            if progress:
                progress(f"  {doc.id}: no tables (document described only)")
            continue
        try:
            rec = read.read_folder(folder, len(doc.lines()))
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
