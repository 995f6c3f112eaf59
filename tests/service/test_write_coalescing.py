"""service/protocol.py: the writes of one event-loop step (a response's head and body) go out as
one send, on a real socket transport: nothing is on the wire before the step ends, then all of
it; a large write goes at once; a close sends what is held first, an abort drops it."""

from __future__ import annotations

import asyncio
import socket

from fukushi_kg.service.protocol import COALESCE_BYTES, _LingeringTransport


class _Owner:
    """What the transport needs of uvicorn's protocol: its loop, and ``_close`` (here: close the socket)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, raw: asyncio.Transport):
        self.loop = loop
        self.raw = raw

    def _close(self) -> None:
        self.raw.close()


def _pending(peer: socket.socket) -> bytes | None:
    """What the peer can read now without waiting (b"" at end of stream), or None when nothing is there."""
    try:
        return peer.recv(1 << 20)
    except BlockingIOError:
        return None


def _run(scenario) -> None:
    async def main() -> None:
        ours, peer = socket.socketpair()
        peer.setblocking(False)
        loop = asyncio.get_running_loop()
        raw, _ = await loop.connect_accepted_socket(asyncio.Protocol, ours)
        transport = _LingeringTransport(raw, _Owner(loop, raw))
        try:
            await scenario(transport, peer)
        finally:
            raw.abort()
            peer.close()

    asyncio.run(main())


def test_the_writes_of_one_step_go_out_together():
    async def scenario(transport, peer):
        transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        transport.write(b"ok")
        assert _pending(peer) is None  # held until the step ends
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert _pending(peer) == b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"

    _run(scenario)


def test_a_large_write_goes_at_once_after_what_was_held():
    async def scenario(transport, peer):
        transport.write(b"head")
        transport.write(b"x" * COALESCE_BYTES)
        received = b""
        while (chunk := _pending(peer)) is not None:
            received += chunk
        assert received.startswith(b"headxxx") and len(received) > 4

    _run(scenario)


def test_close_sends_what_is_held_and_abort_drops_it():
    async def scenario(transport, peer):
        transport.write(b"last words")
        transport.close()
        await asyncio.sleep(0.05)
        assert _pending(peer) == b"last words"
        assert _pending(peer) == b""  # then the end of the stream

    _run(scenario)

    async def aborted(transport, peer):
        transport.write(b"never sent")
        transport.abort()
        await asyncio.sleep(0.05)
        try:
            got = peer.recv(100)
        except ConnectionResetError:
            got = b""
        assert got == b""

    _run(aborted)
