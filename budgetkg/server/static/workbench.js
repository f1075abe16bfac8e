// budgetkg query workbench: SPARQL highlighting, examples, running queries against /sparql, results table.
// No libraries and no network access beyond this server: it works offline.
"use strict";

const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED " +
  "OPTIONAL UNION MINUS FILTER BIND VALUES GRAPH SERVICE ORDER BY GROUP HAVING LIMIT OFFSET ASC DESC AS " +
  "NOT EXISTS IN A COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG DATATYPE IRI URI BNODE " +
  "CONCAT STRLEN SUBSTR REPLACE REGEX CONTAINS STRSTARTS STRENDS LCASE UCASE COALESCE IF BOUND ISIRI " +
  "ISLITERAL ISBLANK ROUND ABS FLOOR CEIL YEAR TRUE FALSE UNDEF").split(" "));
const TOKEN = new RegExp([
  "(#[^\\n]*)",                                        // 1 comment
  "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
  "(<[^<>\"{}|^`\\\\\\s]*>)",                          // 3 IRI
  "([?$][\\w\\u00b7\\u0300-\\u036f\\u203f-\\u2040\\u00c0-\\uffff]+)", // 4 variable
  "([A-Za-z][\\w.-]*)?:([\\w.-]*)",                    // 5, 6 prefixed name
  "(\\b\\d+(?:\\.\\d+)?\\b)",                          // 7 number
  "([A-Za-z_]+)",                                      // 8 word
].join("|"), "g");

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function highlight(text) {
  let out = "", last = 0;
  text.replace(TOKEN, (match, comment, string, iri, variable, prefix, local, number, word, offset) => {
    out += escapeHtml(text.slice(last, offset));
    let cls = null;
    if (comment) cls = "c";
    else if (string) cls = "s";
    else if (iri) cls = "i";
    else if (variable) cls = "v";
    else if (local !== undefined) cls = "p";
    else if (number) cls = "n";
    else if (word && KEYWORDS.has(word.toUpperCase())) cls = "k";
    out += cls ? `<span class="tok-${cls}">${escapeHtml(match)}</span>` : escapeHtml(match);
    last = offset + match.length;
    return match;
  });
  return out + escapeHtml(text.slice(last)) + "\n";
}

function localHref(iri, bench) {
  const base = bench.dataset.base, code = bench.dataset.codeBase, def = bench.dataset.defBase;
  if (iri.startsWith(code)) return "/code/" + iri.slice(code.length);
  if (iri.startsWith(def)) return "/def#" + iri.slice(def.length);
  if (iri.startsWith(base) && /^(unit|doc|legal|issuer)\//.test(iri.slice(base.length))) {
    return "/" + iri.slice(base.length);
  }
  return iri;
}

// Only http(s) and relative links: an IRI like javascript:... or data:... is shown as text.
const LINK_SCHEMES = new Set(["http:", "https:"]);

function safeHref(href) {
  try {
    return LINK_SCHEMES.has(new URL(href, document.baseURI).protocol) ? href : null;
  } catch (error) {
    return null;
  }
}

function cell(term, bench) {
  const td = document.createElement("td");
  if (!term) return td;
  const href = term.type === "uri" ? safeHref(localHref(term.value, bench)) : null;
  if (href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = term.value;
    td.appendChild(a);
  } else if (term.type === "uri") {
    const span = document.createElement("span");
    span.className = "iri";
    span.textContent = term.value;
    td.appendChild(span);
  } else {
    td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
    if (term["xml:lang"]) td.lang = term["xml:lang"];
  }
  return td;
}

function renderSolutions(data, bench, target) {
  const table = document.createElement("table");
  table.className = "data results";
  table.id = "results-table";
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const name of data.head.vars) row.appendChild(cell(binding[name], bench));
  }
  target.replaceChildren(table);
  return data.results.bindings.length;
}

async function run(bench) {
  const query = document.getElementById("query").value;
  const status = document.getElementById("status");
  const target = document.getElementById("results");
  status.textContent = "运行中 running…";
  status.className = "";
  const started = performance.now();
  try {
    const response = await fetch(bench.dataset.endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: "query=" + encodeURIComponent(query),
    });
    const type = response.headers.get("Content-Type") || "";
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      const body = type.includes("json") ? (await response.json()).error : await response.text();
      status.textContent = `错误 error ${response.status}: ${body}`;
      status.className = "error";
      target.replaceChildren();
      return;
    }
    const truncated = response.headers.get("X-Result-Truncated") ? " (truncated: row cap reached)" : "";
    if (type.includes("json")) {
      const data = await response.json();
      if ("boolean" in data) {
        target.textContent = String(data.boolean);
        status.textContent = `ASK → ${data.boolean} · ${seconds} s`;
      } else {
        const rows = renderSolutions(data, bench, target);
        status.textContent = `${rows} 行 rows · ${seconds} s${truncated}`;
      }
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      target.replaceChildren(pre);
      status.textContent = `RDF · ${seconds} s${truncated}`;
    }
  } catch (error) {
    status.textContent = "错误 error: " + error;
    status.className = "error";
  }
}

function updateLinks(query) {
  const encoded = encodeURIComponent(query);
  document.getElementById("download-csv").href = "/sparql?format=csv&query=" + encoded;
  document.getElementById("download-json").href = "/sparql?format=json&query=" + encoded;
  document.getElementById("share").href = "/query?query=" + encoded;
}

document.addEventListener("DOMContentLoaded", () => {
  const bench = document.getElementById("workbench");
  const editor = document.getElementById("query");
  const code = document.getElementById("highlight");
  const refresh = () => {
    code.innerHTML = highlight(editor.value);
    updateLinks(editor.value);
  };
  editor.addEventListener("input", refresh);
  editor.addEventListener("scroll", () => {
    code.parentElement.scrollTop = editor.scrollTop;
    code.parentElement.scrollLeft = editor.scrollLeft;
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      document.getElementById("run").click();
    }
  });
  document.getElementById("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    history.replaceState(null, "", "/query?query=" + encodeURIComponent(editor.value));
    run(bench);
  });
  for (const link of document.querySelectorAll("a.example")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const text = document.querySelector(`textarea.example-text[data-id="${link.dataset.id}"]`);
      editor.value = text.value;
      for (const other of document.querySelectorAll("a.example")) other.classList.remove("active");
      link.classList.add("active");
      history.replaceState(null, "", "/query?example=" + encodeURIComponent(link.dataset.id));
      refresh();
    });
  }
  refresh();
  if (bench.dataset.run === "true") run(bench);
});
