"""Importers: a document's extractor (one per layout, graph/extract/) run once, its records
written as tables. The build never runs them; ``fukushi-kg import`` does.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Callable
from pathlib import Path

from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import Document, document, documents
from fukushi_kg.graph.tables import write

# layout (manifest) -> module in graph/extract with extract(doc) -> DocumentRecords
EXTRACTORS = {
    "child-plan-report": "fukushi_kg.graph.extract.child_plan",
    "welfare-plan": "fukushi_kg.graph.extract.welfare_plan",
    "kurume-status": "fukushi_kg.graph.extract.kurume_status",
    "welfare-results": "fukushi_kg.graph.extract.welfare_results",
    "case-studies": "fukushi_kg.graph.extract.case_studies",
}


class ExtractionError(ValueError):
    """A source's text is not laid out as its extractor expects; the message names the file and where."""


# What an extractor raises when its text lacks a line it relies on (an index past the end, a
# ``next()`` that finds nothing): reported as a layout mismatch, never as a traceback.
_LAYOUT_ERRORS = (IndexError, KeyError, StopIteration, AttributeError, TypeError)


def extract_document(doc: Document) -> DocumentRecords:
    """Run ``doc``'s extractor; any failure is an ExtractionError naming the document and the place."""
    if doc.layout not in EXTRACTORS:
        raise ExtractionError(
            f"{doc.rel_path}: no importer for layout {doc.layout!r} (known: {', '.join(sorted(EXTRACTORS))}); "
            "write its tables by hand (docs/format.md)"
        )
    module = importlib.import_module(EXTRACTORS[doc.layout])
    try:
        return module.extract(doc)
    except ValueError as exc:
        raise ExtractionError(f"{doc.rel_path}: {exc}") from exc
    except _LAYOUT_ERRORS as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        raise ExtractionError(
            f"{doc.rel_path}: the text does not have the layout the {doc.layout!r} extractor expects "
            f"({type(exc).__name__} at {Path(where.filename).name}:{where.lineno} in {where.name}); "
            "check the source text and its reviewed corrections"
        ) from exc


def importable(doc: Document) -> bool:
    return doc.layout in EXTRACTORS


def import_documents(ids: list[str], out: Path, progress: Callable[[str], None] | None = None) -> dict[str, list[str]]:
    """Extract each document (all with an importer when ``ids`` is empty) and write its folder
    ``out/<id>/``. Returns document id -> names of the files whose content changed."""
    docs = [document(i) for i in ids] if ids else [d for d in documents() if importable(d)]
    changed: dict[str, list[str]] = {}
    for doc in docs:
        rec = extract_document(doc)
        folder = out / doc.id
        files = write.folder_files(rec, doc.title)
        changed[doc.id] = [
            name for name, text in files.items() if not (folder / name).is_file() or _read(folder / name) != text
        ]
        write.write_folder(rec, folder, doc.title)
        if progress:
            what = f"{len(changed[doc.id])} files changed" if changed[doc.id] else "unchanged"
            progress(
                f"{doc.id}: {len(rec.components)} components, {len(rec.listings)} listings, "
                f"{len(rec.indicators)} indicators, {len(rec.results)} results, {len(rec.initiatives)} initiatives "
                f"-> {folder}/ ({what})"
            )
    return changed


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()
