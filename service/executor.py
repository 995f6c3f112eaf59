"""A pool of killable worker processes over the on-disk store.

pyoxigraph cannot cancel a running query, so every store access runs in a worker process
(service.worker). A job that outlives its timeout gets its worker killed and replaced while the
event loop keeps serving. Readers open the store read-only; a write waits for the readers to
finish, stops them, runs in a one-off writable process, then the readers are started afresh
(RocksDB read-only instances do not see later writes).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from fukushi_kg.service import worker
from fukushi_kg.service.memory import died_of_memory, out_of_memory_message

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["pyoxigraph", "fukushi_kg.service.worker"])
START_TIMEOUT = 60.0


class QueryTimeout(Exception):
    """The job ran past its timeout; its worker was killed."""


class WorkerDied(Exception):
    """The worker exited without answering (crash, out of memory)."""


class WorkerOutOfMemory(WorkerDied):
    """The worker passed its memory limit (``--worker-memory``) and was stopped."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    memory: int | None = None

    @classmethod
    def start(cls, store_path: Path, writable: bool, memory: int | None = None) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=worker.main, args=(child, str(store_path), writable, memory), daemon=True)
        process.start()
        child.close()
        if not parent.poll(START_TIMEOUT):
            process.kill()
            raise WorkerDied("worker did not open the store in time")
        try:
            parent.recv()
        except EOFError:
            process.join(1)
            raise WorkerDied(f"worker could not open the store {store_path} (exit {process.exitcode})") from None
        return cls(process, parent, memory)

    def died(self) -> WorkerDied:
        """Why the worker exited mid-job: its memory limit (an allocation failure aborts it) or else."""
        self.process.join(1)
        if died_of_memory(self.process.exitcode):
            return WorkerOutOfMemory(out_of_memory_message(self.memory))
        return WorkerDied("worker exited while running the job")

    def call(self, job: dict, timeout: float) -> dict:
        """Send one job and wait; kill the process when the timeout passes."""
        try:
            self.conn.send(job)
        except (OSError, ValueError):
            raise WorkerDied("worker is gone") from None
        if not self.conn.poll(timeout):
            self.kill()
            raise QueryTimeout(f"query stopped after {timeout:g} s")
        try:
            return self.conn.recv()
        except EOFError:
            died = self.died()
            self.kill()
            raise died from None

    def next_message(self, deadline: float, timeout: float):
        """The next message of a streamed job (see :func:`service.worker.stream`), waiting until ``deadline``
        (``time.monotonic()``); QueryTimeout or WorkerDied otherwise. The caller kills the worker then."""
        try:
            if time.monotonic() >= deadline or not self.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(f"query stopped after {timeout:g} s")
            return self.conn.recv()
        except (EOFError, OSError, ValueError):
            raise self.died() from None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


class Executor:
    """``await run(job)`` for reads, ``await write(job)`` for writes; ``start()`` / ``close()`` around use."""

    def __init__(self, store_path: Path, workers: int, timeout: float, memory: int | None = None):
        self.store_path = store_path
        self.size = workers
        self.timeout = timeout
        self.memory = memory  # bytes a worker may allocate beyond what it holds idle (None: no limit)
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()  # filled by start()
        self._busy = 0
        self._write_lock = asyncio.Lock()
        self._drained = asyncio.Event()
        self.generation = 0  # bumps after every write
        self._tasks: set[asyncio.Task] = set()  # workers being replaced after a stream stopped early

    @property
    def idle_workers(self) -> int:
        """Workers waiting for a job right now (service.quotas lets a client use one beyond its share)."""
        return self._idle.qsize()

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        started = await asyncio.gather(
            *[asyncio.to_thread(_Worker.start, self.store_path, False, self.memory) for _ in range(self.size)]
        )
        for w in started:
            self._idle.put_nowait(w)

    async def close(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        while not self._idle.empty():
            await asyncio.to_thread(self._idle.get_nowait().stop)

    async def run(self, job: dict, timeout: float | None = None) -> dict:
        """Run a read job on an idle worker; a killed worker is replaced before this returns."""
        async with self._write_lock:  # no reads start while a write is under way
            self._busy += 1
        try:
            w = await self._idle.get()
            try:
                answer = await asyncio.to_thread(w.call, job, timeout or self.timeout)
            except (QueryTimeout, WorkerDied):
                w = await asyncio.to_thread(_Worker.start, self.store_path, False, self.memory)
                raise
            finally:
                self._idle.put_nowait(w)
            return answer
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._drained.set()

    async def stream(self, job: dict, timeout: float | None = None) -> tuple[dict, AsyncIterator[bytes] | None]:
        """Run a query job with ``stream`` set: (header, frames). The frames are None when the header is a
        failure or carries the whole ``body``; else the caller must exhaust or close the iterator.

        The timeout covers the whole job, sending included: a worker still streaming at the deadline (or
        whose client went away) is killed and replaced, and the iterator raises QueryTimeout / WorkerDied.
        """
        timeout = timeout or self.timeout
        async with self._write_lock:
            self._busy += 1
        w = None
        try:
            w = await self._idle.get()
            deadline = time.monotonic() + timeout  # from when a worker runs it, not while it queues
            try:
                await asyncio.to_thread(w.conn.send, {**job, "stream": True})
            except (OSError, ValueError):
                raise WorkerDied("worker is gone") from None
            header = await asyncio.to_thread(w.next_message, deadline, timeout)
            if header.get("ok") and "body" in header:
                if await asyncio.to_thread(w.next_message, deadline, timeout) is not None:
                    raise WorkerDied("worker sent more than one answer")
        except BaseException:
            if w is not None:
                self._replace(w)
            else:
                self._release()
            raise
        if not header.get("ok") or "body" in header:
            self._idle.put_nowait(w)
            self._release()
            return header, None
        # A client that stops reading blocks the stream, not the deadline: the worker is killed on time anyway.
        watchdog = asyncio.get_running_loop().call_at(
            asyncio.get_running_loop().time() + max(0.0, deadline - time.monotonic()), w.process.kill
        )
        return header, self._frames(w, deadline, timeout, watchdog)

    async def _frames(
        self, w: _Worker, deadline: float, timeout: float, watchdog: asyncio.TimerHandle
    ) -> AsyncIterator[bytes]:
        done = False
        try:
            while True:
                message = await asyncio.to_thread(w.next_message, deadline, timeout)
                if message is None:
                    done = True
                    return
                if isinstance(message, dict):
                    done = True  # the worker reported the failure and waits for its next job
                    raise WorkerDied(message.get("error", "query failed"))
                yield message
        finally:
            watchdog.cancel()
            if done and w.process.is_alive():
                self._idle.put_nowait(w)
                self._release()
            else:  # timeout, dead worker, or the consumer stopped early: the worker may be mid-stream
                self._replace(w)

    def _release(self) -> None:
        self._busy -= 1
        if self._busy == 0:
            self._drained.set()

    def _replace(self, w: _Worker) -> None:
        """Kill ``w`` now (no await: this runs in cancelled code too) and start its successor in a task;
        the job counts as busy until the successor is idle, so a write cannot miss it."""
        w.process.kill()

        async def successor() -> None:
            try:
                await asyncio.to_thread(w.kill)
                self._idle.put_nowait(await asyncio.to_thread(_Worker.start, self.store_path, False, self.memory))
            finally:
                self._release()

        task = asyncio.get_running_loop().create_task(successor())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def write(self, job: dict, timeout: float | None = None) -> dict:
        """Run a write job alone: drain and stop readers, write in a fresh writable process, restart readers."""
        async with self._write_lock:
            while self._busy:
                self._drained.clear()
                await self._drained.wait()
            readers = [self._idle.get_nowait() for _ in range(self._idle.qsize())]
            await asyncio.gather(*[asyncio.to_thread(r.stop) for r in readers])
            try:
                writer = await asyncio.to_thread(_Worker.start, self.store_path, True, self.memory)
                try:
                    answer = await asyncio.to_thread(writer.call, job, timeout or self.timeout)
                finally:
                    if writer.process.is_alive():
                        await asyncio.to_thread(writer.stop)
                self.generation += 1
                return answer
            finally:
                fresh = await asyncio.gather(
                    *[asyncio.to_thread(_Worker.start, self.store_path, False, self.memory) for _ in range(self.size)]
                )
                for r in fresh:
                    self._idle.put_nowait(r)
