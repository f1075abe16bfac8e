"""Link stage: merge the mentions of one project inside a document and attach indicators,
legal references and topics to it; runs after extraction and before mapping, on plain records."""

import csv
import logging
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.analyse

from budgetkg.etl.records import figure

jieba.setLogLevel(logging.WARNING)
DATA = Path(__file__).resolve().parent / "data"
# which origin names a project best, and which to trust first for text facts
ORIGIN_PRIORITY = {"description": 0, "expenditure_table": 1, "performance_table": 2, "summary": 3}
GENERIC_SUFFIX = re.compile(r"(?:(?:项目)?支出)?(?:绩效(?:目标|自评)表|绩效目标完成情况表)$|项目?$|(?<=费)经费$")
QUOTES = re.compile(r"[“”\"'‘’「」『』《》\s★☆*]")
STOP_TOKENS = {"等", "、", "的", "和", "与", "及", "(", ")", "-", "年", "月", "费"}
MERGE_THRESHOLD = Decimal("0.8")
MONEY_FACTS = (("initial_budget", "project_initial_budget"), ("budget", "project_budget"),
               ("executed", "project_executed"))


@lru_cache(maxsize=1)
def _tokenizer():
    """jieba's default tokenizer (also used by jieba.analyse) with the domain dictionary added once."""
    jieba.load_userdict(str(DATA / "domain_dict.txt"))
    return jieba.dt


def name_key(name):
    """A project name with quotes, spaces and generic suffixes (项目, 支出绩效目标表 …) removed."""
    key = QUOTES.sub("", name or "").replace("（", "(").replace("）", ")")
    previous = None
    while previous != key:
        previous, key = key, GENERIC_SUFFIX.sub("", key)
    return key or name


@lru_cache(maxsize=8192)
def tokens(name):
    """Content tokens of a project name (jieba with the domain dictionary)."""
    return frozenset(t for t in _tokenizer().lcut(name_key(name)) if t.strip() and t not in STOP_TOKENS)


def similarity(a, b):
    """How alike two project names are (0..1): equal keys 1, different numbers 0, else token overlap."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return Decimal(1)
    if re.findall(r"\d+", ka) != re.findall(r"\d+", kb):
        return Decimal(0)
    ta, tb = tokens(a), tokens(b)
    shared = ta & tb
    if len(shared) < 2:
        return Decimal(0)
    return Decimal(len(shared)) / Decimal(min(len(ta), len(tb)))


def _amounts(mentions):
    """The budget-like amounts printed for a set of mentions."""
    return [m["facts"][k]["value"] for m in mentions for k in ("budget", "initial_budget")
            if k in m["facts"]]


def amounts_compatible(left, right):
    """False when both sides print budgets and none agree (within 0.01 万元 or 0.5 %)."""
    a, b = _amounts(left), _amounts(right)
    if not a or not b:
        return True
    return any(abs(x - y) <= max(Decimal("0.01"), Decimal("0.005") * max(abs(x), abs(y)))
               for x in a for y in b)


def merge_mentions(mentions):
    """Group project mentions into projects: mentions from one listing are always distinct
    projects; across listings the most similar names with compatible amounts merge."""
    projects = []
    by_origin = {}
    for m in mentions:
        by_origin.setdefault(m["origin"], []).append(m)
    for origin in sorted(by_origin, key=lambda o: ORIGIN_PRIORITY.get(o, 9)):
        pairs = sorted(((similarity(m["name"], alt), -i, -j, i, j)
                        for i, m in enumerate(by_origin[origin])
                        for j, p in enumerate(projects) for alt in p["names"]
                        if origin not in p["origins"]), reverse=True)
        taken, used = {}, set()
        for score, _, _, i, j in pairs:
            if score < MERGE_THRESHOLD or i in taken or j in used:
                continue
            if amounts_compatible([by_origin[origin][i]], projects[j]["mentions"]):
                taken[i] = j
                used.add(j)
        for i, m in enumerate(by_origin[origin]):
            if i in taken:
                p = projects[taken[i]]
            else:
                p = {"mentions": [], "names": [], "origins": set()}
                projects.append(p)
            p["mentions"].append(m)
            p["origins"].add(origin)
            if m["name"] not in p["names"]:
                p["names"].append(m["name"])
    return [_project_record(p) for p in projects]


def _project_record(group):
    """One project record from its grouped mentions: canonical name, variants, merged facts."""
    mentions = sorted(group["mentions"], key=lambda m: (ORIGIN_PRIORITY.get(m["origin"], 9), m["line"]))
    first = mentions[0]
    facts = {}
    for m in mentions:
        for name, fact in m["facts"].items():
            facts.setdefault(name, fact)
    return {"kind": "project", "key": name_key(first["name"]), "name": first["name"],
            "alt_names": sorted({m["name"] for m in mentions} - {first["name"]}),
            "facts": facts, "mentions": mentions, "line": first["line"],
            "section": first["section"], "text": first["text"], "topics": []}


class _PieceCache:
    """A tokenizer for jieba.analyse that cuts space-separated pieces once each (jieba cuts at spaces
    anyway, so the tokens are the same): names, goals and indicator names repeat across projects."""

    def cut(self, text):
        for piece in text.split(" "):
            yield from _piece_tokens(piece)
            yield " "


@lru_cache(maxsize=32768)
def _piece_tokens(piece):
    return tuple(_tokenizer().cut(piece))


@lru_cache(maxsize=1)
def _keyword_extractor():
    """jieba's TF-IDF keyword extractor over the cached tokenizer."""
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = _PieceCache()
    return extractor


@lru_cache(maxsize=1)
def topic_table():
    """The shipped topic table: [(topic, english label, keywords)]."""
    with open(DATA / "topics.csv", encoding="utf-8") as f:
        return [(row["topic"], row["en"], row["keywords"].split("|")) for row in csv.DictReader(f)]


def project_topics(project, indicator_names, limit=3):
    """A few topics for a project, from jieba keywords of its names, goals and indicators."""
    goal = str(project["facts"].get("overall_target", {}).get("value", ""))[:200]
    text = " ".join([project["name"]] * 3 + project["alt_names"] + [goal] + indicator_names)
    tags = _keyword_extractor().extract_tags(text, topK=30, withWeight=True)
    name_text = " ".join([project["name"]] + project["alt_names"])
    scores = {}
    for tag, weight in tags:
        for topic in topics_of_tag(tag):
            scores[topic] = scores.get(topic, 0) + weight
    for topic, _, keywords in topic_table():
        hits = sum(1.0 for k in keywords if k in name_text)
        if hits:
            scores[topic] = scores.get(topic, 0) + hits
    ranked = sorted(((score, topic) for topic, score in scores.items() if score > 0), key=lambda s: (-s[0], s[1]))
    return [t for _, t in ranked[:limit]]


@lru_cache(maxsize=16384)
def topics_of_tag(tag):
    """The topics one of whose keywords (two characters or more) contains the tag or is inside it."""
    return tuple(topic for topic, _, keywords in topic_table()
                 if any(k in tag or tag in k for k in keywords if len(k) > 1))


def project_figures(project):
    """Figure records for a project's budget, initial budget and executed amount."""
    out = []
    for fact_name, item in MONEY_FACTS:
        for m in project["mentions"]:
            fact = m["facts"].get(fact_name)
            if not fact:
                continue
            code = m["facts"].get("functional_code", {}).get("value")
            name = m["facts"].get("functional_name", {}).get("value")
            rec = figure(item, fact["value"], printed=fact["printed"], printed_unit=fact.get("printed_unit", "万元"),
                         line=fact["line"], section=m["section"], text=m["text"])
            rec["project_key"] = project["key"]
            if code:
                rec.update(code=code, name=name, level={3: 1, 5: 2, 7: 3}.get(len(code)),
                           classification_item="functional_expenditure")
            out.append(rec)
    return out


def link_projects(records):
    """Replace project mentions by merged projects; point indicators and legal refs at them."""
    mentions = [r for r in records if r["kind"] == "project_mention"]
    projects = merge_mentions(mentions)
    by_line = {}
    for p in projects:
        for m in p["mentions"]:
            by_line[m["line"]] = p
    rest = [r for r in records if r["kind"] != "project_mention"]
    indicator_names = {}
    for r in rest:
        if r["kind"] == "indicator":
            p = by_line.get(r.get("project_line"))
            if p is not None:
                r["project_key"] = p["key"]
                indicator_names.setdefault(p["key"], []).append(r.get("level3") or "")
        elif r["kind"] == "legal_ref":
            p = next((p for p in projects for m in p["mentions"]
                      if m["line"] <= r["line"] <= m.get("end_line", m["line"])), None)
            if p is not None:
                r["project_key"] = p["key"]
    for p in projects:
        p["topics"] = project_topics(p, indicator_names.get(p["key"], []))
    figures = [f for p in projects for f in project_figures(p)]
    return rest + projects + figures
