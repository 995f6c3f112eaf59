"""POST /lint through FastAPI's TestClient: JSON or SARIF by Accept, 400 / 415 for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fukushi_kg.service.app import create_app
from fukushi_kg.service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "lint" / "fixtures"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    # /lint needs no store: the lifespan (query workers) is not started
    return TestClient(create_app(Settings(dist=tmp_path_factory.mktemp("dist"))))


def test_post_turtle_gets_a_json_report(client):
    body = (FIXTURES / "CODE002.ttl").read_bytes()
    r = client.post("/lint?ignore=OWL", content=body, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert [f["code"] for f in data["findings"]] == ["CODE002"]
    assert data["findings"][0]["location"]["file"] == "request-body"


def test_post_trig_gets_sarif_by_accept(client):
    body = (FIXTURES / "REL001.trig").read_bytes()
    r = client.post(
        "/lint",
        params={"select": "REL,SDG"},
        content=body,
        headers={"Content-Type": "application/trig", "Accept": "application/sarif+json"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/sarif+json")
    assert [x["ruleId"] for x in r.json()["runs"][0]["results"]] == ["REL001"]


def test_bad_input_is_400_or_415(client):
    r = client.post(
        "/lint", content=b"@prefix ex: <http://e/> .\nex:a ex:b .\n", headers={"Content-Type": "text/turtle"}
    )
    assert r.status_code == 400 and "2:" in r.text and "syntax error" in r.text
    r = client.post("/lint", content=b"<a/>", headers={"Content-Type": "application/xml"})
    assert r.status_code == 415
    r = client.post(
        "/lint?select=NOPE", content=(FIXTURES / "CODE002.ttl").read_bytes(), headers={"Content-Type": "text/turtle"}
    )
    assert r.status_code == 400
    r = client.post("/lint", content=b"", headers={"Content-Type": "text/turtle"})
    assert r.status_code == 400


def test_the_configured_upload_limit_is_the_lint_body_limit(tmp_path):
    small = TestClient(create_app(Settings(dist=tmp_path / "dist", max_upload_bytes=1024)))
    body = (FIXTURES / "CODE002.ttl").read_bytes()
    padded = body + b"\n" + b"#" * 2048 + b"\n"
    r = small.post("/lint", content=padded, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 413 and "1 KiB" in r.text
    tiny = b"<urn:a> <urn:b> <urn:c> .\n"
    assert small.post("/lint?ignore=OWL,SRC", content=tiny, headers={"Content-Type": "text/turtle"}).status_code == 200
