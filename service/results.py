"""SPARQL query results writers (JSON, XML, CSV, TSV) over a list of rows.

The worker collects at most ``row_cap`` rows before writing, so truncation is decided before a
byte is written; these writers never see more rows than they print.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from service import formats

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


def _json(variables: list[str], rows: list[list]) -> bytes:
    bindings = [{v: term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()


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


def _xml(variables: list[str], rows: list[list]) -> bytes:
    out = [XML_HEAD, "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


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


def _csv(variables: list[str], rows: list[list]) -> bytes:
    lines = [",".join(variables)]
    lines += [",".join(_csv_field(t) for t in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _tsv(variables: list[str], rows: list[list]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _boolean(value: bool, media_type: str) -> bytes:
    text = "true" if value else "false"
    if media_type == formats.SPARQL_XML:
        return f"{XML_HEAD}<head/><boolean>{text}</boolean></sparql>\n".encode()
    if media_type in (formats.CSV, formats.TSV):
        return f"{text}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


WRITERS = {formats.SPARQL_JSON: _json, formats.SPARQL_XML: _xml, formats.CSV: _csv, formats.TSV: _tsv}


def write_solutions(variables: list[str], rows: list[list], media_type: str) -> bytes:
    """SELECT results in ``media_type`` (one of :data:`WRITERS`)."""
    return WRITERS[media_type](variables, rows)


def write_boolean(value: bool, media_type: str) -> bytes:
    """ASK results in ``media_type``."""
    return _boolean(value, media_type)
