"""The SELECT results writers (service/results.py) give the text the whole-document encoders give,
also for terms written again from the writers' cache of short terms and past its size."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from fukushi_kg.service import formats, results

RES = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _rows() -> tuple[list[str], list[list]]:
    plan = ox.NamedNode("https://example.org/plan/熊本")
    xsd_int = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    long_text = "長い説明「引用」\n" * 100  # past the cache's term length
    rows = []
    for i in range(results.TERM_CACHE + 300):  # past the cache's size
        rows.append(
            [
                plan,
                ox.NamedNode(f"https://example.org/program/{i}"),
                ox.Literal(f'事業 "{i % 50}" <&>', language="ja") if i % 3 else None,
                ox.Literal(str(i % 7), datatype=xsd_int),
                ox.Literal(long_text if i % 100 == 0 else "ＡＢＣ,1"),
                ox.BlankNode(f"b{i % 11}"),
            ]
        )
    return ["plan", "program", "label", "n", "note", "node"], rows


def test_json_is_the_whole_document_encoding():
    variables, rows = _rows()
    body = results.write_solutions(variables, rows, formats.SPARQL_JSON)
    whole = {
        "head": {"vars": variables},
        "results": {
            "bindings": [{v: results.term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        },
    }
    assert body == json.dumps(whole, ensure_ascii=False).encode()


def test_xml_binds_every_term_as_written():
    variables, rows = _rows()
    root = ET.fromstring(results.write_solutions(variables, rows, formats.SPARQL_XML))
    assert [v.get("name") for v in root.iter(RES + "variable")] == variables
    answers = root.find(RES + "results").findall(RES + "result")
    assert len(answers) == len(rows)
    for answer, row in zip(answers, rows):
        got = {}
        for b in answer.findall(RES + "binding"):
            (node,) = list(b)
            kind = node.tag.removeprefix(RES)
            got[b.get("name")] = (kind, node.text, node.get(XML_LANG), node.get("datatype"))
        want = {}
        for v, t in zip(variables, row):
            if isinstance(t, ox.NamedNode):
                want[v] = ("uri", t.value, None, None)
            elif isinstance(t, ox.BlankNode):
                want[v] = ("bnode", t.value, None, None)
            elif isinstance(t, ox.Literal):
                datatype = t.datatype.value if not t.language and t.datatype.value != results.XSD_STRING else None
                want[v] = ("literal", t.value, t.language, datatype)
        assert got == want


def test_csv_reads_back():
    variables, rows = _rows()
    read = list(csv.reader(io.StringIO(results.write_solutions(variables, rows, formats.CSV).decode(), newline="")))
    assert read[0] == variables
    assert read[1 + 1][:2] == ["https://example.org/plan/熊本", "https://example.org/program/1"]
    assert len(read) == len(rows) + 1
