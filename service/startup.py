"""Start-up checks: the store is there and readable before the server binds its port.

A missing, dangling, corrupt or unreadable store stops `fukushi-kg serve` with one line that names
the store and the fix, and exit code 2 (usage or input error), never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg.graph.store import solutions

EXIT_STORE = 2


class StartupError(Exception):
    """The service cannot start; the message says why and what to do."""


def check_store(store_path: Path) -> int:
    """Open the store read-only and read every graph's triple count; return the number of quads.

    The counts touch every data block, so a corrupt file is found here rather than by the first
    query. Raises StartupError with the fix.
    """
    fix = "rebuild it with `fukushi-kg build`"
    if store_path.is_symlink() and not store_path.exists():
        raise StartupError(f"the store link {store_path} points at {store_path.readlink()}, which is missing; {fix}")
    if not store_path.exists():
        raise StartupError(f"no store at {store_path}; build it with `fukushi-kg build`")
    if not store_path.is_dir():
        raise StartupError(f"{store_path} is not a store directory; remove it and {fix}")
    try:
        store = ox.Store.read_only(str(store_path))
        try:
            counted = next(
                iter(solutions(store.query("SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")))
            )
            n = counted["n"]
            return int(n.value) if n is not None else 0
        finally:
            del store
    except (OSError, RuntimeError, ValueError) as error:  # RocksDB reports corruption as RuntimeError
        raise StartupError(f"the store at {store_path} cannot be read ({_first_line(error)}); {fix}") from None


def fail(message: str) -> None:
    """Print ``fukushi-kg serve: <message>`` and exit 2."""
    print(f"fukushi-kg serve: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_STORE)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
