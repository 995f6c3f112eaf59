"""Settings of the web service: one dataclass, its command-line options, and the mapping between them.

``fukushi_kg/cli.py`` declares the ``serve`` command with ``--dist`` and ``--base`` (shared with the
other commands, and with the same defaults: ``$FUKUSHI_KG_DIST``, ``$FUKUSHI_KG_BASE``) and the
options :func:`add_arguments` declares here.
"""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass
from pathlib import Path

from fukushi_kg import resources

DEFAULT_BASE = "https://w3id.org/fukushi-kg/"


@dataclass(frozen=True)
class Settings:
    """Everything `fukushi-kg serve` can be told.

    - ``dist``: the build output; the store is ``dist/store``.
    - ``base``: the IRI base the build minted under; ``{base}id/x`` is served at ``/id/x``.
    - ``timeout``: seconds a query may run before its worker is killed (the request gets 503).
    - ``row_cap``: most rows a SELECT returns; more are cut and the response says so in
      ``Fukushi-Row-Cap`` / ``Fukushi-Truncated`` headers.
    - ``allow``: http(s) URLs that SERVICE / LOAD (and FROM / USING, besides the dataset's graphs)
      may name: scheme, host and port exactly, the path as a prefix on a segment boundary.
    - ``cors_origins``: origins allowed cross-site reads (GET/HEAD); empty turns CORS off.
    - ``write_token``: when set, SPARQL Update and Graph Store writes are allowed with
      ``Authorization: Bearer <token>``; otherwise they answer 403. ``write_token_env`` names the
      environment variable it came from (for messages).
    - ``workers``: query worker processes.
    - ``max_query_bytes``: largest query or update (URL query or request body) ``/sparql`` reads;
      larger is 413. Also the body limit of every route that is not an upload.
    - ``max_upload_bytes``: largest body of an upload (``/store`` writes, ``POST /lint``); larger is 413.
    - ``lint_timeout``: seconds one ``POST /lint`` may take, waiting for a slot included; the lint
      process (and HermiT's JVM) is killed then and the request gets 503.
    - ``lint_jobs``: lints that run at once in this service process.
    - ``worker_memory``: bytes a query worker may allocate beyond what it holds idle; past it the job
      fails with 503 and the worker is replaced (0: no limit).
    - ``max_answer_bytes``: largest query answer (serialised); longer answers are cut at a whole row
      and say so in ``Fukushi-Byte-Cap`` / ``Fukushi-Truncated``.
    - ``per_client_queries``: /sparql queries and lints one anonymous client (IP address) may have
      under way at once; None means ``workers - 1`` (at least 1), 0 no limit (service.quotas).
    - ``lint_max_bytes``: largest ``POST /lint`` body of an anonymous client (the write token's
      holder gets ``max_upload_bytes``).
    - ``lint_memory``: resident memory a lint (its process and HermiT's JVM) may use (0: no limit).
    - ``lint_queue``: lints that may wait for a slot; more are refused at once with 429.
    - ``max_connections``: open HTTP connections; more are answered 503 and closed at once.
    - ``contact_email``: the e-mail address of the dataset's contact point (``dcat:contactPoint``
      in the dataset description); empty names none, and the contact is the service's own page.
    - ``query_endpoint``: the SPARQL endpoint the query page sends its queries to (``/sparql``, this
      service; ``fukushi-kg publish --endpoint`` names another for a static site).
    - ``front_lane``: answer bounded queries (a few triple patterns, one lookup) in the service
      process instead of a worker (:mod:`service.fastlane`); off with a write token or ``--store``
      whatever this says.
    """

    dist: Path = Path("dist")
    base: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0
    row_cap: int = 10_000
    allow: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ("*",)
    write_token: str | None = None
    write_token_env: str = "FUKUSHI_KG_WRITE_TOKEN"
    workers: int = 2
    max_query_bytes: int = 1 << 20
    max_upload_bytes: int = 32 << 20
    lint_timeout: float = 120.0
    lint_jobs: int = 1
    worker_memory: int = 1 << 30
    max_answer_bytes: int = 256 << 20
    per_client_queries: int | None = None
    lint_max_bytes: int = 4 << 20
    lint_memory: int = 1 << 30
    lint_queue: int = 4
    max_connections: int = 1000
    queries_dir: Path = resources.QUERIES
    ontology_dir: Path = resources.ONTOLOGY_DIR
    store: str | None = None
    store_update: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    contact_email: str = ""
    query_endpoint: str = "/sparql"
    front_lane: bool = True

    @property
    def store_path(self) -> Path:
        return self.dist / "store"

    @property
    def client_queries(self) -> int:
        """The per-client limit in force (0: none)."""
        if self.per_client_queries is None:
            return max(1, self.workers - 1)
        return max(0, self.per_client_queries)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of `fukushi-kg serve` on ``parser`` (besides ``--dist`` and ``--base``)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")
    parser.add_argument("--timeout", type=float, default=30.0, help="query timeout in seconds (default: 30)")
    parser.add_argument("--row-cap", type=int, default=10_000, help="most rows a SELECT returns (default: 10000)")
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="URL",
        help="http(s) URL that SERVICE/LOAD (and FROM) may name: same scheme, host and port, "
        "path prefix on a segment boundary (repeatable)",
    )
    parser.add_argument(
        "--cors",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="origin allowed cross-site GET (repeatable; default '*'; 'none' turns CORS off)",
    )
    parser.add_argument(
        "--write-token-env",
        default="FUKUSHI_KG_WRITE_TOKEN",
        metavar="VAR",
        help="environment variable holding the secret that enables writes (default: FUKUSHI_KG_WRITE_TOKEN)",
    )
    parser.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    parser.add_argument(
        "--max-query-bytes",
        type=_size,
        default=1 << 20,
        metavar="SIZE",
        help="largest query or update /sparql accepts, e.g. 1MiB (default: 1MiB; larger is 413)",
    )
    parser.add_argument(
        "--max-upload-bytes",
        type=_size,
        default=32 << 20,
        metavar="SIZE",
        help="largest /store or /lint upload, e.g. 32MiB (default: 32MiB; larger is 413)",
    )
    parser.add_argument(
        "--lint-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="time limit of one POST /lint, waiting included (default: 120; past it 503)",
    )
    parser.add_argument(
        "--lint-jobs", type=int, default=1, metavar="N", help="POST /lint requests linted at once (default: 1)"
    )
    parser.add_argument(
        "--worker-memory",
        type=_size,
        default=1 << 30,
        metavar="SIZE",
        help="memory one query may take in a worker, e.g. 1GiB (default: 1GiB; past it 503; 0: no limit)",
    )
    parser.add_argument(
        "--max-answer-bytes",
        type=_size,
        default=256 << 20,
        metavar="SIZE",
        help="largest query answer, cut at a whole row and flagged (default: 256MiB)",
    )
    parser.add_argument(
        "--per-client-queries",
        type=int,
        default=None,
        metavar="N",
        help="queries and lints one anonymous client address may have under way at once "
        "(default: workers - 1, at least 1; 0: no limit; more is 429)",
    )
    parser.add_argument(
        "--lint-max-bytes",
        type=_size,
        default=4 << 20,
        metavar="SIZE",
        help="largest POST /lint body without the write token (default: 4MiB; larger is 413)",
    )
    parser.add_argument(
        "--lint-memory",
        type=_size,
        default=1 << 30,
        metavar="SIZE",
        help="memory one lint may use, HermiT's JVM included (default: 1GiB; past it 413; 0: no limit)",
    )
    parser.add_argument(
        "--lint-queue",
        type=int,
        default=4,
        metavar="N",
        help="lints that may wait for a slot (default: 4; more are 429 at once)",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=1000,
        metavar="N",
        help="open HTTP connections (default: 1000; more are answered 503 and closed)",
    )
    parser.add_argument(
        "--queries",
        type=Path,
        default=resources.QUERIES,
        metavar="DIR",
        help="directory of named .rq queries (default: the queries shipped with fukushi-kg)",
    )
    parser.add_argument(
        "--ontology",
        type=Path,
        default=resources.ONTOLOGY_DIR,
        metavar="DIR",
        help="directory of ontology .ttl files shown at /ontology (default: the ontology shipped with fukushi-kg)",
    )
    parser.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help="serve from this SPARQL 1.1 Protocol endpoint instead of DIST/store "
        "(DIST/build-report.json names the dataset's graphs)",
    )
    parser.add_argument(
        "--store-update",
        default=None,
        metavar="URL",
        help="SPARQL Update endpoint of --store for writes (default: the --store URL)",
    )
    parser.add_argument(
        "--contact-email",
        default=os.environ.get("FUKUSHI_KG_CONTACT", ""),
        metavar="ADDRESS",
        help="e-mail of the dataset's contact point in /dataset (default: $FUKUSHI_KG_CONTACT; none: the service's page)",
    )
    parser.add_argument(
        "--no-front-lane",
        dest="front_lane",
        action="store_false",
        default=os.environ.get("FUKUSHI_KG_FRONT_LANE", "1").strip().lower() not in ("0", "no", "off", "false"),
        help="run every query in a worker, bounded one-row lookups too (default: they are answered in the "
        "service process unless writes are enabled; env FUKUSHI_KG_FRONT_LANE=0 turns it off too)",
    )
    parser.add_argument(
        "--store-user",
        default=os.environ.get("FUKUSHI_KG_STORE_USER"),
        metavar="USER",
        help="user for --store (default: $FUKUSHI_KG_STORE_USER; password in $FUKUSHI_KG_STORE_PASSWORD)",
    )


def _size(text: str) -> int:
    from fukushi_kg.service.limits import parse_size

    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def settings_from_args(ns: argparse.Namespace) -> Settings:
    """Turn parsed options into :class:`Settings`; the write token is read from the environment, never argv."""
    cors = ns.cors if ns.cors is not None else ["*"]
    if cors == ["none"]:
        cors = []
    base = ns.base if ns.base.endswith(("/", "#")) else ns.base + "/"
    return Settings(
        dist=ns.dist,
        base=base,
        host=ns.host,
        port=ns.port,
        timeout=ns.timeout,
        row_cap=ns.row_cap,
        allow=tuple(ns.allow),
        cors_origins=tuple(cors),
        write_token=os.environ.get(ns.write_token_env) or None,
        write_token_env=ns.write_token_env,
        workers=max(1, ns.workers),
        max_query_bytes=ns.max_query_bytes,
        max_upload_bytes=ns.max_upload_bytes,
        lint_timeout=getattr(ns, "lint_timeout", 120.0),
        lint_jobs=max(1, getattr(ns, "lint_jobs", 1)),
        worker_memory=getattr(ns, "worker_memory", 1 << 30),
        max_answer_bytes=max(1, getattr(ns, "max_answer_bytes", 256 << 20)),
        per_client_queries=getattr(ns, "per_client_queries", None),
        lint_max_bytes=getattr(ns, "lint_max_bytes", 4 << 20),
        lint_memory=getattr(ns, "lint_memory", 1 << 30),
        lint_queue=max(0, getattr(ns, "lint_queue", 4)),
        max_connections=max(1, getattr(ns, "max_connections", 1000)),
        queries_dir=ns.queries,
        ontology_dir=ns.ontology,
        store=getattr(ns, "store", None),
        store_update=getattr(ns, "store_update", None),
        store_user=getattr(ns, "store_user", None),
        store_password=os.environ.get("FUKUSHI_KG_STORE_PASSWORD") or None,
        contact_email=_contact(getattr(ns, "contact_email", "") or ""),
        front_lane=getattr(ns, "front_lane", True),
    )


def _contact(address: str) -> str:
    """An e-mail address for a mailto: IRI; anything else is refused at start-up, not published."""
    address = address.strip()
    if address and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", address):
        from fukushi_kg.service.startup import fail

        fail(f"--contact-email {address!r} is not an e-mail address (name@host.domain)")
    return address
