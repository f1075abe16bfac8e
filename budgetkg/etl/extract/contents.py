"""A document's own table of contents (目录) checked against what it prints: tables it lists but never
prints are named in a warning, so a truncated or partial document is not published silently as complete.

Works on the rendered lines (etl.blocks.document_blocks), whatever the input format."""

import re

from budgetkg.etl.records import warning

CONTENTS_HEADING = re.compile(r"^\s*目\s*录\s*$")
LEADER = re.compile(r"\s*(?:…+|\.{3,}|·{3,}|-{4,}|—{2,})\s*\d*\s*$")
TRAILING_PAGE = re.compile(r"\s+\d{1,3}\s*$")
LIST_MARK = re.compile(r"^\s*[-*+•]\s+")
NUMBERING = re.compile(r"^\s*(?:第\s*[一二三四五六七八九十\d]+\s*部分|[一二三四五六七八九十]+\s*[、.]|"
                       r"\d{1,2}\s*[.、]|\(\s*[一二三四五六七八九十\d]+\s*\)|表\s*[一二三四五六七八九十\d]+\s*[:：]?)\s*")
DEPTHS = (re.compile(r"^\s*第\s*[一二三四五六七八九十\d]+\s*部分"), re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.]"),
          re.compile(r"^\s*(?:\d{1,2}\s*[.、]|\(\s*[一二三四五六七八九十\d]+\s*\))"))
YEAR = re.compile(r"(?:19|20)\d{2}\s*年\s*度?")
QUOTES = re.compile(r"[\s“”\"'‘’《》]|预算|决算")  # '财政拨款收支总体情况表' is printed as '…收支预算总体情况表'
ENTRY_MAX_CHARS = 60       # a contents entry is a short line
MIN_NAME_CHARS = 3         # a table name shorter than this ('表', as compared) is a wrapped remainder
MAX_ENTRIES = 80


def normalised(text):
    """A name as compared: numbering, year, spaces, quotes and the words 预算/决算 removed."""
    return QUOTES.sub("", YEAR.sub("", NUMBERING.sub("", LIST_MARK.sub("", text))))


def depth(text):
    """The numbering depth of an entry: 1 for 第X部分, 2 for 一、, 3 for 1. or (一), 0 when unnumbered."""
    text = LIST_MARK.sub("", text)
    for level, pattern in enumerate(DEPTHS, start=1):
        if pattern.match(text):
            return level
    return 0


def _entry(line):
    """The entry text of a contents line (dot leaders and page number removed), or None if the line
    is not an entry (a sentence, a long line)."""
    text = TRAILING_PAGE.sub("", LEADER.sub("", line.replace("\t", " "))).strip()
    if not text or len(text) > ENTRY_MAX_CHARS or "。" in text:
        return None
    return text


def contents_entries(lines):
    """(start, end, [(line number, entry)]) of the first table of contents, or None: the entries after
    the 目录 line, up to the first line that is not an entry or repeats the first entry (the body starts)."""
    start = next((i for i, line in enumerate(lines) if CONTENTS_HEADING.match(line.replace("\t", ""))), None)
    if start is None:
        return None
    entries, i = [], start + 1
    while i < len(lines) and len(entries) < MAX_ENTRIES:
        if not lines[i].strip("\t "):
            i += 1
            continue
        text = _entry(lines[i])
        if text is None or (entries and normalised(text) == normalised(entries[0][1])):
            break
        entries.append((i + 1, text))
        i += 1
    return start, i, entries


def missing_tables(lines):
    """[(line number, printed entry)] of the tables the contents list that the rest never prints."""
    found = contents_entries(lines)
    if not found:
        return []
    start, end, entries = found
    body = "".join(normalised(line) for line in lines[:start] + lines[end:])
    missing = []
    for k, (number, text) in enumerate(entries):
        name = normalised(text)
        following = entries[k + 1][1] if k + 1 < len(entries) else ""
        if depth(text) and depth(following) > depth(text):
            continue  # '五、部门预算表' heads the entries of its tables
        if name.endswith("表") and len(name) >= MIN_NAME_CHARS and name not in body:
            missing.append((number, text))
    return missing


def check_contents(lines):
    """Warning records for the tables a document's contents list but it never prints (one warning)."""
    missing = missing_tables(lines)
    if not missing:
        return []
    names = "、".join(LIST_MARK.sub("", text) for _, text in missing)
    return [warning(f"the table of contents lists {len(missing)} table(s) the document never prints "
                    f"(partial or truncated?): {names}", line=missing[0][0])]
