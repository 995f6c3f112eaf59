"""The query page in a real headless Chromium, driven over the DevTools protocol (no downloads, no CDN)."""

from __future__ import annotations

import base64
import json
import shutil
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest

websockets_sync = pytest.importorskip("websockets.sync.client")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH")]


class Page:
    """A minimal DevTools client: evaluate JavaScript in one page and wait for conditions."""

    def __init__(self, ws_url: str):
        self.ws = websockets_sync.connect(ws_url, max_size=None).__enter__()
        self.next_id = 0
        self.events: list[dict] = []  # DevTools events seen while waiting for answers

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=30))
            if "method" in message and "id" not in message:
                self.events.append(message)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message["result"]

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def goto(self, url: str):
        self.call("Page.navigate", url=url)
        time.sleep(0.2)
        self.wait_for("document.readyState === 'complete' && location.href.startsWith('http')")


@pytest.fixture(scope="module")
def page():
    profile = tempfile.mkdtemp(prefix="chromium-")
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not port_file.is_file() or not port_file.read_text().strip():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("chromium did not start: " + process.stderr.read().decode(errors="replace")[-2000:])
        time.sleep(0.1)
    port = port_file.read_text().split()[0]
    targets = httpx.get(f"http://127.0.0.1:{port}/json/list").json()
    target = next(t for t in targets if t["type"] == "page")
    p = Page(target["webSocketDebuggerUrl"])
    p.call("Page.enable")
    yield p
    p.ws.close()
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(profile, ignore_errors=True)


def test_query_page_runs_an_example_sorts_and_offers_csv(page, server):
    page.goto(server.url + "/query")
    options = page.js("Array.from(document.querySelectorAll('#examples option')).map(o => o.value)")
    assert "programs" in options and "plans" in options
    page.js(
        "const s = document.getElementById('examples'); s.value = 'programs';s.dispatchEvent(new Event('change')); true"
    )
    assert "fk:Program" in page.js("document.getElementById('query').value")
    page.js("document.getElementById('run').click(); true")
    page.wait_for("document.querySelector('#results-table tbody tr') !== null")
    headers = page.js("Array.from(document.querySelectorAll('#results-table th')).map(th => th.textContent)")
    assert headers == ["program", "label"]
    labels = page.js(
        "Array.from(document.querySelectorAll('#results-table tbody tr')).map(r => r.cells[1].textContent)"
    )
    assert "こども食堂支援" in labels and "<script>alert('x')</script>" in labels  # shown as text, not run
    assert page.js("document.querySelectorAll('#results-table script').length") == 0
    page.js("document.querySelectorAll('#results-table th')[1].click(); true")
    ascending = page.js(
        "Array.from(document.querySelectorAll('#results-table tbody tr')).map(r => r.cells[1].textContent)"
    )
    assert ascending == sorted(ascending, key=lambda s: s) or ascending[0] <= ascending[-1]
    page.js("document.querySelectorAll('#results-table th')[1].click(); true")
    descending = page.js(
        "Array.from(document.querySelectorAll('#results-table tbody tr')).map(r => r.cells[1].textContent)"
    )
    assert descending == list(reversed(ascending))
    assert page.js("document.querySelectorAll('#results-table th')[1].getAttribute('aria-sort')") == "descending"
    href = page.js("document.getElementById('csv').href")
    assert "format=csv" in href
    csv = page.js(f"fetch({json.dumps(href)}).then(r => r.text())")
    assert csv.startswith("program,label\r\n") and "こども食堂支援" in csv
    origins = page.js("performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) <= {server.url}, origins  # everything bundled, nothing from a CDN


def test_query_page_shows_errors_and_row_cap(page, server):
    page.goto(server.url + "/query")
    page.js(
        "document.getElementById('query').value = 'SELECT * WHERE { ?s ?p }';"
        "document.getElementById('run').click(); true"
    )
    error = page.wait_for("document.getElementById('error') && document.getElementById('error').textContent")
    assert "syntax error" in error
    page.js(
        "document.getElementById('query').value = 'SELECT * WHERE { ?s ?p ?o }';"
        "document.getElementById('run').click(); true"
    )
    page.wait_for("document.getElementById('truncated') !== null")
    assert page.js("document.querySelectorAll('#results-table tbody tr').length") == 100


def test_resource_page_renders(page, server):
    page.goto(server.url + "/id/program/kodomo-shokudo?lang=ja")
    assert page.js("document.querySelector('h1').textContent") == "こども食堂支援"
    page.js("document.querySelector('#incoming a[href=\"/id/plan/kumamoto\"]').click(); true")
    page.wait_for("location.pathname === '/id/plan/kumamoto' && document.readyState === 'complete'")
    assert (
        page.js("document.querySelector('h1').textContent") == "Kumamoto children's future plan"
    )  # Accept-Language: en


def _console_errors(events: list[dict]) -> list[str]:
    errors = []
    for e in events:
        if e["method"] == "Runtime.exceptionThrown":
            errors.append(json.dumps(e["params"]["exceptionDetails"])[:500])
        elif e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"):
            errors.append(json.dumps(e["params"]["args"])[:500])
        elif e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
            entry = e["params"]["entry"]
            if not entry.get("url", "").endswith("/favicon.ico"):
                errors.append(entry.get("text", "") + " " + entry.get("url", ""))
    return errors


def test_program_page_of_the_seed_build_renders_without_console_errors(page, seed_server):
    query = (
        "SELECT ?p WHERE { ?p a <https://w3id.org/fukushi-kg/def/Program> ; "
        '<http://www.w3.org/2000/01/rdf-schema#label> "こどもの学習支援事業"@ja }'
    )
    bindings = httpx.get(
        seed_server.url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    program = bindings[0]["p"]["value"]
    path = "/" + program.removeprefix("https://w3id.org/fukushi-kg/")
    page.call("Runtime.enable")
    page.call("Log.enable")
    page.call("Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False)
    page.events.clear()
    page.goto(seed_server.url + path + "?lang=ja")
    assert page.js("document.querySelector('h1').textContent") == "こどもの学習支援事業"
    assert page.js("document.querySelectorAll('#listed-in tbody tr').length") == 3
    assert page.js("document.querySelectorAll('#source-lines .line').length") > 10
    assert page.js("document.querySelector('#properties') !== null")  # the generic table stays, below
    assert page.js("document.querySelector('#listed-in').getBoundingClientRect().height") > 50
    shot = base64.b64decode(page.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"])
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", shot[16:24])
    assert (width, height) == (1280, 1600) and len(shot) > 30_000  # a page with content, not a blank one
    time.sleep(0.3)  # let late console messages arrive
    page.js("true")
    assert _console_errors(page.events) == []
    origins = page.js("performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) <= {seed_server.url}, origins


def test_published_query_page_asks_the_configured_endpoint(page, server, tmp_path):
    """The static site's query page (nginx, one origin) runs its query on the endpoint given to
    ``fukushi-kg publish --endpoint`` (the service, another origin: a CORS GET) and shows the rows."""
    import os
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "portal"))
    from servers import BASE, free_port
    from test_publish import start_nginx

    out = tmp_path / "site"
    listen = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fukushi_kg",
            "publish",
            str(out),
            "--dist",
            str(server.dist),
            "--base",
            BASE,
            "--host",
            f"http://{listen}/",
            "--endpoint",
            server.url + "/sparql",
            "--queries",
            str(server.dist.parent / "queries"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    process, url = start_nginx(out, tmp_path, listen)
    try:
        page.goto(url + "/query")
        assert page.js("document.getElementById('query-form').getAttribute('action')") == server.url + "/sparql"
        page.js(  # the fixture's named queries, given to publish with --queries
            "const s = document.getElementById('examples'); s.value = 'programs';"
            "s.dispatchEvent(new Event('change')); true"
        )
        page.js("document.getElementById('run').click(); true")
        page.wait_for("document.querySelector('#results-table tbody tr') !== null || document.getElementById('error')")
        assert page.js("document.getElementById('error') && document.getElementById('error').textContent") is None
        labels = page.js(
            "Array.from(document.querySelectorAll('#results-table tbody tr')).map(r => r.cells[1].textContent)"
        )
        assert "こども食堂支援" in labels
        assert page.js("document.getElementById('csv').href").startswith(server.url + "/sparql?")
    finally:
        process.terminate()
        process.wait(10)
