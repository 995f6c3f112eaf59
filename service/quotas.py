"""Per-client limits on heavy work: SPARQL queries and lints of anonymous clients.

A client is its IP address; the holder of the write token is exempt. Each anonymous client may
have at most ``limit`` queries under way (``--per-client-queries``, default ``workers - 1``), so
that one client never holds every query worker. A further query of the same client still runs
when a worker is idle, but as a guest: with a short time limit (:data:`SPARE_SECONDS`), so that it
gives the worker back before anyone waits long. With no idle worker it is refused at once with 429
and ``Retry-After``. Each anonymous client may have :data:`LINTS_PER_CLIENT` lints under way (one
linting, one waiting), and the lint queue as a whole is bounded (:class:`LintQueue`). ``limit`` 0 turns the per-client
rule off (behind a proxy every client has the proxy's address).

Anonymous ``POST /lint`` bodies have their own, smaller size limit (``--lint-max-bytes``):
:class:`AnonymousLintLimit` refuses them with 413 before they are read, as ``service.limits`` does.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from fukushi_kg.service import errors
from fukushi_kg.service.limits import capped, describe

SPARE_SECONDS = 2.0  # time limit of a query that runs beyond its client's share on an idle worker
LINTS_PER_CLIENT = 2  # one linting, one waiting


def authenticated(headers, token: str | None) -> bool:
    """Whether the request carries the service's write token as a Bearer token."""
    if not token:
        return False
    scheme, _, value = (headers.get("authorization") or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass
class Ticket:
    """One admitted request; ``release()`` (idempotent) when its work is done or its stream ends."""

    on_release: Callable[[], None] | None = None
    spare: bool = False  # runs beyond the client's share, with the short time limit

    def release(self) -> None:
        done, self.on_release = self.on_release, None
        if done is not None:
            done()


def _count(counts: dict[str, int], client: str) -> Ticket:
    """Count one more for ``client``; the ticket takes it back."""
    counts[client] = counts.get(client, 0) + 1

    def back() -> None:
        left = counts.get(client, 1) - 1
        if left > 0:
            counts[client] = left
        else:
            counts.pop(client, None)

    return Ticket(back)


class Refused(Exception):
    """A request over its client's limit: answer :meth:`response`."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after

    def response(self):
        return errors.problem(429, str(self), {"Retry-After": str(self.retry_after)})


class ClientQuotas:
    """In-flight counts per client address, for queries and for lints."""

    def __init__(self, limit: int, token: str | None, retry_after: float, lint_limit: int = LINTS_PER_CLIENT):
        self.limit = limit
        self.lint_limit = lint_limit if limit else 0
        self.token = token
        self.retry_after = max(1, int(retry_after))
        self.queries: dict[str, int] = {}
        self.lints: dict[str, int] = {}

    def admit_query(self, request: Request, idle_workers: int) -> Ticket:
        """A ticket for one query, or Refused. ``idle_workers``: workers free right now."""
        if not self.limit or authenticated(request.headers, self.token):
            return Ticket()
        client = client_of(request)
        held = self.queries.get(client, 0)
        spare = held >= self.limit
        if spare and idle_workers <= 0:
            raise Refused(
                f"Too many queries from this client at once: {held} under way, at most {self.limit} "
                "while every query worker is busy (--per-client-queries). Wait for an answer, then ask again.",
                self.retry_after,
            )
        ticket = _count(self.queries, client)
        ticket.spare = spare
        return ticket

    def spare_timeout(self) -> Refused:
        """What a guest query that ran out of its short time limit is answered."""
        return Refused(
            f"Too many queries from this client at once: this one ran beyond the client's share of "
            f"{self.limit} on an idle worker, where a query may take {SPARE_SECONDS:g} s, and was stopped. "
            "Send it again when your other queries have been answered.",
            self.retry_after,
        )

    def admit_lint(self, request: Request) -> Ticket:
        if not self.lint_limit or authenticated(request.headers, self.token):
            return Ticket()
        client = client_of(request)
        held = self.lints.get(client, 0)
        if held >= self.lint_limit:
            raise Refused(
                f"This client already has {held} lints under way (at most {self.lint_limit} at once); "
                "wait for a report, then send the next.",
                self.retry_after,
            )
        return _count(self.lints, client)


class LintQueue:
    """At most ``jobs + waiting`` lints admitted at once (running, waiting for a slot, or sending their
    body); one more is refused with 429 before its body is read."""

    def __init__(self, jobs: int, waiting: int, retry_after: float):
        self.bound = max(1, jobs) + max(0, waiting)
        self.waiting = max(0, waiting)
        self.retry_after = max(1, int(retry_after))
        self.admitted = 0

    def admit(self) -> Ticket:
        if self.admitted >= self.bound:
            raise Refused(
                f"The lint queue is full ({self.waiting} waiting besides the running lints, --lint-queue); "
                "try again later, or lint locally with `fukushi-kg lint`.",
                self.retry_after,
            )
        self.admitted += 1

        def back() -> None:
            self.admitted -= 1

        return Ticket(back)


class AnonymousLintLimit:
    """ASGI middleware: ``POST /lint`` bodies of clients without the write token are limited to
    ``max_bytes`` (declared lengths refused at once, chunked bodies counted as they arrive)."""

    def __init__(self, app: ASGIApp, max_bytes: int, token: str | None):
        self.app = app
        self.max_bytes = max_bytes
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != "/lint" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers") or ()}
        if authenticated(headers, self.token):
            await self.app(scope, receive, send)
            return
        message = (
            f"The request body is larger than this service lints for an anonymous client "
            f"({describe(self.max_bytes)}, --lint-max-bytes); lint large graphs locally with `fukushi-kg lint`."
        )
        await capped(self.app, scope, receive, send, self.max_bytes, message)
