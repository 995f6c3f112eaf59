/* On a page opened from the search (?hl=words), mark each word where it occurs in the page's main
   text, comparing after NFKC normalisation and case folding as the search does (第5次 marks 第５次). */
(function () {
  "use strict";
  var wanted = new URLSearchParams(window.location.search).get("hl");
  var main = document.querySelector("main");
  if (!wanted || !main || !String.prototype.normalize) { return; }
  var words = wanted.normalize("NFKC").toLowerCase().split(/\s+/).filter(function (w) { return w; });
  if (!words.length) { return; }
  function fold(text) {
    var out = "", where = [];
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      var code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) { ch = text.slice(i, i + 2); }
      var f = ch.normalize("NFKC").toLowerCase();
      for (var k = 0; k < f.length; k++) { where.push(i); }
      out += f;
      if (ch.length === 2) { i++; }
    }
    where.push(text.length);
    return { text: out, where: where };
  }
  var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
    acceptNode: function (n) {
      var p = n.parentNode;
      if (!n.nodeValue.trim() || !p || /^(SCRIPT|STYLE|TEXTAREA|MARK)$/.test(p.nodeName) || p.closest("form, pre.sparql")) {
        return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  var nodes = [];
  while (walker.nextNode()) { nodes.push(walker.currentNode); }
  var first = null;
  nodes.forEach(function (node) {
    var text = node.nodeValue, folded = fold(text), ranges = [];
    words.forEach(function (w) {
      var at = folded.text.indexOf(w);
      while (at >= 0) {
        ranges.push([folded.where[at], folded.where[at + w.length - 1] + 1]);
        at = folded.text.indexOf(w, at + w.length);
      }
    });
    if (!ranges.length) { return; }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var frag = document.createDocumentFragment(), pos = 0;
    ranges.forEach(function (r) {
      if (r[0] < pos) { return; }
      frag.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = text.slice(r[0], r[1]);
      frag.appendChild(mark);
      if (!first) { first = mark; }
      pos = r[1];
    });
    frag.appendChild(document.createTextNode(text.slice(pos)));
    node.parentNode.replaceChild(frag, node);
  });
  if (first && first.scrollIntoView) { first.scrollIntoView({ block: "center" }); }
})();
