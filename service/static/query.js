/* The query page: a CodeMirror 6 editor (vendor/codemirror, with completion of the ontology's
   prefixes, classes and properties), run against /sparql, a sortable table whose IRIs under the
   dataset's base open the local page, a chart of a numeric column, CSV and a permalink. */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var examples = document.getElementById("examples");
  var results = document.getElementById("results");
  var chart = document.getElementById("chart");
  var chartType = document.getElementById("chart-type");
  var status = document.getElementById("status");
  var csv = document.getElementById("csv");
  var permalink = document.getElementById("permalink");
  // The endpoint is the form's action: /sparql, or the one `fukushi-kg publish --endpoint` named.
  // A cross-origin endpoint is asked with GET (its CORS covers GET and HEAD), this service with POST.
  var endpoint = form.getAttribute("action") || "/sparql";
  var crossOrigin = new URL(endpoint, location.href).origin !== location.origin;
  var base = form.getAttribute("data-base") || "";
  var lang = document.documentElement.lang;
  // The UI strings come from the translation catalogue, rendered by query.html into #query-strings.
  var strings = JSON.parse(document.getElementById("query-strings").textContent || "{}");
  function tr(key, values) {
    return (strings[key] || key).replace(/%\((\w+)\)s/g, function (m, name) { return String(values[name]); });
  }
  var vocabulary = JSON.parse(document.getElementById("vocabulary").textContent || "{}");
  var editor = window.FukushiEditor ? window.FukushiEditor.create(textarea, vocabulary) : null;
  var last = null;

  function getText() { return editor ? editor.getValue() : textarea.value; }
  function setText(text) {
    if (editor) { editor.setValue(text); } else { textarea.value = text; }
    updateLinks();
  }
  function exampleText(name) {
    var nodes = document.querySelectorAll("#example-texts textarea");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("data-name") === name) { return nodes[i].value; }
    }
    return null;
  }
  function updateLinks() {
    var text = getText();
    csv.href = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "format=csv&query=" + encodeURIComponent(text);
    permalink.href = "/query?query=" + encodeURIComponent(text);
  }
  function hrefOf(iri) {
    if (base && iri.indexOf(base) === 0) { return "/" + iri.slice(base.length); }
    try {
      var url = new URL(iri);
      if (url.protocol === "http:" || url.protocol === "https:") { return iri; }
    } catch (e) { /* not a URL */ }
    return null;
  }
  function cell(binding) {
    var td = document.createElement("td");
    if (!binding) { return td; }
    if (binding.type === "uri") {
      var href = hrefOf(binding.value);
      var a = document.createElement(href ? "a" : "span");
      if (href) { a.href = href; }
      a.textContent = binding.value;
      td.appendChild(a);
    } else if (binding.type === "bnode") {
      td.textContent = "_:" + binding.value;
    } else {
      td.textContent = binding.value;
      if (binding["xml:lang"]) { td.lang = binding["xml:lang"]; }
      if (numeric(binding) !== null) { td.className = "num"; }
    }
    return td;
  }
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedLong|unsignedInt)$/;
  function numeric(binding) {
    if (!binding || binding.type !== "literal" || !binding.datatype || !NUMERIC.test(binding.datatype)) { return null; }
    var n = Number(binding.value);
    return isFinite(n) ? n : null;
  }
  function label(binding) {
    if (!binding) { return ""; }
    if (binding.type === "uri") {
      var v = binding.value;
      return v.slice(Math.max(v.lastIndexOf("/"), v.lastIndexOf("#")) + 1) || v;
    }
    return binding.value;
  }
  /* The chart of the first numeric column against the first other column (bar or line), as SVG. */
  function drawChart(data) {
    chart.textContent = "";
    if (!data || !data.head || chartType.value === "none") { return; }
    var vars = data.head.vars, rows = data.results.bindings;
    var valueVar = null, labelVar = null;
    vars.forEach(function (v) {
      var nums = rows.filter(function (b) { return numeric(b[v]) !== null; }).length;
      if (valueVar === null && nums > 0 && nums === rows.filter(function (b) { return b[v]; }).length) { valueVar = v; }
    });
    if (valueVar === null || rows.length === 0) { return; }
    labelVar = vars.filter(function (v) { return v !== valueVar; })[0] || null;
    var points = rows.slice(0, 60).map(function (b, i) {
      return { label: labelVar ? label(b[labelVar]) : String(i + 1), value: numeric(b[valueVar]) || 0 };
    });
    var svgNS = "http://www.w3.org/2000/svg";
    var width = 520, rowH = 20, pad = 10, labelW = 180;
    var max = Math.max.apply(null, points.map(function (p) { return p.value; }).concat([0]));
    var min = Math.min.apply(null, points.map(function (p) { return p.value; }).concat([0]));
    var span = (max - min) || 1;
    var svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("role", "img");
    svg.setAttribute("id", "result-chart");
    svg.setAttribute("data-kind", chartType.value);
    svg.setAttribute("aria-label", tr("chart", {what: valueVar + (labelVar ? " / " + labelVar : "")}));
    function el(name, attrs, text) {
      var e = document.createElementNS(svgNS, name);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) { e.textContent = text; }
      svg.appendChild(e);
      return e;
    }
    if (chartType.value === "line") {
      var height = 240, left = 50, bottom = 30, plotW = width - left - pad, plotH = height - bottom - pad;
      svg.setAttribute("viewBox", "0 0 " + width + " " + height);
      var step = points.length > 1 ? plotW / (points.length - 1) : 0;
      var coords = points.map(function (p, i) {
        return [left + i * step, pad + plotH - plotH * (p.value - min) / span];
      });
      el("line", { x1: left, y1: pad + plotH, x2: width - pad, y2: pad + plotH, stroke: "#4a5561" });
      el("text", { x: left - 4, y: pad + 10, "text-anchor": "end", "font-size": 11, fill: "#1d2530" }, String(max));
      el("text", { x: left - 4, y: pad + plotH, "text-anchor": "end", "font-size": 11, fill: "#1d2530" }, String(min));
      el("polyline", { points: coords.map(function (c) { return c.join(","); }).join(" "), fill: "none", stroke: "#2f6690", "stroke-width": 2 });
      coords.forEach(function (c, i) {
        var dot = el("circle", { cx: c[0], cy: c[1], r: 3, fill: "#2f6690", "class": "point" });
        var t = document.createElementNS(svgNS, "title");
        t.textContent = points[i].label + ": " + points[i].value;
        dot.appendChild(t);
        if (points.length <= 12) {
          el("text", { x: c[0], y: pad + plotH + 16, "text-anchor": "middle", "font-size": 10, fill: "#1d2530" }, points[i].label.slice(0, 10));
        }
      });
    } else {
      var h = pad * 2 + rowH * points.length;
      svg.setAttribute("viewBox", "0 0 " + width + " " + h);
      var barSpan = width - labelW - 70;
      var zero = labelW + barSpan * (0 - min) / span;
      points.forEach(function (p, i) {
        var y = pad + i * rowH;
        var w = Math.max(1, barSpan * Math.abs(p.value) / span);
        var x = p.value >= 0 ? zero : zero - w;
        el("text", { x: labelW - 6, y: y + rowH / 2 + 4, "text-anchor": "end", "font-size": 11, fill: "#1d2530" }, p.label.length > 24 ? p.label.slice(0, 23) + "…" : p.label);
        var bar = el("rect", { x: x, y: y + 3, width: w, height: rowH - 6, fill: "#2f6690", "class": "bar" });
        var t = document.createElementNS(svgNS, "title");
        t.textContent = p.label + ": " + p.value;
        bar.appendChild(t);
        el("text", { x: x + w + 4, y: y + rowH / 2 + 4, "font-size": 11, fill: "#1d2530" }, String(p.value));
      });
    }
    chart.appendChild(svg);
  }
  function show(data, truncated) {
    results.textContent = "";
    chart.textContent = "";
    last = data;
    if (truncated) {
      var warn = document.createElement("p");
      warn.className = "warning";
      warn.id = "truncated";
      warn.textContent = tr("truncated", {n: truncated});
      results.appendChild(warn);
    }
    if (typeof data.boolean === "boolean") {
      var p = document.createElement("p");
      p.id = "boolean";
      p.textContent = String(data.boolean);
      results.appendChild(p);
      return;
    }
    var table = document.createElement("table");
    table.className = "data sortable";
    table.id = "results-table";
    table.createCaption().textContent = tr("caption", {});
    var head = table.createTHead().insertRow();
    data.head.vars.forEach(function (v) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = v;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.results.bindings.forEach(function (b) {
      var tr = body.insertRow();
      data.head.vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
    });
    results.appendChild(table);
    window.fukushiSortable(table);
    status.textContent = tr("rows", {n: data.results.bindings.length});
    drawChart(data);
  }
  function run(event) {
    if (event) { event.preventDefault(); }
    status.textContent = "…";
    updateLinks();
    var text = getText();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "/query?query=" + encodeURIComponent(text) + (lang === "ja" ? "" : "&lang=" + encodeURIComponent(lang)));
    }
    var body = new URLSearchParams();
    body.set("query", text);
    var accept = "application/sparql-results+json, text/turtle;q=0.9";
    var request = crossOrigin
      ? fetch(endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + body.toString(), { headers: { "Accept": accept } })
      : fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
        body: body.toString()
      });
    request.then(function (response) {
      var truncated = response.headers.get("Fukushi-Truncated") === "true" ? response.headers.get("Fukushi-Row-Cap") : null;
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        return response.text().then(function (t) { throw new Error(t); });
      }
      if (type.indexOf("json") < 0) {
        return response.text().then(function (t) {
          results.textContent = "";
          chart.textContent = "";
          var pre = document.createElement("pre");
          pre.textContent = t;
          results.appendChild(pre);
          status.textContent = "";
        });
      }
      return response.json().then(function (data) { show(data, truncated); });
    }).catch(function (error) {
      results.textContent = "";
      chart.textContent = "";
      var p = document.createElement("p");
      p.className = "error";
      p.id = "error";
      p.textContent = error.message;
      results.appendChild(p);
      status.textContent = "";
    });
  }
  examples.addEventListener("change", function () {
    var text = exampleText(examples.value);
    if (text !== null) { setText(text); }
  });
  chartType.addEventListener("change", function () { drawChart(last); });
  if (editor) { editor.onChange(updateLinks); } else { textarea.addEventListener("input", updateLinks); }
  form.addEventListener("submit", run);
  window.fukushiQuery = { getText: getText, setText: setText, run: run, editor: editor };
  updateLinks();
  // A permalink on a static copy of the site (`fukushi-kg publish`), where no server fills the editor
  var given = new URLSearchParams(window.location.search).get("query");
  if (given !== null && given !== getText()) { setText(given); }
  if (new URLSearchParams(window.location.search).get("run") === "1") { run(); }
})();
