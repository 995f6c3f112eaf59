"""Read W3C SPARQL 1.1 protocol / graph store / service description manifests and run their HTTP requests.

Used by tests/service/test_w3c_protocol.py against fukushi-kg and by bench/protocol_compare.py
against rdflib-endpoint, so both are judged by the same code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404}}
for _c in range(1, 6):
    STATUS[f"StatusCode{_c}xx"] = set(range(_c * 100, _c * 100 + 100))
BOOLEAN_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/json",
    "application/xml",
)
TABULAR_TYPES = BOOLEAN_TYPES + ("text/csv", "text/tab-separated-values")
RDF_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "text/plain",
    "application/trig",
    "application/n-quads",
    "application/xhtml+xml",
    "text/html",
)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]
    expected_format: str | None = None
    expected_boolean: bool | None = None
    expected_body: str | None = None
    expected_content_type: str | None = None
    location_var: str | None = None


@dataclass
class Case:
    iri: str
    name: str
    requests: list[Request]
    graph_data: dict[str, str] = field(default_factory=dict)  # graph IRI -> data file
    requires: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


def _headers(g: rdflib.Graph, node) -> dict[str, str]:
    out = {}
    lst = g.value(node, HT.headers)
    if lst is not None:
        for h in Collection(g, lst):
            out[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return out


def _body(g: rdflib.Graph, node) -> tuple[str | None, str]:
    body = g.value(node, HT.body)
    if body is None:
        return None, "utf-8"
    return str(g.value(body, CNT.chars)), str(g.value(body, CNT.characterEncoding) or "UTF-8")


def load_cases(manifest: Path) -> list[Case]:
    """Every test of a manifest (following mf:include), in manifest order."""
    g = rdflib.Graph()
    # parse with an explicit base so that <> is the manifest's IRI even when a folder is a symlink
    root = rdflib.URIRef(manifest.absolute().as_uri())
    g.parse(manifest, format="turtle", publicID=str(root))
    cases: list[Case] = []
    for include in g.objects(root, MF.include):
        for sub in Collection(g, include):
            cases += load_cases(Path(unquote(urlsplit(str(sub)).path)))
    entries = g.value(root, MF.entries)
    if entries is None:
        return cases
    for test in Collection(g, entries):
        action = g.value(test, MF.action)
        requests = []
        if action is not None and g.value(action, HT.requests) is not None:
            for r in Collection(g, g.value(action, HT.requests)):
                chars, encoding = _body(g, r)
                resp = g.value(r, HT.resp)
                statuses: set[int] = set()
                for s in g.objects(resp, MF.expectedStatus):
                    statuses |= STATUS.get(str(s).rsplit("#", 1)[-1], set())
                resp_headers = _headers(g, resp)
                expected_body, _ = _body(g, resp)
                boolean = g.value(resp, MF.expectedBoolean)
                fmt = g.value(resp, MF.expectedFormat)
                location = g.value(resp, MF.expectedLocation)
                requests.append(
                    Request(
                        method=str(g.value(r, HT.methodName)),
                        path=str(g.value(r, HT.absolutePath)),
                        headers=_headers(g, r),
                        body=None if chars is None else chars.encode(encoding.lower().replace("utf-16", "utf-16")),
                        statuses=statuses,
                        expected_format=str(fmt) if fmt is not None else None,
                        expected_boolean=None if boolean is None else bool(boolean.toPython()),
                        expected_body=expected_body,
                        expected_content_type=resp_headers.get("content-type"),
                        location_var=str(location) if location is not None else None,
                    )
                )
        graph_data = {}
        for gd in g.objects(test, UT.graphData):
            graph_data[str(g.value(gd, rdflib.RDFS.label))] = str(g.value(gd, UT.graph))
        cases.append(
            Case(
                str(test),
                str(g.value(test, MF.name)),
                requests,
                graph_data,
                [str(x).rsplit("#", 1)[-1] for x in g.objects(test, MF.requires)],
            )
        )
    return cases


def _check_body(req: Request, response: httpx.Response) -> str | None:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if req.expected_format == "boolean":
        if media not in BOOLEAN_TYPES:
            return f"boolean expected, got {media}"
        text = response.text
        value = json.loads(text).get("boolean") if "json" in media else ("<boolean>true</boolean>" in text)
        if req.expected_boolean is not None and value != req.expected_boolean:
            return f"expected boolean {req.expected_boolean}, got {value}"
    elif req.expected_format == "tabular" and media not in TABULAR_TYPES:
        return f"tabular results expected, got {media}"
    elif req.expected_format == "RDF" and media not in RDF_TYPES:
        return f"RDF expected, got {media}"
    if req.expected_body is not None and req.method == "GET":
        expected = rdflib.Graph().parse(data=req.expected_body, format="turtle", publicID="http://www.example/")
        try:
            fmt = {
                "text/turtle": "turtle",
                "application/n-triples": "nt",
                "application/rdf+xml": "xml",
                "application/ld+json": "json-ld",
            }.get(media, "turtle")
            got = rdflib.Graph().parse(data=response.text, format=fmt, publicID="http://www.example/")
        except Exception as error:  # noqa: BLE001 - any parse failure fails the case
            return f"response body does not parse as {media}: {error}"
        if not isomorphic(expected, got):
            return "response graph is not isomorphic to the expected one"
    return None


def run_case(
    case: Case, client: httpx.Client, prefixes: dict[str, str], extra_headers: dict | None = None
) -> str | None:
    """None when every request of the case gets the expected answer; else what went wrong.

    ``prefixes`` rewrites the manifest's path prefixes (``/sparql/``, ``/gsp``) to the endpoint under test.
    """
    variables: dict[str, str] = {}
    for number, req in enumerate(case.requests, 1):
        path = req.path
        for old, new in prefixes.items():
            if path.startswith(old):
                path = new + path[len(old) :]
                break
        body = req.body
        for var, value in variables.items():
            path = path.replace(var, value)
            if body is not None:
                body = body.replace(var.encode(), value.encode())
        headers = {**req.headers, **(extra_headers or {})}
        try:
            response = client.request(req.method, path, headers=headers, content=body)
        except httpx.HTTPError as error:
            return f"request {number} ({req.method} {path}) failed: {error}"
        if req.statuses and response.status_code not in req.statuses:
            return (
                f"request {number} ({req.method} {path}): status {response.status_code}, expected "
                f"{sorted(req.statuses)[:3]}…: {response.text[:200]!r}"
            )
        if req.location_var:
            location = response.headers.get("location")
            if not location:
                return f"request {number}: no Location header"
            variables[req.location_var] = location
        if 200 <= response.status_code < 300:
            problem = _check_body(req, response)
            if problem:
                return f"request {number} ({req.method} {path}): {problem}"
    return None
