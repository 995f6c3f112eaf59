"""Reading source text: lines with their numbers, width normalisation for comparison."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_SPACES = re.compile(r"[ \u3000\t]+")


def norm(text: str) -> str:
    """NFKC, no spaces of any width: the form in which Japanese strings are compared."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def read_lines(path: Path) -> list[str]:
    """The document's lines, index 0 = line 1, trailing newline stripped, nothing else changed."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def display_width(text: str) -> int:
    """Width in half-width cells (full-width and wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "FW" else 1 for c in text)


def find_line(lines: list[str], start: int, end: int, test) -> int:
    """The first line number in ``start..end`` whose normalised text passes ``test``; ValueError
    (a layout the extractor does not expect) when none does."""
    for ln in range(start, end + 1):
        if test(norm(lines[ln - 1])):
            return ln
    raise ValueError(f"expected line not found in l.{start}-{end}")
