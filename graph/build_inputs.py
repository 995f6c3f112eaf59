"""What a build is made from, as one content hash, and whether ``dist/`` already holds that build.

The hash covers every file the build reads (the plan tables, the source texts and manifest, the
reviewed registries, the ontology and vocabularies, the shapes, the code of ``fukushi_kg``) by
content and relative name, and the options that change the output (base IRI, the reasoner
check). File times play no part, so a checkout, a copy or a touch does not cause a rebuild, and
an edit that restores a file's content does not either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from fukushi_kg import __version__, resources

_SKIP_DIRS = {"__pycache__", ".git", ".mypy_cache", ".ruff_cache"}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        return []
    out = []
    for path in root.rglob("*"):
        if path.is_file() and not _SKIP_DIRS.intersection(path.relative_to(root).parts):
            out.append(path)
    return sorted(out)


def _code_roots() -> list[Path]:
    package = resources.PACKAGE
    return [package / "graph", *sorted(package.glob("*.py"))]


def digest(inputs: Iterable[Path | None], options: dict[str, object]) -> str:
    """The SHA-256 of the build's inputs: the given files and folders (None: not given), the
    packaged data, shapes, ontology and code, and ``options``."""
    h = hashlib.sha256()
    h.update(f"fukushi-kg {__version__}\n".encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode() + b"\n")
    roots = [p for p in inputs if p is not None]
    roots += [resources.PLANS, resources.SOURCES, resources.REVIEWED, resources.ONTOLOGY_DIR, resources.SHAPES]
    roots += _code_roots()
    for n, root in enumerate(roots):
        for path in _files(root):
            name = path.relative_to(root) if path != root else Path(path.name)
            h.update(f"{n}:{name.as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def previous_build(dist: Path, inputs_digest: str) -> dict | None:
    """The report of the build in ``dist`` when it was made from the same inputs and every file it
    lists is still there with its recorded SHA-256; None when anything must be built."""
    try:
        report = json.loads((dist / "build-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(report, dict) or report.get("inputs") != inputs_digest:
        return None
    checksums = report.get("checksums") or {}
    files = report.get("files") or {}
    if not files or set(files) != set(checksums):
        return None
    for kind, name in files.items():
        path = dist / Path(name).name
        try:
            if sha256(path) != checksums[kind]:
                return None
        except OSError:
            return None
    if not (dist / "store").exists():
        return None
    if not all((dist / "sources" / name).is_file() for name in report.get("texts") or {}):
        return None  # the source texts it serves (graph/source_texts.py)
    return report
