"""The source texts a build serves: copied into ``dist/sources/`` and recorded in its report.

Every document the build was given (the seeds', a ``--sources`` folder's, a plan folder's own)
has its text copied into ``dist/sources/`` under its file name, and ``build-report.json`` records
them under ``"texts"`` (served file name -> document id). The service serves ``/sources/{name}``
and quotes a span's lines only from those recorded names that are in ``dist/sources/``; a name is
looked up exactly, never taken as a path. A build made before the record existed serves the
packaged seed texts. ``fk:textFile`` names a text as the build was given it
(``data/examples/x/x.txt``); its last part is the served name.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from fukushi_kg.graph.sources import Document, SourcesError, documents

FOLDER = "sources"  # in dist/, and in a publication
REPORT = "build-report.json"


def served_name(text_file: str) -> str:
    """The name a text is served by: the last part of its ``fk:textFile``."""
    return PurePosixPath(text_file.replace("\\", "/")).name


def _plain(name: object) -> bool:
    """A file name that is only a name: no folder, no ``..``, nothing absolute."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not any(c in name for c in "/\\\0")
        and PurePosixPath(name).name == name
    )


def by_name(docs: Iterable[Document]) -> dict[str, Document]:
    """Served name -> document; SourcesError when two documents' texts have one name (they would be
    served and cited as the same ``sources/<name>``)."""
    out: dict[str, Document] = {}
    for doc in docs:
        name = served_name(doc.file)
        first = out.get(name)
        if first is not None:
            raise SourcesError(
                f"{doc.path}: the text file {name!r} of {doc.id} has the name of {first.id}'s text "
                f"({first.path}); two documents' texts may not share a name, as each is served as "
                f"sources/<name>: name it after the document ({doc.id}.txt)"
            )
        out[name] = doc
    return out


def copy(docs: Iterable[Document], folder: Path) -> dict[str, str]:
    """Copy every document's text into ``folder`` (made here) by its served name; the record for
    the build report (served name -> document id)."""
    named = by_name(docs)
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in named.items():
        shutil.copyfile(doc.path, folder / name)
    return {name: doc.id for name, doc in named.items()}


def served(dist: Path, report: dict) -> dict[str, Path]:
    """The texts the build in ``dist`` serves (name -> file): the names ``report`` records under
    ``"texts"`` that are plain file names and are files of ``dist/sources/``; without the record,
    the packaged seed texts."""
    recorded = report.get("texts") if isinstance(report, dict) else None
    if not isinstance(recorded, dict):
        return {d.file: d.path for d in documents()}
    folder = dist / FOLDER
    out: dict[str, Path] = {}
    for name in recorded:
        if _plain(name) and (folder / name).is_file():
            out[name] = folder / name
    return out


def of_build(dist: Path) -> dict[str, Path]:
    """:func:`served` with the report of ``dist`` (none, or unreadable: the seed texts)."""
    try:
        report = json.loads((dist / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {}
    return served(dist, report)


def swap_in(staged: Path, folder: Path) -> None:
    """Move the texts of ``staged`` into ``folder`` one by one (each replaced in one rename, so a
    running service never finds a text missing) and remove the texts the new build does not have."""
    folder.mkdir(parents=True, exist_ok=True)
    names = set()
    for path in sorted(staged.iterdir()):
        names.add(path.name)
        path.replace(folder / path.name)
    for path in folder.iterdir():
        if path.name not in names:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
