"""What the graph says about a source document as a publication: publisher, rights, attribution,
retrieval, and the served plain-text copy its line spans count in.

Everything here comes from ``data/sources/manifest.json`` (reviewed by hand: the publisher's
terms and the original URL are stated only where they are known, never guessed) and from the
text file itself (its SHA-256, computed at build time).

- ``<doc> dct:publisher / dct:rightsHolder <org>``: organisation resources (``{base}id/org/…``).
- ``<doc> dct:rights <doc#rights>``: a ``dct:RightsStatement`` whose label is the publisher's
  terms as far as they are known; ``dct:license`` only where the manifest names a licence IRI.
- ``<doc> dct:bibliographicCitation``: the attribution statement to print when reusing the text.
- ``<doc> fk:retrievalNote``: how the PDF was obtained, and that its URL is unknown where it is;
  ``foaf:page`` the original publication URL where it is known.
- ``<doc> fk:sourceText <{base}sources/FILE>``: the text served at that URL (text/plain; UTF-8),
  with ``spdx:checksum`` (SHA-256), its size (``dct:extent``) and ``dct:format`` (the EU file
  type TXT and the media type text/plain); every span's selector
  has it as ``oa:hasSource``, so ``line=S,E`` resolves against it (RFC 5147).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF

from fukushi_kg.graph.sources import Document

FK = Namespace("https://w3id.org/fukushi-kg/def/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCMITYPE = Namespace("http://purl.org/dc/dcmitype/")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
TEXT_PLAIN = "http://www.iana.org/assignments/media-types/text/plain"


@cache
def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_url(base: str, doc: Document) -> URIRef:
    """Where the service serves ``doc``'s text: ``{base}sources/{file}``."""
    return URIRef(f"{base}sources/{doc.file}")


def describe(g: Graph, node: URIRef, doc: Document, base: str, publishers: list[URIRef]) -> URIRef:
    """Add the publication metadata of ``doc`` (document IRI ``node``) to ``g``; returns the text's URL."""
    for org in publishers:
        g.add((node, DCTERMS.publisher, org))
        g.add((node, DCTERMS.rightsHolder, org))
    rights = URIRef(f"{node}#rights")
    g.add((node, DCTERMS.rights, rights))
    g.add((rights, RDF.type, DCTERMS.RightsStatement))
    g.add((rights, RDFS.label, Literal(doc.terms, lang="en")))
    if doc.terms_ja:
        g.add((rights, RDFS.label, Literal(doc.terms_ja, lang="ja")))
    if doc.licence:
        g.add((node, DCTERMS.license, URIRef(doc.licence)))
    if doc.attribution:
        g.add((node, DCTERMS.bibliographicCitation, Literal(doc.attribution, lang="ja")))
    if doc.retrieval_note:
        g.add((node, FK.retrievalNote, Literal(doc.retrieval_note, lang="en")))
    if doc.url:
        g.add((node, FOAF.page, URIRef(doc.url)))
    text = text_url(base, doc)
    g.add((node, FK.sourceText, text))
    g.add((text, RDF.type, DCMITYPE.Text))
    g.add((text, RDFS.label, Literal(f"{doc.file} (text extracted from the published PDF)", lang="en")))
    g.add((text, DCTERMS.isFormatOf, node))
    g.add((text, DCTERMS.format, URIRef(FILE_TYPE + "TXT")))
    g.add((text, DCTERMS.format, URIRef(TEXT_PLAIN)))
    g.add((text, DCTERMS.rights, rights))
    g.add((text, DCTERMS.extent, Literal(f"{doc.path.stat().st_size} bytes", lang="en")))
    checksum = URIRef(f"{text}#sha256")
    g.add((text, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(sha256(doc.path), datatype=XSD.hexBinary)))
    return text
