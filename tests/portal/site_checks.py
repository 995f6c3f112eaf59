"""The checks a portal team runs on a linked-data site, against any target: ``fukushi-kg serve`` or the
static publication under nginx (``tests/portal/test_publish.py`` runs each against both).

Each check takes an ``httpx.Client`` whose base URL is the site and the dataset's base IRI; it asserts
what clients rely on (content negotiation, alternates, validators and 304s, HEAD, the dataset's DCAT
description, the dumps and their checksums), never how a target produces it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import httpx
import rdflib

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
# Accept header -> the media type both targets answer with (None: 406)
ACCEPT = {
    None: "text/html",
    "*/*": "text/html",
    BROWSER: "text/html",
    "text/html": "text/html",
    "text/turtle": "text/turtle",
    "application/ld+json": "application/ld+json",
    "application/n-triples": "application/n-triples",
    "application/rdf+xml": "application/rdf+xml",
    "application/json": "application/ld+json",
    "text/turtle, application/ld+json;q=0.5": "text/turtle",
    "application/ld+json, text/turtle;q=0.9": "application/ld+json",
    "image/png": None,
}
RDFLIB_FORMAT = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
}
LISTED = ("text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


def parse(body: bytes, media_type: str, base: str) -> rdflib.Graph:
    graph = rdflib.Dataset() if media_type == "application/trig" else rdflib.Graph()
    graph.parse(data=body, format=RDFLIB_FORMAT[media_type], publicID=base)
    return graph


def link_types(response: httpx.Response) -> dict[str, str]:
    """``type -> href`` of every ``rel="alternate"`` in the Link header."""
    out = {}
    for part in re.split(r",\s*(?=<)", response.headers.get("link", "")):
        m = re.match(r"<([^>]*)>(.*)", part.strip())
        if m and 'rel="alternate"' in m.group(2):
            t = re.search(r'type="([^"]+)"', m.group(2))
            if t:
                out.setdefault(t.group(1), m.group(1))
    return out


def check_negotiation(client: httpx.Client, base: str, iri: str) -> None:
    """Every Accept header of ``ACCEPT`` on a resource IRI: status, type, Vary, Content-Location, Link, body."""
    path = "/" + iri[len(base) :]
    for accept, expected in ACCEPT.items():
        headers = {"accept": accept} if accept is not None else {}
        r = client.get(path, headers=headers)
        where = f"{path} Accept: {accept}"
        if expected is None:
            assert r.status_code == 406, where
            continue
        assert r.status_code == 200, (where, r.status_code, r.text[:200])
        assert media(r) == expected, (where, media(r))
        assert r.headers["content-type"].endswith("charset=utf-8"), where
        assert "accept" in r.headers.get("vary", "").lower(), where
        location = r.headers["content-location"]
        again = client.get(location)
        assert again.status_code == 200 and media(again) == expected, (where, location)
        assert again.content == r.content, (where, location)
        links = link_types(r)
        assert set(LISTED) <= set(links), (where, links)
        if expected == "text/html":
            assert '<script type="application/ld+json">' in r.text, where
            for t in LISTED[1:]:
                assert f'type="{t}"' in r.text, (where, t)  # typed <link rel="alternate">
        else:
            graph = parse(r.content, expected, base)
            if iri.startswith(base + "graph/"):  # a named graph's representation is its content
                assert len(graph) > 10, where
            else:
                assert (rdflib.URIRef(iri), None, None) in graph or (None, None, rdflib.URIRef(iri)) in graph, where
            if expected == "application/ld+json":
                assert "@context" in json.loads(r.content), where


def check_extensions(client: httpx.Client, base: str, iri: str) -> None:
    """``x.ttl`` / ``.jsonld`` / ``.nt`` / ``.rdf`` / ``.html?lang=`` name one representation each, the same
    the negotiated IRI gives; the graphs agree across formats."""
    path = "/" + iri[len(base) :]
    graphs = []
    for ext, media_type in (
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
        (".rdf", "application/rdf+xml"),
    ):
        r = client.get(path + ext)
        assert r.status_code == 200 and media(r) == media_type, (path + ext, r.status_code, media(r))
        assert r.content == client.get(path, headers={"accept": media_type}).content, path + ext
        graphs.append(parse(r.content, media_type, base))
    first = rdflib.compare.to_isomorphic(graphs[0])
    for other in graphs[1:]:
        assert rdflib.compare.to_isomorphic(other) == first, path
    for lang in ("ja", "en"):
        r = client.get(f"{path}.html?lang={lang}")
        assert r.status_code == 200 and media(r) == "text/html", (path, lang)
        assert f'lang="{lang}"' in r.text[:400], (path, lang)


def check_language(client: httpx.Client, base: str, iri: str) -> None:
    """The page's language from ``Accept-Language`` (en before ja), else Japanese, said in ``Vary``."""
    path = "/" + iri[len(base) :]
    for header, lang in (
        ("en-GB,en;q=0.9", "en"),
        ("fr, en;q=0.5, ja;q=0.4", "en"),
        ("ja,en;q=0.5", "ja"),
        ("de", "ja"),
    ):
        r = client.get(path, headers={"accept": "text/html", "accept-language": header})
        assert r.status_code == 200 and f'lang="{lang}"' in r.text[:400], (path, header)
        assert "accept-language" in r.headers.get("vary", "").lower(), (path, header)
        assert r.headers["content-location"].endswith(f".html?lang={lang}"), (path, header)


def check_validators(client: httpx.Client, url: str, accept: str | None = None) -> None:
    """ETag, Last-Modified and Cache-Control; 304 on If-None-Match and on If-Modified-Since; HEAD alike."""
    headers = {"accept": accept} if accept else {}
    r = client.get(url, headers=headers)
    assert r.status_code == 200, (url, r.status_code)
    etag, modified = r.headers.get("etag"), r.headers.get("last-modified")
    assert etag and modified, (url, r.headers)
    assert "max-age=" in r.headers.get("cache-control", "") or "no-cache" in r.headers.get("cache-control", ""), url
    again = client.get(url, headers={**headers, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b"", (url, again.status_code)
    assert again.headers.get("etag") == etag, url
    other = client.get(url, headers={**headers, "if-none-match": '"not-this-one"'})
    assert other.status_code == 200, url
    since = client.get(url, headers={**headers, "if-modified-since": modified})
    assert since.status_code == 304, (url, since.status_code)
    head = client.head(url, headers=headers)
    assert head.status_code == 200 and head.content == b"", url
    for name in ("content-type", "etag", "last-modified", "content-length"):
        assert head.headers.get(name) == r.headers.get(name), (url, name, head.headers.get(name), r.headers.get(name))


def check_missing(client: httpx.Client, base: str) -> None:
    for accept in ("text/html", "text/turtle"):
        r = client.get("/id/no-such-resource/at-all", headers={"accept": accept})
        assert r.status_code == 404, (accept, r.status_code)


def check_pages(client: httpx.Client, endpoint: str) -> None:
    """Home, query page (asking ``endpoint``) and ontology documentation in both languages."""
    for path in ("/", "/query", "/ontology", "/programs", "/dashboards"):
        for lang in ("ja", "en"):
            r = client.get(f"{path}?lang={lang}")
            assert r.status_code == 200 and media(r) == "text/html", (path, lang)
            assert f'lang="{lang}"' in r.text[:400], (path, lang)
    form = re.search(r'<form id="query-form" action="([^"]*)"', client.get("/query").text)
    assert form and form.group(1) == endpoint, form and form.group(1)
    ctx = client.get("/context.jsonld")
    assert ctx.status_code == 200 and media(ctx) == "application/ld+json"
    assert "fk" in json.loads(ctx.content)["@context"]
    index = client.get("/dashboards?lang=en").text
    for key in re.findall(r'href="/dashboards/([A-Za-z0-9._~-]+)', index):
        r = client.get(f"/dashboards/{key}", headers={"accept-language": "en"})
        assert r.status_code == 200 and media(r) == "text/html" and "<svg" in r.text, key
    csv = client.get("/programs.csv")
    assert csv.status_code == 200 and media(csv) == "text/csv" and csv.text.strip()  # its header at least
    api = client.get("/openapi.json")  # linked from every page
    assert api.status_code == 200 and media(api) == "application/json" and "/sparql" in api.json()["paths"]


def check_dataset(client: httpx.Client, base: str) -> None:
    """``/dataset`` and ``{base}id/dataset``: the page, and the DCAT catalogue in every RDF format."""
    r = client.get("/dataset", headers={"accept": "text/html"})
    assert r.status_code == 200 and media(r) == "text/html"
    assert "accept" in r.headers.get("vary", "").lower()
    for media_type in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"):
        for path in ("/dataset", "/id/dataset"):
            r = client.get(path, headers={"accept": media_type})
            assert r.status_code == 200 and media(r) == media_type, (path, media_type, r.status_code)
            graph = parse(r.content, media_type, base)
            assert (None, rdflib.RDF.type, DCAT.Catalog) in graph, (path, media_type)
            assert (rdflib.URIRef(base + "id/dataset"), rdflib.RDF.type, DCAT.Dataset) in graph, (path, media_type)
            assert client.get(r.headers["content-location"]).content == r.content, (path, media_type)
    void = client.get("/.well-known/void", follow_redirects=False)
    assert void.status_code == 303 and void.headers["location"].endswith("/dataset?format=ttl")


def check_dumps(client: httpx.Client) -> None:
    """``SHA256SUMS`` lists every dump and gzip copy; each file's hash is the listed one; each copy
    unpacks to its dump; each dump is served with validators."""
    sums = client.get("/dumps/SHA256SUMS")
    assert sums.status_code == 200 and media(sums) == "text/plain"
    listed = dict(reversed(line.split("  ", 1)) for line in sums.text.splitlines())
    assert {"fukushi-kg.nq", "fukushi-kg.nq.gz", "fukushi-kg.trig", "fukushi-kg.nt"} <= set(listed), listed
    bodies = {}
    for name, digest in listed.items():
        r = client.get(f"/dumps/{name}")
        assert r.status_code == 200, name
        assert hashlib.sha256(r.content).hexdigest() == digest, name
        bodies[name] = r.content
    for name, body in bodies.items():
        if name.endswith(".gz"):
            assert gzip.decompress(body) == bodies[name[:-3]], name
    check_validators(client, "/dumps/fukushi-kg.nq.gz")
