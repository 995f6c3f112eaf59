"""The one gate for IRIs written into an ``href``: http(s) URLs and local paths only.

Autoescaping keeps a value from leaving its attribute, but not a ``javascript:`` or ``data:``
IRI from running when the link is followed; and the data is anyone's (a law's ``rdfs:seeAlso``
may say ``javascript:alert(1)``). Every dynamic ``href`` of the templates goes through
:func:`safe_href` (the Jinja filter ``safe_href``); what it refuses is shown as text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# C0 controls, space, DEL and the backslash: browsers strip or reinterpret them (``java\tscript:``,
# ``/\\host`` is ``//host``), so an IRI carrying one is never a link.
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def safe_href(iri: object) -> str | None:
    """``iri`` when it is an absolute http(s) URL with a host, a path on this site (``/x``, not
    ``//host``), a fragment (``#x``) or a query (``?x``); otherwise None."""
    if not isinstance(iri, str) or not iri or _UNSAFE.search(iri):
        return None
    if iri.startswith(("#", "?")):
        return iri
    if iri.startswith("/"):
        return None if iri.startswith("//") else iri
    if not iri.lower().startswith(("http://", "https://")):
        return None
    try:
        return iri if urlsplit(iri).hostname else None
    except ValueError:  # a malformed IPv6 host
        return None


def install(env) -> None:
    """Register ``safe_href`` as a filter of the Jinja environment ``env``."""
    env.filters["safe_href"] = safe_href
