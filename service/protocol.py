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
Each refusal closes the connection, so nothing more of the request is read.

Every request's scope carries the ASGI extension ``fukushi_kg.end``: ``end(last, grace)`` ends the
response being sent without waiting for the client. ``last`` goes out after what is queued (as a
chunk of a chunked body), the connection is closed once the client has taken it, and aborted
``grace`` seconds later if it has not; ``last=None`` aborts at once. A streamed answer that
passes its deadline uses it (:mod:`service.streaming`): a client that stopped reading cannot
keep the connection, or the server's buffers, beyond that.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from fukushi_kg.service.limits import describe
from fukushi_kg.service.security import HEADERS

END_EXTENSION = "fukushi_kg.end"
MAX_URL_BYTES = 65_535  # httptools' http_parser_url stores offsets and lengths as uint16

_REASONS = {400: b"Bad Request", 413: b"Content Too Large", 414: b"URI Too Long"}


def protocol_class(max_query_bytes: int) -> type[HttpToolsProtocol]:
    """An ``HttpToolsProtocol`` subclass for ``uvicorn.run(http=...)`` with this service's URL limit."""

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        max_query = max_query_bytes

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._url_bytes = 0
            self._refused = False

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
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
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
