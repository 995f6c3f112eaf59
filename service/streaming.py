"""A streamed answer that ends at its deadline, whatever the client does.

The body of a large SELECT answer (:class:`service.executor.Frames`, read from the spool file the
worker handed over) is sent frame by frame. The job's timeout covers sending too: when
``frames.deadline`` passes (a client that reads slowly, or has stopped reading, leaves the send
blocked), the stream ends there. The spool file is closed (and so deleted) first; then a line
``#FUKUSHI-KG-ERROR: <message>`` is queued after what the connection already holds, the body
ends without its final chunk (HTTP clients report an incomplete body, as the status was sent
long before), and the connection is closed: at once if the client takes what is queued, and
by force :data:`MARKER_GRACE` seconds later if it does not. The connection is ended through
the ``fukushi_kg.end`` extension of the service's HTTP protocol (:mod:`service.protocol`);
under another server the line is sent if the client takes it within the grace, and the
server closes the connection.

A client that disconnects stops the stream at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from fukushi_kg.service.executor import Frames, QueryTimeout, WorkerDied
from fukushi_kg.service.protocol import END_EXTENSION

STREAM_ERROR = b"\n#FUKUSHI-KG-ERROR: "
MARKER_GRACE = 5.0  # seconds a client that stopped reading keeps the connection after the deadline


class StreamAborted(Exception):
    """A streamed answer failed after its headers were sent; the connection is closed unfinished."""


class DeadlineStream(Response):
    """``frames`` as a chunked body with status 200 and ``headers``, ended at ``frames.deadline``."""

    def __init__(
        self, frames: Frames, media_type: str, headers: dict[str, str], on_close: Callable[[], None] | None = None
    ):
        self.frames = frames
        self.on_close = on_close
        self.status_code = 200
        self.media_type = media_type
        self.background = None
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        end = (scope.get("extensions") or {}).get(END_EXTENSION)
        body = asyncio.ensure_future(self._send_body(send, end))
        gone = asyncio.ensure_future(_until_disconnect(receive))
        try:
            await asyncio.wait((body, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (body, gone):
                task.cancel()
            await asyncio.gather(body, gone, return_exceptions=True)
            await self.frames.aclose()
            if self.on_close is not None:
                self.on_close()
        failed = None if body.cancelled() else body.exception()
        if failed is not None:
            raise failed

    async def _send_body(self, send: Send, end) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + (self.frames.deadline - time.monotonic())
        started = False
        try:
            # the head goes out even when the answer took (nearly) all the time: the marker can follow it
            async with asyncio.timeout_at(max(until, loop.time() + MARKER_GRACE)):
                await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            started = True
            async with asyncio.timeout_at(until):
                async for frame in self.frames:
                    await send({"type": "http.response.body", "body": frame, "more_body": True})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
        except TimeoutError:
            message = (
                f"Timeout: the answer was not sent within the query's {self.frames.timeout:g} s "
                "(the client did not read it in time); the stream was stopped."
            )
        except (QueryTimeout, WorkerDied) as error:
            message = f"Timeout: {error}; the query was stopped." if isinstance(error, QueryTimeout) else str(error)
        await self.frames.aclose()  # the spool file (or the worker) is freed before anything waits on the client
        marker = STREAM_ERROR + message.encode() + b"\n"
        if end is not None:
            end(marker if started else None, MARKER_GRACE)
        elif started:
            try:
                async with asyncio.timeout(MARKER_GRACE):
                    await send({"type": "http.response.body", "body": marker, "more_body": True})
            except TimeoutError:
                pass
        raise StreamAborted(message)


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
