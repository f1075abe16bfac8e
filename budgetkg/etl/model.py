"""The document model every reader produces: a Document is an ordered list of blocks.

Blocks are Heading, Paragraph and Table; a Table is a grid of Cells with row/column spans, a
caption, the money unit it prints and its section. Every block and cell has a Location (file;
page; line where there is one; sheet and cell for workbooks; table, row and column for table cells).
Nothing after the readers knows the input format: later stages see this model only (through
``etl.blocks.document_blocks``, which renders it to the block dicts the extractors read)."""

from dataclasses import dataclass, field, fields

MONEY_UNITS = ("万元", "元", "千元", "亿元")


@dataclass(frozen=True)
class Location:
    """Where something is printed. ``line`` is the file's line for text and the line on the page
    for PDF; ``sheet``/``cell`` (A1 reference) for workbooks; ``table``/``row``/``column`` (1-based)
    for table cells."""
    file: str
    page: int | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def at(self, **changes):
        """A copy with some fields changed (dataclasses.replace without its per-call introspection:
        readers make one Location per cell)."""
        if not changes.keys() <= LOCATION_FIELDS:
            raise TypeError(f"Location has no field {sorted(changes.keys() - LOCATION_FIELDS)[0]!r}")
        get = changes.get
        return Location(get("file", self.file), get("page", self.page), get("line", self.line),
                        get("sheet", self.sheet), get("cell", self.cell), get("table", self.table),
                        get("row", self.row), get("column", self.column))

    def describe(self):
        """'file:line' for text, else 'file: page 3, table 2, row 4, column 5' (the parts known)."""
        if self.line is not None and self.page is None and self.sheet is None:
            return f"{self.file}:{self.line}"
        parts = [f"{name} {value}" for name, value in (
            ("page", self.page), ("line", self.line), ("sheet", self.sheet), ("cell", self.cell),
            ("table", self.table), ("row", self.row), ("column", self.column)) if value is not None]
        return f"{self.file}: {', '.join(parts)}" if parts else self.file


LOCATION_FIELDS = frozenset(f.name for f in fields(Location))


@dataclass
class Cell:
    """One table cell at (row, col), 0-based in its table's grid, spanning rowspan x colspan."""
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    location: Location | None = None


@dataclass
class Heading:
    text: str
    level: int
    location: Location
    section: str = ""


@dataclass
class Paragraph:
    text: str
    location: Location
    section: str = ""


@dataclass
class Table:
    """A grid of cells. ``caption`` is the printed title (e.g. '2025年部门收入预算总表'), ``unit``
    the money unit printed with it (单位：元), ``layout`` how a text reader found it."""
    cells: list
    location: Location
    caption: str = ""
    unit: str | None = None
    section: str = ""
    layout: str = "grid"
    row_locations: list = field(default_factory=list)  # Location per grid row, when rows have one
    end: Location | None = None  # where the table's last printed line is, when it has lines

    @property
    def n_rows(self):
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self):
        return max((c.col + c.colspan for c in self.cells), default=0)

    def grid(self):
        """Rows of cell texts; a spanned position holds '' (the text sits at the span's top left)."""
        rows = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            rows[c.row][c.col] = c.text
        return rows

    def row_location(self, r):
        """The Location of grid row r (0-based)."""
        if r < len(self.row_locations) and self.row_locations[r] is not None:
            return self.row_locations[r]
        return self.location.at(row=r + 1)


@dataclass
class Document:
    """A read document: its blocks in reading order, and the source it came from.

    ``lines`` holds a text source's normalised lines (None for PDF, workbooks, Word, HTML);
    ``files`` lists every source file of a document joined from several files."""
    path: str
    name: str
    sha256: str
    format: str
    blocks: list
    lines: list | None = None
    encoding: str | None = None
    files: list = field(default_factory=list)
    pages: int | None = None

    def __post_init__(self):
        if not self.files:
            self.files = [self.name]


def table_from_rows(rows, location, row_locations=None, **kwargs):
    """A Table from rows of strings (None for a cell covered by a span), one Cell per string.

    A None below a one-column cell extends its rowspan; otherwise a None right of a cell of the same
    row extends its colspan (pdfplumber's convention). Readers whose source says spans explicitly build Cells."""
    cells, owner = [], {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                left = owner.get((r, c - 1))
                up = owner.get((r - 1, c))
                if up is not None and up.col == c and up.colspan == 1:
                    up.rowspan = r - up.row + 1
                    owner[(r, c)] = up
                elif left is not None and left.row == r:
                    left.colspan = c - left.col + 1
                    owner[(r, c)] = left
                continue
            loc = row_locations[r] if row_locations and r < len(row_locations) and row_locations[r] else None
            where = (loc.at(row=loc.row or r + 1, column=c + 1) if loc is not None
                     else location.at(row=r + 1, column=c + 1))
            cell = Cell(text=text, row=r, col=c, location=where)
            cells.append(cell)
            owner[(r, c)] = cell
    return Table(cells=cells, location=location, row_locations=list(row_locations or []), **kwargs)


def assign_sections(blocks):
    """Set each block's section from the headings before it ('第一部分 … > 一、…'), in place."""
    path = {}
    for block in blocks:
        if isinstance(block, Heading):
            path = {k: v for k, v in path.items() if k < block.level}
            path[block.level] = block.text
        block.section = " > ".join(path[k] for k in sorted(path))
    return blocks
