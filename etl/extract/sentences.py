"""Running text as sentences: paragraphs of one section joined, each character mapped to its line.

Disclosures break sentences across lines ('基本支出 5,631.87' / '万元，占…'); joining repairs that."""

import re

SENTENCE_END = re.compile(r"[。;；]|\n")


def section_texts(blocks):
    """Yield (section, text, line_of) per run of paragraphs in one section; line_of(i) gives a line."""
    run, section = [], None
    for block in blocks + [{"type": "end", "section": None}]:
        if block["type"] == "paragraph" and block["section"] == section and run:
            run.append(block)
            continue
        if run:
            yield _joined(section, run)
        run, section = ([block], block["section"]) if block["type"] == "paragraph" else ([], None)


def _joined(section, run):
    """Join a run of paragraphs; a paragraph ending in 。or a heading-like colon starts a new line."""
    text, starts = "", []
    for block in run:
        if text and re.search(r"[。:：]$", text):
            text += "\n"
        starts.append((len(text), block["line"]))
        text += block["text"]

    def line_of(offset):
        line = starts[0][1]
        for start, number in starts:
            if start > offset:
                break
            line = number
        return line

    return section, text, line_of


def sentences(text):
    """Yield (start offset, sentence) pieces of a joined text, split at 。；and line breaks."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            yield start, text[start:m.start()]
        start = m.end()
    if start < len(text):
        yield start, text[start:]
