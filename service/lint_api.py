"""POST /lint: lint an RDF document sent in the request body.

The body's Content-Type names its format (Turtle, TriG, N-Triples, N-Quads, JSON-LD). The answer
is the lint report as JSON (default) or SARIF 2.1.0 (``Accept: application/sarif+json``).
``select`` / ``ignore`` query parameters choose rules as on the command line. 400 for a body
that does not parse (with line and column) or a bad selector, 415 for an unsupported
Content-Type (``text/plain`` included: only RDF media types, so no page elsewhere can send a lint
without a CORS preflight), 406 when Accept names neither format, 413 past ``--max-upload-bytes`` (refused by
``service.limits`` before the body is read) or, without the write token, past ``--lint-max-bytes``
(``service.quotas``), 413 also when the lint passes ``--lint-memory``, 429 when the client's lints or
the lint queue are full (before the body is read), 503 when the lint passes the service's
``--lint-timeout`` (it runs in a process of its own that is killed then: ``service.lint_runner``).
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fukushi_kg.graph.lint.inputs import MEDIA_TYPES
from fukushi_kg.graph.lint.report import as_dict, as_sarif
from fukushi_kg.service import errors
from fukushi_kg.service.lint_runner import LintCrashed, LintInputError, LintJob, LintTimeout, LintTooLarge
from fukushi_kg.service.negotiation import negotiate
from fukushi_kg.service.quotas import Refused

router = APIRouter(tags=["Lint"])
# RDF media types only. text/plain (N-Triples to the command line) is refused: with it a page on any
# site could send a lint without a CORS preflight (a "simple request"), as with a form's types.
ACCEPTED = frozenset(MEDIA_TYPES) - {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}
JSON = "application/json"
SARIF = "application/sarif+json"


def _split(values: list[str]) -> list[str]:
    return [s.strip() for v in values for s in v.split(",") if s.strip()]


@router.post(
    "/lint",
    summary="Lint an RDF document (the report as JSON or SARIF)",
    description="Send Turtle, TriG, N-Triples, N-Quads or JSON-LD with its Content-Type. "
    "Query parameters: select, ignore (rule codes or prefixes, comma-separated), fail_on.",
    responses={
        200: {"content": {JSON: {}, SARIF: {}}},
        400: {"description": "The body does not parse"},
        413: {"description": "The body is larger than the service lints, or the lint needed too much memory"},
        415: {"description": "Unsupported Content-Type"},
        429: {"description": "This client's lint is still running, or the lint queue is full"},
        503: {"description": "The lint passed the service's time limit, or no lint slot came free in it"},
    },
)
async def lint_document(request: Request) -> Response:
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media not in ACCEPTED:
        return errors.unsupported_media_type(media or None, sorted(ACCEPTED - {"application/x-turtle"}))
    accept = request.headers.get("accept")
    chosen = negotiate(accept, [JSON, SARIF]) if accept else JSON
    if chosen is None:
        return errors.not_acceptable([JSON, SARIF])
    try:  # before the body is read: a refused body stays unread (service.quotas)
        client = request.app.state.quotas.admit_lint(request)
    except Refused as refused:
        return refused.response()
    try:
        queued = request.app.state.lint_queue.admit()
    except Refused as refused:
        client.release()
        return refused.response()
    try:
        return await _lint(request, media, chosen)
    finally:
        queued.release()
        client.release()


async def _lint(request: Request, media: str, chosen: str) -> Response:
    body = await request.body()
    if not body.strip():
        return errors.bad_request("Empty body: send the RDF document to lint.")
    params = request.query_params
    fail_on = params.get("fail_on", "violation")
    if fail_on not in ("violation", "warning", "info"):
        return errors.bad_request("fail_on must be violation, warning or info.")
    job = LintJob(
        body, media, tuple(_split(params.getlist("select"))), tuple(_split(params.getlist("ignore"))), fail_on
    )
    try:
        result = await request.app.state.lint_runner.run(job)
    except LintInputError as exc:
        return errors.bad_request(str(exc))
    except LintTimeout as exc:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return errors.problem(503, f"The lint did not finish: {exc}.", headers)
    except LintTooLarge as exc:
        return errors.problem(413, f"The lint was stopped: {exc}.")
    except LintCrashed as exc:
        errors.log.error("POST /lint: %s", exc)
        return errors.problem(500, "The lint process failed (logged on the server).")
    payload = as_sarif(result) if chosen == SARIF else as_dict(result)
    return Response(
        json.dumps(payload, ensure_ascii=False, indent=2),
        media_type=f"{chosen}; charset=utf-8" if chosen == JSON else chosen,
    )
