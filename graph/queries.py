"""Named SPARQL queries (``queries/<name>.rq``) and running them on the built store.

Each file starts with a comment header::

    # title: Programs by plan and place
    # description: One row per listing …
    # columns: plan, plan_label, place, …

``columns`` is the contract with users: the query's SELECT variables, in order.

A query may take parameters, each declared in the header with its allowed values (the first is
the default) and set in the text by one ``VALUES`` line, so that the file stays a plain query
that any endpoint runs as it stands::

    # parameter: reading = broad | strict : broad counts …; strict only …
    …
      VALUES ?reading { "broad" }

``NamedQuery.bind({"reading": "strict"})`` gives the text with that line's value replaced.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from fukushi_kg import resources

QUERIES = resources.QUERIES
_HEADER = re.compile(r"^#\s*(title|description|columns)\s*:\s*(.*)$")
_PARAMETER = re.compile(r"^#\s*parameter\s*:\s*([a-z_][a-z0-9_]*)\s*=\s*([^:]+?)\s*(?::\s*(.*))?$")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class QueryError(ValueError):
    """A query that cannot be found, parsed or run; the message says which and why."""


@dataclass(frozen=True)
class Parameter:
    """A value a named query lets its user choose: one of ``choices``, the first by default."""

    name: str
    choices: tuple[str, ...]
    description: str = ""

    @property
    def default(self) -> str:
        return self.choices[0]

    def values_clause(self) -> re.Pattern[str]:
        return re.compile(r"VALUES\s+\?" + self.name + r'\s*\{\s*"[^"]*"\s*\}')


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    text: str
    path: Path
    parameters: tuple[Parameter, ...] = ()

    def bind(self, values: dict[str, str] | None = None) -> str:
        """The query text with each given parameter's VALUES line set; QueryError for a parameter
        the query does not declare or a value it does not allow."""
        text = self.text
        declared = {p.name: p for p in self.parameters}
        for name, value in (values or {}).items():
            param = declared.get(name)
            if param is None:
                takes = ", ".join(f"{p.name} ({'|'.join(p.choices)})" for p in self.parameters) or "none"
                raise QueryError(f"query {self.name!r} has no parameter {name!r} (its parameters: {takes})")
            if value not in param.choices:
                raise QueryError(
                    f"parameter {name!r} of query {self.name!r} is one of {', '.join(param.choices)}, not {value!r}"
                )
            text = param.values_clause().sub(f'VALUES ?{name} {{ "{value}" }}', text, count=1)
        return text


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    parameters: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            meta[m.group(1)] = m.group(2).strip()
        p = _PARAMETER.match(line)
        if p:
            choices = tuple(c.strip() for c in p.group(2).split("|") if c.strip())
            param = Parameter(p.group(1), choices, (p.group(3) or "").strip())
            if not param.values_clause().search(text):
                raise QueryError(f'{path.name}: parameter {param.name!r} has no VALUES ?{param.name} {{ "…" }} line')
            parameters.append(param)
    columns = tuple(c.strip() for c in meta.get("columns", "").split(",") if c.strip())
    return NamedQuery(
        path.stem, meta.get("title", path.stem), meta.get("description", ""), columns, text, path, tuple(parameters)
    )


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    directory = directory or QUERIES
    return [parse_query_file(p) for p in sorted(directory.glob("*.rq")) if NAME.match(p.stem)]


def find_query(name_or_file: str, directory: Path | None = None) -> NamedQuery:
    """A named query from ``queries/`` or any ``.rq`` file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return parse_query_file(path)
    for q in list_queries(directory):
        if q.name == name_or_file:
            return q
    names = ", ".join(q.name for q in list_queries(directory))
    raise QueryError(f"no query named {name_or_file!r} (named queries: {names}; or give a path to a .rq file)")


def run(store: ox.Store, text: str) -> tuple[list[str], list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]]]:
    """Run a SELECT query with the union of the named graphs as default graph."""
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT queries can be shown as a table (use the SPARQL endpoint for ASK/CONSTRUCT)")
    variables = [v.value for v in result.variables]
    rows = [[sol[v] for v in variables] for sol in result]
    return variables, rows


def cell(term) -> str:
    """A result term as a table cell: IRIs and literals by their value, unbound as empty."""
    return "" if term is None else term.value


def render(variables: list[str], rows: list[list], fmt: str) -> str:
    """Rows as table, csv, tsv or json (SPARQL 1.1 JSON results)."""
    if fmt == "json":
        return json.dumps(_json_results(variables, rows), ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(variables)
        writer.writerows([cell(t) for t in row] for row in rows)
        return buf.getvalue()
    if fmt == "table":
        return _table(variables, [[cell(t) for t in row] for row in rows])
    raise QueryError(f"unknown format {fmt!r} (table, csv, tsv, json)")


def _json_results(variables: list[str], rows: list[list]) -> dict:
    def term(t) -> dict:
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out

    bindings = [{v: term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "FW" else 1 for c in text)


def _table(variables: list[str], rows: list[list[str]]) -> str:
    widths = [min(60, max([_width(v)] + [_width(r[i]) for r in rows])) for i, v in enumerate(variables)]

    def fit(text: str, w: int) -> str:
        out, used = "", 0
        for ch in text.replace("\n", " "):
            cw = _width(ch)
            if used + cw > w:
                return out[:-1] + "…" + " " * (w - used) if out else "…"
            out += ch
            used += cw
        return out + " " * (w - used)

    lines = [" | ".join(fit(v, w) for v, w in zip(variables, widths)), "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(fit(c, w) for c, w in zip(row, widths)) for row in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def iter_rows(store: ox.Store, name: str, **parameters: str) -> Iterator[dict[str, str]]:
    """Rows of a named query as dicts of cell strings (for tests and scripts)."""
    variables, rows = run(store, find_query(name).bind(parameters))
    for row in rows:
        yield {v: cell(t) for v, t in zip(variables, row)}
