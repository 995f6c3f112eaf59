"""Rendered representations kept in memory: least recently used first out, bounded in entries and bytes.

Keys name one representation of one build (``service.caching`` makes them from the path, the media
type, the language and the build's identity), so an entry is never stale: a new build or a write
changes the identity and with it every key, and the old entries age out.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

MAX_ENTRIES = 2000
MAX_BYTES = 64 << 20


@dataclass(frozen=True)
class Entry:
    body: bytes
    media_type: str  # the Content-Type header value
    headers: tuple[tuple[str, str], ...] = ()  # other headers the representation carries (row counts, ...)


class PageCache:
    """An LRU map of ``key -> Entry``; one entry larger than an eighth of ``max_bytes`` is not kept.

    Used from the event loop only (no locking needed)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: tuple, entry: Entry) -> None:
        size = len(entry.body)
        if self.max_entries <= 0 or size > self.max_bytes // 8:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self._entries[key] = entry
        self.bytes += size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.bytes -= len(dropped.body)

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0
