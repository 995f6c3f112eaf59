"""Checks on an RDF document from an untrusted source (an upload), before it is parsed.

RDF/XML is XML: a document type declaration can declare entities that expand exponentially
("billion laughs": 931 bytes that expand to gigabytes), and Oxigraph's RDF/XML parser expands
internal entities. RDF/XML never needs a DTD, so a document that declares one is refused. Deeply
nested elements parse in time that grows faster than the document (8,000 levels: 0.5 s,
quadrupling with each doubling), so nesting is bounded too; real RDF/XML nests a few levels per
resource. The other formats have no entities, and their parsers stay linear when nested deep.
"""

from __future__ import annotations

import re

MAX_XML_DEPTH = 256

# A comment, CDATA section or processing instruction (skipped whole), or a tag with its quoted
# attribute values (which XML forbids to hold "<", so a match never runs past the next tag).
_XML_TOKEN = re.compile(
    rb"<!--(?:[^-]++|-(?!->))*+-->"
    rb"|<!\[CDATA\[(?:[^\]]++|\](?!\]>))*+\]\]>"
    rb"|<\?(?:[^?]++|\?(?!>))*+\?>"
    rb"|<(/?)[^\s/>!?\"'<]++(?:[^>\"'<]++|\"[^\"<]*+\"|'[^'<]*+')*+>"
)
_OPENERS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeDocument(ValueError):
    """The document uses a feature that is refused in uploads (the message says which and why)."""


def check_rdf_xml(data: bytes, name: str = "the document") -> None:
    """UnsafeDocument when ``data`` (RDF/XML) declares a DTD or entities, or nests elements deeper
    than :data:`MAX_XML_DEPTH`. Linear in the size of the document."""
    text = data
    if b"\x00" in data[:4]:  # UTF-16 or UTF-32: look at the markup without the zero bytes
        text = data.replace(b"\x00", b"")
    found = _DECLARATION.search(text)
    if found:
        raise UnsafeDocument(
            f"{name} declares a document type or entities (<!{found[1].decode('ascii', 'replace')}>): "
            "RDF/XML uploads may not carry a DTD (entity expansion can take unbounded memory and time); "
            "remove it and write the values out"
        )
    for opener, closer in _OPENERS:
        if text.rfind(opener) > text.rfind(closer):
            return  # an unterminated comment, CDATA section or instruction: not XML, the parser says where
    depth = deepest = 0
    for token in _XML_TOKEN.finditer(text):  # linear: every opener above has its closer after it
        if token[0][1:2] in (b"!", b"?"):
            continue
        if token[1]:
            depth -= 1
        elif not token[0].endswith(b"/>"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_XML_DEPTH:
                    raise UnsafeDocument(
                        f"{name} nests XML elements more than {MAX_XML_DEPTH} levels deep; flatten it "
                        "(give nested resources their own rdf:Description with rdf:about or rdf:nodeID)"
                    )
