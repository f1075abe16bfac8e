"""Legal-basis references: official document numbers (文号) and laws or regulations cited by title.

A 文号 is an issuer code, a four-digit year in brackets of any style and a serial: 新政办发〔2018〕55号,
中办发[2003]16号, 新人社函【2017】291号, (after read-normalisation also （） ［］ and their mixtures).
It is normalised to code〔year〕serial号; a numbered order of a body (人力资源和社会保障部令第14号,
…部第14号令) to body令第N号. A 《》 title printed right next to a number (before it, with
only a bracket between, or right after it) is that document's title; 关于印发《X》的通知 is read as one
title. Other 《》 titles are taken as title-only citations when they look like a legal document (by
their ending: 法, 条例, 办法, 通知 ... or a cue such as 根据/依据/按照/印发 before them) and never when
they name a table or report (…表, …报告). A 《 with no closing 》 on its line or the next is reported
as a warning naming the line. Numbers and titles broken across lines are found on the joined text
(etl.extract.sentences.text_units), also across page-number lines and paragraph boundaries that
split a number; table cells are read too (repeated merged cells once)."""

import re

from budgetkg.etl.extract.sentences import line_at, snippet, text_units
from budgetkg.etl.issuers import issuer_bodies, known_codes
from budgetkg.etl.records import warning

CJK = "\u4e00-\u9fff"
OPEN = "〔【\\[(（［〖﹝"
CLOSE = "〕】\\])）］〗﹞"
NUMBER = re.compile(
    rf"(?P<pre>[{CJK}]{{2,12}})\s*[{OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{CLOSE}]\s*"
    rf"第?\s*(?P<serial>\d{{1,5}})\s*号")
# Words that end the text before an issuer code (the code starts after the last of them). Single
# characters that occur in real issuer codes (并 太原, 同 大同, 和 和田, 文 文化, 经 经信 ...) are only
# cut when the longer code is not in the issuer table.
SEPARATORS = ("根据", "依据", "按照", "参照", "遵照", "依照", "贯彻", "落实", "执行", "关于", "印发",
              "转发", "下发", "发布", "号", "的", "和", "及", "与", "或", "等", "即", "见", "为",
              "在", "是", "由", "向", "对", "将")
MAX_CODE = 8
ARTICLE = re.compile(r"\s*(第[一二三四五六七八九十百千零〇两\d]+条(?:之[一二三四五六七八九十\d]+)?"
                     r"(?:第[一二三四五六七八九十\d]+款)?(?:第[一二三四五六七八九十\d]+项)?)")
LEGAL_ENDINGS = ("法", "条例", "规定", "办法", "通知", "意见", "方案", "决定", "细则", "规则", "批复",
                 "函", "纲要", "规划", "制度", "规程", "决议", "公告", "通告", "准则", "章程")
NOT_LEGAL_ENDINGS = ("表", "报告", "报表", "目录", "汇编", "科目")
CUES = ("根据", "依据", "按照", "遵照", "依照", "印发", "贯彻", "落实", "执行")
TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]{1,12}[)）]\s*$")  # (试行) (2020年修订) ...
WRAP_BEFORE = re.compile(r"关于(?:印发|转发|下发|发布|公布|颁布)\s*$")
WRAP_AFTER = re.compile(r"^\s*的(?:通知|决定|意见|批复|函|复函)")
PLAIN_TITLE = re.compile(r"关于[^《》〈〉，。；、,;:：]{2,80}的(?:通知|意见|决定|批复|复函|函|规定|办法)")
CLAUSE_END = set("，,；;。、:：\n")
SENTENCE_END = set("。；;\n")
GAP_BEFORE = re.compile(rf"[\s{OPEN}]*")
GAP_AFTER = re.compile(r"\s*")
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*/\s*\d{1,4})?(?:\s*共\s*\d+\s*页)?[-—–\s]*$")
TEXT_LIMIT = 300
# A numbered order of a body (部门规章, 行政法规): 人力资源和社会保障部令第14号, 国务院令（第710号）,
# 人力资源和社会保障部第14号令. Normalised to body令第N号.
ORDER = re.compile(rf"(?P<pre>[{CJK}]{{2,30}}?)\s*(?:令\s*(?P<paren>[(（])?\s*第\s*(?P<serial>\d{{1,5}})\s*号"
                   rf"(?(paren)\s*[)）])|第\s*(?P<serial2>\d{{1,5}})\s*号令)")
BODY_ENDINGS = ("部", "委员会", "委", "局", "署", "院", "政府", "办公厅", "银行")
BODY_SEPARATORS = tuple(sep for sep in SEPARATORS if sep not in ("和", "与"))  # 人力资源和社会保障部
NATION = "中华人民共和国"


def normalise_number(code, year, serial):
    """The normalised 文号: issuer code〔year〕serial号, no spaces, serial without leading zeros."""
    return f"{code}〔{int(year)}〕{int(serial)}号"


def title_key(title):
    """The natural key of a document cited by title: spaces removed, 〈〉 as 《》, and a national law
    cited with or without its 中华人民共和国 prefix (《社会保险法》 = 《中华人民共和国社会保险法》) the same."""
    key = re.sub(r"\s+", "", title).replace("〈", "《").replace("〉", "》")
    if key.startswith("中华人民共和国") and TRAILING_NOTE.sub("", key).endswith("法"):
        key = key[len("中华人民共和国"):]
    return key


def normalise_order(body, serial):
    """The normalised number of an order: body令第N号, the national prefix 中华人民共和国 dropped."""
    return f"{body.removeprefix(NATION)}令第{int(serial)}号"


def order_body(pre):
    """The issuing body at the end of the CJK run before 令第N号 / 第N号令, or None if it names none.

    A body of the issuer table the run ends with wins; else the run after the last separator word
    (和 and 与 kept: they occur inside body names), if it ends like a body (…部, …委员会, …局 …)."""
    bodies = [b for b in issuer_bodies() if pre.endswith(b)]
    if bodies:
        return max(bodies, key=len)
    cut = max((pre.rfind(sep) + len(sep) for sep in BODY_SEPARATORS if sep in pre), default=0)
    body = pre[cut:]
    return body if len(body) >= 2 and body.endswith(BODY_ENDINGS) else None


def issuer_code(pre):
    """The issuer code at the end of the CJK run before a bracketed year, or None."""
    known = known_codes()
    cut = 0
    for sep in SEPARATORS:
        i = pre.rfind(sep)
        if i >= 0:
            cut = max(cut, i + len(sep))
    code = pre[cut:]
    longer = [k for k in known if pre.endswith(k) and len(k) > len(code)]
    if longer:  # a known code that a separator character cut short (和政发 ...)
        code = max(longer, key=len)
    elif len(code) > MAX_CODE:
        shorter = [k for k in known if code.endswith(k)]
        if shorter:
            code = max(shorter, key=len)
    return code if len(code) >= 2 else None


def looks_legal(title, before):
    """Whether a title-only 《》 citation names a legal document (not a table, report or plan name)."""
    bare = TRAILING_NOTE.sub("", title).strip()
    if len(bare) < 2 or bare.endswith(NOT_LEGAL_ENDINGS):
        return False
    return bare.endswith(LEGAL_ENDINGS) or any(cue in before for cue in CUES)


def _drop_page_numbers(blocks):
    """Paragraphs that are only a page number are left out, so the text around a page break joins."""
    return [b for b in blocks if not (b["type"] == "paragraph" and PAGE_NUMBER.match(b["text"]))]


def _crosses(a, b):
    """Whether a 文号 runs across the end of text a into text b."""
    tail, head = a[-24:], b[:24]
    if "号" not in head:  # a number that runs into b ends in b
        return False
    return any(m.start() < len(tail) < m.end() for m in NUMBER.finditer(tail + head))


def _merge(units):
    """Join neighbouring units when a 文号 is split between them (a break inside the number)."""
    out = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and _crosses(prev["text"], unit["text"]):
            offset = len(prev["text"])
            prev["text"] += unit["text"]
            prev["spans"].extend((start + offset, line) for start, line in unit["spans"])
            continue
        out.append({**unit, "spans": list(unit["spans"])})
    return out


def _table_units(block):
    """Each distinct cell of each table row as a text unit (merged cells repeat; read them once)."""
    units = []
    per_line = block.get("layout") == "cell-per-line"
    for row in block["rows"]:
        if not any(cell and ("号" in cell or "《" in cell) for cell in row["cells"]):
            continue  # neither a number nor a title in this row (cells merge within a row only)
        seen, cells = set(), []
        for i, cell in enumerate(row["cells"]):
            line = row["line"] + i if per_line else row["line"]
            if cell and cell not in seen:
                seen.add(cell)
                cells.append({"type": "cell", "text": cell, "line": line,
                              "section": block.get("section", ""), "spans": [(0, line)]})
        units.extend(_merge(cells))
    return units


def _span_index(unit, offset):
    """Index of the printed line (span) of a unit that holds character ``offset``."""
    index = 0
    for i, (start, _line) in enumerate(unit["spans"]):
        if start <= offset:
            index = i
    return index


def _titles(unit):
    """(spans, unclosed): outermost 《…》 spans as (start, end) and positions of unclosed 《."""
    text, spans, unclosed = unit["text"], [], []
    i = 0
    while i < len(text):
        if text[i] != "《":
            i += 1
            continue
        limit = _span_index(unit, i) + 1
        depth, j, end = 0, i, None
        while j < len(text):
            ch = text[j]
            if ch in SENTENCE_END or _span_index(unit, j) > limit:
                break
            if ch == "《":
                depth += 1
            elif ch == "》":
                depth -= 1
                if depth == 0:
                    end = j + 1
                    break
            j += 1
        if end is None:
            unclosed.append(i)
            i += 1
        else:
            spans.append((i, end))
            i = end
    return spans, unclosed


def _inside(pos, spans):
    return any(s <= pos < e for s, e in spans)


def _clause_start(text, pos, spans):
    """Start of the clause holding ``pos``: after the last clause punctuation outside a title."""
    i = pos - 1
    while i >= 0:
        if text[i] in CLAUSE_END and not _inside(i, spans):
            return i + 1
        i -= 1
    return 0


def _sentence_before(text, pos, spans, limit=24):
    """Up to ``limit`` characters before ``pos`` back to the last sentence end outside a title."""
    i = pos - 1
    while i >= 0 and pos - i <= limit:
        if text[i] in SENTENCE_END and not _inside(i, spans):
            break
        i -= 1
    return text[i + 1:pos]


def _title_of(text, start, end, spans):
    """(start, end, title) of a 《》 span, widened to 关于印发《X》的通知 when printed so."""
    title = text[start + 1:end - 1].strip()
    cs = _clause_start(text, start, spans)
    before = WRAP_BEFORE.search(text[cs:start])
    after = WRAP_AFTER.match(text[end:])
    if before and after:
        w_start, w_end = cs + before.start(), end + after.end()
        return w_start, w_end, re.sub(r"\s+", "", text[w_start:w_end])
    return start, end, title


def _article(text, pos):
    m = ARTICLE.match(text, pos)
    return (m.group(1), m.end()) if m else (None, pos)


def _scan(unit, records, warnings):
    """Find the numbered and title-only citations of one text unit."""
    text = unit["text"]
    if "号" not in text and "《" not in text:  # neither a number nor a title
        return
    spans, unclosed = _titles(unit)
    for pos in unclosed:
        line = line_at(unit, pos)
        shown = re.sub(r"\s+", " ", text[pos:pos + 30])
        warnings.append(warning(f"unbalanced 《 at line {line}: “{shown}…” has no closing 》 on its "
                                f"line or the next; the title was not taken", line=line))
    titles = [_title_of(text, s, e, spans) for s, e in spans]  # (start, end, title)
    used = set()
    found = []
    for start, end, fields in _numbers(text, spans):
        choice = None
        for k, (t_start, t_end, _t) in enumerate(titles):
            if k in used:
                continue
            if t_end <= start and GAP_BEFORE.fullmatch(text[t_end:start]):
                gap = start - t_end
            elif t_start >= end and GAP_AFTER.fullmatch(text[end:t_start]):
                gap = t_start - end + 0.5  # a title before the number wins a tie
            else:
                continue
            if choice is None or gap < choice[0]:
                choice = (gap, k)
        title, tail = None, end
        if choice is not None:
            used.add(choice[1])
            title = titles[choice[1]][2]
            tail = max(tail, titles[choice[1]][1])
        else:
            title = _plain_title(text, start, spans)
        article, _ = _article(text, tail)
        found.append((start, {**fields, "title": title, "article": article, "raw": text[start:end],
                              "start": start, "end": end}))
    for k, (t_start, t_end, title) in enumerate(titles):
        if k in used:
            continue
        before = _sentence_before(text, t_start, spans)
        if not looks_legal(title, before):
            continue
        article, _ = _article(text, t_end)
        found.append((t_start, {
            "number": None, "issuer_code": _code_before(text, t_start), "issuer_body": None,
            "year": None, "serial": None,
            "title": title, "article": article, "raw": text[t_start:t_end], "start": t_start,
            "end": t_end}))
    for pos, rec in sorted(found, key=lambda x: x[0]):
        start, end = rec.pop("start"), rec.pop("end")
        records.append({"kind": "legal_ref", **rec, "line": line_at(unit, pos),
                        "section": unit.get("section", ""),
                        "text": _sentence(unit, min(pos, start), end), "offset": pos})


def _numbers(text, spans):
    """(start, end, fields) of each 文号 and each numbered order (令) outside a 《》 title."""
    found = []
    for m in NUMBER.finditer(text):
        if _inside(m.start("year"), spans):
            continue  # a number inside a title is part of that title
        code = issuer_code(m.group("pre"))
        if code is None or int(m.group("serial")) < 1:
            continue
        found.append((m.end("pre") - len(code), m.end(), {
            "number": normalise_number(code, m.group("year"), m.group("serial")), "issuer_code": code,
            "issuer_body": None, "year": int(m.group("year")), "serial": int(m.group("serial"))}))
    for m in ORDER.finditer(text):
        serial = int(m.group("serial") or m.group("serial2"))
        body = order_body(m.group("pre"))
        if _inside(m.start(), spans) or body is None or serial < 1:
            continue
        found.append((m.start("pre") + m.group("pre").rfind(body), m.end(), {
            "number": normalise_order(body, serial), "issuer_code": None, "issuer_body": body,
            "year": None, "serial": serial}))
    return sorted(found, key=lambda item: item[0])


def _sentence(unit, first, end):
    """The sentence of a citation, from the line where it starts (joined lines before it are other
    facts, such as 项目名称:…), to the next 。; at most TEXT_LIMIT characters."""
    text = unit["text"]
    line_start = unit["spans"][_span_index(unit, first)][0]
    left = max(line_start, text.rfind("。", 0, first) + 1)
    stop = text.find("。", end)
    right = len(text) if stop < 0 else stop + 1
    sentence = text[left:right].strip()
    if len(sentence) <= TEXT_LIMIT:
        return sentence
    return snippet(text[left:right], first - left, end - left)[:TEXT_LIMIT].strip()


def _plain_title(text, code_start, spans):
    """A title printed without 《》 right before a bracketed number: 关于…的通知(新人社发[2011]117号)."""
    m = re.search(rf"[{OPEN}]\s*$", text[:code_start])
    if not m:
        return None
    cs = _clause_start(text, m.start(), spans)
    before = text[cs:m.start()].rstrip()
    for i in range(len(before) - 2, -1, -1):
        if before.startswith("关于", i) and PLAIN_TITLE.fullmatch(before[i:]):
            return before[i:]
    return None


def _code_before(text, pos):
    """A known issuer code printed right before a title-only citation (新人社发《…》), else None."""
    m = re.search(rf"[{CJK}]{{2,12}}\s*$", text[:pos])
    if not m:
        return None
    run = m.group().strip()
    codes = [k for k in known_codes() if run.endswith(k)]
    return max(codes, key=len) if codes else None


def _resolve_titles(records):
    """A title-only citation of a title the same document prints with a 文号 gets that 文号."""
    numbered = {}
    for r in records:
        if r["number"] and r["title"]:
            numbered.setdefault(title_key(r["title"]), r)
    for r in records:
        if r["number"] is None and r["title"]:
            match = numbered.get(title_key(r["title"]))
            if match is not None:
                r.update(number=match["number"], issuer_code=match["issuer_code"],
                         issuer_body=match["issuer_body"], year=match["year"], serial=match["serial"])
    return records


def extract_legal_refs(blocks):
    """Legal-reference records (kind "legal_ref") and warnings for unbalanced 《, in document order."""
    units = _merge(text_units(_drop_page_numbers(blocks)))
    for block in blocks:
        if block["type"] == "table":
            units.extend(_table_units(block))
    records, warnings = [], []
    for unit in units:
        _scan(unit, records, warnings)
    records.sort(key=lambda r: (r["line"], r["offset"]))
    out, seen = [], set()
    for r in _resolve_titles(records):
        del r["offset"]
        key = (r["line"], r["number"] or "title:" + title_key(r["title"]), r["article"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    warned, kept = set(), []
    for w in warnings:
        if (w["line"], w["message"]) not in warned:
            warned.add((w["line"], w["message"]))
            kept.append(w)
    return sorted(out + kept, key=lambda r: r["line"] or 0)
