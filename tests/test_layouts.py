"""One document in every layout: tab rows, markdown pipe rows (with # headings) and one cell per line give the same records.

The seeds with tab-separated tables are rewritten into the other layouts; only line numbers may change."""

from collections import Counter

import pytest

from budgetkg.etl.extract import extract_records
from budgetkg.etl.read import decode_bytes, read_text
from budgetkg.etl.segment import _line_kind, heading_level, segment

TAB_SEEDS = ["000_c5b847b5dca8784f.txt", "001_c4555a3cefcfab39.txt", "002_1387b3e8b115f6e3.txt"]


def _is_tab_row(line):
    return _line_kind(line) == "row"


def as_pipe_rows(text):
    """Every tab row as a markdown row, with a |---| separator under the first row of each table."""
    out, previous = [], False
    for line in text.split("\n"):
        if _is_tab_row(line):
            cells = [c.strip() for c in line.split("\t")]
            out.append("| " + " | ".join(cells) + " |")
            if not previous:
                out.append("|" + "|".join("---" for _ in cells) + "|")
        else:
            out.append(line)
        previous = _is_tab_row(line)
    return "\n".join(out)


def as_cell_lines(text):
    """Every tab row as one tab-prefixed line per cell, rows separated by a blank line."""
    out = []
    for line in text.split("\n"):
        if _is_tab_row(line):
            out.extend("\t" + c.strip() for c in line.split("\t"))
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def as_markdown(text):
    """Pipe rows, and every heading (第一部分 / 一、/ (一)) marked with #, ## or ### by its level."""
    out = []
    for line in as_pipe_rows(text).split("\n"):
        level = heading_level(line.replace("**", "").strip()) if _line_kind(line) == "text" else 0
        out.append("#" * level + " " + line.strip() if level else line)
    return "\n".join(out)


def _without_lines(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _without_lines(v)) for k, v in value.items()
                            if "line" not in k and k not in ("text", "spans")))
    if isinstance(value, (list, tuple)):
        return tuple(_without_lines(v) for v in value)
    return repr(value)


def records_of(text):
    """Extracted records as a multiset, with every line number and source snippet dropped."""
    return Counter(_without_lines(r) for r in extract_records(segment(read_text(text, "x.txt")["lines"])))


@pytest.mark.parametrize("name", TAB_SEEDS)
@pytest.mark.parametrize("layout", [as_pipe_rows, as_cell_lines, as_markdown])
def test_same_records_in_every_table_layout(examples_dir, name, layout):
    text, _ = decode_bytes((examples_dir / name).read_bytes())
    rewritten = layout(text)
    assert rewritten != text
    original, other = records_of(text), records_of(rewritten)
    assert sum(original.values()) > 100
    assert original == other
