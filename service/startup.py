"""Start-up checks, each one line that names the problem and the fix, never a traceback:

- the settings (``check_settings``): a whitespace-only write token or one with surrounding
  whitespace, an ``--allow`` that is not an http(s) URL: exit 2; a write token under 16
  characters on a host other than loopback: a warning;
- the port (``bind``): bound before anything else starts, so a port in use exits 3 before the
  build, the store check or the query workers;
- the store (``check_store``): missing, dangling, corrupt or unreadable: exit 2.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg.graph.store import solutions
from fukushi_kg.service.guard import allow_entry_problem

EXIT_STORE = 2
EXIT_USAGE = 2
EXIT_BIND = 3
MIN_TOKEN = 16  # characters a write token needs before the service listens beyond loopback


class StartupError(Exception):
    """The service cannot start; the message says why and what to do."""


def check_store(store_path: Path) -> int:
    """Open the store read-only and read every graph's triple count; return the number of quads.

    The counts touch every data block, so a corrupt file is found here rather than by the first
    query. Raises StartupError with the fix.
    """
    fix = "rebuild it with `fukushi-kg build`"
    if store_path.is_symlink() and not store_path.exists():
        raise StartupError(f"the store link {store_path} points at {store_path.readlink()}, which is missing; {fix}")
    if not store_path.exists():
        raise StartupError(f"no store at {store_path}; build it with `fukushi-kg build`")
    if not store_path.is_dir():
        raise StartupError(f"{store_path} is not a store directory; remove it and {fix}")
    try:
        store = ox.Store.read_only(str(store_path))
        try:
            counted = next(
                iter(solutions(store.query("SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")))
            )
            n = counted["n"]
            return int(n.value) if n is not None else 0
        finally:
            del store
    except (OSError, RuntimeError, ValueError) as error:  # RocksDB reports corruption as RuntimeError
        raise StartupError(f"the store at {store_path} cannot be read ({_first_line(error)}); {fix}") from None


def fail(message: str, code: int = EXIT_STORE) -> None:
    """Print ``fukushi-kg serve: <message>`` and exit ``code`` (2 unless told)."""
    print(f"fukushi-kg serve: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def warn(message: str) -> None:
    print(f"fukushi-kg serve: warning: {message}", file=sys.stderr, flush=True)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_settings(settings) -> list[str]:
    """Warnings for ``settings``; StartupError for settings the service must not start with."""
    warnings = []
    for entry in settings.allow:
        problem = allow_entry_problem(entry)
        if problem:
            raise StartupError(problem)
    token, var = settings.write_token, settings.write_token_env
    if token is not None:
        make = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        if not token.strip():
            raise StartupError(
                f"the write token in ${var} is only whitespace; set a long random secret (e.g. `{make}`) "
                f"or unset ${var} for a read-only service"
            )
        if token != token.strip():
            raise StartupError(
                f"the write token in ${var} starts or ends with whitespace, which a Bearer header cannot carry; "
                "remove it"
            )
        if len(token) < MIN_TOKEN and not is_loopback(settings.host):
            warnings.append(
                f"the write token in ${var} has {len(token)} characters and the service listens on {settings.host}, "
                f"beyond loopback: use at least {MIN_TOKEN} random characters (e.g. `{make}`); "
                "failed tokens are throttled (5 a minute per client), not stopped"
            )
    return warnings


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` for uvicorn to listen on; StartupError naming the cause."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
    except socket.gaierror as error:
        raise StartupError(f"cannot listen on {host}:{port}: {error.strerror or error}; check --host") from None
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on accepted sockets whose proto says TCP;
    # without it a keep-alive answer written in two parts waits for the client's delayed ACK (~40 ms)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise StartupError(
                f"port {port} on {host} is already in use (another fukushi-kg serve?); stop that process "
                "or choose another --port"
            ) from None
        raise StartupError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
