"""A pool of killable worker processes over the on-disk store.

pyoxigraph cannot cancel a running query, so every store access runs in a worker process
(service.worker). A job that outlives its timeout gets its worker killed and replaced while the
event loop keeps serving. Readers open the store read-only; a write waits for the readers to
finish, stops them, runs in a one-off writable process, then the readers are started afresh
(RocksDB read-only instances do not see later writes).

Nothing waits without a bound: a read waits at most its timeout for a write to finish, a write
at most its timeout for the reads under way (it goes first: no read starts while it waits),
and then the request gets 503 saying that nothing ran. A large streamed answer is a file the
worker hands over when it is written (:class:`Frames`), so a client that reads slowly, or not
at all, holds neither a worker nor the store.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from multiprocessing import reduction
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


class StoreBusy(QueryTimeout):
    """The job could not start within its timeout (a read behind a write, a write behind reads or
    another write); it did not run, and the message says so."""


class WriteTimeout(QueryTimeout):
    """A write stopped by its timeout before it was committed: nothing was written (the message says so)."""


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

    def receive_file(self, deadline: float, timeout: float) -> int:
        """The descriptor of a spooled answer, sent after its header (see :func:`service.worker.stream`)."""
        try:
            if time.monotonic() >= deadline or not self.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(f"query stopped after {timeout:g} s")
            return reduction.recv_handle(self.conn)
        except (EOFError, OSError, RuntimeError, ValueError):
            raise WorkerDied("worker exited while handing over the answer") from None

    def update(self, job: dict, timeout: float) -> dict:
        """A SPARQL Update, killed when it passes the timeout. The store applies an update whole or not
        at all, so a killed update wrote nothing, unless it committed as it was killed: its answer is
        then in the pipe, and counts."""
        try:
            self.conn.send(job)
        except (OSError, ValueError):
            raise WorkerDied("the writer is gone; nothing was written") from None
        if not self.conn.poll(timeout):
            self.process.kill()
            self.process.join(5)
            try:
                if self.conn.poll(0):
                    return self.conn.recv()
            except (EOFError, OSError):
                pass
            finally:
                self.conn.close()
            raise WriteTimeout(
                f"the update was stopped after {timeout:g} s; an update is applied whole or not at all, "
                "so nothing was written"
            )
        try:
            return self.conn.recv()
        except EOFError:
            self.kill()
            raise WorkerDied("the writer exited while running the update; nothing was written") from None

    def confirmed_write(self, job: dict, timeout: float) -> dict:
        """A Graph Store write in two steps (:func:`service.worker.write_confirmed`): the worker must
        have read and checked the upload within the timeout, else it is killed and nothing was written;
        then it is told to commit, and the commit is waited for however long it takes, so that a write
        that was made is never reported as failed."""
        try:
            self.conn.send({**job, "confirm": True})
        except (OSError, ValueError):
            raise WorkerDied("the writer is gone; nothing was written") from None
        if not self.conn.poll(timeout):
            self.kill()
            raise WriteTimeout(
                f"the upload was not read and checked within {timeout:g} s, so nothing was written "
                "(the graph is as it was); send a smaller document"
            )
        try:
            first = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerDied("the writer exited while reading the upload; nothing was written") from None
        if first != worker.READY:
            return first  # refused (400, 404, 415): nothing written
        try:
            self.conn.send(worker.COMMIT)
            return self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerDied(
                "the writer exited while committing; the write is applied whole or not at all: "
                "read the graph to see which"
            ) from None

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


INLINE_SEND = 64 * 1024  # a job whose query text is shorter is written to the pipe on the event loop


async def _readable(conn: Connection, deadline: float) -> bool:
    """Wait on the event loop (no thread) until ``conn`` has data or ``deadline`` (``time.monotonic()``)
    passes: True when it has. A worker that dies makes its end readable too (EOF)."""
    if conn.poll(0):
        return True
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return False
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(True)

    loop.add_reader(fd, wake)
    try:
        async with asyncio.timeout(remaining):
            await ready
        return True
    except TimeoutError:
        return conn.poll(0)
    finally:
        loop.remove_reader(fd)


async def _send(w: _Worker, job: dict) -> None:
    """Write a job to an idle worker's pipe: on the event loop when it is small (the worker is waiting
    to read it, so the socket buffer takes it at once), else from a thread."""
    try:
        if len(job.get("query") or "") < INLINE_SEND and "data" not in job and "parts" not in job:
            w.conn.send(job)
        else:
            await asyncio.to_thread(w.conn.send, job)
    except (OSError, ValueError):
        raise WorkerDied("worker is gone") from None


async def _message(w: _Worker, deadline: float, timeout: float):
    """The next message from the worker, waited for on the event loop until ``deadline``; QueryTimeout
    or WorkerDied otherwise (the caller kills the worker then). Once the first bytes are there, the
    rest of the message is read at once (the worker writes it whole)."""
    if not await _readable(w.conn, deadline):
        raise QueryTimeout(f"query stopped after {timeout:g} s")
    try:
        return w.conn.recv()
    except (EOFError, OSError, ValueError):
        pass
    raise await asyncio.to_thread(w.died)


class Frames:
    """The body of a streamed answer: ``async for`` its bytes frames, then ``aclose()`` (always, even
    unread). ``deadline`` (``time.monotonic()``) is when the job's time is up, sending included;
    ``timeout`` the seconds it had. What the stream holds (the spool file, or the worker sending the
    frames) is freed by ``aclose()`` at once."""

    def __init__(
        self, frames: AsyncGenerator[bytes, None], deadline: float, timeout: float, release: Callable[[], None]
    ):
        self._frames = frames
        self._release = release
        self.deadline = deadline
        self.timeout = timeout
        self._closed = False

    def __aiter__(self) -> Frames:
        return self

    async def __anext__(self) -> bytes:
        if self._closed:
            raise StopAsyncIteration
        return await self._frames.__anext__()

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await self._frames.aclose()
        finally:
            self._release()


async def _file_frames(fd: int) -> AsyncGenerator[bytes, None]:
    """A spooled answer in :data:`service.worker.FRAME` byte frames. Read on the event loop: a frame
    is a page-cache read of microseconds, and a read in a thread could outlive the descriptor."""
    offset = 0
    while frame := os.pread(fd, worker.FRAME, offset):
        offset += len(frame)
        yield frame


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

    async def _enter_read(self, timeout: float) -> None:
        """Count a read as under way; no read starts while a write is (it waits at most ``timeout``)."""
        if not self._write_lock.locked():
            self._busy += 1
            return
        try:
            await asyncio.wait_for(self._write_lock.acquire(), timeout)
        except TimeoutError:
            raise StoreBusy(
                f"the store is being written and the query could not start within {timeout:g} s; it did not run. "
                "Try again shortly."
            ) from None
        self._busy += 1
        self._write_lock.release()

    async def run(self, job: dict, timeout: float | None = None, reads_store: bool = True) -> dict:
        """Run a read job on an idle worker; a killed worker is replaced before this returns. A job that
        does not read the store (``reads_store=False``: parsing an upload) runs beside a write."""
        timeout = timeout or self.timeout
        if reads_store:
            await self._enter_read(timeout)
        counted = reads_store  # whether this job still counts as a read under way (released below)
        try:
            w = await self._idle.get()
            back: _Worker | None = w  # what goes back to the idle workers
            try:
                answer = await self._call(w, job, timeout)
            except (QueryTimeout, WorkerDied):
                back = await asyncio.to_thread(_Worker.start, self.store_path, False, self.memory)
                raise
            except BaseException:  # cancelled while the worker may still be answering: never reuse it
                self._replace(w, release=counted)
                counted, back = False, None
                raise
            finally:
                if back is not None:
                    self._idle.put_nowait(back)
            return answer
        finally:
            if counted:
                self._release()

    @staticmethod
    async def _call(w: _Worker, job: dict, timeout: float) -> dict:
        """:meth:`_Worker.call` on the event loop: send, wait for the answer until the timeout, else kill.
        An upload (its parsed triples come back whole, megabytes of them) is sent and read in a thread,
        so the event loop never waits for the rest of a large message."""
        if "data" in job or "parts" in job:
            return await asyncio.to_thread(w.call, job, timeout)
        deadline = time.monotonic() + timeout
        await _send(w, job)
        try:
            return await _message(w, deadline, timeout)
        except (QueryTimeout, WorkerDied):
            await asyncio.to_thread(w.kill)
            raise

    async def stream(self, job: dict, timeout: float | None = None) -> tuple[dict, Frames | None]:
        """Run a query job with ``stream`` set: (header, frames). The frames are None when the header is a
        failure or carries the whole ``body``; else the caller must ``aclose()`` them when done.

        The timeout covers the whole job, sending included (the caller ends the stream at
        ``frames.deadline``). A spooled answer frees its worker and the store as soon as it is
        written: the frames come from the file. Frames sent by the worker itself (no room on disk for
        a file) keep it: it is killed at the deadline, or when the frames are closed early, and replaced.
        """
        timeout = timeout or self.timeout
        await self._enter_read(timeout)
        w, fd = None, None
        try:
            w = await self._idle.get()
            deadline = time.monotonic() + timeout  # from when a worker runs it, not while it queues
            await _send(w, {**job, "stream": True})
            header = await _message(w, deadline, timeout)
            if header.get("ok") and header.get("spool"):
                if not await _readable(w.conn, deadline):
                    raise QueryTimeout(f"query stopped after {timeout:g} s")
                fd = w.receive_file(deadline, timeout)
            last = header.pop("last", False)  # a whole answer in one message: nothing follows it
            if header.get("ok") and (fd is not None or ("body" in header and not last)):
                if await _message(w, deadline, timeout) is not None:
                    raise WorkerDied("worker sent more than one answer")
        except BaseException:
            if fd is not None:
                os.close(fd)
            if w is not None:
                self._replace(w)
            else:
                self._release()
            raise
        if not header.get("ok") or "body" in header or fd is not None:
            self._idle.put_nowait(w)
            self._release()
            if fd is not None:
                return header, Frames(_file_frames(fd), deadline, timeout, lambda: os.close(fd))
            return header, None
        # A client that stops reading blocks the stream, not the deadline: the worker is killed on time anyway.
        watchdog = asyncio.get_running_loop().call_at(
            asyncio.get_running_loop().time() + max(0.0, deadline - time.monotonic()), w.process.kill
        )
        state = {"done": False}

        def release() -> None:
            watchdog.cancel()
            if state["done"] and w.process.is_alive():
                self._idle.put_nowait(w)
                self._release()
            else:  # timeout, dead worker, or the consumer stopped early: the worker may be mid-stream
                self._replace(w)

        return header, Frames(self._frames(w, deadline, timeout, state), deadline, timeout, release)

    async def _frames(self, w: _Worker, deadline: float, timeout: float, state: dict) -> AsyncGenerator[bytes, None]:
        while True:
            message = await _message(w, deadline, timeout)
            if message is None:
                state["done"] = True
                return
            if isinstance(message, dict):
                state["done"] = True  # the worker reported the failure and waits for its next job
                raise WorkerDied(message.get("error", "query failed"))
            yield message

    def _release(self) -> None:
        self._busy -= 1
        if self._busy == 0:
            self._drained.set()

    def _replace(self, w: _Worker, release: bool = True) -> None:
        """Kill ``w`` now (no await: this runs in cancelled code too) and start its successor in a task;
        the job counts as busy until the successor is idle (``release``: it was counted), so a write
        cannot miss it."""
        w.process.kill()

        async def successor() -> None:
            try:
                await asyncio.to_thread(w.kill)
                self._idle.put_nowait(await asyncio.to_thread(_Worker.start, self.store_path, False, self.memory))
            finally:
                if release:
                    self._release()

        task = asyncio.get_running_loop().create_task(successor())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def write(self, job: dict, timeout: float | None = None) -> dict:
        """Run a write job alone: drain and stop readers, write in a fresh writable process, restart readers.

        The write waits at most ``timeout`` for another write and for the reads under way (no read
        starts meanwhile), else StoreBusy: nothing written. Then a Graph Store write has ``timeout``
        to be read and checked (WriteTimeout: nothing written) and is committed whatever that takes;
        a SPARQL Update is killed at ``timeout`` (see :meth:`_Worker.update`)."""
        timeout = timeout or self.timeout
        until = time.monotonic() + timeout
        try:
            await asyncio.wait_for(self._write_lock.acquire(), timeout)
        except TimeoutError:
            raise StoreBusy(
                f"another write was still under way after {timeout:g} s, so nothing was written; try again"
            ) from None
        try:
            if not await self._drain(until):
                raise StoreBusy(
                    f"queries under way did not finish within {timeout:g} s, so nothing was written; try again"
                )
            readers = [self._idle.get_nowait() for _ in range(self._idle.qsize())]
            await asyncio.gather(*[asyncio.to_thread(r.stop) for r in readers])
            try:
                writer = await asyncio.to_thread(_Worker.start, self.store_path, True, self.memory)
                try:
                    if job.get("op") == "graph_write":
                        answer = await asyncio.to_thread(writer.confirmed_write, job, timeout)
                    else:
                        answer = await asyncio.to_thread(writer.update, job, timeout)
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
        finally:
            self._write_lock.release()

    async def _drain(self, until: float) -> bool:
        """Wait until no read is under way, or ``until`` (``time.monotonic()``): True when drained."""
        while self._busy:
            self._drained.clear()
            remaining = until - time.monotonic()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._drained.wait(), remaining)
            except TimeoutError:
                return not self._busy
        return True
