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

from etl.normalise import parse_decimal
from etl.readers.wrapped import centred, code_columns, is_piece, join_pieces, join_text

FORM_FEED = "\f"
AMOUNT = re.compile(r"-?\d[\d,]*\.\d+|-?\d{1,3}(?:,\d{3})+")
CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef“”]")
CAPTION = re.compile(r"单位\s*[:：]\s*(?:万元|千元|亿元|元)|^编制(?:部门|单位)")
UNIT_CAPTION = re.compile(r"单位\s*[:：]\s*(?:万元|千元|亿元|元)")
NOTE = re.compile(r"^(?:注|说明)\s*[:：]")
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
NUMBERED = re.compile(r"^(?:第\s*[一二三四五六七八九十\d]+\s*部分|[一二三四五六七八九十]+\s*[、.]|"
                      r"\(\s*[一二三四五六七八九十\d]+\s*\)|\d{1,2}\s*[、.])")
GLUED_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})([\u4e00-\u9fff].*)$")
CLASS_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}|\d{2}")
CODE_LEVELS = ("类", "款", "项")  # the printed names of the classification code columns


@dataclass(frozen=True)
class AlignedSettings:
    """Named settings of the space-aligned table reader."""
    min_gap: int = 2              # spaces between two cells of a line
    min_data_lines: int = 2       # a table has at least this many lines holding numbers
    max_cell_chars: int = 40      # a longer run of text without a gap is prose, not a cell
    max_header_lines: int = 10    # non-blank lines above the first data line that can be its header
    running_share: float = 0.5    # a page-top/bottom line on this share of pages is a running header
    min_header_lines: int = 2     # a table under a 单位 caption has at least this many lines of cells
    new_column_cost: int = 8      # a header word further than this from its column heads a column of its own
    bridge_max: int = 1           # a stretch covered by this few tokens between two well-filled columns ...
    bridge_support: int = 3       # ... (each covered by this many) separates them
    min_column_support: int = 2   # in a table of this many data lines a text column has two cells or more
    kind_mismatch_cost: int = 20  # a later page's column of another kind than the table's is this far
    piece_indent: int = 4         # a line of a cell's text after the table's last row starts this far in
    header_slack: int = 2         # a header word this close to a column (in characters) heads it


DEFAULT_SETTINGS = AlignedSettings()


@dataclass(frozen=True)
class Token:
    """A run of text on a line, at character positions [start, end)."""
    start: int
    end: int
    text: str

    @property
    def numeric(self):
        return parse_decimal(self.text) is not None


@dataclass
class AlignedTable:
    """A table found in lines [start, end) (0-based line indexes): ``rows`` are (line index, cells)
    and the first ``n_header`` of them are header rows."""
    start: int
    end: int
    rows: list = field(default_factory=list)
    n_header: int = 0


def _split_boundaries(start, chunk):
    """Split a chunk at single spaces between a number and text ('31,214,205.80 一、一般公共服务支出')
    or between two numbers ('21,170,337.81 21,170,337.81')."""
    words = [(m.start() + start, m.group()) for m in re.finditer(r"\S+", chunk)]
    groups = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        a, b = prev[1], word[1]
        if (AMOUNT.fullmatch(a) and (CJK.search(b) or AMOUNT.fullmatch(b))) or \
                (AMOUNT.fullmatch(b) and CJK.search(a)):
            groups.append([word])
        else:
            groups[-1].append(word)
    out = []
    for g in groups:
        at, text = g[0][0], chunk[g[0][0] - start:g[-1][0] - start + len(g[-1][1])]
        glued = GLUED_CODE.match(text)  # '30207邮电费': a code printed against its name
        if glued:
            out.append(Token(at, at + glued.end(1), glued.group(1)))
            at, text = at + glued.start(2), glued.group(2)
        out.append(Token(at, at + len(text), text))
    return out


def tokens(line, settings=DEFAULT_SETTINGS):
    """The cells of one line: runs separated by ``min_gap`` or more spaces, split at number/text joins."""
    line = line.replace(FORM_FEED, " ")
    out, gap = [], re.compile(" {%d,}" % settings.min_gap)
    pos = 0
    gaps = list(gap.finditer(line))
    celled = any(0 < m.start() and m.end() < len(line) and line[:m.start()].strip() for m in gaps)
    for m in gaps + [None]:
        end = m.start() if m else len(line)
        chunk = line[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            if celled:  # a line of cells: a number and a text joined by one space are two cells
                out.extend(_split_boundaries(pos + lead, chunk.strip()))
            else:
                out.append(Token(pos + lead, pos + lead + len(chunk.strip()), chunk.strip()))
        pos = m.end() if m else end
    return out


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
    edges, candidates = Counter(), []
    for k, first in enumerate(starts):
        last = (starts[k + 1] if k + 1 < len(starts) else len(lines)) - 1
        body = [i for i in range(first, last + 1) if lines[i].replace(FORM_FEED, "").strip()]
        for i in body[:1] + body[-1:]:
            text = lines[i].replace(FORM_FEED, "").strip()
            candidates.append((i, text))
        edges.update({re.sub(r"\d+", "#", text) for i, text in candidates[-2:]})
    repeated = {t for t, n in edges.items() if n >= settings.running_share * len(starts)}
    return {i for i, text in candidates
            if PAGE_NUMBER.match(text) or re.sub(r"\d+", "#", text) in repeated}


def _columns(lines, settings):
    """Column intervals [start, end) from the union of the token extents of the given lines; a union
    held together only by a few wide tokens (a total's label across the code and name columns) is
    split where those tokens alone cover it."""
    found = [t for line in lines for t in tokens(line, settings)]
    out = []
    # texts apart from numbers, codes apart from amounts: a shifted cell does not join two columns
    for kinds in (("text",), ("code", "amount")):
        unions = [_union([t for t in found if _token_kind(t) == kind]) for kind in kinds]
        spans = sorted((t.start, t.end) for t in found if _token_kind(t) in kinds)
        cover = Counter(x for start, end in spans for x in range(start, end))
        for start, end in _union_spans(sorted(c for union in unions for c in union), touching=False):
            out.extend(_split_bridged(start, end, cover, settings))
    texts = [t for t in found if _token_kind(t) == "text"]
    lone = [c for c in out if sum(1 for t in texts if _distance(t, c) == 0) == 1
            and not any(_distance(t, c) == 0 for t in found if _token_kind(t) != "text")]
    if len(lines) >= settings.min_column_support and len(out) > len(lone):
        out = [c for c in out if c not in lone]  # a lone label (a centred 总计) joins its neighbour
    return sorted(out)


def _token_kind(token):
    """'code' (a classification code), 'amount' (another number) or 'text'."""
    if CLASS_CODE.fullmatch(token.text):
        return "code"
    return "amount" if token.numeric else "text"


def _union(found):
    """The union of token extents, as sorted [start, end) intervals."""
    return _union_spans(sorted((t.start, t.end) for t in found))


def _union_spans(spans, touching=True):
    """Sorted intervals merged where they overlap (or touch, with ``touching``)."""
    columns = []
    for start, end in spans:
        if columns and (start <= columns[-1][1] if touching else start < columns[-1][1]):
            columns[-1][1] = max(columns[-1][1], end)
        else:
            columns.append([start, end])
    return [tuple(c) for c in columns]


def _split_bridged(start, end, cover, settings):
    """[start, end) split at runs covered by at most ``bridge_max`` tokens between two parts each
    covered by at least ``bridge_support`` tokens somewhere."""
    parts, left = [], start
    x = start
    while x < end:
        if cover[x] <= settings.bridge_max:
            run_end = x
            while run_end < end and cover[run_end] <= settings.bridge_max:
                run_end += 1
            strong_left = max((cover[y] for y in range(left, x)), default=0) >= settings.bridge_support
            strong_right = max((cover[y] for y in range(run_end, end)), default=0) >= settings.bridge_support
            if strong_left and strong_right:
                parts.append((left, x))
                left = run_end
            x = run_end
        else:
            x += 1
    parts.append((left, end))
    return parts


def _distance(token, column):
    """How far a token lies from a column (0 when they overlap)."""
    return max(0, column[0] - token.end + 1, token.start - column[1] + 1)


def assign(found, columns, cost=None):
    """Column index of each token: order-preserving, least total distance (a small dynamic program);
    ``cost(token, j)`` replaces the distance to column j."""
    cost_of = cost or (lambda token, j: _distance(token, columns[j]))
    n, k = len(columns), len(found)
    if k > n:
        return None
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    cost[0] = [0] * (n + 1)
    for i in range(1, k + 1):
        for j in range(i, n + 1):
            cost[i][j] = min(cost[i][j - 1], cost[i - 1][j - 1] + cost_of(found[i - 1], j - 1))
    out, j = [], n
    for i in range(k, 0, -1):
        while cost[i][j] == cost[i][j - 1] and j > i:
            j -= 1
        out.append(j - 1)
        j -= 1
    return out[::-1]


def _with_header_columns(columns, header_tokens, settings, code_cols=frozenset()):
    """Add a column for each main header word that fits no column in order (a column empty in every
    data row): an order-preserving fit where a word may open a column of its own at a fixed cost."""
    n, k = len(columns), len(header_tokens)
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    move = [[None] * (n + 1) for _ in range(k + 1)]
    for j in range(n + 1):
        cost[0][j] = 0
    for i in range(1, k + 1):
        for j in range(n + 1):
            options = [(cost[i - 1][j] + settings.new_column_cost, "new")]
            if j:
                options.append((cost[i][j - 1], "skip"))
                far = _distance(header_tokens[i - 1], columns[j - 1])
                if far and columns[j - 1] in code_cols:
                    far = settings.new_column_cost + 1  # a code column is headed only by a word at it
                options.append((cost[i - 1][j - 1] + far, "match"))
            cost[i][j], move[i][j] = min(options, key=lambda o: o[0])
    added, i, j = [], k, n
    while i > 0:
        step = move[i][j]
        if step == "new":
            added.append((header_tokens[i - 1].start, header_tokens[i - 1].end))
            i -= 1
        elif step == "skip":
            j -= 1
        else:
            i, j = i - 1, j - 1
    return sorted(list(columns) + added)


def _stacked_columns(columns, header_lines, main_at, settings):
    """Columns for header words printed over two or more lines ('事业单位' / '经营收入') away from every
    column: a column no data row fills, headed by a broken word."""
    far = [(i, t) for k, (i, found) in enumerate(header_lines) if k != main_at for t in found
           if t.text not in CODE_LEVELS
           and not any(_distance(t, c) <= settings.header_slack for c in columns)]
    added = []
    for i, t in far:
        partners = [u for k, u in far if k != i and _distance(t, (u.start, u.end)) == 0]
        if partners and not any(_distance(t, c) == 0 for c in added):
            added.append((min([t.start] + [u.start for u in partners]), max([t.end] + [u.end for u in partners])))
    return sorted(list(columns) + added)


def _covered(token, columns):
    """Indexes of the columns a token overlaps."""
    return [j for j, c in enumerate(columns) if _distance(token, c) == 0]


def _main_words(header_lines, columns):
    """The main header line's words that may head a column: not 类/款/项, and not the end of a word
    broken from the line above it ('部门预算经济分类科目' / '编码')."""
    k = _main_line(header_lines)
    index, found = header_lines[k]
    above = [t for i, line in header_lines[:k] if i == index - 1 for t in line]
    wide = [u for u in above if len(_covered(u, columns)) > 1]
    return [t for t in found if t.text not in CODE_LEVELS
            and not any(_distance(t, (u.start, u.end)) == 0 for u in wide)]


def _main_line(lines):
    """Position in ``lines`` ((index, tokens) pairs) of the header line with most cells (the lowest of equals)."""
    return max(range(len(lines)), key=lambda k: (len(lines[k][1]), k))


def header_rows(header, columns, value_columns, settings=DEFAULT_SETTINGS):
    """Header lines (index, line) to header rows of cell texts.

    The line with most cells is the main header row. A cell printed over several lines (a header
    word broken into '事业单位' / '经营收入') is joined into the main row when it sits in a column the
    main line leaves empty, below the main line, or over value columns in the lines joined to the
    main line without a blank line. Words spanning several columns and group headers above the main
    line are rows of their own; so are the 类 款 项 code headers."""
    lines = [(i, tokens(line, settings)) for i, line in header]
    lines = [(i, found) for i, found in lines if found]
    if not lines:
        return []
    width = len(columns)
    main_at = _main_line(lines)
    main_index = lines[main_at][0]
    main_cols = set(assign(lines[main_at][1], columns) or [])
    joined = {lines[main_at][0]}
    for step in (-1, 1):  # the run of lines touching the main line without a blank line
        k = main_at + step
        while 0 <= k < len(lines) and abs(lines[k][0] - lines[k - step][0]) == 1:
            joined.add(lines[k][0])
            k += step
    main = [[] for _ in range(width)]
    rows_above, codes, rows_below = [], [""] * width, []
    for i, found in lines:
        own = [""] * width
        places = assign(found, columns) or [0] * len(found)
        over = [j for j in places if j in value_columns]
        if i < main_index and len(over) < 2 and all(j in main_cols for j in over):
            joined.discard(i)  # a group header over the value columns, not a broken header row
        for t, j in zip(found, places):
            cover = _covered(t, columns) or [j]
            if t.text in CODE_LEVELS:
                codes[j] = t.text
            elif len(cover) > 1 and i != main_index:
                own[cover[0]] = t.text
            elif i >= main_index or (i in joined and (j not in main_cols or j in value_columns)):
                main[j].append((i, t.text))
            else:
                own[j] = t.text
        if any(own):
            (rows_above if i < main_index else rows_below).append(own)
    main_row = ["".join(text for _, text in sorted(cell)) for cell in main]
    _lift_value_headers(rows_above, main_row, value_columns)
    out = rows_above + [main_row] + rows_below
    if any(codes):
        out.append(codes)
    return out


def _lift_value_headers(rows_above, main_row, value_columns):
    """Place header cells as a ruled grid has them (in place): a group word alone over the stub
    columns (项目) heads all of them, so it sits in the first; when that group row has nothing over
    the value columns, the value headers are printed across the whole header and belong to its top row."""
    if not rows_above:
        return
    stub = [j for j in range(len(main_row)) if j < min(value_columns, default=len(main_row))]
    top = rows_above[0]
    words = [j for j in stub if top[j]]
    if len(words) == 1 and words[0] != 0:
        top[0], top[words[0]] = top[words[0]], ""
    if len(words) == 1 and sum(1 for c in top if c) == 1:
        for j in value_columns:
            if j < len(main_row) and main_row[j]:
                top[j], main_row[j] = main_row[j], ""


def _is_code_header(line, settings):
    return any(t.text in CODE_LEVELS for t in tokens(line, settings))


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
    columns = _columns(data_lines, settings)
    header_lines = [(i, tokens(line, settings)) for i, line in header]
    header_lines = [(i, found) for i, found in header_lines if found]
    header_tokens = _main_words(header_lines, columns) if header_lines else []
    numeric_cols = _numeric_columns(data_lines, columns, settings)
    data_cells = [_cells(line, columns, len(columns), settings) for line in data_lines]
    coded = {columns[j] for j in code_columns(data_cells, leading=False)}
    columns = _with_header_columns(columns, header_tokens, settings, coded)
    if header_lines:
        columns = _stacked_columns(columns, header_lines, _main_line(header_lines), settings)
    data_columns = _columns(data_lines, settings)
    value_columns = {j for j, c in enumerate(columns)
                     if c not in coded and (c in numeric_cols or c not in data_columns)}
    tail = _trailing_block(header)
    header = header[:len(header) - len(tail)]
    lead = [(i, _cells(line, columns, len(columns), settings), False) for i, line in tail]
    body_rows = []
    kinds = _column_kinds(data_lines, columns, settings)
    for k, part in enumerate(body_parts):
        part_columns = columns
        if k:  # a later page lays its columns out again: map them onto the first page's by order
            page_data = [line for _, line in part if _kind(line, settings) == "data"]
            own = _columns(page_data, settings)
            if own:
                part_columns = _page_columns(columns, kinds, own, _column_kinds(page_data, own, settings),
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


def _column_kinds(lines, columns, settings):
    """Per column, the kind of most of its tokens ('code', 'amount' or 'text')."""
    counts = [Counter() for _ in columns]
    for line in lines:
        found = tokens(line, settings)
        for t, j in zip(found, assign(found, columns) or []):
            counts[j][_token_kind(t)] += 1
    return [c.most_common(1)[0][0] if c else "text" for c in counts]


def _page_columns(columns, kinds, own, own_kinds, settings):
    """A later page's own columns put in place of the table's: an order-preserving fit by position
    where a column of another kind costs ``kind_mismatch_cost``."""
    as_tokens = [Token(start, end, kind) for (start, end), kind in zip(own, own_kinds)]

    def cost(token, j):
        return _distance(token, columns[j]) + (settings.kind_mismatch_cost if token.text != kinds[j] else 0)

    places = assign(as_tokens, columns, cost)
    if places is None:
        return columns
    out = list(columns)
    for (start, end), j in zip(own, places):
        out[j] = (start, end)
    return out


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
