"""Full-text search at /search?q= (HTML and JSON): jieba-tokenised, ranked by BM25, with highlighting.

The index covers units, documents, projects, indicators, legal documents, divisions and concepts; it is
built from the published store version on first use and rebuilt when a new version is published."""

from budgetkg import vocab
import math
import re
import threading
from urllib.parse import quote

from flask import Blueprint, current_app, render_template, request

from budgetkg.server import data, links
from budgetkg.server.errors import BadRequest
from budgetkg.server.twin import respond
from budgetkg.resources import ETL_DATA_DIR

bp = Blueprint("search", __name__)
BKG = str(vocab.BKG)
KINDS = {"unit": BKG + "BudgetUnit", "document": BKG + "Disclosure", "project": BKG + "Project",
         "indicator": BKG + "PerformanceIndicator", "legal": "http://data.europa.eu/eli/ontology#LegalResource",
         "division": BKG + "InternalDivision", "concept": "http://www.w3.org/2004/02/skos/core#Concept"}
KIND_LABELS = {"unit": "预算单位 unit", "document": "文件 document", "project": "项目 project",
               "indicator": "绩效指标 indicator", "legal": "法律依据 legal document",
               "division": "内设机构 division", "concept": "概念 concept"}
LABELS = ["skos:prefLabel", "rdfs:label", "eli:title", "skos:altLabel", "eli:id_local", "skos:notation"]
TEXTS = ["skos:definition", "bkg:overallTarget", "bkg:actualOutcome", "bkg:targetText", "bkg:actualText",
         "bkg:deviationReason", "bkg:policyBasisText", "bkg:fundAllocation"]
INDEX_QUERY = f"""SELECT ?s ?cls ?p ?text WHERE {{
  VALUES ?cls {{ {" ".join(f"<{c}>" for c in KINDS.values())} }} ?s a ?cls .
  VALUES ?p {{ {" ".join(LABELS + TEXTS)} }} ?s ?p ?text FILTER(isLiteral(?text)) }}"""
CONTEXT_QUERY = """SELECT DISTINCT ?s ?doc WHERE {
  { VALUES ?cls { bkg:Project bkg:PerformanceIndicator bkg:GlossaryTerm eli:LegalResource } ?s a ?cls .
    { ?s prov:wasDerivedFrom ?doc } UNION { ?s bkg:project ?p . ?doc bkg:hasProject ?p } ?doc a bkg:Disclosure }
  UNION { ?s a bkg:InternalDivision ; <http://www.w3.org/ns/org#unitOf> ?doc } }"""
LABEL_WEIGHT, TEXT_WEIGHT, K1, B = 3.0, 1.0, 1.2, 0.75
WORD = re.compile(r"\w", re.UNICODE)
STOP = {"的", "和", "与", "及", "等", "年", "了", "在", "是"}
DOMAIN_DICT = ETL_DATA_DIR / "domain_dict.txt"
_LOCK = threading.Lock()
_TOKENIZER = []


def tokenizer():
    """A jieba tokenizer with the ETL's domain dictionary (one per process)."""
    with _LOCK:
        if not _TOKENIZER:
            import jieba
            jieba.setLogLevel(60)
            tok = jieba.Tokenizer()
            if DOMAIN_DICT.is_file():
                tok.load_userdict(str(DOMAIN_DICT))
            _TOKENIZER.append(tok)
    return _TOKENIZER[0]


def index_tokens(text):
    """Tokens of a text for the index: jieba's search mode (words and the words inside them), lower-cased."""
    return [t.lower() for t in tokenizer().cut_for_search(text) if WORD.search(t)]


def query_terms(text):
    """Terms of a query: jieba's precise mode, without punctuation and stop words; each must match a word."""
    terms = [t.lower() for t in tokenizer().cut(text) if WORD.search(t) and t not in STOP]
    return list(dict.fromkeys(terms))


class Index:
    """An inverted index of weighted fields, ranked with BM25."""

    def __init__(self, entries):
        self.entries = entries  # iri -> {"kind", "fields": [(text, weight, is_label)], "doc"}
        self.postings, self.lengths = {}, {}
        for value, entry in entries.items():
            length = 0.0
            for text, weight, _ in entry["fields"]:
                for token in index_tokens(text):
                    posting = self.postings.setdefault(token, {})
                    posting[value] = posting.get(value, 0.0) + weight
                    length += weight
            self.lengths[value] = length or 1.0
        self.average = sum(self.lengths.values()) / max(1, len(self.lengths))

    def search(self, terms, kind=None):
        """(iri, score) of entries holding every term, best first."""
        if not terms or any(t not in self.postings for t in terms):
            return []
        hits = set.intersection(*(set(self.postings[t]) for t in terms))
        if kind:
            hits = {h for h in hits if self.entries[h]["kind"] == kind}
        total = len(self.entries)
        scored = []
        for value in hits:
            score = 0.0
            for term in terms:
                posting = self.postings[term]
                idf = math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
                tf = posting[value]
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[value] / self.average))
            scored.append((value, round(score, 4)))
        return sorted(scored, key=lambda item: (-item[1], self.entries[item[0]]["label"], item[0]))


def build_index():
    """Read the indexed texts from the store (through the worker pool) and index them."""
    rows = data.select(INDEX_QUERY, max_rows=2_000_000)
    kinds = {cls: kind for kind, cls in KINDS.items()}
    entries = {}
    for row in rows:
        value = row["s"].value
        kind = kinds[row["cls"].value]
        entry = entries.setdefault(value, {"kind": kind, "fields": [], "doc": None, "label": None})
        if KINDS[entry["kind"]].endswith("Concept") and kind != "concept":
            entry["kind"] = kind  # a more specific class than skos:Concept wins
        is_label = row["p"].value.rsplit("#", 1)[-1] in {p.split(":")[1] for p in LABELS}
        field = (row["text"].value, LABEL_WEIGHT if is_label else TEXT_WEIGHT, is_label)
        if field not in entry["fields"]:
            entry["fields"].append(field)
    for entry in entries.values():
        entry["fields"] = list(dict.fromkeys(entry["fields"]))
    for row in data.select(CONTEXT_QUERY, max_rows=2_000_000):
        if row["s"].value in entries:
            entries[row["s"].value]["doc"] = row["doc"].value
    links.resolve_labels(list(entries) + [e["doc"] for e in entries.values() if e["doc"]])
    for value, entry in entries.items():
        entry["label"] = links.label(value)
        entry["doc_label"] = links.label(entry["doc"]) if entry["doc"] else None
    return Index(entries)


def current_index():
    """The index of the published version, built on first use and after every new publication."""
    state = current_app.extensions["budgetkg"].setdefault("search", {"version": None, "index": None,
                                                                    "lock": threading.Lock()})
    version = data.current_version()
    with state["lock"]:
        if state["index"] is None or state["version"] != version:
            state["index"], state["version"] = build_index(), version
        return state["index"]


def highlight(text, terms, width=80):
    """A snippet of text around the first match as [(segment, is_match)], and the match offsets."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    matches = [m.span() for m in pattern.finditer(text)] if terms else []
    start = 0
    if matches and len(text) > width:
        start = max(0, matches[0][0] - width // 3)
    end = min(len(text), start + width) if len(text) > width else len(text)
    segments, position = [], start
    for m_start, m_end in matches:
        if m_start < position or m_end > end:
            continue
        segments += [(text[position:m_start], False), (text[m_start:m_end], True)]
        position = m_end
    segments.append((text[position:end], False))
    prefix = [("…", False)] if start > 0 else []
    suffix = [("…", False)] if end < len(text) else []
    return prefix + [s for s in segments if s[0]] + suffix, [m for m in matches if start <= m[0] and m[1] <= end]


def result(index, value, score, terms):
    """One hit as shown and as JSON: label, kind, context document, highlighted snippets."""
    entry = index.entries[value]
    label_field = next((f for f in entry["fields"] if f[2] and any(t in f[0].lower() for t in terms)), None)
    text_field = next((f for f in entry["fields"] if not f[2] and any(t in f[0].lower() for t in terms)), None)
    title = label_field[0] if label_field else entry["label"]
    title_segments, _ = highlight(title, terms, width=10_000)
    snippet_segments, offsets = highlight(text_field[0], terms) if text_field else ([], [])
    doc = entry["doc"]
    return {"iri": value, "href": links.href(value), "kind": entry["kind"], "label": entry["label"],
            "matched_label": title, "score": score, "title_segments": title_segments,
            "snippet_segments": snippet_segments, "snippet": "".join(s for s, _ in snippet_segments),
            "context": {"iri": doc, "href": links.href(doc), "label": entry["doc_label"]} if doc else None}


def sparql_for(hits):
    """The documented SPARQL pattern for search hits: a VALUES block to join with any query."""
    values = " ".join(f"<{h['iri']}>" for h in hits)
    return ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            f"SELECT ?hit ?type ?label WHERE {{\n  VALUES ?hit {{ {values} }}\n  ?hit a ?type .\n"
            "  OPTIONAL { ?hit skos:prefLabel|rdfs:label ?label }\n}")


@bp.get("/search.json")
def search_json():
    """The search results as JSON (the machine twin of /search)."""
    return search()


@bp.get("/search")
def search():
    """Search the graph: ?q= words, optional ?kind= (unit document project indicator legal division concept)."""
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind") or None
    if kind and kind not in KINDS:
        raise BadRequest(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    try:
        limit = max(1, min(500, int(request.args.get("limit", 50))))
        offset = max(0, int(request.args.get("offset", 0)))
    except ValueError:
        raise BadRequest("limit and offset must be integers")
    terms = query_terms(q) if q else []
    body = {"query": q, "terms": terms, "kind": kind, "total": 0, "offset": offset, "limit": limit,
            "results": [], "facets": {}, "sparql": None}
    if terms:
        index = current_index()
        everything = index.search(terms)
        for value, _ in everything:
            facet = index.entries[value]["kind"]
            body["facets"][facet] = body["facets"].get(facet, 0) + 1
        ranked = [hit for hit in everything if not kind or index.entries[hit[0]]["kind"] == kind]
        body["total"] = len(ranked)
        body["results"] = [result(index, value, score, terms) for value, score in ranked[offset:offset + limit]]
        if body["results"]:
            body["sparql"] = sparql_for(body["results"])
    return respond(body, lambda b: render_template("search.html", r=b, q=q, kind_labels=KIND_LABELS,
                                                   workbench=quote(b["sparql"] or "", safe="")),
                   force_json=request.path.endswith(".json"))
