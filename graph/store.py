"""The embedded Oxigraph store: fill a new directory, then swap it in atomically.

``dist/store`` is a symbolic link to ``dist/stores/<name>``. A build writes a complete new
store directory first and only then replaces the link (``os.replace`` is atomic), so a build
killed at any point leaves the store that was being served intact. The previous store is kept
until the next build, so that a service process that still has it open keeps working.

What a killed build leaves behind (a half-written ``stores/<name>-<pid>``, a ``.staging-<pid>``
folder of dumps, a ``.store-link-<pid>`` link) belongs to a process that no longer exists; the next
build removes it (``remove_leftovers``) and never touches what a running build is writing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

#: What ``Store.query`` answers; a remote store (``service/remote.py``) answers CONSTRUCT and
#: DESCRIBE with a list of triples instead of a ``QueryTriples``.
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]


class StoreError(RuntimeError):
    """The store is missing or unreadable; the message says what to do."""


def solutions(result: QueryResult) -> ox.QuerySolutions:
    """The solutions of a SELECT query's answer; TypeError when the query was not a SELECT."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"a SELECT query was expected, its answer is {type(result).__name__}")
    return result


def triples(result: QueryResult) -> Iterable[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE query's answer; TypeError for any other query."""
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        raise TypeError(f"a CONSTRUCT or DESCRIBE query was expected, its answer is {type(result).__name__}")
    return result


def _pid_of(path: Path) -> int | None:
    """The process id a build put at the end of a name (``store-123``, ``.staging-123``)."""
    tail = path.name.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _alive(pid: int | None) -> bool:
    if pid is None or pid == os.getpid():
        return pid is not None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def remove_leftovers(dist: Path) -> list[Path]:
    """Remove what builds killed before they finished left in ``dist``; return what was removed.

    Staging folders and temporary links of processes that are gone go; so do store directories
    that are neither served (``dist/store``) nor written by a live build. The served store is
    never removed.
    """
    removed: list[Path] = []
    if not dist.is_dir():
        return removed
    for path in list(dist.glob(".staging-*")) + list(dist.glob(".store-link-*")) + list(dist.glob(".*.tmp-*")):
        if not _alive(_pid_of(path)):
            _remove(path)
            removed.append(path)
    return removed


def _swap_in(dist: Path, target: Path) -> Path | None:
    """Make ``dist/store`` point at ``target`` in one rename; return the store it pointed at before."""
    link = dist / "store"
    previous = link.resolve() if link.is_symlink() else None
    if link.is_dir() and not link.is_symlink():
        # A store directory from before the link layout: keep it as the previous store.
        previous = dist / "stores" / f"legacy-{os.getpid()}"
        os.replace(link, previous)
    elif link.exists() and not link.is_symlink():
        link.unlink()  # a stray file where the link belongs
    tmp = dist / f".store-link-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("stores") / target.name, tmp)
    os.replace(tmp, link)
    return previous


def load_store(quads: list[ox.Quad], dist: Path, name: str) -> Path:
    """Load ``quads`` into a new store directory under ``dist/stores/`` (not yet served)."""
    stores = dist / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    target = stores / f"{name}-{os.getpid()}"
    if target.exists() or target.is_symlink():
        _remove(target)
    store = ox.Store(str(target))
    store.bulk_extend(quads)  # Oxigraph's bulk loader: writes sorted tables directly (half the time of extend)
    store.flush()
    store.optimize()
    del store
    return target


def swap_in_store(dist: Path, target: Path) -> Path:
    """Make ``dist/store`` point at ``target`` and remove the stores no build is writing."""
    stores = dist / "stores"
    previous = _swap_in(dist, target)
    keep = {target.resolve(), previous}
    for old in stores.iterdir():
        if old.resolve() in keep:
            continue
        pid = _pid_of(old)
        if pid is not None and pid != os.getpid() and _alive(pid):
            continue  # another build is still writing it
        _remove(old)
    return target


def write_store(quads: list[ox.Quad], dist: Path, name: str) -> Path:
    """Load ``quads`` into a new store directory and make ``dist/store`` point at it."""
    return swap_in_store(dist, load_store(quads, dist, name))


def open_store(dist: Path, read_only: bool = True) -> ox.Store:
    """Open the built store under ``dist``; a clear error when there is none."""
    path = dist / "store"
    if path.is_symlink() and not path.exists():
        raise StoreError(
            f"the store link {path} points at {os.readlink(path)}, which is missing: "
            "run `fukushi-kg build` to rebuild it"
        )
    if not path.exists():
        raise StoreError(f"no store at {path}: run `fukushi-kg build` first")
    if not path.is_dir():
        raise StoreError(f"{path} is not a store directory: run `fukushi-kg build` to rebuild it")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise StoreError(f"the store at {path} cannot be opened ({exc}); rebuild it with `fukushi-kg build`") from exc
