"""One SPARQL 1.1 Protocol client: what ``fukushi-kg lint URL`` and ``fukushi-kg serve --store URL``
send to an endpoint, and how they read its answers.

- A query is a GET, or a form POST when the URL would pass :data:`MAX_GET_URL` characters; an
  update is always a form POST. Never ``POST application/sparql-query`` (Virtuoso 7.2 hangs on
  it), and always an explicit ``Accept`` (Virtuoso answers HTML without one).
- Every request has a time limit: the caller's deadline (``time.monotonic()``) or the client's
  ``timeout``; past it, :class:`SparqlTimeout`.
- Credentials (``user``, ``password``) go as Basic or Digest, whichever the server's first 401
  asks for (Virtuoso's Graph Store wants Digest).
- Redirects are never followed: an endpoint URL that answers 3xx is reported with where it points
  (a redirect could send the query, and the credentials, to another host).
- An answer larger than ``max_body`` bytes is refused while it is read, whatever it is.
- Failures are one of three exceptions with a message a person can act on, naming the URL:
  :class:`SparqlTimeout`, :class:`SparqlUnavailable` (unreachable, 5xx, redirect, an answer that
  cannot be read), :class:`SparqlRefused` (4xx: the endpoint rejects this request).

Answers: :func:`results_json` reads SELECT and ASK results (SPARQL JSON, with Virtuoso's
``typed-literal`` and ``nodeID://`` blank nodes made standard); :func:`read_triples` reads a
CONSTRUCT or DESCRIBE answer (N-Triples, Turtle or RDF/XML, by its content type).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin

import httpx
import pyoxigraph as ox

RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
MAX_GET_URL = 4000  # longer requests are sent as form POST
MAX_BODY = 512 * 1024 * 1024  # a response larger than this is refused, whatever the row cap
USER_AGENT = "fukushi-kg"


class SparqlError(Exception):
    """The endpoint gave no usable answer; the message says which endpoint and why."""


class SparqlTimeout(SparqlError):
    """The endpoint did not answer within the time allowed."""


class SparqlUnavailable(SparqlError):
    """The endpoint could not be reached, redirected, answered a server error or an unreadable body."""


class SparqlRefused(SparqlError, ValueError):
    """The endpoint refused the request (4xx); a ValueError, so the service answers 400 with the message."""


class _Auth(httpx.Auth):
    """Basic or Digest, whichever the server's first 401 asks for."""

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password
        self._digest: httpx.DigestAuth | None = None
        self._basic = False
        self._lock = threading.Lock()

    def _basic_header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._digest is not None:
            yield from self._digest.auth_flow(request)
            return
        if self._basic:
            request.headers["Authorization"] = self._basic_header()
            yield request
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        with self._lock:
            if challenge.startswith("digest"):
                self._digest = httpx.DigestAuth(self.user, self.password)
            else:
                self._basic = True
        if self._digest is not None:
            yield from self._digest.auth_flow(request)
        else:
            request.headers["Authorization"] = self._basic_header()
            yield request


def auth(user: str | None, password: str | None) -> httpx.Auth | None:
    """Basic-or-Digest credentials for ``user`` (None without a user)."""
    return _Auth(user, password or "") if user else None


@dataclass(frozen=True)
class Reply:
    """A response read in full (under the client's ``max_body``)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


class SparqlClient:
    """The endpoint at ``url`` (updates to ``update_url``, default ``url``); one HTTP client, thread-safe.

    ``label`` names the endpoint in messages ("the store" for ``serve --store``, "the endpoint" for lint).
    """

    def __init__(
        self,
        url: str,
        update_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        *,
        timeout: float = 60.0,
        max_body: int = MAX_BODY,
        label: str = "the endpoint",
    ) -> None:
        self.url = url
        self.update_url = update_url
        self.user = user
        self.password = password
        self.timeout = timeout
        self.max_body = max_body
        self.label = label
        self.client = httpx.Client(
            auth=auth(user, password), follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> SparqlClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ requests
    def request(
        self,
        params: Iterable[tuple[str, str]],
        accept: str,
        deadline: float | None = None,
        update: bool = False,
    ) -> Reply:
        """One protocol request (``query=`` or ``update=`` plus dataset parameters); a 2xx Reply or SparqlError."""
        remaining = (deadline - time.monotonic()) if deadline is not None else self.timeout
        if remaining <= 0:
            raise SparqlTimeout(f"{self.label} at {self.url}: no time left for the request")
        url = (self.update_url or self.url) if update else self.url
        encoded = urlencode(list(params))
        headers = {"Accept": accept}
        try:
            if not update and len(url) + len(encoded) + 1 <= MAX_GET_URL:
                reply = self._send("GET", f"{url}{'&' if '?' in url else '?'}{encoded}", headers, None, remaining)
            else:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                reply = self._send("POST", url, headers, encoded.encode(), remaining)
        except httpx.TimeoutException:
            raise SparqlTimeout(f"{self.label} at {url} did not answer within {max(remaining, 0):.3g} s") from None
        except httpx.HTTPError as error:
            raise SparqlUnavailable(f"cannot reach {self.label} at {url}: {error}") from None
        if 300 <= reply.status_code < 400:
            target = reply.headers.get("location")
            where = f" to {urljoin(url, target)}" if target else ""
            raise SparqlUnavailable(
                f"{self.label} at {url} redirects ({reply.status_code}){where}; redirects are not followed: "
                "name the endpoint's own URL"
            )
        if reply.status_code >= 500:
            raise SparqlUnavailable(f"{self.label} at {url} answered {reply.status_code}: {excerpt(reply.content)}")
        if reply.status_code >= 400:
            raise SparqlRefused(
                f"{self.label} at {url} refused the request ({reply.status_code}): {excerpt(reply.content)}"
            )
        return reply

    def _send(self, method: str, url: str, headers: dict[str, str], body: bytes | None, timeout: float) -> Reply:
        with self.client.stream(method, url, headers=headers, content=body, timeout=timeout) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_body:
                    raise SparqlUnavailable(
                        f"{self.label} at {url}: the answer is larger than {self.max_body // 2**20} MiB"
                    )
                chunks.append(chunk)
            return Reply(response.status_code, response.headers, b"".join(chunks))

    # ------------------------------------------------------------------ queries
    def select(
        self, query: str, params: Iterable[tuple[str, str]] = (), deadline: float | None = None
    ) -> tuple[dict, Reply]:
        """A SELECT or ASK query: its SPARQL JSON results (see :func:`results_json`) and the reply."""
        reply = self.request([("query", query), *params], RESULTS_ACCEPT, deadline)
        return results_json(reply, f"{self.label} at {self.url}"), reply

    def construct(
        self, query: str, params: Iterable[tuple[str, str]] = (), deadline: float | None = None
    ) -> tuple[list[ox.Triple], Reply]:
        """A CONSTRUCT or DESCRIBE query: its triples and the reply."""
        reply = self.request([("query", query), *params], GRAPH_ACCEPT, deadline)
        return read_triples(reply, f"{self.label} at {self.url}"), reply


def excerpt(body: bytes, limit: int = 500) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    return text[:limit] + ("…" if len(text) > limit else "")


# ------------------------------------------------------------------ answers
def _fix_binding(term: dict) -> dict:
    """Older or vendor JSON results into SPARQL 1.1 JSON (Virtuoso: typed-literal, nodeID:// blank nodes)."""
    if term.get("type") == "typed-literal":
        term = {**term, "type": "literal"}
    if term.get("type") == "bnode":
        term = {**term, "value": re.sub(r"[^A-Za-z0-9_]", "_", term["value"]).lstrip("_") or "b"}
    return term


def results_json(reply: Reply, who: str = "the endpoint") -> dict:
    """SPARQL JSON results (``{"head", "results": {"bindings"}}`` or ``{"head", "boolean"}``), bindings made standard."""
    media = reply.headers.get("content-type", "").split(";")[0].strip().lower()
    if "json" not in media:
        raise SparqlUnavailable(f"{who} answered {media or 'no content type'}, not SPARQL JSON results")
    try:
        data = json.loads(reply.content)
    except (ValueError, UnicodeDecodeError) as error:
        raise SparqlUnavailable(f"{who}: the results are not JSON ({error})") from None
    if not isinstance(data, dict) or not (
        isinstance(data.get("boolean"), bool)
        or (isinstance(data.get("results"), dict) and isinstance(data["results"].get("bindings"), list))
    ):
        raise SparqlUnavailable(f"{who}: the answer is JSON but not SPARQL results")
    for row in data.get("results", {}).get("bindings", []):
        if not isinstance(row, dict) or not all(
            isinstance(t, dict) and isinstance(t.get("type"), str) and isinstance(t.get("value"), str)
            for t in row.values()
        ):
            raise SparqlUnavailable(f"{who}: a result row is not a map of terms with type and value")
        for key, term in row.items():
            row[key] = _fix_binding(term)
    return data


_TRIPLE_MEDIA = {"text/plain": ox.RdfFormat.N_TRIPLES}  # what older servers call N-Triples


def read_triples(reply: Reply, who: str = "the endpoint") -> list[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE answer, in the syntax its content type names."""
    media = reply.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = _TRIPLE_MEDIA.get(media) or (ox.RdfFormat.from_media_type(media) if media else None)
    if fmt is None or fmt.supports_datasets:
        raise SparqlUnavailable(f"{who} answered {media or 'no content type'} to a graph query")
    try:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(reply.content, format=fmt)]
    except (SyntaxError, ValueError) as error:
        raise SparqlUnavailable(f"{who}: the graph it answered cannot be read ({error})") from None
