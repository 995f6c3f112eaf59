"""Which source texts SRC001 may read: the graph names a file (``fk:textFile``), this decides.

A graph is input, and input can be hostile: a ``fk:textFile`` of ``/proc/self/environ`` or
``../../etc/passwd`` must never make the linter open that file and quote it in a finding (nor
answer differently whether it exists). Two policies:

- :class:`PublishedTexts`: only the dataset's own published source documents, the files the
  package's manifest (``data/sources/manifest.json``) lists, matched by file name (the last
  segment of the path the graph gives); the path itself is never opened. ``POST /lint`` and
  ``fukushi-kg lint URL`` without ``--source-root`` use it, as does ``lint()`` by default.
- :class:`RootedTexts`: local files under the given roots (``--source-root``, default the current
  folder), then the published sources. A relative path that stays inside a root after every link
  is resolved; absolute paths, ``..`` and links that lead out of the roots are refused unread.

``lines(file)`` returns the file's lines, or None with ``why(file)`` saying why (for a notice).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from fukushi_kg import resources
from fukushi_kg.graph.text import read_lines

_MAX_SHOWN = 120  # characters of a graph-given path repeated in a notice


@cache
def published() -> dict[str, Path]:
    """The published source documents: manifest file name → packaged file."""
    manifest = json.loads((resources.SOURCES / "manifest.json").read_text(encoding="utf-8"))
    return {d["file"]: resources.SOURCES / d["file"] for d in manifest["documents"]}


def shown(file: str) -> str:
    """A graph-given path as it may be repeated back: one line, clipped."""
    text = re.sub(r"[\x00-\x1f\x7f]", "?", file)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _last_segment(file: str) -> str:
    return re.split(r"[/\\]", file)[-1]


class PublishedTexts:
    """Only the dataset's published sources, by file name; nothing named by the graph is opened."""

    def __init__(self) -> None:
        self._cache: dict[str, list[str]] = {}

    def lines(self, file: str) -> list[str] | None:
        name = _last_segment(file)
        path = published().get(name)
        if path is None:
            return None
        if name not in self._cache:
            self._cache[name] = read_lines(path)
        return self._cache[name]

    def why(self, file: str) -> str:
        return f"{shown(file)} is not a source document published here"


def escapes(file: str) -> bool:
    """Whether a graph-given path is absolute (POSIX or Windows), climbs with ``..`` or is not a path."""
    if not file or "\x00" in file:
        return True
    posix, windows = PurePosixPath(file), PureWindowsPath(file)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or windows.root:
        return True
    return ".." in posix.parts or ".." in windows.parts


class RootedTexts:
    """Files under ``roots`` (links followed, the result must stay inside the root), then the
    published sources by file name."""

    def __init__(self, roots: list[Path]):
        self.roots = [Path(r) for r in roots]
        self._published = PublishedTexts()
        self._cache: dict[str, list[str] | None] = {}
        self._refused: set[str] = set()

    def _under_a_root(self, file: str) -> Path | None:
        for root in self.roots:
            try:
                top = root.resolve()
                candidate = (root / file).resolve()
            except (OSError, RuntimeError, ValueError):  # a link loop, a bad name
                continue
            if not candidate.is_relative_to(top):
                self._refused.add(file)  # a link inside the root points out of it
                continue
            if candidate.is_file():
                return candidate
        return None

    def lines(self, file: str) -> list[str] | None:
        if file not in self._cache:
            found = None
            if escapes(file):
                self._refused.add(file)
            else:
                path = self._under_a_root(file)
                if path is not None:
                    found = read_lines(path)
            if found is None:
                found = self._published.lines(file)
            self._cache[file] = found
        return self._cache[file]

    def why(self, file: str) -> str:
        roots = ", ".join(str(r) for r in self.roots)
        if file in self._refused:
            return (
                f"{shown(file)} is not read: it is absolute, climbs with .. or links out of the source roots ({roots}); "
                "name it relative to a --source-root"
            )
        return f"{shown(file)} was not found under {roots} nor among the published sources"


def texts_for(roots: list[Path]) -> PublishedTexts | RootedTexts:
    """The policy for the given source roots: none → published sources only."""
    return RootedTexts(roots) if roots else PublishedTexts()
