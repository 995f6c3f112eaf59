"""HTTP caching for the read routes, in one place: validators, Cache-Control, 304 and the page cache.

A route describes the representation it is about to make (:class:`Representation`: what its bytes
depend on, its ``Vary``, ``Content-Location`` and ``Link`` headers) and hands :func:`serve` a function
that makes it. :func:`serve` computes the validators, answers ``304 Not Modified`` to a matching
``If-None-Match`` (or, without one, ``If-Modified-Since``) before anything is made, answers from the
page cache (:mod:`service.page_cache`) when it can, and otherwise makes the representation, keeps it
and sends it with the caching headers.

Validators:

- ``ETag`` (weak: the bytes are made again after a restart or an eviction) is a hash of the
  representation key (path, media type, language, query…), the build's identity
  (:class:`BuildIdentity`: ``id`` of ``dist/build-report.json``, else the report's hash), the number
  of writes this process made, the service's own code and the files the representation is read from
  (named queries, ontology). So a new build, a write, an upgrade or an edited query changes it, and
  every process serving the same ``dist/`` gives the same ETag. A file (a dump) gets a strong ETag
  from its size, modification time and inode.
- ``Last-Modified`` is the build time (``built`` in the report, else its modification time), the last
  write, or the newest of those files, whichever is latest.

With an external store (``--store URL``) the data may change behind the service's back, so
representations read from it get no validators, ``Cache-Control: no-cache`` and no page cache.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from fukushi_kg.service.page_cache import Entry, PageCache

SERVICE_DIR = Path(__file__).resolve().parent
CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".rq")
KEPT_HEADERS = "fukushi-"  # headers of a made representation that a cached copy carries too


def _code_fingerprint() -> str:
    """A hash of the service's code, templates and page queries, and the versions that shape output."""
    import pyoxigraph

    from fukushi_kg import __version__

    digest = hashlib.sha256(f"{__version__} {pyoxigraph.__version__}".encode())
    for path in sorted(SERVICE_DIR.rglob("*")):
        if path.suffix in CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(SERVICE_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_fingerprint()


@dataclass(frozen=True)
class BuildIdentity:
    """What names one build: ``digest`` changes with every build, ``modified`` is when it was made."""

    digest: str
    modified: float  # seconds since the epoch


def build_identity(dist: Path) -> BuildIdentity | None:
    """The identity of the build in ``dist``: the report's ``id`` and ``built`` (written by the build),
    else a hash of the report and its modification time, else the store folder's; None without either."""
    report = dist / "build-report.json"
    try:
        raw = report.read_bytes()
        stat = report.stat()
    except OSError:
        raw = None
    if raw is not None:
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        given = data.get("id")
        digest = given if isinstance(given, str) and given else hashlib.sha256(raw).hexdigest()
        return BuildIdentity(digest, _timestamp(data.get("built")) or stat.st_mtime)
    try:
        store = (dist / "store").resolve(strict=True)
        stat = store.stat()
    except OSError:
        return None
    return BuildIdentity(
        hashlib.sha256(f"{store}:{stat.st_ino}:{stat.st_mtime_ns}".encode()).hexdigest(), stat.st_mtime
    )


def _timestamp(value) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


STAMP_SECONDS = 1.0  # a folder's stamp is read again at most this often (:func:`folder_stamp`)
_stamps: dict[Path, tuple[float, tuple[str, float]]] = {}


def folder_stamp(folder: Path | None) -> tuple[str, float]:
    """(hash of the names, sizes and times of the files in ``folder``, newest modification time).

    Read at most once every :data:`STAMP_SECONDS` per folder (listing the folder and stating every
    file on each request cost a warm page as much as the rest of its answer): an edited query or
    ontology file changes the validators within a second."""
    if folder is None:
        return "-", 0.0
    now = time.monotonic()
    kept = _stamps.get(folder)
    if kept is not None and now - kept[0] < STAMP_SECONDS:
        return kept[1]
    stamp = _read_stamp(folder)
    if len(_stamps) > 64:
        _stamps.clear()
    _stamps[folder] = (now, stamp)
    return stamp


def _read_stamp(folder: Path) -> tuple[str, float]:
    if not folder.is_dir():
        return "-", 0.0
    digest = hashlib.sha256()
    newest = 0.0
    for path in sorted(folder.iterdir()):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
        newest = max(newest, stat.st_mtime)
    return digest.hexdigest(), newest


@dataclass(frozen=True)
class Representation:
    """One representation a read route is about to send.

    ``key`` names it apart from the build (path, media type, language, query text…); ``max_age`` is
    how long shared caches may keep it without asking (None: ``no-cache``, always revalidate);
    ``store``: made from the store (validators need the build's identity); ``depends``: folders of
    files it is made from; ``file``: a file sent as it is (validators from the file itself);
    ``keep``: its bytes may go to the page cache; ``validate``: False for an answer that may differ
    from one request to the next (``RAND()``, ``NOW()``, ``SERVICE``): no validators, no cache."""

    key: tuple
    max_age: int | None = 3600
    vary: tuple[str, ...] = ()
    location: str | None = None
    links: tuple[str, ...] = ()
    store: bool = True
    depends: tuple[Path | None, ...] = ()
    file: Path | None = None
    keep: bool = True
    validate: bool = True


@dataclass(frozen=True)
class Validators:
    etag: str
    modified: float | None


class CacheState:
    """What a service process knows for validators: the build's identity, its own writes, the page cache."""

    def __init__(self, identity: BuildIdentity | None = None, pages: PageCache | None = None):
        self.identity = identity
        self.writes = 0
        self.written_at = 0.0
        self.pages = pages or PageCache()
        self.making: dict[tuple, asyncio.Future] = {}  # page-cache keys being made now (:func:`serve`)

    def written(self) -> None:
        """A write went to the store: every validator and cached page of the old content is void."""
        self.writes += 1
        self.written_at = time.time()
        self.pages.clear()


def validators(state: CacheState, rep: Representation) -> Validators | None:
    if not rep.validate:
        return None
    if rep.file is not None:
        try:
            stat = rep.file.stat()
        except OSError:
            return None
        tag = hashlib.sha256(f"{rep.file.name}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}".encode()).hexdigest()
        return Validators(f'"{tag[:32]}"', stat.st_mtime)
    parts = [CODE, repr(rep.key)]
    modified = 0.0
    if rep.store:
        if state.identity is None:
            return None
        parts += [state.identity.digest, str(state.writes)]
        modified = max(state.identity.modified, state.written_at)
    for folder in rep.depends:
        stamp, newest = folder_stamp(folder)
        parts.append(stamp)
        modified = max(modified, newest)
    tag = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return Validators(f'W/"{tag[:32]}"', modified or None)


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Request, found: Validators) -> bool:
    """RFC 9110 §13.2.2 for GET and HEAD: If-None-Match (weak comparison) decides when present;
    otherwise If-Modified-Since against Last-Modified (whole seconds)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        wanted = _opaque(found.etag)
        return any(_opaque(tag) == wanted for tag in if_none_match.split(","))
    since = request.headers.get("if-modified-since")
    if since is None or found.modified is None:
        return False
    try:
        date = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if date.tzinfo is None:  # an obsolete date form without a zone: HTTP dates are GMT
        return False
    return int(found.modified) <= date.timestamp()


def cache_control(state: CacheState, rep: Representation, found: Validators | None, writable: bool) -> str:
    if found is None or rep.max_age is None or (writable and rep.store and rep.file is None):
        return "no-cache"
    return f"public, max-age={rep.max_age}"


def http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


async def serve(
    request: Request,
    state: CacheState,
    rep: Representation,
    make: Callable[[], Awaitable[Response]],
    writable: bool = False,
) -> Response:
    """The representation ``make()`` makes, or a 304, or the page cache's copy; with caching headers.

    ``make`` returns a Response; anything but a 200 is passed on as it is (no caching headers, not kept).
    ``writable``: the service takes writes, so answers read from the store are ``no-cache``."""
    found = validators(state, rep)
    headers = {"Cache-Control": cache_control(state, rep, found, writable)}
    if rep.vary:
        headers["Vary"] = ", ".join(rep.vary)
    if rep.location:
        headers["Content-Location"] = rep.location
    if found is not None:
        headers["ETag"] = found.etag
        if not_modified(request, found):
            return Response(status_code=304, headers=headers)
        if found.modified is not None:
            headers["Last-Modified"] = http_date(found.modified)
    if rep.links:
        headers["Link"] = ", ".join(rep.links)
    key = (rep.key, found.etag) if found is not None and rep.keep and rep.file is None else None
    if key is None:
        return _with(await make(), headers)
    entry = state.pages.get(key)
    if entry is None and key in state.making:
        # the same representation is being made for another request: wait for it, not make it twice
        # (many clients asking for one cold page made it once each, all waiting for the workers)
        await asyncio.shield(state.making[key])
        entry = state.pages.get(key)
    if entry is not None:
        return Response(entry.body, media_type=entry.media_type, headers={**dict(entry.headers), **headers})
    made: asyncio.Future = asyncio.get_running_loop().create_future()
    state.making.setdefault(key, made)
    try:
        response = _with(await make(), headers)
        body = getattr(response, "body", None)  # a file or a stream has none: not kept
        if response.status_code == 200 and isinstance(body, bytes):
            kept = tuple((k, v) for k, v in response.headers.items() if k.startswith(KEPT_HEADERS))
            state.pages.put(key, Entry(body, response.headers.get("content-type", ""), kept))
        return response
    finally:
        if state.making.get(key) is made:
            del state.making[key]
        made.set_result(None)  # whoever waited looks in the cache, and makes it when it is not there


def _with(response: Response, headers: dict[str, str]) -> Response:
    """A made 200 with the caching headers; anything else as it is (no caching headers)."""
    if response.status_code != 200:
        return response
    for name, value in headers.items():
        response.headers[name] = value
    return response


class CachedStaticFiles(StaticFiles):
    """``/static``: Starlette's validators (ETag, Last-Modified, 304) and HEAD, plus ``Cache-Control``."""

    max_age = 3600

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers.setdefault("Cache-Control", f"public, max-age={self.max_age}")
        return response
