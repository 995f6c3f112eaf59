"""The HTTP API fuzzed by schemathesis from our own OpenAPI document, on a live server.

Every operation in /openapi.json gets generated requests (valid and invalid parameters, bodies,
headers). No response may be a 5xx; every 4xx has a plain explanation and no stack trace; none
may take longer than its bound. The server runs with writes enabled but schemathesis has no
token, so writes are refused (401), never performed. Examples per operation:
``FUKUSHI_KG_API_EXAMPLES`` (default 20).
"""

from __future__ import annotations

import collections

import pytest

schemathesis = pytest.importorskip("schemathesis")
from conftest import env_number  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from servers import make_dist, start_server, stop_server  # noqa: E402

EXAMPLES = int(env_number("FUKUSHI_KG_API_EXAMPLES", 20))
RESPONSE_SECONDS = 15.0
SEEN: collections.Counter = collections.Counter()


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    dist = make_dist(tmp_path_factory.mktemp("api") / "dist", with_w3c_data=False)
    server = start_server(
        dist, "--workers", "2", "--timeout", "5", env={"FUKUSHI_KG_WRITE_TOKEN": "not-given-to-the-fuzzer"}
    )
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def api_schema(api_server):
    return schemathesis.openapi.from_url(api_server.url + "/openapi.json")


def clear_error(ctx, response, case) -> bool | None:
    """A 4xx explains itself in a short text (no stack trace); no answer takes longer than the bound."""
    SEEN[response.status_code] += 1
    assert response.elapsed < RESPONSE_SECONDS, f"{case.method} {case.path} took {response.elapsed:.1f} s"
    text = response.text if response.status_code >= 400 else ""
    assert "Traceback" not in text and 'File "' not in text, text[:500]
    if 400 <= response.status_code < 500 and case.method != "HEAD":
        assert text.strip(), f"{case.method} {case.path}: {response.status_code} without an explanation"
    return None


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_api_never_answers_5xx(case, figures):
    case.call_and_validate(checks=[not_a_server_error, clear_error], timeout=RESPONSE_SECONDS + 5)
    figures["schemathesis responses by status"] = dict(sorted(SEEN.items()))
