"""Headings of text printed in page layout (``pdftotext -layout``): what the PDF reader decides from
positions and font sizes, decided from indentation and line length.

A table-of-contents line (dot leaders) is no heading; a numbered line that runs to the right edge and
goes on in the next line is the start of a paragraph, not a heading; a short line centred on the page
is a title (level 1). Pure functions over a text file's normalised lines."""

import re
from dataclasses import dataclass

from budgetkg.etl.readers.furniture import LEADER

FORM_FEED = "\f"
NOT_TITLE = re.compile(r"[:：]|[。；;，,]$|表$|\d\.\d")  # a title: no colon, no amount, no sentence end
GAP = re.compile(r"\S {2,}\S")


@dataclass(frozen=True)
class LayoutSettings:
    """Named settings of the layout heading rules (in characters)."""
    wrap_slack: int = 4          # a line ending this close to the page's right edge wraps
    centre_indent: int = 8       # a title line starts at least this far in
    centre_tolerance: int = 12   # ... and its left and right margins differ by at most this
    title_max_chars: int = 40


DEFAULT_SETTINGS = LayoutSettings()


def is_layout_text(lines):
    """Whether a text is paged layout output (form feeds between pages)."""
    return any(line.startswith(FORM_FEED) for line in lines)


def right_edges(lines):
    """Per line index, the right edge of its page's running text (its longest line without gaps)."""
    edges, page, width = [], [], 0
    for i, line in enumerate(lines + [FORM_FEED]):
        if line.startswith(FORM_FEED) and page:
            edges.extend([width] * len(page))
            page, width = [], 0
        if i < len(lines):
            page.append(i)
            text = line.replace(FORM_FEED, " ").rstrip()
            if text.strip() and not GAP.search(text):
                width = max(width, len(text))
    return edges


def _text(line):
    return line.replace(FORM_FEED, " ").rstrip()


def wraps(lines, i, right, settings=DEFAULT_SETTINGS):
    """Whether line i runs to the right edge and the next line goes on with it."""
    following = _text(lines[i + 1]) if i + 1 < len(lines) else ""
    return bool(following.strip()) and len(_text(lines[i])) >= right - settings.wrap_slack


def layout_heading_level(lines, i, right, numbered_level, settings=DEFAULT_SETTINGS):
    """The heading level of line i of a layout text: ``numbered_level`` (from its numbering) unless
    the line is a contents entry or wraps into the next; 1 for a short centred title; else 0."""
    text = _text(lines[i])
    stripped = text.strip()
    if LEADER.search(stripped) or wraps(lines, i, right, settings):
        return 0
    if numbered_level:
        return numbered_level
    indent = len(text) - len(text.lstrip())
    margin = right - len(text)
    if (indent >= settings.centre_indent and abs(indent - margin) <= settings.centre_tolerance
            and len(stripped) <= settings.title_max_chars and not NOT_TITLE.search(stripped)):
        return 1
    return 0
