"""The HTTP/1.1 protocol the service runs on: uvicorn's httptools protocol with honest answers for
requests the parser itself cannot take.

httptools records URL offsets in 16 bits, so a URL longer than 65,535 bytes used to fail inside the
parser and get uvicorn's bare ``400 Invalid HTTP request received.``. Here the URL is counted as it
arrives and never held past that size:

- a URL longer than ``max_query_bytes`` is refused with 413, as ``service.limits`` refuses a long
  URL query that the parser can take (the same limit, whatever the transport);
- a shorter URL that is still over 65,535 bytes is refused with 414 URI Too Long, naming POST, which
  takes queries up to ``max_query_bytes``.

Malformed requests keep their 400, now with the service's security headers and a plain-text body.

The request head is bounded in size and in time, and connections in number:

- header lines (the URL aside) larger than ``max_header_bytes`` in all are refused with 431, counted
  as they arrive (the parser would otherwise hold a header of any length in memory);
- a request whose head has not arrived ``header_timeout`` seconds after the connection opened (or,
  on a kept-alive connection, after its first byte) is answered 408 and closed, so half-sent
  requests cannot hold connections;
- past ``max_connections`` open connections, a new one is answered 503 and closed at once.

Each refusal closes the connection, so nothing more of the request is kept. A connection closed
while the client is still sending its request (a 413 before the body is read) is closed the way a
lingering close does: the answer is sent, the sending side shut, and what still arrives is read
and dropped for up to :data:`LINGER_SECONDS` (and :data:`LINGER_BYTES`, :data:`LINGER_HEAD_BYTES`
after a refused head), so the client reads the
answer instead of a connection reset that would discard it.

Every request's scope carries the ASGI extension ``fukushi_kg.end``: ``end(last, grace)`` ends the
response being sent without waiting for the client. ``last`` goes out after what is queued (as a
chunk of a chunked body), the connection is closed once the client has taken it, and aborted
``grace`` seconds later if it has not; ``last=None`` aborts at once. A streamed answer that
passes its deadline uses it (:mod:`service.streaming`): a client that stopped reading cannot
keep the connection, or the server's buffers, beyond that.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from fukushi_kg.service.limits import describe
from fukushi_kg.service.security import HEADERS

END_EXTENSION = "fukushi_kg.end"
MAX_URL_BYTES = 65_535  # httptools' http_parser_url stores offsets and lengths as uint16
MAX_HEADER_BYTES = 64 << 10
HEADER_TIMEOUT = 10.0
MAX_CONNECTIONS = 1000
LINGER_SECONDS = 2.0
LINGER_BYTES = 64 << 20  # after a body refused (more than --max-upload-bytes: a legitimate upload drains)
LINGER_HEAD_BYTES = 1 << 20  # after a head refused (431, 414): an endless header is not read on


COALESCE_BYTES = 64 << 10  # writes held within one event-loop step, up to this many bytes, go out as one


class _LingeringTransport:
    """The connection's transport for uvicorn, whose ``close()`` asks the protocol whether to linger.

    Writes made within one step of the event loop are joined into one send (up to
    :data:`COALESCE_BYTES`; a larger write goes out at once): uvicorn writes a response's head and
    its body separately, and on loopback a send costs more than the rest of a small answer's
    serving. What is held goes out at the end of the step, before a close, and never after an abort."""

    def __init__(self, transport, protocol) -> None:
        self.raw = transport
        self._protocol = protocol
        self._held: list[bytes] = []
        self._held_bytes = 0

    def __getattr__(self, name: str):
        return getattr(self.raw, name)

    def write(self, data: bytes) -> None:
        if not self._held:
            if len(data) >= COALESCE_BYTES:
                self.raw.write(data)
                return
            self._protocol.loop.call_soon(self.flush)
        self._held.append(bytes(data))
        self._held_bytes += len(data)
        if self._held_bytes >= COALESCE_BYTES:
            self.flush()

    def flush(self) -> None:
        """Send what is held now."""
        if not self._held:
            return
        held, self._held, self._held_bytes = self._held, [], 0
        if not self.raw.is_closing():
            self.raw.write(held[0] if len(held) == 1 else b"".join(held))

    def abort(self) -> None:
        self._held, self._held_bytes = [], 0
        self.raw.abort()

    def close(self) -> None:
        self.flush()
        self._protocol._close()


_REASONS = {
    400: b"Bad Request",
    408: b"Request Timeout",
    413: b"Content Too Large",
    414: b"URI Too Long",
    431: b"Request Header Fields Too Large",
    503: b"Service Unavailable",
}


def protocol_class(
    max_query_bytes: int,
    max_header_bytes: int = MAX_HEADER_BYTES,
    header_timeout: float = HEADER_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
) -> type[HttpToolsProtocol]:
    """An ``HttpToolsProtocol`` subclass for ``uvicorn.run(http=...)`` with this service's limits."""

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        max_query = max_query_bytes
        max_header = max_header_bytes
        head_timeout = header_timeout
        max_open = max_connections
        _refused = False
        _head_done = False
        _head_bytes = 0
        _url_bytes = 0
        _header_bytes = 0
        _head_timer = None
        _lingering = False
        _lingered = 0
        _linger_timer = None
        _body_pending = False  # a refusal came before the request's end (413, 414, 431)
        _linger_budget = LINGER_BYTES
        _raw: asyncio.Transport

        def connection_made(self, transport) -> None:
            self._raw = transport
            super().connection_made(cast(asyncio.Transport, _LingeringTransport(transport, self)))
            if len(self.connections) > self.max_open:
                self._refuse(
                    503, f"This service has {self.max_open} connections open, its most; try again in a moment."
                )
                return
            self._arm_head_timer()

        def connection_lost(self, exc) -> None:
            self._disarm_head_timer()
            if self._linger_timer is not None:
                self._linger_timer.cancel()
                self._linger_timer = None
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._lingering:  # the answer is out: what the client still sends is dropped
                self._lingered += len(data)
                if self._lingered > self._linger_budget:
                    self._raw.close()
                return
            if self._refused:
                return
            head_pending = not self._head_done
            super().data_received(data)
            if head_pending and not self._head_done and not self._refused:
                # the head is still coming: everything received so far but the URL is header lines
                self._head_bytes += len(data)
                if self._head_bytes - self._url_bytes > self.max_header + 4096:
                    self._refuse_header()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._url_bytes = 0
            self._header_bytes = 0
            self._head_bytes = 0
            self._head_done = False
            self._refused = False
            self._arm_head_timer()

        def on_url(self, url: bytes) -> None:
            if self._refused:
                return
            self._url_bytes += len(url)
            if self._url_bytes > self.max_query:
                self._refuse(413, f"The URL is longer than this service accepts ({describe(self.max_query)}).")
            elif self._url_bytes <= MAX_URL_BYTES:
                self.url += url

        def on_header(self, name: bytes, value: bytes) -> None:
            if self._refused or not self._url_ok():
                return
            self._header_bytes += len(name) + len(value) + 4  # "name: value\r\n"
            if self._header_bytes > self.max_header:
                self._refuse_header()
                return
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._head_done = True
            self._disarm_head_timer()
            if self._refused or not self._url_ok():
                return
            super().on_headers_complete()  # makes this request's cycle; its ASGI task has not run yet
            cycle = self.cycle
            if cycle is not None and cycle.scope is self.scope:
                extensions: dict[str, Any] = {END_EXTENSION: partial(self._end_response, cycle)}
                self.scope["extensions"] = extensions

        def on_body(self, body: bytes) -> None:
            if not self._refused:
                super().on_body(body)

        def on_message_complete(self) -> None:
            if not self._refused:
                super().on_message_complete()

        def send_400_response(self, msg: str) -> None:
            self._refuse(400, msg)

        # -- helpers

        def _end_response(self, cycle: RequestResponseCycle, last: bytes | None, grace: float) -> None:
            """The ``fukushi_kg.end`` extension of ``cycle``'s request (see the module's docstring); the
            cycle, not ``self.cycle``, which a pipelined request after it replaces."""
            transport = self.transport
            if transport.is_closing():
                return
            if last is None:
                transport.abort()
                return
            if cycle.chunked_encoding:
                last = b"%x\r\n%s\r\n" % (len(last), last)
            transport.write(last)
            transport.close()  # after the queued bytes are sent
            self.loop.call_later(grace, transport.abort)  # no-op once closed

        def _close(self) -> None:
            """Close now, or linger when the client may still be sending the request (see the module)."""
            raw = self._raw
            if self._lingering or raw.is_closing():
                return
            sending = self._body_pending or (self.cycle is not None and self.cycle.more_body)
            if not sending or not raw.can_write_eof():
                raw.close()
                return
            self._lingering = True
            self._disarm_head_timer()
            raw.write_eof()  # after what is buffered: the client reads the whole answer, then the end
            raw.resume_reading()
            self._linger_timer = self.loop.call_later(LINGER_SECONDS, raw.close)

        def _refuse_header(self) -> None:
            self._refuse(
                431, f"The request's header fields are larger than this service accepts ({describe(self.max_header)})."
            )

        def _arm_head_timer(self) -> None:
            if self._head_timer is None and self.head_timeout:
                self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

        def _disarm_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if self._head_done or self._refused or self.transport.is_closing():
                return
            if self._head_bytes or self._url_bytes:
                self._refuse(
                    408, f"The request's head did not arrive within {self.head_timeout:g} s; the connection is closed."
                )
            else:  # nothing sent at all: close without an answer
                self._refused = True
                self.transport.close()

        def _url_ok(self) -> bool:
            """False (and the request refused) once a complete URL turns out too long for the parser."""
            if self._url_bytes > MAX_URL_BYTES:
                self._refuse(
                    414,
                    f"The URL is longer than {MAX_URL_BYTES:,} bytes; send the query by POST "
                    f"(as a form or as application/sparql-query, up to {describe(self.max_query)}).",
                )
                return False
            return True

        def _refuse(self, status: int, message: str) -> None:
            self._refused = True  # the parser may go on calling back for the rest of this chunk
            self._body_pending = status in (413, 414, 431)  # the client may still be sending: linger
            self._linger_budget = LINGER_BYTES if status == 413 else LINGER_HEAD_BYTES
            self._disarm_head_timer()
            if self.transport.is_closing():
                return
            body = (message.rstrip() + "\n").encode("utf-8")
            head = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])]
            for name, value in self.server_state.default_headers:
                head.append(name + b": " + value + b"\r\n")
            for header, text in HEADERS.items():
                head.append(f"{header}: {text}\r\n".encode("latin-1"))
            head.append(b"content-type: text/plain; charset=utf-8\r\n")
            head.append(b"content-length: %d\r\n" % len(body))
            head.append(b"connection: close\r\n\r\n")
            self.transport.write(b"".join(head) + body)
            self.transport.close()

    return LimitedHttpToolsProtocol
