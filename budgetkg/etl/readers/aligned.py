"""Space-aligned tables, as ``pdftotext -layout`` prints them: text lines whose cells are separated by
runs of spaces and line up in columns.

Pure functions over a text file's normalised lines. ``find_tables`` returns each table found (its
line range and its grid rows, one text line per body row, header lines merged into header rows);
``page_furniture`` lists page numbers and running headers of a paged text (form feeds), which are
not part of the document's content. Columns come from the character positions of the tokens of the
table's data lines (pdftotext gives every character, CJK included, one position); each token is
assigned to a column by an order-preserving best fit, so a centred label or a number printed one
place off still lands in its column."""

import re
from collections import Counter
from dataclasses import dataclass, field

from budgetkg.etl.readers.aligned_header import header_rows, main_line, main_words
from budgetkg.etl.readers.columns import (DEFAULT_SETTINGS, AlignedSettings, Token, assign,  # noqa: F401  (re-exported)
                                 column_kinds, column_spans, page_columns, stacked_columns, tokens,
                                 with_header_columns)
from budgetkg.etl.readers.furniture import is_furniture, repeated_margins
from budgetkg.etl.readers.wrapped import centred, code_columns, is_piece, join_pieces, join_text

FORM_FEED = "\f"
CAPTION = re.compile(r"单位\s*[:：]\s*(?:万元|千元|亿元|元)|^编制(?:部门|单位)")
UNIT_CAPTION = re.compile(r"单位\s*[:：]\s*(?:万元|千元|亿元|元)")
NOTE = re.compile(r"^(?:注|说明)\s*[:：]")
NUMBERED = re.compile(r"^(?:第\s*[一二三四五六七八九十\d]+\s*部分|[一二三四五六七八九十]+\s*[、.]|"
                      r"\(\s*[一二三四五六七八九十\d]+\s*\)|\d{1,2}\s*[、.])")


@dataclass
class AlignedTable:
    """A table found in lines [start, end) (0-based line indexes): ``rows`` are (line index, cells)
    and the first ``n_header`` of them are header rows."""
    start: int
    end: int
    rows: list = field(default_factory=list)
    n_header: int = 0


def _kind(line, settings):
    """'blank', 'caption' (title, 编制/单位 or note line), 'prose', 'data' (cells with a number), 'cells',
    or 'foreign' (a line of the tab and pipe layouts)."""
    text = line.replace(FORM_FEED, " ").strip()
    if "\t" in line or text.startswith("|"):
        return "foreign"  # a tab or pipe row: another layout's table
    if not text:
        return "blank"
    if CAPTION.search(text) or NOTE.match(text) or text.endswith("表"):
        return "caption"
    found = tokens(line, settings)
    if any(len(t.text) > settings.max_cell_chars for t in found):
        return "prose"
    if len(found) >= 2 and any(t.numeric for t in found):
        return "data"
    return "cells"


def page_furniture(lines, settings=DEFAULT_SETTINGS):
    """Indexes of page numbers and running headers/footers of a text paged by form feeds."""
    starts = [0] + [i for i, line in enumerate(lines) if line.startswith(FORM_FEED)]
    if len(starts) < 3:
        return set()
    margins, candidates = [], []
    for k, first in enumerate(starts):
        last = (starts[k + 1] if k + 1 < len(starts) else len(lines)) - 1
        body = [i for i in range(first, last + 1) if lines[i].replace(FORM_FEED, "").strip()]
        page = [(i, lines[i].replace(FORM_FEED, "").strip()) for i in body[:1] + body[-1:]]
        candidates.extend(page)
        margins.append([text for _, text in page])
    repeated = repeated_margins(margins, settings.running_share)
    return {i for i, text in candidates if is_furniture(text, repeated)}


def _table_extent(lines, kinds, first, floor, settings, open_end=False):
    """(start, end) of the table whose first data line is ``first``: header lines above it, body
    lines (data, cells, blank; across form feeds when the next page does not start a new table) below."""
    start, k, seen = first, first - 1, 0
    while k >= floor and kinds[k] in ("cells", "blank") and seen < settings.max_header_lines:
        if kinds[k] == "cells" and NUMBERED.match(lines[k].replace(FORM_FEED, " ").strip()) \
                and len(tokens(lines[k], settings)) == 1:
            break  # a numbered heading of the text above the table
        if kinds[k] != "blank":
            seen += 1
            start = k
        if lines[k].startswith(FORM_FEED):
            break
        k -= 1
    end, k = first + 1, first + 1
    while k < len(lines) and kinds[k] in ("cells", "blank", "data", "furniture"):
        if open_end and lines[k].startswith(FORM_FEED):
            break  # a table of headers only ends with its page
        if kinds[k] == "data":
            end = k + 1
        elif kinds[k] == "cells" and (open_end or _next_data(kinds, k) is not None
                                      or (end == k and _indented(lines[k], settings))):
            end = k + 1  # header lines of a later page, or the last row's name going on below it
        k += 1
    return start, end


def _indented(line, settings):
    """Whether a line starts inside the table (a piece of a cell), not at the text margin."""
    text = line.replace(FORM_FEED, " ")
    return len(text) - len(text.lstrip()) >= settings.piece_indent


def _next_data(kinds, k):
    """Index of the next data line after k when only cell and blank lines come between, else None."""
    for j in range(k + 1, len(kinds)):
        if kinds[j] == "data":
            return j
        if kinds[j] not in ("cells", "blank", "furniture"):
            return None
    return None


def _parts(lines, start, end, drop):
    """The table's lines split into page parts: lists of (index, line), page furniture left out."""
    parts = [[]]
    for i in range(start, end):
        if lines[i].startswith(FORM_FEED) and parts[-1]:
            parts.append([])
        if i not in drop and lines[i].replace(FORM_FEED, "").strip():
            parts[-1].append((i, lines[i]))
    return [p for p in parts if p]


def _header_split(part, settings):
    """(header lines, body lines) of one page part: the header is what comes before the first data line."""
    for k, (_, line) in enumerate(part):
        if _kind(line, settings) == "data":
            return part[:k], part[k:]
    return part, []


def _signature(part_lines, settings):
    return [[t.text for t in tokens(line, settings)] for _, line in part_lines]


def build_table(lines, start, end, drop=frozenset(), settings=DEFAULT_SETTINGS):
    """An AlignedTable from lines [start, end): header rows, then one row per body line; a page
    part repeating the first part's header has that header dropped."""
    parts = _parts(lines, start, end, drop)
    header, body = _header_split(parts[0], settings)
    body_parts = [body]
    signature = _signature(header, settings)
    for part in parts[1:]:
        head, rest = _header_split(part, settings)
        if head and _signature(head, settings) == signature:
            body_parts.append(rest)
        else:
            body_parts.append(part)
    data_lines = [line for _, line in body_parts[0] if _kind(line, settings) == "data"] or \
        [line for _, line in header]
    columns = column_spans(data_lines, settings)
    header_lines = [(i, tokens(line, settings)) for i, line in header]
    header_lines = [(i, found) for i, found in header_lines if found]
    header_tokens = main_words(header_lines, columns) if header_lines else []
    numeric_cols = _numeric_columns(data_lines, columns, settings)
    data_cells = [_cells(line, columns, len(columns), settings) for line in data_lines]
    coded = {columns[j] for j in code_columns(data_cells, leading=False)}
    columns = with_header_columns(columns, header_tokens, settings, coded)
    if header_lines:
        columns = stacked_columns(columns, header_lines, main_line(header_lines), settings)
    data_columns = column_spans(data_lines, settings)
    value_columns = {j for j, c in enumerate(columns)
                     if c not in coded and (c in numeric_cols or c not in data_columns)}
    tail = _trailing_block(header)
    header = header[:len(header) - len(tail)]
    lead = [(i, _cells(line, columns, len(columns), settings), False) for i, line in tail]
    body_rows = []
    kinds = column_kinds(data_lines, columns, settings)
    for k, part in enumerate(body_parts):
        part_columns = columns
        if k:  # a later page lays its columns out again: map them onto the first page's by order
            page_data = [line for _, line in part if _kind(line, settings) == "data"]
            own = column_spans(page_data, settings)
            if own:
                part_columns = page_columns(columns, kinds, own, column_kinds(page_data, own, settings),
                                             settings)
        body_rows.extend((i, _cells(line, part_columns, len(columns), settings), _kind(line, settings) == "data")
                         for i, line in part)
    data_rows = [cells for _, cells, data in body_rows if data]
    codes = code_columns(data_rows)
    text_cols = [j for j in range(len(columns)) if j not in value_columns and j not in codes]
    pieces = len(lead)
    while pieces and is_piece(lead[pieces - 1][1], codes, text_cols):
        pieces -= 1
    header = header + [(i, lines[i]) for i, _, _ in lead[:pieces]]
    lead = lead[pieces:]  # name pieces printed above the first row
    if codes and centred(lead + body_rows, codes, text_cols):
        body_rows = lead + body_rows
    else:
        header = header + [(i, lines[i]) for i, _, _ in lead]
    rows = [(header[0][0] if header else start, cells) for cells in
            header_rows(header, columns, value_columns, settings)]
    n_header = len(rows)
    rows.extend((i, _stub_label_first(cells, codes, text_cols)) for i, cells in join_pieces(body_rows, codes, text_cols))
    width = max(len(cells) for _, cells in rows)  # every row as wide as the table
    rows = [(i, list(cells) + [""] * (width - len(cells))) for i, cells in rows]
    return AlignedTable(start=start, end=end, rows=rows, n_header=n_header)


def _stub_label_first(cells, codes, text_cols):
    """A coded table's row without a code whose one label sits in the stub (合计, 总计): the label
    heads the whole stub, so it is the first cell, as in a ruled grid."""
    stub = [j for j in range(len(cells)) if j in codes or (j in text_cols and j <= max(codes, default=-1) + 1)]
    labels = [j for j in stub if cells[j]]
    if codes and len(labels) == 1 and labels[0] not in codes and labels[0] != 0:
        cells = list(cells)
        cells[0], cells[labels[0]] = cells[labels[0]], ""
    return cells


def _cells(line, columns, width, settings):
    """The cell texts of one line in the given columns."""
    found = tokens(line, settings)
    places = assign(found, columns)
    if places is None:
        return [t.text for t in found] + [""] * (width - len(found))
    cells = [""] * width
    for t, j in zip(found, places):
        cells[j] = join_text(cells[j], t.text)
    return cells


def _trailing_block(header):
    """The header lines after its last blank line (lines that may be the first row's name pieces)."""
    for k in range(len(header) - 1, 0, -1):
        if header[k][0] - header[k - 1][0] > 1:
            return header[k:]
    return []


def _numeric_columns(data_lines, columns, settings):
    """The columns whose data cells are numbers."""
    counts = Counter()
    for line in data_lines:
        found = tokens(line, settings)
        for t, j in zip(found, assign(found, columns) or []):
            counts[(j, t.numeric)] += 1
    return {c for j, c in enumerate(columns) if counts[(j, True)] > counts[(j, False)]}


def find_tables(lines, settings=DEFAULT_SETTINGS, drop=None):
    """The space-aligned tables of a text's lines, in order (see AlignedTable)."""
    if not any(re.search(r"\S {%d,}\S" % settings.min_gap, line) for line in lines):
        return []
    drop = page_furniture(lines, settings) if drop is None else drop
    kinds = ["furniture" if i in drop else _kind(line, settings) for i, line in enumerate(lines)]
    tables, i, floor = [], 0, 0
    while i < len(lines):
        after_caption = kinds[i] == "cells" and _after_unit_caption(lines, kinds, i, floor) \
            and _header_block(kinds, i, settings)
        if kinds[i] != "data" and not after_caption:
            i += 1
            continue
        start, end = _table_extent(lines, kinds, i, floor, settings, open_end=bool(after_caption))
        data = sum(1 for k in range(start, end) if kinds[k] == "data")
        if after_caption and data:  # a table with numbers: found from its first data line
            i += 1
            continue
        if data >= settings.min_data_lines or after_caption:
            tables.append(build_table(lines, start, end, drop, settings))
            i = floor = end
        else:
            i += 1
    return tables


def _after_unit_caption(lines, kinds, i, floor):
    """Whether the last non-blank line before i (and after ``floor``) is a 单位：元 caption."""
    k = i - 1
    while k >= floor and kinds[k] == "blank":
        k -= 1
    return k >= floor and bool(UNIT_CAPTION.search(lines[k]))


def _header_block(kinds, i, settings):
    """Whether the lines from i hold at least ``min_header_cells`` lines of cells before any prose."""
    found = 0
    for kind in kinds[i:]:
        if kind not in ("cells", "data", "blank", "furniture"):
            break
        found += kind != "blank"
    return found >= settings.min_header_lines
