"""The SPARQL 1.1 Protocol's update dataset (``using-graph-uri`` / ``using-named-graph-uri``) as
USING clauses.

pyoxigraph's ``Store.update`` takes no protocol dataset, but a USING clause means exactly what
the parameters mean (Protocol §2.2.3: they "act as" USING / USING NAMED for every operation with
a WHERE clause). So the update text is rewritten: ``USING <g>`` / ``USING NAMED <g>`` go in front
of the top-level WHERE of each DELETE/INSERT operation, and the ``DELETE WHERE { P }`` shortcut,
whose grammar has no USING, becomes the equivalent ``DELETE { P } USING … WHERE { P }``.
INSERT DATA, DELETE DATA and the graph-management operations are left as they are. The caller
has already refused updates that carry USING or WITH themselves (400, as the protocol says).
"""

from __future__ import annotations

from fukushi_kg.service.guard import _TOKEN, unescape


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \t\r\n'):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def with_using(update: str, using: list[str], using_named: list[str]) -> str:
    """``update`` with the protocol dataset written in as USING clauses (ValueError for a bad IRI)."""
    clauses = " ".join([f"USING {_iri(g)}" for g in using] + [f"USING NAMED {_iri(g)}" for g in using_named])
    if not clauses:
        return update
    text = unescape(update)
    tokens = [
        (m.lastgroup or "", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]  # every alternative is named
    significant = [t for t in tokens if t[0] not in ("ws", "comment")]
    out: list[str] = []
    cursor = 0
    depth = 0
    modify = False  # inside a DELETE/INSERT operation whose WHERE is still to come
    i = 0
    while i < len(significant):
        kind, value, start, end = significant[i]
        word = value.upper() if kind == "word" else None
        if value in "{([" and kind == "other":
            depth += 1
        elif value in "})]" and kind == "other":
            depth -= 1
        elif depth == 0 and word in ("INSERT", "DELETE"):
            following = significant[i + 1][1].upper() if i + 1 < len(significant) else ""
            if following == "DATA":
                i += 2
                continue
            if word == "DELETE" and following == "WHERE":
                close = _matching_brace(significant, i + 2)
                pattern = text[significant[i + 2][2] : significant[close][3]]
                out.append(text[cursor:start])
                out.append(f"DELETE {pattern} {clauses} WHERE {pattern}")
                cursor = significant[close][3]
                i = close + 1
                continue
            modify = True
        elif depth == 0 and word == "WHERE" and modify:
            out.append(text[cursor:start])
            out.append(f"{clauses} ")
            cursor = start
            modify = False
        i += 1
    out.append(text[cursor:])
    return "".join(out)


def _matching_brace(significant: list[tuple[str, str, int, int]], opening: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``opening``."""
    if opening >= len(significant) or significant[opening][1] != "{":
        raise ValueError("DELETE WHERE must be followed by { … }")
    depth = 0
    for k in range(opening, len(significant)):
        kind, value = significant[k][0], significant[k][1]
        if kind == "other" and value in "{([":
            depth += 1
        elif kind == "other" and value in "})]":
            depth -= 1
            if depth == 0:
                return k
    raise ValueError("DELETE WHERE { … } is not closed")
