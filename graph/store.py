"""The embedded Oxigraph store: fill a new directory, then swap it in atomically.

``dist/store`` is a symbolic link to ``dist/stores/<name>``. A build writes a complete new
store directory first and only then replaces the link (``os.replace`` is atomic), so a build
killed at any point leaves the store that was being served intact. The previous store is kept
until the next build, so that a service process that still has it open keeps working.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox


class StoreError(RuntimeError):
    """The store is missing or unreadable; the message says what to do."""


def write_store(quads: list[ox.Quad], dist: Path, name: str) -> Path:
    """Load ``quads`` into a new store directory and make ``dist/store`` point at it."""
    stores = dist / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    target = stores / f"{name}-{os.getpid()}"
    if target.exists():
        shutil.rmtree(target)
    store = ox.Store(str(target))
    store.extend(quads)
    store.flush()
    store.optimize()
    del store
    link = dist / "store"
    previous = link.resolve() if link.is_symlink() else None
    tmp = dist / f".store-link-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("stores") / target.name, tmp)
    os.replace(tmp, link)
    for old in stores.iterdir():
        if old.resolve() not in {target.resolve(), previous}:
            shutil.rmtree(old, ignore_errors=True)
    return target


def open_store(dist: Path, read_only: bool = True) -> ox.Store:
    """Open the built store under ``dist``; a clear error when there is none."""
    path = dist / "store"
    if not path.exists():
        raise StoreError(f"no store at {path}: run `fukushi-kg build` first")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"the store at {path} cannot be opened ({exc}); rebuild it with `fukushi-kg build`") from exc
