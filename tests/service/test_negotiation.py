"""A table of Accept headers and what the service picks (service.negotiation.negotiate)."""

import pytest

from fukushi_kg.service.negotiation import negotiate

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
RDF = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    "accept, offers, expected",
    [
        (None, RESULTS, "application/sparql-results+json"),
        ("", RESULTS, "application/sparql-results+json"),
        ("*/*", RESULTS, "application/sparql-results+json"),
        ("text/csv", RESULTS, "text/csv"),
        ("text/*", RESULTS, "text/csv"),
        ("text/tab-separated-values, text/csv;q=0.5", RESULTS, "text/tab-separated-values"),
        (
            "application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8",
            RESULTS,
            "application/sparql-results+xml",
        ),
        ("application/sparql-results+json;q=0, */*", RESULTS, "application/sparql-results+xml"),
        ("text/*;q=0.1, */*;q=0.5", RESULTS, "application/sparql-results+json"),
        ("TEXT/CSV", RESULTS, "text/csv"),
        ("image/png", RESULTS, None),
        ("text/csv;q=0", RESULTS, None),
        ("text/csv;q=abc", RESULTS, None),
        ("garbage", RESULTS, None),
        (BROWSER, RDF, "text/html"),
        ("text/turtle", RDF, "text/turtle"),
        ("application/ld+json, text/turtle;q=0.9", RDF, "application/ld+json"),
        ("application/n-triples;q=1.0, text/html;q=0.2", RDF, "application/n-triples"),
    ],
)
def test_negotiate(accept, offers, expected):
    assert negotiate(accept, offers) == expected
