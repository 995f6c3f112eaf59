"""SPARQL query results writers (JSON, XML, CSV, TSV), whole or one row at a time.

:func:`solution_writer` gives a format's head, per-row and tail pieces, so the worker can stream
a large answer (``service.worker.stream_query``); :func:`write_solutions` joins the same pieces
for a list of rows. The worker decides truncation (at most ``row_cap`` rows) before a byte is
written; these writers never see more rows than they print.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from fukushi_kg.service import formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_json(term) -> dict:
    """A term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    return {"type": "literal", "value": str(term)}


# Terms repeat down an answer (a plan, a division, a datatype): each writer keeps the JSON text of
# at most TERM_CACHE short terms it has written (no term longer than CACHED_TERM characters).
TERM_CACHE = 4096
CACHED_TERM = 512


def _json(variables: list[str]) -> tuple[str, Callable[[list], str], str, str]:
    """Pieces of ``json.dumps({"head": ..., "results": {"bindings": [...]}}, ensure_ascii=False)``,
    the same text: a row is ``{"var": binding, ...}`` with json.dumps' separators."""
    keys = [json.dumps(v, ensure_ascii=False) + ": " for v in variables]
    texts: dict = {}

    def binding(term) -> str:
        text = texts.get(term)
        if text is None:
            text = json.dumps(term_json(term), ensure_ascii=False)
            if len(texts) < TERM_CACHE and len(text) <= CACHED_TERM:
                texts[term] = text
        return text

    def row(terms: list) -> str:
        return "{" + ", ".join(k + binding(t) for k, t in zip(keys, terms) if t is not None) + "}"

    head = '{"head": {"vars": ' + json.dumps(variables, ensure_ascii=False) + '}, "results": {"bindings": ['
    return head, row, ", ", "]}}"


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"), (term.subject, term.predicate, term.object))
        return "<triple>" + "".join(f"<{n}>{_xml_term(t)}</{n}>" for n, t in parts) + "</triple>"
    return f"<literal>{escape(str(term))}</literal>"


XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml(variables: list[str]) -> tuple[str, Callable[[list], str], str, str]:
    head = XML_HEAD + "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head><results>"

    opens = [f"<binding name={quoteattr(v)}>" for v in variables]
    texts: dict = {}

    def term(t) -> str:
        text = texts.get(t)
        if text is None:
            text = _xml_term(t)
            if len(texts) < TERM_CACHE and len(text) <= CACHED_TERM:
                texts[t] = text
        return text

    def row(terms: list) -> str:
        return (
            "<result>"
            + "".join(o + term(t) + "</binding>" for o, t in zip(opens, terms) if t is not None)
            + "</result>"
        )

    return head, row, "", "</results></sparql>\n"


def _csv_field(term) -> str:
    if term is None:
        text = ""
    elif isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    elif isinstance(term, (ox.NamedNode, ox.Literal)):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in '",\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _csv(variables: list[str]) -> tuple[str, Callable[[list], str], str, str]:
    def row(terms: list) -> str:
        return ",".join(_csv_field(t) for t in terms) + "\r\n"

    return ",".join(variables) + "\r\n", row, "", ""


def _tsv(variables: list[str]) -> tuple[str, Callable[[list], str], str, str]:
    def row(terms: list) -> str:
        return "\t".join("" if t is None else str(t) for t in terms) + "\n"

    return "\t".join("?" + v for v in variables) + "\n", row, "", ""


def _boolean(value: bool, media_type: str) -> bytes:
    text = "true" if value else "false"
    if media_type == formats.SPARQL_XML:
        return f"{XML_HEAD}<head/><boolean>{text}</boolean></sparql>\n".encode()
    if media_type in (formats.CSV, formats.TSV):
        return f"{text}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


WRITERS = {formats.SPARQL_JSON: _json, formats.SPARQL_XML: _xml, formats.CSV: _csv, formats.TSV: _tsv}


def solution_writer(variables: list[str], media_type: str) -> tuple[str, Callable[[list], str], str, str]:
    """(head, row(terms) -> text, separator between rows, tail) of SELECT results in ``media_type``."""
    return WRITERS[media_type](variables)


def write_solutions(variables: list[str], rows: list[list], media_type: str) -> bytes:
    """SELECT results in ``media_type`` (one of :data:`WRITERS`)."""
    head, row, separator, tail = solution_writer(variables, media_type)
    return (head + separator.join(row(r) for r in rows) + tail).encode()


def write_boolean(value: bool, media_type: str) -> bytes:
    """ASK results in ``media_type``."""
    return _boolean(value, media_type)
