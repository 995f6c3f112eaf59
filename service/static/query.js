/* The query page: run the editor's query against /sparql, show a sortable table, offer CSV. */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var examples = document.getElementById("examples");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var csv = document.getElementById("csv");
  // The endpoint is the form's action: /sparql, or the one `fukushi-kg publish --endpoint` named.
  // A cross-origin endpoint is asked with GET (its CORS covers GET and HEAD), this service with POST.
  var endpoint = form.getAttribute("action") || "/sparql";
  var crossOrigin = new URL(endpoint, location.href).origin !== location.origin;

  function exampleText(name) {
    var nodes = document.querySelectorAll("#example-texts textarea");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("data-name") === name) { return nodes[i].value; }
    }
    return null;
  }
  function updateCsvLink() {
    csv.href = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "format=csv&query=" + encodeURIComponent(editor.value);
  }
  function localHref(iri) {
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
      var href = localHref(binding.value);
      var a = document.createElement(href ? "a" : "span");
      if (href) { a.href = href; }
      a.textContent = binding.value;
      td.appendChild(a);
    } else if (binding.type === "bnode") {
      td.textContent = "_:" + binding.value;
    } else {
      td.textContent = binding.value;
      if (binding["xml:lang"]) { td.lang = binding["xml:lang"]; }
    }
    return td;
  }
  function show(data, truncated) {
    results.textContent = "";
    if (truncated) {
      var warn = document.createElement("p");
      warn.className = "warning";
      warn.id = "truncated";
      warn.textContent = "Results cut at the row cap (" + truncated + ").";
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
    table.createCaption().textContent = document.documentElement.lang === "ja" ? "クエリの結果" : "Query results";
    var head = table.createTHead().insertRow();
    data.head.vars.forEach(function (v) {
      var th = document.createElement("th");
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
    status.textContent = data.results.bindings.length + " rows";
  }
  function run(event) {
    if (event) { event.preventDefault(); }
    status.textContent = "…";
    updateCsvLink();
    var body = new URLSearchParams();
    body.set("query", editor.value);
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
        return response.text().then(function (text) { throw new Error(text); });
      }
      if (type.indexOf("json") < 0) {
        return response.text().then(function (text) {
          results.textContent = "";
          var pre = document.createElement("pre");
          pre.textContent = text;
          results.appendChild(pre);
          status.textContent = "";
        });
      }
      return response.json().then(function (data) { show(data, truncated); });
    }).catch(function (error) {
      results.textContent = "";
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
    if (text !== null) { editor.value = text; updateCsvLink(); }
  });
  editor.addEventListener("input", updateCsvLink);
  form.addEventListener("submit", run);
  var wanted = new URLSearchParams(window.location.search).get("name");
  if (wanted && exampleText(wanted) !== null) {
    examples.value = wanted;
    editor.value = exampleText(wanted);
  }
  updateCsvLink();
})();
