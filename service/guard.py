"""Server-side request forgery checks on SPARQL text, before anything runs.

Oxigraph dereferences the IRIs of ``SERVICE`` and ``LOAD`` over HTTP. This module tokenizes a
query or update the way the SPARQL grammar does (comments, strings, IRI references, prefixed
names, \\u escapes, BASE/PREFIX resolution) and refuses:

- every ``SERVICE`` and ``LOAD`` IRI that ``--allow`` does not name (:func:`allowed_by`: the same
  scheme, host and port exactly, and the allowed path as a prefix ending on a segment boundary;
  a graph name of the dataset is no exemption, since anyone with the write token can name a
  graph after any URL); ``SERVICE ?var`` always;
- every ``FROM``, ``FROM NAMED``, ``USING`` and ``USING NAMED`` IRI that is neither a graph of the
  dataset nor allowed as above (these are never fetched, but name only what is served).

It also reports the operation's form (SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE) so the response
format can be negotiated first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_CHARS_BASE = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
_PN_CHARS = _PN_CHARS_BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\r\n]*)",
            # possessive runs (Python 3.11+): a megabyte literal is one C-speed step, and an
            # unterminated one cannot backtrack
            r"(?P<string>'''(?:[^'\\]++|\\.|'(?!''))*+'''|\"\"\"(?:[^\"\\]++|\\.|\"(?!\"\"))*+\"\"\""
            r"|'(?:[^'\\\r\n]++|\\.)*+'|\"(?:[^\"\\\r\n]++|\\.)*+\")",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            r"(?P<var>[?$][" + _PN_CHARS + r"]+)",
            r"(?P<pname>(?:[" + _PN_CHARS_BASE + r"](?:[" + _PN_CHARS + r".]*[" + _PN_CHARS + r"])?)?:"
            r"(?:(?:[" + _PN_CHARS + r":]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
            r"(?:[" + _PN_CHARS + r".:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])*)?)",
            r"(?P<bnode>_:[" + _PN_CHARS + r".]*)",
            r"(?P<word>[A-Za-z_][A-Za-z_0-9]*)",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
# Oxigraph's parser and evaluator recurse per bracket and per chained operator: a few thousand
# levels overflow a worker's stack and kill it. The guard refuses far less than that (400).
MAX_DEPTH = 256  # nesting of { ( [
MAX_OPERATORS = 1024  # UNION, OPTIONAL, MINUS, BIND and the binary operators / | + - * || &&
CHAIN_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND"}
CHAIN_SIGNS = set("/|+-*&")
LANE_TOKENS = 256  # a text of more tokens is never a bounded query (service.fastlane); its tokens are not kept
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass
class Verdict:
    form: str | None  # SELECT | ASK | CONSTRUCT | DESCRIBE | UPDATE | None (not recognised)
    refused: list[str] = field(default_factory=list)  # one message per refused IRI
    dataset_clause: bool = False  # the text has FROM / USING / WITH
    depth: int = 0  # deepest nesting of { ( [ outside strings, IRIs and comments
    operators: int = 0  # chained operators (see CHAIN_WORDS, CHAIN_SIGNS)
    # the tokens (:func:`tokens`) of a text of at most LANE_TOKENS, for service.fastlane; () for longer ones,
    # so that a cached verdict stays small
    tokens: tuple[tuple[str, str], ...] = ()

    @property
    def too_complex(self) -> str | None:
        """Why the text would overflow the evaluator's stack, or None."""
        if self.depth > MAX_DEPTH:
            return f"it nests brackets {self.depth} levels deep (at most {MAX_DEPTH})"
        if self.operators > MAX_OPERATORS:
            return f"it chains {self.operators} operators (UNION, OPTIONAL, /, +, ...; at most {MAX_OPERATORS})"
        return None

    @property
    def ok(self) -> bool:
        return not self.refused


def unescape(text: str) -> str:
    """Apply SPARQL codepoint escapes (\\uXXXX, \\UXXXXXXXX) as the grammar does before tokenizing."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) tokens, whitespace and comments dropped."""
    out = []
    for m in _TOKEN.finditer(unescape(text)):
        if m.lastgroup not in ("ws", "comment"):
            out.append((m.lastgroup or "", m.group()))  # every alternative of _TOKEN is named
    return out


def _unescape_local(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)


DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(iri: str) -> tuple[str, str, int, str] | None:
    """(scheme, userinfo, port, host) of an absolute http(s) IRI with a host, or None."""
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:  # a port that is not a number, a malformed IPv6 host
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return scheme, userinfo, port if port is not None else DEFAULT_PORTS[scheme], parts.hostname.lower()


def allow_entry_problem(entry: str) -> str | None:
    """Why ``entry`` cannot be an ``--allow`` value, or None (an http(s) URL with a host)."""
    if _origin(entry) is None:
        return f"--allow {entry!r} is not an http(s) URL with a host, e.g. https://query.wikidata.org/sparql"
    return None


def allowed_by(iri: str, entry: str) -> bool:
    """Whether ``--allow entry`` lets ``iri`` through: scheme, user, host and port equal, and the
    entry's path a prefix of the IRI's on a segment boundary (``https://a.org/sparql`` allows
    ``https://a.org/sparql`` and ``https://a.org/sparql/x``, not ``https://a.org/sparql2`` nor
    ``https://a.org.evil.tld/``). IRIs with dot segments or backslashes, which HTTP clients
    normalise into other paths, are never allowed."""
    want, got = _origin(entry), _origin(iri)
    if want is None or got is None or want != got or "\\" in iri:
        return False
    path = urlsplit(iri).path
    if any(seg in (".", "..") for seg in unquote(path).split("/")):
        return False
    prefix = urlsplit(entry).path
    if prefix in ("", "/"):
        return True
    return path == prefix or path.startswith(prefix if prefix.endswith("/") else prefix + "/")


def check(text: str, dataset: set[str], allow: tuple[str, ...] = (), base_iri: str | None = None) -> Verdict:
    """Refuse SERVICE / LOAD IRIs ``allow`` does not name, and FROM / USING IRIs outside ``dataset``
    (graph IRIs) that it does not name either."""
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    base = base_iri or ""
    verdict = Verdict(form=None, tokens=tuple(toks) if len(toks) <= LANE_TOKENS else ())

    def resolve(kind: str, value: str) -> str | None:
        if kind == "iri":
            return urljoin(base, value[1:-1]) if base else value[1:-1]
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix in prefixes:
                return prefixes[prefix] + _unescape_local(local)
            return None
        return None

    def allowed(word: str, iri: str) -> bool:
        if word in ("FROM", "USING") and iri in dataset:
            return True  # a graph of the store: never fetched
        return any(allowed_by(iri, a) for a in allow)

    level = 0
    for kind, value in toks:
        if kind == "other":
            if value in "{([":
                level += 1
                verdict.depth = max(verdict.depth, level)
            elif value in "})]":
                level -= 1
            elif value in CHAIN_SIGNS:
                verdict.operators += 1
        elif kind == "word" and value.upper() in CHAIN_WORDS:
            verdict.operators += 1
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        word = value.upper() if kind == "word" else None
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "")
        if word == "PREFIX" and nxt[0] == "pname" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            prefixes[nxt[1].rstrip(":").partition(":")[0]] = resolve("iri", toks[i + 2][1]) or ""
            i += 3
            continue
        if word == "BASE" and nxt[0] == "iri":
            base = resolve("iri", nxt[1]) or ""
            i += 2
            continue
        if word in QUERY_FORMS and verdict.form is None:
            verdict.form = word
        elif word in UPDATE_WORDS and verdict.form is None:
            verdict.form = "UPDATE"
        if word in ("SERVICE", "LOAD", "FROM", "USING"):
            j = i + 1
            while j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() in ("SILENT", "NAMED"):
                j += 1
            target_kind, target = toks[j] if j < len(toks) else ("", "")
            if word in ("FROM", "USING"):
                verdict.dataset_clause = True
            if target_kind == "var":
                verdict.refused.append(f"{word} {target}: a variable endpoint cannot be checked and is not allowed")
            elif target_kind in ("iri", "pname"):
                iri = resolve(target_kind, target)
                if iri is None:
                    verdict.refused.append(f"{word} {target}: undeclared prefix")
                elif not allowed(word, iri):
                    what = "is not a graph of this dataset" if word in ("FROM", "USING") else "is not on the allow-list"
                    verdict.refused.append(f"{word} <{iri}> refused: it {what}")
            i = j + 1
            continue
        if word == "WITH":
            verdict.dataset_clause = True
        i += 1
    return verdict


CACHED_TEXT = 8192  # texts up to this many characters have their verdicts kept (:func:`check_cached`)


@lru_cache(maxsize=1024)
def _verdict(text: str, allow: tuple[str, ...], base_iri: str | None) -> Verdict:
    return check(text, set(), allow, base_iri)


def check_cached(text: str, dataset: set[str], allow: tuple[str, ...] = (), base_iri: str | None = None) -> Verdict:
    """:func:`check`, with the verdicts of the last 1,024 short texts kept: a query sent again (a
    named query, a page's query, a client polling) is not tokenized again. The dataset only
    matters to FROM / USING, so a text with a dataset clause is always checked afresh. The verdict
    is shared: callers read it, never change it."""
    if len(text) > CACHED_TEXT:
        return check(text, dataset, allow, base_iri)
    verdict = _verdict(text, tuple(allow), base_iri)
    if verdict.dataset_clause:
        return check(text, dataset, allow, base_iri)
    return verdict
