"""Running text as joined units: paragraphs broken mid-sentence are joined, each offset mapped to its line.

Disclosures break sentences across lines ('基本支出 5,631.87' / '万元，占…'); joining repairs that."""

import re
import threading

ENDS = "。；;！？!?:"
CLOSERS = ")）"
SENTENCE_END = re.compile(r"[。;；]|\n")
TEXT_LIMIT = 300


_last = threading.local()  # per thread: (blocks list, its length, its units); extractors share one joining


def text_units(blocks):
    """Join paragraphs broken mid-sentence into text units, keeping where each piece starts.

    Units are read-only; the units of the most recent blocks list are reused while it is unchanged."""
    last = getattr(_last, "units", None)
    if last is not None and last[0] is blocks and last[1] == len(blocks):
        return last[2]
    units = _join_units(blocks)
    _last.units = (blocks, len(blocks), units)
    return units


def _join_units(blocks):
    """text_units without the reuse."""
    units, previous = [], None
    for block in blocks:
        if block["type"] == "table":
            previous = None
            continue
        if (previous is not None and block["type"] == "paragraph" and previous["type"] == "paragraph"
                and block["section"] == previous["section"] and not terminated(previous["text"])):
            previous["spans"].append((len(previous["text"]), block["line"]))
            previous["text"] += block["text"]
            continue
        previous = {"type": block["type"], "level": block.get("level", 0), "text": block["text"],
                    "line": block["line"], "section": block.get("section", ""),
                    "spans": [(0, block["line"])]}
        units.append(previous)
    return units


def terminated(text):
    """Whether a paragraph ends its sentence: a final 。；:!? (maybe before a closing bracket), or the
    whole paragraph is one bracketed remark. Looks at the ends only: joined units grow long."""
    text = text.strip()
    if not text:
        return False
    if text[-1] in ENDS or (text[-1] in CLOSERS and len(text) > 1 and text[-2] in ENDS):
        return True
    return text[0] in "(（" and text[-1] in CLOSERS and "\n" not in text


def line_at(unit, offset):
    """The 1-based line on which character ``offset`` of a text unit is printed."""
    line = unit["line"]
    for start, span_line in unit["spans"]:
        if start <= offset:
            line = span_line
    return line


def sentence_spans(text):
    """Yield (start, end) of each sentence, split after 。."""
    start = 0
    for m in re.finditer(r"。", text):
        yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def snippet(text, start, end):
    """The sentence around text[start:end], trimmed to at most TEXT_LIMIT characters."""
    for s_start, s_end in sentence_spans(text):
        if s_start <= start < s_end:
            sentence = text[s_start:s_end].strip()
            if len(sentence) <= TEXT_LIMIT:
                return sentence
            left = max(s_start, start - TEXT_LIMIT // 2)
            return text[left:left + TEXT_LIMIT].strip()
    return text[:TEXT_LIMIT].strip()


def section_texts(blocks):
    """Yield (section, text, line_of) for each joined paragraph unit; line_of(offset) gives a line."""
    for unit in text_units(blocks):
        if unit["type"] == "paragraph":
            yield unit["section"], unit["text"], (lambda offset, unit=unit: line_at(unit, offset))


def sentences(text):
    """Yield (start offset, sentence) pieces of a joined text, split at 。；and line breaks."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            yield start, text[start:m.start()]
        start = m.end()
    if start < len(text):
        yield start, text[start:]
