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
    page.goto(server.url + "/query?lang=ja")
    page.js("window.fukushiQuery.setText('SELECT * WHERE { ?s ?p }');document.getElementById('run').click(); true")
    error = page.wait_for("document.getElementById('error') && document.getElementById('error').textContent")
    assert "syntax error" in error
    page.js("window.fukushiQuery.setText('SELECT * WHERE { ?s ?p ?o }');document.getElementById('run').click(); true")
    page.wait_for("document.getElementById('truncated') !== null")
    assert page.js("document.querySelectorAll('#results-table tbody tr').length") == 100
    # the script's own words come from the page's catalogue block, in the page's language
    assert page.js("document.getElementById('truncated').textContent") == "行数の上限で打ち切りました (100)."
    assert page.js("document.querySelector('#results-table caption').textContent") == "クエリの結果"
    assert page.js("document.getElementById('status').textContent") == "100 行"


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


# ------------------------------------------------------------------ explore pages (service/explore.py)

# What the accessibility check asks of a page: every form control has an accessible name, every
# table a caption, every chart (svg role=img) a title, the page a language, and every piece of text
# a contrast of at least 4.5:1 with what is behind it (3:1 for large text), WCAG 2.1 AA.
A11Y = r"""
(() => {
  const problems = [];
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
  const named = (el) => {
    if (el.getAttribute("aria-label")) return true;
    const by = el.getAttribute("aria-labelledby");
    if (by && by.split(/\s+/).some((id) => (document.getElementById(id) || {}).textContent)) return true;
    if (el.id && document.querySelector(`label[for="${el.id}"]`)) return true;
    if (el.closest("label")) return true;
    if ((el.tagName === "BUTTON" || el.tagName === "A") && el.textContent.trim()) return true;
    return el.tagName === "INPUT" && (el.type === "submit" || el.type === "button") && el.value;
  };
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  document.querySelectorAll("input:not([type=hidden]), select, textarea, button, [contenteditable=true]").forEach((el) => {
    if (visible(el) && !named(el)) problems.push("no label: " + el.outerHTML.slice(0, 120));
  });
  document.querySelectorAll("table").forEach((t) => {
    if (!t.caption || !t.caption.textContent.trim()) problems.push("no caption: " + t.outerHTML.slice(0, 120));
  });
  document.querySelectorAll("svg[role=img]").forEach((s) => {
    const by = (s.getAttribute("aria-labelledby") || "").split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
    if (!s.getAttribute("aria-label") && !by.some((e) => e.textContent.trim())) problems.push("chart without a title");
  });
  const rgba = (c) => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0.5) return c;
    }
    return [255, 255, 255, 1];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.nodeValue.trim() || !el || seen.has(el) || el.closest("svg, script, style, [hidden], .visually-hidden")) continue;
    seen.add(el);
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const fg = rgba(s.color), bg = background(el);
    const a = lum(fg), b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) problems.push(`contrast ${ratio.toFixed(2)} < ${need}: "${node.nodeValue.trim().slice(0, 40)}" (${s.color} on rgb(${bg.slice(0, 3)}))`);
  }
  return problems;
})()
"""

SINGLE_PARENT = "https://w3id.org/fukushi-kg/def/target-group/single-parent-household"


def _wait_for_editor(page):
    page.wait_for(
        "window.fukushiQuery !== undefined && window.fukushiQuery.editor !== null && "
        "window.fukushiQuery.editor.root.querySelector('.cm-editor .cm-content') !== null"
    )


def test_query_page_editor_highlights_completes_and_keeps_a_permalink(page, seed_server):
    page.goto(seed_server.url + "/query?lang=en")
    _wait_for_editor(page)
    assert page.js("document.getElementById('query').hidden") is True  # the editor replaces the textarea
    page.js("window.fukushiQuery.setText('SELECT ?p WHERE {\\n  ?p a ');true")
    # syntax highlighting: the keyword and the variable are styled tokens of different colours
    colours = page.js(
        "(() => { const root = window.fukushiQuery.editor.root, spans = [...root.querySelectorAll('.cm-line span')];"
        "const of = (t) => { const s = spans.find((e) => e.textContent === t); return s ? getComputedStyle(s).color : null; };"
        "return [of('SELECT'), of('?p'), getComputedStyle(root.querySelector('.cm-content')).color]; })()"
    )
    assert colours[0] and colours[1] and len({colours[0], colours[1], colours[2]}) == 3, colours
    # completion of the ontology's classes after a prefix
    page.js(
        "(() => { const v = window.fukushiQuery.editor.view; v.focus();"
        "v.dispatch({selection: {anchor: v.state.doc.length}}); return true; })()"
    )
    page.call("Input.insertText", text="fk:Progr")
    options = page.wait_for(
        "window.fukushiQuery.editor.root.querySelector('.cm-tooltip-autocomplete') && [...window.fukushiQuery"
        ".editor.root.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].map((e) => e.textContent)"
    )
    assert "fk:Program" in options and all(o.startswith("fk:") for o in options), options
    chosen = page.js(
        "window.fukushiQuery.editor.root.querySelector('.cm-tooltip-autocomplete li[aria-selected=true] "
        ".cm-completionLabel').textContent"
    )
    time.sleep(0.3)  # CodeMirror ignores keys for its interactionDelay (75 ms) after the list opens
    page.call("Input.dispatchKeyEvent", type="rawKeyDown", key="Enter", code="Enter", windowsVirtualKeyCode=13)
    page.call("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)
    page.wait_for(f"window.fukushiQuery.getText().endsWith('?p a {chosen}')")
    # the prefix the completed term needs is declared at the top, once
    text = page.js("window.fukushiQuery.getText()")
    assert (
        text.startswith("PREFIX fk: <https://w3id.org/fukushi-kg/def/>\nSELECT ?p WHERE {")
        and text.count("PREFIX") == 1
    )
    page.js("window.fukushiQuery.setText(window.fukushiQuery.getText() + ' }');true")
    text = page.js("window.fukushiQuery.getText()")
    href = page.js("document.getElementById('permalink').href")
    assert "query=" in href and "fk%3AProgram" in href
    page.goto(href)
    _wait_for_editor(page)
    assert page.js("window.fukushiQuery.getText()") == text


def test_query_page_charts_numeric_results_and_opens_local_pages(page, seed_server):
    page.goto(seed_server.url + "/query?lang=en")
    _wait_for_editor(page)
    query = (
        "PREFIX fk: <https://w3id.org/fukushi-kg/def/>\\n"
        "SELECT ?plan (COUNT(?l) AS ?listings) WHERE { ?l a fk:Listing ; fk:inPlan ?plan } GROUP BY ?plan ORDER BY ?plan"
    )
    page.js(f"window.fukushiQuery.setText('{query}');document.getElementById('run').click();true")
    page.wait_for("document.querySelector('#results-table tbody tr') !== null")
    rows = page.js("document.querySelectorAll('#results-table tbody tr').length")
    assert rows >= 2
    assert page.js("document.querySelectorAll('#result-chart rect.bar').length") == rows
    assert page.js("document.getElementById('result-chart').getAttribute('aria-label')").startswith("Chart: listings")
    assert page.js("document.querySelector('#results-table caption').textContent") == "Query results"
    assert page.js("document.getElementById('status').textContent") == f"{rows} rows"
    links = page.js("[...document.querySelectorAll('#results-table tbody a')].map((a) => a.getAttribute('href'))")
    assert links and all(h.startswith("/id/plan/") for h in links)  # IRIs under the base open the local page
    page.js(
        "const s = document.getElementById('chart-type'); s.value = 'line'; s.dispatchEvent(new Event('change')); true"
    )
    assert page.js("document.querySelector('#result-chart').getAttribute('data-kind')") == "line"
    assert page.js("document.querySelectorAll('#result-chart circle.point').length") == rows
    assert "query=" in page.js("location.search")  # the address bar carries the query that ran


def test_search_opens_the_page_with_the_hit_marked(page, seed_server):
    page.goto(seed_server.url + "/search?lang=ja&q=" + "%E7%AC%AC5%E6%AC%A1")  # 第5次
    first = page.js("document.querySelector('#search-results li a').getAttribute('href')")
    assert first.startswith("/id/plan/kumamoto-regional-welfare-plan-5?")
    page.js("document.querySelector('#search-results li a').click(); true")
    page.wait_for(
        "location.pathname === '/id/plan/kumamoto-regional-welfare-plan-5' && document.readyState === 'complete'"
    )
    marks = page.wait_for("[...document.querySelectorAll('mark.search-hit')].map((m) => m.textContent)")
    assert "第５次" in marks


def test_dashboard_charts_show_without_javascript_and_in_print(page, seed_server):
    page.call("Emulation.setScriptExecutionDisabled", value=True)
    try:
        page.goto(seed_server.url + "/dashboards/kurume-child-smile-plan-2?lang=ja")
        widths = page.call(
            "Runtime.evaluate",
            expression="[...document.querySelectorAll('svg.chart')].map((s) => s.getBoundingClientRect().width)",
            returnByValue=True,
        )["result"]["value"]
        assert len(widths) >= 6 and min(widths) > 100
        page.call("Emulation.setEmulatedMedia", media="print")
        printed = page.call(
            "Runtime.evaluate",
            expression="[...document.querySelectorAll('svg.chart')].filter((s) => s.getBoundingClientRect().width > 100).length",
            returnByValue=True,
        )["result"]["value"]
        assert printed == len(widths)
        pdf = base64.b64decode(page.call("Page.printToPDF")["data"])
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    finally:
        page.call("Emulation.setEmulatedMedia", media="")
        page.call("Emulation.setScriptExecutionDisabled", value=False)


@pytest.mark.parametrize(
    "path",
    [
        "/?lang=ja",
        "/?lang=en",
        "/search?lang=ja&q=%E5%AD%A6%E7%BF%92",
        "/programs?lang=en&group=" + SINGLE_PARENT,
        "/dashboards/kurume-child-smile-plan-2?lang=ja",
        "/dashboards/kumamoto-child-future-action-plan?lang=en",
        "/dashboards/kumamoto-welfare-results-fy2023?lang=ja",
        "/query?lang=ja&name=spending&run=1",
    ],
)
def test_explore_pages_pass_the_accessibility_check(page, seed_server, path):
    page.goto(seed_server.url + path)
    if path.startswith("/query"):
        page.wait_for("document.querySelector('#results-table tbody tr') !== null")
    assert page.js(A11Y) == []
