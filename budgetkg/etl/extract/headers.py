"""Generic header analysis of a table block: header rows, stub columns, column paths, blocks, values.

Structure only, no template: the header is the rows before the first data row (a row printing a
number); each column's path is the header texts above it through column spans ('支出预算 > 基本支出');
the stub is the code columns (类 / 款 / 项, or one 科目编码 column of whole codes) and the name column;
tables printing several blocks side by side (收入 | 支出, or a repeated 编码 | 名称 | 金额 group) are cut
into their blocks. Every number is then addressed by its row (code, name, 类/款/项 level) and column
path, in the money unit the table prints, converted to 万元 exactly (printed value and unit kept)."""

import re
from dataclasses import dataclass, field, replace

from budgetkg.etl.extract.table_kinds import vocabulary
from budgetkg.etl.normalise import clean_name, parse_decimal, to_wanyuan

CAPTION_UNIT = re.compile(r"单位\s*[:：]\s*(万元|千元|亿元|元)")
CODE_HEADER = re.compile(r"^(类|款|项|科目编码|功能分类科目编码|经济分类科目编码|编码|代码)$")
LEVEL_HEADER = re.compile(r"^(类|款|项)$")
NAME_HEADER = re.compile(r"名称|^项目$|科目$")
CLASS_CODE = re.compile(r"\d{3}|\d{5}|\d{7}")
INLINE_CODE_RE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*([\u4e00-\u9fff(].*)$")  # '2080101 行政运行' in one cell
PART_CODE = re.compile(r"\d{1,3}")
CODE_PART_WIDTH = 2          # digits of a 款 or 项 code printed in its own column ('2' is '02')
LEVEL_OF_LENGTH = {3: 1, 5: 2, 7: 3}
DEFAULT_UNIT = "万元"


def is_number(cell):
    """True if a cell holds a printed number."""
    return parse_decimal(cell) is not None


def squeeze(text):
    """A header text without inner spaces ('收 入' -> '收入')."""
    return re.sub(r"\s+", "", text or "")


@dataclass(frozen=True)
class Row:
    """One non-empty row of a table block: its cells, rendering line and grid row index."""
    cells: list
    line: int
    index: int


@dataclass
class TableView:
    """A table (or one side-by-side block of it) as the header analysis sees it.

    ``columns[j]`` is the header path of grid column j (outer to inner texts); ``first``/``end`` the
    block's column range; ``codes`` the stub's code columns, ``name`` its name column (or None);
    ``side`` the block's top header word when the table is cut into 收入 / 支出 sides."""
    title: str
    unit: str
    header: list
    data: list
    columns: list
    first: int = 0
    end: int = 0
    codes: list = field(default_factory=list)
    name: int | None = None
    side: str = ""
    section: str = ""
    layout: str = ""  # how the reader found the table: a text layout ('rows', 'cell-per-line', 'aligned') or a grid

    def cells(self, row):
        """The row's cells inside this block ('' past the row's end)."""
        return [row.cells[j] if j < len(row.cells) else "" for j in range(self.first, self.end)]

    def value_columns(self):
        """Grid columns of the block after its stub."""
        start = max([self.first - 1] + list(self.codes) + ([self.name] if self.name is not None else []))
        return list(range(start + 1, self.end))


@dataclass(frozen=True)
class Value:
    """One printed number of a table: where it sits and what addresses it."""
    row: Row
    column: int
    path: tuple
    code: str
    name: str
    level: int | None
    printed: str
    printed_unit: str
    amount: object   # Decimal in 万元


def caption_rows(rows):
    """Split leading caption rows (table title, 编制部门, 单位) off; return (title, unit, rest)."""
    title, unit = "", None
    while rows:
        texts = [c for c in rows[0].cells if c]
        joined = " ".join(texts)
        m = CAPTION_UNIT.search(joined)
        if m:
            unit = m.group(1)
        single_title = len(texts) == 1 and joined.endswith("表")
        if m or joined.startswith("编制") or single_title:
            if single_title:
                title = joined
            rows = rows[1:]
            continue
        break
    return title, unit, rows


def split_header(rows):
    """(header rows, data rows): the header is every row before the first row printing a number."""
    i = 0
    while i < len(rows) and not any(is_number(c) for c in rows[i].cells):
        i += 1
    return rows[:i], rows[i:]


def _extent(row, j, spans, width, below):
    """The columns a header cell at j covers: its printed span, else (text layouts without spans) the
    empty cells to its right under which a lower header row prints something."""
    if j in spans:
        return spans[j]
    k = j + 1
    while k < width and not (k < len(row.cells) and row.cells[k]) and any(
            k < len(r.cells) and r.cells[k] for r in below):
        k += 1
    return k - j if below and k - j > 1 and any(j < len(r.cells) and r.cells[j] for r in below) else 1


def column_paths(header, width, spans=None):
    """Header path of each of ``width`` columns: the texts of the header cells covering it, top down."""
    spans = spans or {}
    paths = [[] for _ in range(width)]
    for i, row in enumerate(header):
        below = header[i + 1:]
        row_spans = spans.get(row.index, {})
        for j, text in enumerate(row.cells[:width]):
            if not text:
                continue
            for k in range(j, min(width, j + _extent(row, j, row_spans, width, below))):
                paths[k].append(text.strip())
    return [tuple(p) for p in paths]


def level_columns(header):
    """Columns headed 类 / 款 / 项 (one header row prints them side by side), or []."""
    for row in header:
        found = [j for j, c in enumerate(row.cells) if LEVEL_HEADER.match(squeeze(c))]
        if found and found == list(range(found[0], found[0] + len(found))):
            return found
    return []


def code_column(header, data, first=0, end=None):
    """[j] when column j holds whole classification codes (208 / 20801 / 2080101) followed by names."""
    end = end if end is not None else max((len(r.cells) for r in data), default=0)
    for j in range(first, end - 1):
        cells = [r.cells[j].strip() for r in data if j < len(r.cells) and r.cells[j].strip()]
        codes = [c for c in cells if CLASS_CODE.fullmatch(c)]
        named = [r for r in data if j + 1 < len(r.cells) and CLASS_CODE.fullmatch(r.cells[j].strip())
                 and r.cells[j + 1] and not is_number(r.cells[j + 1])]
        headed = any(j < len(r.cells) and CODE_HEADER.match(squeeze(r.cells[j])) for r in header)
        if len(named) >= 2 and len(codes) == len(named) and (headed or len(codes) * 2 >= len(data)):
            return [j]
    return []


def row_code(cells, codes):
    """The classification code of a row: its code cells joined, 款/项 parts padded to two digits."""
    parts = [cells[j].strip() if j < len(cells) else "" for j in codes]
    parts = [p for p in parts if p]
    if not parts or not all(p.isdigit() for p in parts):
        return ""
    if len(parts) > 1 and all(PART_CODE.fullmatch(p) for p in parts[1:]):
        parts = parts[:1] + [p.zfill(CODE_PART_WIDTH) for p in parts[1:]]
    return "".join(parts)


def level_of(code):
    """类/款/项 level (1, 2, 3) of a 3/5/7-digit code; None for other lengths."""
    return LEVEL_OF_LENGTH.get(len(code))


def _is_stub(columns, j):
    """True when column j's innermost header is a stub word (项目 / 科目编码 / 科目名称 …)."""
    inner = squeeze(columns[j][-1]) if columns[j] else ""
    return any(inner.endswith(s) for s in vocabulary()["split"]["stub_headers"])


def _side_starts(header, columns, width):
    """Block starts from the top header row when it names sides (收入 | 支出), else [].

    Each side must start over a stub column (项目 …): a top row printed without its spans (text
    layouts) is not aligned with the columns and is not used."""
    sides = vocabulary()["split"]["sides"]
    if not header:
        return []
    top = [(j, squeeze(c)) for j, c in enumerate(header[0].cells[:width]) if c]
    named = [j for j, text in top if any(text.endswith(s) for s in sides)]
    if len(named) < 2 or len(named) != len(top) or not all(_is_stub(columns, j) for j in named):
        return []
    return named


def _stub_starts(columns, data, width):
    """Block starts where a stub header (项目 / 科目编码 / 科目名称) follows a value column."""
    def holds_numbers(j):
        if any(CODE_HEADER.match(squeeze(text)) or "编码" in text for text in columns[j]):
            return False  # a code column (类 / 款 / 项, 科目编码) is part of the stub
        return any(j < len(r.cells) and is_number(r.cells[j]) and not CLASS_CODE.fullmatch(r.cells[j].strip())
                   for r in data)

    starts = [j for j in range(1, width)
              if _is_stub(columns, j) and not _is_stub(columns, j - 1) and holds_numbers(j - 1)]
    return [0] + starts if starts else []


def block_starts(header, columns, data, width):
    """First column of each side-by-side block ([0] alone for a table of one block)."""
    starts = _side_starts(header, columns, width) or _stub_starts(columns, data, width)
    return starts if len(starts) >= 2 and starts[0] == 0 else [0]


def _stub(view, header, data):
    """The view with its code and name columns found inside its block."""
    inside = [Row(cells=view.cells(r), line=r.line, index=r.index) for r in data]
    head = [Row(cells=view.cells(r), line=r.line, index=r.index) for r in header]
    codes = [view.first + j for j in (level_columns(head) or code_column(head, inside))]
    start = max(codes) + 1 if codes else view.first
    name = next((j for j in range(start, view.end) if any(
        j < len(r.cells) and r.cells[j] and not is_number(r.cells[j]) for r in data)), None)
    return replace(view, codes=codes, name=name)


def align_header(header, data, width):
    """Header rows printed shorter than the table (text layouts, where a spanned cell is one cell)
    shifted right so that their name header (…名称 / 项目) stands over the data rows' name column."""
    codes = level_columns(header) or code_column(header, data)
    start = max(codes) + 1 if codes else 0
    name = next((j for j in range(start, width) if any(
        j < len(r.cells) and r.cells[j] and not is_number(r.cells[j]) for r in data)), None)
    if name is None:
        return header
    aligned = []
    for row in header:
        at = next((j for j, c in enumerate(row.cells) if NAME_HEADER.search(squeeze(c))
                   and not CODE_HEADER.match(squeeze(c))), None)
        shift = name - at if at is not None else 0
        printed = _printed(row.cells)
        if 0 < shift and (len(printed) + shift <= width or shift < len(codes)):
            # (a code header over 类/款/项 printed as one cell moves the names by the code columns)
            row = replace(row, cells=[""] * shift + printed)
        aligned.append(row)
    return aligned


def _printed(cells):
    """A header row's cells without its trailing empty ones: in a table without spans (text, or a
    sheet without merged cells) they print nothing, whether the source pads the row or not."""
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def expand_groups(header, width):
    """Upper header rows printed with one cell per column group (text layouts, no spans) spread over
    their groups: a cell over a run of several sub-headers in the row below covers that run."""
    rows = list(header)
    for i in range(len(rows) - 2, -1, -1):
        upper, lower = rows[i], rows[i + 1].cells
        texts = _printed(upper.cells)
        if len(texts) >= len(lower) or not any(texts):
            continue
        spread, col = [], 0
        for text in texts:
            run = 0
            while col + run < len(lower) and lower[col + run] and (run == 0 or not _starts_group(lower, col + run)):
                run += 1
            spread.extend([text] + [""] * (max(run, 1) - 1))
            col += max(run, 1)
        if len(spread) <= width and len(spread) > len(texts):
            rows[i] = replace(upper, cells=spread)
    return rows


def _starts_group(cells, j):
    """True when a sub-header run breaks at j (an empty cell before it)."""
    return j > 0 and not cells[j - 1]


def analyse(block):
    """The TableViews of a table block: one per side-by-side block, each with its stub found."""
    rows = [Row(cells=r["cells"], line=r["line"], index=i) for i, r in enumerate(block["rows"])
            if any(c for c in r["cells"])]
    title, unit, rows = caption_rows(rows)
    title = title or block.get("title") or ""
    unit = block.get("unit") or unit or DEFAULT_UNIT
    header, data = split_header(rows)
    width = max((len(r.cells) for r in rows), default=0)
    if not block.get("spans"):
        header = align_header(expand_groups(header, width), data, width)
    columns = column_paths(header, width, block.get("spans"))
    starts = block_starts(header, columns, data, width)
    views = []
    for first, end in zip(starts, starts[1:] + [width]):
        side = squeeze(columns[first][0]) if len(starts) > 1 and len(columns[first]) > 1 else ""
        view = TableView(title=title, unit=unit, header=header, data=data, columns=columns,
                         first=first, end=end, side=side, layout=block.get("layout", ""))
        views.append(_stub(view, header, data))
    return views


def row_label(view, row):
    """(code, name, level) of a data row of a classification block."""
    code = row_code(row.cells, view.codes)
    name = row.cells[view.name] if view.name is not None and view.name < len(row.cells) else ""
    return code, clean_name(name), level_of(code) if code else None


def values(view):
    """Every number printed in the block's value columns, addressed by row and column path."""
    found = []
    for row in view.data:
        code, name, level = row_label(view, row)
        for j in view.value_columns():
            cell = row.cells[j] if j < len(row.cells) else ""
            number = parse_decimal(cell)
            if number is None:
                continue
            found.append(Value(row=row, column=j, path=view.columns[j], code=code, name=name, level=level,
                               printed=cell.strip(), printed_unit=view.unit,
                               amount=to_wanyuan(number, view.unit)))
    return found
