"""Stage 2, segment: normalised lines to headings, paragraphs and tables, each with its section.

Tables come in four layouts: tab-separated rows, pipe rows (markdown), one cell per line, and
space-aligned columns (as ``pdftotext -layout`` prints them, etl.readers.aligned)."""

import re

from budgetkg.etl.readers.aligned import find_tables, page_furniture
from budgetkg.etl.readers.layout import is_layout_text, layout_heading_level, right_edges

PART = re.compile(r"^\s*(\*\*)?\s*第\s*[一二三四五六七八九十\d]+\s*部分")
CHAPTER = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|\d{1,2}\s*、)\s*\S")
SUBCHAPTER = re.compile(r"^\s*\(\s*[一二三四五六七八九十]+\s*\)\s*\S")
TABLE_NO = re.compile(r"^\s*表[一二三四五六七八九十\d]+\s*[:：]?\s*$")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
HEADING_MAX = 60
_GAP = re.compile(r"(?<=\S)[ \f]{2,}(?=\S)")  # a layout gap inside a text line reads as one space


def _clean(text):
    """Strip markdown emphasis and surrounding space from a cell or paragraph."""
    return text.replace("**", "").strip()


def _line_kind(line):
    """Classify one normalised line as blank, cell (one cell per line), row (tab/pipe) or text."""
    if not line.strip():
        return "blank" if "\t" not in line else "cell"
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        return "pipe"
    if line.startswith("\t") and line.count("\t") == 1:
        return "cell"
    if "\t" in line.strip("\t ") or (line.startswith("\t") and line.count("\t") > 1):
        return "row"
    return "text"


def _markdown_heading(text):
    """(number of leading # marks, text without them) of a markdown ATX heading '## 一、主要职能'."""
    m = MARKDOWN_HEADING.match(text)
    return (len(m.group(1)), m.group(2).strip()) if m else (0, text)


def heading_level(text):
    """Return 1 for 第X部分, 2 for 一、, 3 for (一), or 0 when the line is not a heading."""
    if len(text) > HEADING_MAX or re.search(r"\d+(\.\d+)?\s*万?元", text):
        return 0
    if PART.match(text):
        return 1
    if CHAPTER.match(text):
        return 2
    if SUBCHAPTER.match(text):
        return 3
    return 0


def _split_row(line, kind):
    """Split a tab or pipe row into cell strings."""
    if kind == "pipe":
        return [_clean(c) for c in line.strip().strip("|").split("|")]
    return [_clean(c) for c in line.split("\t")]


def segment(lines):
    """Segment normalised lines into a list of blocks (dicts with type, line, section ...)."""
    blocks, path = [], {}
    i, n = 0, len(lines)
    furniture = page_furniture(lines)
    aligned = {t.start: t for t in find_tables(lines, drop=furniture)}
    edges = right_edges(lines) if is_layout_text(lines) else None

    def section():
        return " > ".join(path[k] for k in sorted(path))

    def table_caption():
        """The table number/title and unit printed in the few paragraphs before a table."""
        title, unit = "", None
        for block in reversed(blocks[-4:]):
            if block["type"] != "paragraph":
                break
            text = block["text"]
            m = re.search(r"单位\s*[:：]\s*(万元|元|千元|亿元)", text)
            if m and unit is None:
                unit = m.group(1)
            if not title and "表" in text and not text.startswith("编制") and len(text) < 60:
                title = text
        return title, unit

    while i < n:
        line = lines[i]
        kind = _line_kind(line)
        if kind == "blank" or i in furniture:
            i += 1
            continue
        if i in aligned:
            table = aligned[i]
            title, unit = table_caption()
            blocks.append({"type": "table", "line": i + 1, "end_line": table.end, "title": title,
                           "unit": unit, "section": section(), "layout": "aligned",
                           "rows": [{"line": k + 1, "cells": cells} for k, cells in table.rows]})
            i = table.end
            continue
        if kind == "text":
            marks, text = _markdown_heading(_clean(_GAP.sub(" ", line) if edges is not None else line))
            level = heading_level(text.lstrip("- ")) or min(marks, 3)
            if edges is not None:
                level = layout_heading_level(lines, i, edges[i], level)
            if level and not line.lstrip().startswith("- "):
                path = {k: v for k, v in path.items() if k < level}
                path[level] = text
                blocks.append({"type": "heading", "level": level, "text": text, "line": i + 1,
                               "section": section()})
            elif text:
                blocks.append({"type": "paragraph", "text": text, "line": i + 1,
                               "section": section()})
            i += 1
            continue
        title, unit = table_caption()
        rows, start = [], i
        if kind == "cell":
            while i < n and _line_kind(lines[i]) in ("cell", "blank"):
                cells, first = [], i
                while i < n and _line_kind(lines[i]) == "cell":
                    cells.append(_clean(lines[i]))
                    i += 1
                if cells:
                    rows.append({"line": first + 1, "cells": cells})
                while i < n and _line_kind(lines[i]) == "blank":
                    i += 1
        else:
            while i < n:
                k = _line_kind(lines[i])
                if k in ("row", "pipe"):
                    if not PIPE_SEPARATOR.match(lines[i]):
                        rows.append({"line": i + 1, "cells": _split_row(lines[i], k)})
                    i += 1
                elif k == "blank" and i + 1 < n and _line_kind(lines[i + 1]) in ("row", "pipe"):
                    i += 1
                else:
                    break
        blocks.append({"type": "table", "line": start + 1, "end_line": i, "title": title,
                       "unit": unit, "section": section(), "rows": rows,
                       "layout": "cell-per-line" if kind == "cell" else "rows"})
    return blocks
