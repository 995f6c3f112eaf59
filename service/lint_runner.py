"""Runs the lint of one uploaded document in a process of its own, so that its time limit is real.

A lint parses the upload, validates it with pySHACL, runs the SPARQL rules and HermiT (a Java
child process): none of that can be stopped from a thread. Each lint therefore runs in a fresh
process that leads its own process group; when the time limit passes the whole group (HermiT's
JVM included) is killed and the request gets 503. At most ``jobs`` lints run at once per service
process; a request that cannot get a slot within the time limit gets 503 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass

from fukushi_kg.service.limits import describe
from fukushi_kg.service.memory import group_rss

_CONTEXT = multiprocessing.get_context("forkserver")


class LintTimeout(Exception):
    """The lint ran past its time limit and was killed, or never got a slot."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class LintInputError(Exception):
    """The document does not parse, or a selector names no rule (the message says which)."""


class LintTooLarge(Exception):
    """The lint needed more memory than allowed (``--lint-memory``), or a term longer than the parser
    takes; the message says which."""


class LintCrashed(Exception):
    """The lint process died without an answer (out of memory, killed from outside)."""


@dataclass(frozen=True)
class LintJob:
    body: bytes
    media_type: str
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    fail_on: str


def _child(conn, job: LintJob) -> None:
    os.setsid()  # HermiT's JVM joins this group, so killing the group stops it too
    from fukushi_kg.graph.lint.codes import SelectionError
    from fukushi_kg.graph.lint.inputs import InputError, load_bytes
    from fukushi_kg.graph.lint.run import LintOptions, lint

    try:
        inp = load_bytes(job.body, job.media_type, name="request-body")
        # no source roots: SRC001 reads only the dataset's published sources, matched by file name,
        # never a path the uploaded graph names (graph.lint.texts)
        options = LintOptions(select=list(job.select), ignore=list(job.ignore), fail_on=job.fail_on, source_roots=[])
        result = lint(inp, options)
        conn.send(("ok", result))
    except (InputError, SelectionError) as exc:
        conn.send(("input", str(exc)))
    except MemoryError as exc:  # the parser's own buffer limit (a term over 16 MiB), or no memory left
        conn.send(("too-large", f"the document is too large to lint here ({exc or 'out of memory'})"))
    except Exception as exc:  # reported to the parent as a crash, without a traceback to the client
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class LintRunner:
    """``await run(job)`` → the LintResult; LintTimeout, LintInputError or LintCrashed otherwise."""

    def __init__(self, timeout: float, jobs: int = 1, memory: int | None = None):
        self.timeout = timeout
        self.memory = memory  # resident bytes the lint's process group may use (None: no limit)
        self._slots = asyncio.Semaphore(max(1, jobs))

    async def run(self, job: LintJob):
        deadline = time.monotonic() + self.timeout
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout)
        except TimeoutError:
            raise LintTimeout(
                f"every lint slot stayed busy for {self.timeout:g} s; try again later",
                retry_after=max(1, int(self.timeout)),
            ) from None
        try:
            return await asyncio.to_thread(self._run_process, job, deadline)
        finally:
            self._slots.release()

    def _run_process(self, job: LintJob, deadline: float):
        parent, child = _CONTEXT.Pipe(duplex=False)
        process = _CONTEXT.Process(target=_child, args=(child, job), daemon=True)
        process.start()
        child.close()
        try:
            if not self._wait(parent, process, deadline):
                raise LintTimeout(
                    f"linting stopped after {self.timeout:g} s; lint large graphs locally with `fukushi-kg lint`"
                )
            try:
                kind, value = parent.recv()
            except EOFError:
                raise LintCrashed(f"the lint process exited without an answer (exit {process.exitcode})") from None
        finally:
            _kill_group(process)
            parent.close()
        if kind == "input":
            raise LintInputError(value)
        if kind == "too-large":
            raise LintTooLarge(value)
        if kind == "error":
            raise LintCrashed(value)
        return value

    def _wait(self, parent, process, deadline: float) -> bool:
        """Wait for the answer until ``deadline``; False when none came. Every :data:`WATCH` seconds the
        resident memory of the lint's process group (HermiT's JVM included) is read, and past
        ``memory`` the lint is stopped with LintTooLarge (the caller kills the group)."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return parent.poll(0)
            if parent.poll(min(left, WATCH) if self.memory else left):
                return True
            if self.memory and process.pid is not None and group_rss(process.pid) > self.memory:
                raise LintTooLarge(
                    f"the lint needed more memory than this service allows ({describe(self.memory)}, "
                    "--lint-memory); lint large graphs locally with `fukushi-kg lint`"
                )


WATCH = 0.1  # seconds between two readings of a lint's memory


def _kill_group(process) -> None:
    """Kill the lint process and everything it started (its process group); reap it."""
    if process.pid is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join(5)
