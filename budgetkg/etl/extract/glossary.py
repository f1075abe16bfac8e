"""Glossary: the terms defined in the 名词解释 part, one record per term.

Entries look like '一、财政拨款：指…' or '财政拨款收入：指…'; a definition may run on over several paragraphs."""

import re

from budgetkg.etl.extract.sentences import text_units

ENUMERATOR = (r"(?:\(\s*[一二三四五六七八九十百]+\s*\)|[一二三四五六七八九十百]+\s*[、.．]"
              r"|\(\s*\d+\s*\)|\d+\s*[、.．](?!\d))?")
ENTRY = re.compile(rf"^\s*{ENUMERATOR}\s*(?P<term>[^:，。；;]{{1,60}}?)\s*:\s*(?P<definition>\S.*)$", re.S)
GLOSSARY_TITLE = re.compile(r"^\s*(?:[一二三四五六七八九十\d]+\s*[、.])?\s*(?:专业)?名词解释\s*:?\s*$")
INSTRUCTION = re.compile(r"^\s*[(（].*[)）]\s*$", re.S)
CONTINUATION = re.compile(r"^\s*(?:其中|包括|含|即|主要|具体|如)")
SENTENCE_END = re.compile(r"[。.]\s*$")


def parse_entry(text):
    """Return (term, definition) when text is a glossary entry, else None."""
    m = ENTRY.match(text)
    if not m:
        return None
    term = m.group("term").strip()
    if not term.strip("“”\" ") or "名词解释" in term:
        return None
    return term, m.group("definition").strip()


def starts_glossary(unit):
    """The level of a heading or title line that opens the 名词解释 part (99 for a title), else 0."""
    if unit["type"] == "heading" and "名词解释" in unit["text"] and not parse_entry(unit["text"]):
        return unit["level"] or 1
    return 99 if GLOSSARY_TITLE.match(unit["text"]) else 0


def ends_glossary(unit, level):
    """True for a heading at or above the glossary's level that is not itself an entry."""
    return (unit["type"] == "heading" and (unit["level"] or 1) <= level
            and not parse_entry(unit["text"]) and "名词解释" not in unit["text"])


def glossary_units(units):
    """The text units inside 名词解释 parts, in order."""
    inside, level = [], 0
    for unit in units:
        opened = starts_glossary(unit)
        if opened:
            level = min(level, opened) if level else opened
            continue
        if level and ends_glossary(unit, level if level != 99 else 3):
            level = 0
        if level:
            inside.append(unit)
    return inside


def extract_glossary(blocks):
    """Glossary records {kind, term, definition, line} from the 名词解释 part."""
    records, current = [], None
    for unit in glossary_units(text_units(blocks)):
        text = unit["text"].strip()
        entry = parse_entry(text)
        if entry:
            current = {"kind": "glossary", "term": entry[0], "definition": entry[1], "line": unit["line"],
                       "section": unit["section"]}
            records.append(current)
        elif current and not INSTRUCTION.match(text) and (
                not SENTENCE_END.search(current["definition"]) or CONTINUATION.match(text)):
            current["definition"] += text
        elif INSTRUCTION.match(text):
            continue
        else:
            current = None
    return records
