"""Memory limits of the processes that run untrusted work (query workers, lints).

A query worker gets a hard limit on the memory it may allocate (``RLIMIT_DATA``: heap, anonymous
mappings, thread stacks; not the store's read-only file mappings). It is set once the store is
open, on top of what the worker then holds, so ``--worker-memory`` is what one job may add. Past
it, Python raises ``MemoryError`` and Oxigraph's allocator aborts the process (SIGABRT); either
way the executor starts a fresh worker and the client is told which limit stopped the job. Core
dumps are switched off, so a killed worker leaves nothing on disk.

A lint runs pySHACL and HermiT's JVM, whose heap reservation an address-space limit would break,
so its process group is watched instead: :func:`group_rss` reads the resident memory of every
process of the group from ``/proc`` and the lint runner kills the group past its limit.
"""

from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

from fukushi_kg.service.limits import describe


def _vm_data() -> int:
    """This process's data segment size (``VmData``) in bytes, 0 where /proc cannot say."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def limit_this_process(extra_bytes: int | None) -> None:
    """Let this process allocate at most ``extra_bytes`` more than it holds now; no core dumps."""
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    if not extra_bytes:
        return
    limit = _vm_data() + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def out_of_memory_message(limit: int | None) -> str:
    """What a client is told when a job passed the worker memory limit."""
    size = describe(limit) if limit else "its limit"
    return (
        f"the query needed more memory than a query worker may use ({size}, --worker-memory); "
        "the worker was replaced. Narrow the query (fewer or shorter values) or add a LIMIT"
    )


def died_of_memory(exitcode: int | None) -> bool:
    """Whether a worker's exit code is that of an allocation failure (Rust aborts with SIGABRT)."""
    return exitcode == -signal.SIGABRT


def group_rss(pgid: int) -> int:
    """Resident memory, in bytes, of every live process whose process group is ``pgid``."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # fields after the name: state, ppid, pgrp, ...
                continue
            total += int(fields[21]) * resource.getpagesize()  # rss in pages
        except (OSError, ValueError, IndexError):
            continue
    return total
