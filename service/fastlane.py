"""The front lane: queries that provably finish fast, answered in the service process itself.

Every store access runs in a killable worker process (:mod:`service.executor`), because
pyoxigraph cannot cancel a running query. For a query that looks up a handful of triples that
is a pipe hop each way for microseconds of work: at seed scale the service answered one-row
queries at a quarter of the bare Oxigraph server's rate. So a query the guard's tokens show to
be **bounded** (:func:`bounded`) is answered by :class:`FrontLane`, a read-only handle on the
same store opened in the service process, with the worker's own code
(:func:`service.worker.stream_query`): the same bytes, the same row and byte caps, the same
``Fukushi-Row-Count`` / ``Fukushi-Truncated``, the same errors. Everything else goes to a worker
as before.

Bounded means: a SELECT or ASK whose WHERE is one basic graph pattern of at most
:data:`MAX_PATTERNS` triple patterns (no property paths, FILTER, OPTIONAL, UNION, MINUS, BIND,
VALUES, GRAPH, SERVICE, subqueries, aggregates, expressions, DISTINCT, REDUCED, ORDER BY, GROUP
BY or OFFSET; no FROM; LIMIT allowed), in which at most one pattern has variables (blank nodes
count as variables), none of them twice, and that pattern's subject is an IRI; and the text has
at most :data:`service.guard.LANE_TOKENS` tokens (the guard keeps no more). Its answer is then
at most the triples of one subject (cut by the row cap), each found by one index lookup and each a
row, joined with ground patterns that are existence checks; nothing makes the engine read triples
it does not return (a DISTINCT of duplicates, an OFFSET, ``<s> ?p ?p``), so the clock check
between rows bounds the work.

The lane runs on the event loop and checks the clock between rows: past :data:`LANE_SECONDS`
(or the job's timeout, if shorter) it stops, and the job goes to a worker, which has the
killable timeout; so does an answer larger than :data:`service.worker.SMALL` (the lane never
spools). The lane is off with a write token (a write would leave the read-only handle stale),
on a remote store (``--store``), and with ``--no-front-lane`` (or ``FUKUSHI_KG_FRONT_LANE=0``).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg.service import worker
from fukushi_kg.service.guard import Verdict
from fukushi_kg.service.settings import Settings

log = logging.getLogger("fukushi_kg.service")

MAX_PATTERNS = 16  # triple patterns a bounded query may have
LANE_SECONDS = 0.05  # the most a query runs on the event loop before it goes to a worker instead

Token = tuple[str, str]
IRI, VAR, LITERAL, TYPE = "iri", "var", "literal", "a"


def _is(tok: Token, text: str) -> bool:
    return tok[0] == "other" and tok[1] == text


def _word(tok: Token) -> str | None:
    return tok[1].upper() if tok[0] == "word" else None


def _digits(toks: tuple[Token, ...], i: int) -> int:
    """Where the run of digits that starts at ``i`` ends (``i`` when there is none)."""
    while i < len(toks) and toks[i][0] == "other" and toks[i][1].isascii() and toks[i][1].isdigit():
        i += 1
    return i


def _term(toks: tuple[Token, ...], i: int) -> tuple[str, int] | None:
    """(kind, index after it) of the RDF term at ``i``: IRI, VAR (variables and blank nodes),
    LITERAL (strings with a language tag or datatype, integers, booleans) or TYPE (``a``); None
    for anything else (a collection, ``[ ]``, a decimal, a path, a keyword)."""
    if i >= len(toks):
        return None
    kind, text = toks[i]
    if kind in ("iri", "pname"):
        return IRI, i + 1
    if kind in ("var", "bnode"):
        return VAR + ":" + ("_:" + text[2:] if kind == "bnode" else text[1:]), i + 1
    if kind == "word":
        if text == "a":
            return TYPE, i + 1
        if text in ("true", "false"):
            return LITERAL, i + 1
        return None
    if kind == "string":
        i += 1
        if i < len(toks) and _is(toks[i], "@"):
            if i + 1 >= len(toks) or toks[i + 1][0] != "word":
                return None
            i += 2
            while i < len(toks) and _is(toks[i], "-"):
                after = _digits(toks, i + 1)
                if after < len(toks) and toks[after][0] == "word":
                    after += 1
                if after == i + 1:
                    return None
                i = after
        elif i + 2 < len(toks) and _is(toks[i], "^") and _is(toks[i + 1], "^"):
            if toks[i + 2][0] not in ("iri", "pname"):
                return None
            i += 3
        return LITERAL, i
    end = _digits(toks, i)
    if end > i:
        # "5." then a digit is a decimal (the tokens carry no spaces): not taken
        if end + 1 < len(toks) and _is(toks[end], ".") and _digits(toks, end + 1) > end + 1:
            return None
        return LITERAL, end
    return None


def _patterns(toks: tuple[Token, ...], i: int) -> tuple[list[tuple[str, str, str]], int] | None:
    """The triple patterns of the basic graph pattern whose ``{`` is at ``i``, and the index after
    its ``}``; None when the group is anything but triple patterns."""
    if i >= len(toks) or not _is(toks[i], "{"):
        return None
    i += 1
    found: list[tuple[str, str, str]] = []
    while i < len(toks) and not _is(toks[i], "}"):
        subject = _term(toks, i)
        if subject is None or subject[0] in (LITERAL, TYPE):
            return None
        s, i = subject
        while True:  # predicate-object list
            predicate = _term(toks, i)
            if predicate is None or predicate[0] == LITERAL:
                return None
            p, i = predicate
            while True:  # object list
                obj = _term(toks, i)
                if obj is None or obj[0] == TYPE:
                    return None
                o, i = obj
                found.append((s, p, o))
                if i < len(toks) and _is(toks[i], ","):
                    i += 1
                    continue
                break
            if i < len(toks) and _is(toks[i], ";"):
                while i < len(toks) and _is(toks[i], ";"):
                    i += 1
                if i < len(toks) and (_is(toks[i], ".") or _is(toks[i], "}")):
                    break
                continue
            break
        if i < len(toks) and _is(toks[i], "."):
            i += 1
        elif i >= len(toks) or not _is(toks[i], "}"):
            return None
    if i >= len(toks):
        return None
    return found, i + 1


def bounded(verdict: Verdict) -> bool:
    """Whether the query whose guard verdict (:func:`service.guard.check`, with its tokens) this is
    provably finishes fast (see the module's description): the front lane may answer it."""
    if verdict.form not in ("SELECT", "ASK") or verdict.refused or verdict.dataset_clause:
        return False
    toks = verdict.tokens
    i = 0
    while i < len(toks):  # prologue
        word = _word(toks[i])
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            i += 2
        elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            i += 3
        else:
            break
    if i >= len(toks) or _word(toks[i]) != verdict.form:
        return False
    i += 1
    if verdict.form == "SELECT":
        if i < len(toks) and _is(toks[i], "*"):
            i += 1
        else:
            start = i
            while i < len(toks) and toks[i][0] == "var":
                i += 1
            if i == start:
                return False  # an expression (... AS ?x) or nothing
    if i < len(toks) and _word(toks[i]) == "WHERE":
        i += 1
    group = _patterns(toks, i)
    if group is None:
        return False
    found, i = group
    if i < len(toks) and _word(toks[i]) == "LIMIT":  # the one solution modifier taken
        end = _digits(toks, i + 1)
        if end == i + 1:
            return False
        i = end
    if i < len(toks):
        return False
    with_variables = [t for t in found if any(term.startswith(VAR) for term in t)]
    if len(found) > MAX_PATTERNS or len(with_variables) > 1:
        return False
    for s, p, o in with_variables:
        names = [term for term in (p, o) if term.startswith(VAR)]
        # a variable twice (``<s> ?p ?p``) filters the subject's triples inside the engine, between rows
        if s != IRI or len(set(names)) < len(names):
            return False
    return True


RECHECK_SECONDS = 1.0  # how often the lane looks where ``dist/store`` points


class FrontLane:
    """Bounded queries answered on a read-only handle of the store in the service process.

    Given the store's ``path``, the lane looks at most once a :data:`RECHECK_SECONDS` where it
    points: a build swaps ``dist/store`` to a new directory (``graph/store.py``), and the lane then
    opens that one, as a worker started after the swap would (the previous directory stays until
    the next build, so the old handle keeps working meanwhile)."""

    def __init__(self, store: ox.Store, seconds: float = LANE_SECONDS, path: Path | None = None):
        self.store: ox.Store | None = store
        self.seconds = seconds
        self.path = path
        self._target = path.resolve() if path is not None else None
        self._checked = time.monotonic()

    @classmethod
    def open(cls, settings: Settings) -> FrontLane | None:
        """The lane over ``settings.store_path``, or None where it is off: ``--no-front-lane``, a
        write token (the handle would not see the writes), a remote store (``--store``)."""
        if not settings.front_lane or settings.store:
            return None
        if settings.write_token:
            log.info("front lane off: writes are enabled, and a read-only handle would not see them")
            return None
        return cls(worker.open_store(str(settings.store_path), False), path=settings.store_path)

    def _follow(self) -> None:
        """Open the store ``path`` points at now, when a build has swapped it since the last look."""
        now = time.monotonic()
        if self.path is None or now - self._checked < RECHECK_SECONDS:
            return
        self._checked = now
        target = self.path.resolve()
        if target == self._target:
            return
        try:
            self.store = worker.open_store(str(self.path), False)
        except (OSError, RuntimeError, ValueError) as error:  # unreadable (RocksDB: RuntimeError): keep the one open
            log.warning("front lane: the new store at %s cannot be opened yet: %s", self.path, error)
            return
        self._target = target
        log.info("front lane: now reading %s", target)

    def answer(self, job: dict, timeout: float) -> dict | None:
        """The worker's answer to the query ``job`` (:func:`service.worker.stream_query`'s single
        message, or its failure), or None when a worker must answer it: the lane's time
        (``min(seconds, timeout)``) passed between two rows, or the answer is too large to be sent
        whole."""
        self._follow()
        if self.store is None:
            return None
        messages = worker.stream_query(
            self.store, job, deadline=time.monotonic() + min(self.seconds, timeout), spool=False
        )
        try:
            first = next(messages, None)
        except worker.PastDeadline:
            return None
        except worker.JOB_ERRORS as error:
            return worker.failure(error)
        finally:
            messages.close()
        if not isinstance(first, dict) or (first.get("ok") and "body" not in first):
            return None
        return first

    def close(self) -> None:
        self.store = None
