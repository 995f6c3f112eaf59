"""What a portal downloads next to the dumps: gzip copies and a SHA256SUMS file.

Both are deterministic, like the dumps: the gzip header carries no file name and mtime 0, so the
same dump always gives the same bytes, and SHA256SUMS lists the files in name order in the format
``sha256sum -c`` reads (``<hex>  <name>``).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from fukushi_kg.graph.build_inputs import sha256

SUMS = "SHA256SUMS"


def gzip_copy(path: Path) -> Path:
    """``path`` + ``.gz``, compressed at level 9 with no name and mtime 0 in the header."""
    out = path.with_name(path.name + ".gz")
    with path.open("rb") as src, out.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            shutil.copyfileobj(src, gz, 1 << 20)
    return out


def write_sums(paths: list[Path], folder: Path) -> Path:
    """``folder/SHA256SUMS`` for ``paths`` (which are in ``folder``)."""
    out = folder / SUMS
    lines = [f"{sha256(p)}  {p.name}\n" for p in sorted(paths, key=lambda p: p.name)]
    out.write_text("".join(lines), encoding="ascii")
    return out


def read_sums(folder: Path) -> dict[str, str]:
    """File name -> SHA-256 from ``folder/SHA256SUMS`` (empty when there is none)."""
    path = folder / SUMS
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name:
            out[name] = digest
    return out
