// The query page's editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes and a
// completion source fed by the page (prefixes, classes and properties of the ontology).
// Bundled by scripts/build-editor into service/static/vendor/codemirror/sparql-editor.js, which
// exposes window.FukushiEditor.create(textarea, vocabulary).
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion } from "@codemirror/autocomplete";
import { indentWithTab } from "@codemirror/commands";

const KEYWORDS = [
  "SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION", "GRAPH", "PREFIX", "BASE", "ORDER BY",
  "GROUP BY", "HAVING", "LIMIT", "OFFSET", "VALUES", "BIND", "AS", "CONSTRUCT", "DESCRIBE", "ASK",
  "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT", "CONTAINS", "STRSTARTS", "REGEX",
  "LANG", "LANGMATCHES", "STR", "NOT EXISTS", "EXISTS", "MINUS", "SERVICE", "IN",
];

// A term's completion also declares its prefix at the top of the query when the query lacks it
// (as the Wikidata Query Service does).
function declaring(prefixes) {
  return (view, completion, from, to) => {
    const name = completion.label;
    const prefix = name.slice(0, name.indexOf(":"));
    const doc = view.state.doc.toString();
    const changes = [{ from, to, insert: name }];
    const declared = new RegExp("PREFIX\\s+" + prefix + ":", "i").test(doc);
    const declaration = !declared && prefixes[prefix] ? `PREFIX ${prefix}: <${prefixes[prefix]}>\n` : "";
    if (declaration) changes.push({ from: 0, insert: declaration });
    view.dispatch({ changes, selection: { anchor: from + name.length + declaration.length } });
  };
}

// vocabulary: {prefixes: {pfx: iri}, terms: [{name: "fk:Program", kind: "class"|"property", label}]}
function completions(vocabulary) {
  const apply = declaring(vocabulary.prefixes || {});
  const prefixes = Object.entries(vocabulary.prefixes || {});
  const terms = vocabulary.terms || [];
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = word.text;
    const options = [];
    const head = context.state.sliceDoc(0, word.from);
    const inPrefixDecl = /PREFIX\s+$/i.test(head);
    if (inPrefixDecl) {
      for (const [p, iri] of prefixes) {
        options.push({ label: p + ":", apply: `${p}: <${iri}>`, type: "namespace", detail: iri });
      }
    } else if (text.includes(":")) {
      for (const t of terms) {
        options.push({ label: t.name, type: t.kind === "class" ? "class" : "property", detail: t.label || "", apply });
      }
    } else {
      for (const [p, iri] of prefixes) {
        options.push({ label: p + ":", type: "namespace", detail: iri });
      }
      for (const k of KEYWORDS) options.push({ label: k, type: "keyword" });
      for (const t of terms) {
        options.push({ label: t.name, type: t.kind === "class" ? "class" : "property", detail: t.label || "", apply });
      }
    }
    return { from: word.from, options, validFor: /^[\w-]*:?[\w-]*$/ };
  };
}

// The editor lives in a shadow root: CodeMirror's styles then go to the shadow root's adopted
// (constructed) style sheets rather than to an inline <style>, which the service's
// Content-Security-Policy (style-src 'self') refuses.
function create(textarea, vocabulary) {
  const listeners = [];
  const host = document.createElement("div");
  host.className = "sparql-editor";
  const shadow = host.attachShadow({ mode: "open" });
  const view = new EditorView({
    root: shadow,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        StreamLanguage.define(sparql),
        autocompletion({ override: [completions(vocabulary || {})] }),
        EditorView.theme({
          "&": { border: "1px solid #9aa5b1", minHeight: "12em", maxHeight: "60vh", fontSize: "0.95em", backgroundColor: "#fff" },
          ".cm-scroller": { fontFamily: "ui-monospace, monospace" },
        }),
        EditorView.contentAttributes.of({ "aria-label": textarea.getAttribute("aria-label") || "SPARQL" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            textarea.value = update.state.doc.toString();
            listeners.forEach((f) => f(textarea.value));
          }
        }),
      ],
    }),
  });
  shadow.appendChild(view.dom);
  textarea.parentNode.insertBefore(host, textarea.nextSibling);
  textarea.hidden = true;
  return {
    view,
    host,
    root: shadow,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    onChange: (f) => listeners.push(f),
  };
}

window.FukushiEditor = { create };
