"""Cells and columns of space-aligned text lines (``pdftotext -layout``): a line's cells are runs of
text between wide gaps; a table's columns are the unions of its data cells' character extents
(texts, codes and amounts apart), and cells are placed in columns by an order-preserving best fit.
Pure functions; the settings of the whole aligned-table reader are here."""

import re
from collections import Counter
from dataclasses import dataclass

from budgetkg.etl.normalise import parse_decimal

FORM_FEED = "\f"
AMOUNT = re.compile(r"-?\d[\d,]*\.\d+|-?\d{1,3}(?:,\d{3})+")
CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef“”]")
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


def column_spans(lines, settings):
    """Column intervals [start, end) from the union of the token extents of the given lines; a union
    held together only by a few wide tokens (a total's label across the code and name columns) is
    split where those tokens alone cover it."""
    found = [t for line in lines for t in tokens(line, settings)]
    out = []
    # texts apart from numbers, codes apart from amounts: a shifted cell does not join two columns
    for kinds in (("text",), ("code", "amount")):
        unions = [_union([t for t in found if token_kind(t) == kind]) for kind in kinds]
        spans = sorted((t.start, t.end) for t in found if token_kind(t) in kinds)
        cover = Counter(x for start, end in spans for x in range(start, end))
        for start, end in _union_spans(sorted(c for union in unions for c in union), touching=False):
            out.extend(_split_bridged(start, end, cover, settings))
    texts = [t for t in found if token_kind(t) == "text"]
    lone = [c for c in out if sum(1 for t in texts if distance(t, c) == 0) == 1
            and not any(distance(t, c) == 0 for t in found if token_kind(t) != "text")]
    if len(lines) >= settings.min_column_support and len(out) > len(lone):
        out = [c for c in out if c not in lone]  # a lone label (a centred 总计) joins its neighbour
    return sorted(out)


def token_kind(token):
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


def distance(token, column):
    """How far a token lies from a column (0 when they overlap)."""
    return max(0, column[0] - token.end + 1, token.start - column[1] + 1)


def assign(found, columns, cost=None):
    """Column index of each token: order-preserving, least total distance (a small dynamic program);
    ``cost(token, j)`` replaces the distance to column j."""
    cost_of = cost or (lambda token, j: distance(token, columns[j]))
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


def with_header_columns(columns, header_tokens, settings, code_cols=frozenset()):
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
                far = distance(header_tokens[i - 1], columns[j - 1])
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


def stacked_columns(columns, header_lines, main_at, settings):
    """Columns for header words printed over two or more lines ('事业单位' / '经营收入') away from every
    column: a column no data row fills, headed by a broken word."""
    far = [(i, t) for k, (i, found) in enumerate(header_lines) if k != main_at for t in found
           if t.text not in CODE_LEVELS
           and not any(distance(t, c) <= settings.header_slack for c in columns)]
    added = []
    for i, t in far:
        partners = [u for k, u in far if k != i and distance(t, (u.start, u.end)) == 0]
        if partners and not any(distance(t, c) == 0 for c in added):
            added.append((min([t.start] + [u.start for u in partners]), max([t.end] + [u.end for u in partners])))
    return sorted(list(columns) + added)


def covered(token, columns):
    """Indexes of the columns a token overlaps."""
    return [j for j, c in enumerate(columns) if distance(token, c) == 0]


def column_kinds(lines, columns, settings):
    """Per column, the kind of most of its tokens ('code', 'amount' or 'text')."""
    counts = [Counter() for _ in columns]
    for line in lines:
        found = tokens(line, settings)
        for t, j in zip(found, assign(found, columns) or []):
            counts[j][token_kind(t)] += 1
    return [c.most_common(1)[0][0] if c else "text" for c in counts]


def page_columns(columns, kinds, own, own_kinds, settings):
    """A later page's own columns put in place of the table's: an order-preserving fit by position
    where a column of another kind costs ``kind_mismatch_cost``."""
    as_tokens = [Token(start, end, kind) for (start, end), kind in zip(own, own_kinds)]

    def cost(token, j):
        return distance(token, columns[j]) + (settings.kind_mismatch_cost if token.text != kinds[j] else 0)

    places = assign(as_tokens, columns, cost)
    if places is None:
        return columns
    out = list(columns)
    for (start, end), j in zip(own, places):
        out[j] = (start, end)
    return out
