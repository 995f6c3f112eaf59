"""Failed write-token attempts, counted per client address: past the limit, 429 for a while.

A client that sends ``limit`` wrong (or missing) Bearer tokens within ``window`` seconds is
answered 429 with ``Retry-After`` on every write until the oldest of those failures is older
than the window, whatever token it sends then, so the token cannot be guessed at network speed.
The address is the TCP peer (``proxy_headers`` is off): behind a reverse proxy every client
shares the proxy's address, and the proxy should limit by client itself.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque


class FailureThrottle:
    def __init__(self, limit: int = 5, window: float = 60.0, max_clients: int = 10_000, clock=time.monotonic):
        self.limit, self.window, self.max_clients, self.clock = limit, window, max_clients, clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str) -> int | None:
        """Seconds ``client`` must wait before its next attempt counts, or None when it may try now."""
        now = self.clock()
        failures = self._recent(client, now)
        if len(failures) < self.limit:
            return None
        return max(1, math.ceil(failures[-self.limit] + self.window - now))

    def failed(self, client: str) -> None:
        now = self.clock()
        failures = self._recent(client, now)
        if client not in self._failures:
            self._failures[client] = failures
        failures.append(now)
        self._failures.move_to_end(client)
        while len(self._failures) > self.max_clients:  # bounded memory: forget the longest-quiet client
            self._failures.popitem(last=False)
