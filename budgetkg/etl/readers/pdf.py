"""PDF reader (pdfplumber, text layer): ruled tables to cell grids, the text between them to headings
and paragraphs in reading order.

Per page: tables are found with pdfplumber's lattice finder; merged cells become spans from the cell
boxes; text outside the tables becomes lines, ordered by position with the tables. Across pages:
running headers, footers and page numbers are dropped, and a table continued on the next page (no text
between, same columns) is joined into one, its repeated header rows dropped. Text outside the visible
page (some generators leave hidden copies there) is ignored."""

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from budgetkg.etl.model import Cell, Document, Heading, Location, Paragraph, Table, assign_sections
from budgetkg.etl.read import InputError, normalise_text
from budgetkg.etl.readers.furniture import LEADER, is_furniture, repeated_margins
from budgetkg.etl.readers.structured import caption_before
from budgetkg.etl.segment import heading_level


@dataclass(frozen=True)
class PdfSettings:
    """Named settings of the PDF reader (pdfplumber's TableSettings style)."""
    table_settings: dict = field(default_factory=lambda: {
        "vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
        "join_tolerance": 3, "intersection_tolerance": 3})
    margin_fraction: float = 0.08        # top/bottom share of a page where running headers/footers sit
    repeated_share: float = 0.5          # a margin line on at least this share of pages is a running header
    heading_size_ratio: float = 1.15     # a short line this much larger than the body text is a heading
    heading_max_chars: int = 40
    min_text_chars: int = 20             # fewer characters per page, with images: no text layer (a scan)
    line_tolerance: float = 3            # points: characters this close vertically are one line


DEFAULT_SETTINGS = PdfSettings()
UNIT = re.compile(r"单位\s*[:：]\s*(万元|千元|亿元|元)")


def _open(path):
    """Open a PDF with pdfplumber, turning its exceptions into InputErrors naming the file."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    try:
        pdf = pdfplumber.open(path)
        pdf.pages  # noqa: B018  (parses the page tree: a corrupt file fails here)
        return pdf
    except Exception as exc:  # pdfplumber wraps pdfminer's many exception types
        inner = next((a for a in (*exc.args, exc.__cause__, exc.__context__) if isinstance(a, Exception)), exc)
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in repr(inner).lower():
            raise InputError(path, "encrypted PDF: cannot read it without the password") from exc
        raise InputError(path, f"corrupt or unreadable PDF ({type(inner).__name__}: {inner})") from exc


def _visible(page):
    """The page restricted to objects inside its visible box."""
    x0, top, x1, bottom = page.bbox
    return page.filter(lambda obj: obj.get("top", top) >= top - 1 and obj.get("bottom", bottom) <= bottom + 1
                       and obj.get("x0", x0) >= x0 - 1 and obj.get("x1", x1) <= x1 + 1)


def clean_cell(text):
    """A cell's text on one line: line breaks inside CJK words removed, others made spaces."""
    if not text:
        return ""
    text = re.sub(r"(?<=[^\x00-\x7f])\s*\n\s*|\s*\n\s*(?=[^\x00-\x7f])", "", text)
    return normalise_text(re.sub(r"\s*\n\s*", " ", text)).strip()


def _spans(found):
    """(row, col, rowspan, colspan, text) of each cell of a pdfplumber table, from the cell boxes."""
    boxes = [c for row in found.rows for c in row.cells if c is not None]
    xs = sorted({round(b[0], 1) for b in boxes})
    tops = sorted({round(b[1], 1) for b in boxes})
    texts = found.extract()
    out = []
    for r, row in enumerate(found.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            col = bisect_right(xs, round(box[0], 1) + 0.05) - 1
            top = bisect_right(tops, round(box[1], 1) + 0.05) - 1
            colspan = max(1, sum(1 for x in xs if box[0] - 0.5 <= x < box[2] - 0.5))
            rowspan = max(1, sum(1 for t in tops if box[1] - 0.5 <= t < box[3] - 0.5))
            out.append((top, col, rowspan, colspan, clean_cell(texts[r][c] if c < len(texts[r]) else "")))
    return out


@dataclass
class _PageTable:
    """A table found on one page, before continued tables are joined."""
    page: int
    top: float
    bottom: float
    cells: list  # (row, col, rowspan, colspan, text)

    @property
    def n_cols(self):
        return max((c + w for _, c, _, w, _ in self.cells), default=0)

    def rows(self):
        width = self.n_cols
        rows = {}
        for r, c, _, _, text in self.cells:
            rows.setdefault(r, [""] * width)[c] = text
        return [rows[r] for r in sorted(rows)]


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float


def _page_items(page, number, settings):
    """Tables and text lines of one page, each with its vertical position."""
    page = _visible(page)
    found = page.find_tables(settings.table_settings)
    tables = [_PageTable(number, t.bbox[1], t.bbox[3], _spans(t)) for t in found if t.cells]
    tables = [t for t in tables if t.cells]
    boxes = [t.bbox for t in found]

    def outside(obj):
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj)) if boxes else page
    lines = []
    for line in text_page.extract_text_lines(return_chars=True, y_tolerance=settings.line_tolerance):
        text = normalise_text(line["text"]).strip()
        if not text:
            continue
        sizes = Counter(round(ch["size"], 1) for ch in line["chars"] if ch["text"].strip())
        size = sizes.most_common(1)[0][0] if sizes else 0
        lines.append(_Line(number, line["top"], line["bottom"], line["x0"], line["x1"], text, size))
    return tables, lines, page.height


def _drop_running_lines(pages, settings):
    """Remove page numbers and running headers/footers (margin lines repeated on many pages)."""
    def in_margin(line, height):
        return line.top < height * settings.margin_fraction or line.bottom > height * (1 - settings.margin_fraction)

    repeated = repeated_margins([[line.text for line in lines if in_margin(line, height)]
                                 for _, lines, height in pages], settings.repeated_share)
    for _, lines, height in pages:
        lines[:] = [line for line in lines if not (in_margin(line, height) and is_furniture(line.text, repeated))]


def _body_size(pages):
    """The most common font size of text lines, weighted by length: the body text's size."""
    sizes = Counter()
    for _, lines, _ in pages:
        for line in lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0


def _header_rows(rows):
    """Leading rows without a number: a table's header."""
    number = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
    k = 0
    while k < len(rows) and not any(number.match(c.replace(" ", "")) for c in rows[k] if c):
        k += 1
    return rows[:k]


def _continues(previous, table, between):
    """Whether a page's first table continues the previous page's last one."""
    return (previous is not None and not between and table.page == previous[-1].page + 1
            and table.n_cols == previous[0].n_cols)


def _join(parts):
    """(row, col, rowspan, colspan, text) of a table continued over pages, repeated headers dropped,
    with the page of each row."""
    header = _header_rows(parts[0].rows())
    cells, pages, offset = [], [], 0
    for i, part in enumerate(parts):
        rows = part.rows()
        skip = 0
        if i and header and rows[:len(header)] == header:
            skip = len(header)
        n = max((r + h for r, _, h, _, _ in part.cells), default=0)
        for r, c, h, w, text in part.cells:
            if r >= skip:
                cells.append((r - skip + offset, c, h, w, text))
        pages.extend([part.page] * (n - skip))
        offset += n - skip
    return cells, pages


def _sequence(pages):
    """Interleave tables and lines in reading order; join continued tables. Yields ('line', _Line)
    or ('table', [part, ...])."""
    items = []
    for tables, lines, _ in pages:
        page_items = [(t.top, 1, "table", t) for t in tables] + [(line.top, 0, "line", line) for line in lines]
        items.extend(sorted(page_items, key=lambda x: (x[0], x[1])))
    out, current, between = [], None, []
    for _, _, kind, item in items:
        if kind == "table":
            if _continues(current, item, between):
                current.append(item)
                continue
            out.extend(("line", line) for line in between)
            current = [item]
            out.append(("table", current))
            between = []
        else:
            between.append(item)
            if current is not None and item.page == current[-1].page:
                out.extend(("line", line) for line in between)
                between, current = [], None
    out.extend(("line", line) for line in between)
    # lines that came after a table on a later page but before any new table were held back: restore order
    return out


def _right_edge(pages):
    """The right edge of the body text over the whole document: where a line that wraps ends."""
    return max((line.x1 for _, lines, _ in pages for line in lines), default=0)


def _wraps(line, following, right):
    """Whether the next line continues this one (a wrapped paragraph): this line runs to the right
    edge, or the next starts left of this indented first line while this one ends mid-sentence."""
    if following is None or following.page not in (line.page, line.page + 1) \
            or abs(following.size - line.size) >= 0.5:
        return False
    full = line.x1 >= right - 2 * line.size and following.x0 <= line.x0 + line.size
    outdented = following.x0 < line.x0 - line.size / 2 and line.text[-1] not in "。:：;；!！?？"
    return full or outdented


def _heading_level(line, following, body, right, settings):
    """1-3 for a heading line (numbered like 一、 / (一), or short and larger than the body text), else 0.
    A numbered line that wraps into the next is a paragraph's start; table-of-contents lines are text."""
    if LEADER.search(line.text) or _wraps(line, following, right):
        return 0
    level = heading_level(line.text)
    if not level and body and line.size >= body * settings.heading_size_ratio \
            and len(line.text) <= settings.heading_max_chars and not re.search(r"[:：]|表$", line.text):
        level = 1
    return level


def read_pdf(path, settings=DEFAULT_SETTINGS):
    """Read a PDF into a Document; raise InputError for scans, encrypted and corrupt files."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not data.startswith(b"%PDF"):
        raise InputError(path, "not a PDF file (no %PDF header)")
    pdf = _open(path)
    try:
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                pages.append(_page_items(page, number, settings))
            except Exception as exc:
                raise InputError(path, f"page {number}: cannot read ({type(exc).__name__}: {exc})") from exc
        n_pages = len(pdf.pages)
        images = sum(len(p.images) for p in pdf.pages)
    finally:
        pdf.close()
    chars = sum(len(line.text) for _, lines, _ in pages for line in lines) + sum(
        len(text) for tables, _, _ in pages for t in tables for *_, text in t.cells)
    if chars == 0 or (images and chars < settings.min_text_chars * n_pages):
        what = f"{n_pages} page(s), {images} image(s)" if images else f"{n_pages} page(s)"
        raise InputError(path, f"no text layer ({what}, {chars} characters): a scanned PDF? "
                         "Run OCR (e.g. ocrmypdf) first")
    _drop_running_lines(pages, settings)
    body = _body_size(pages)
    blocks, n_tables, line_no = [], 0, Counter()
    name = path.name
    sequence = _sequence(pages)
    right = _right_edge(pages)
    for i, (kind, item) in enumerate(sequence):
        if kind == "line":
            line_no[item.page] += 1
            at = Location(file=name, page=item.page, line=line_no[item.page])
            following = sequence[i + 1][1] if i + 1 < len(sequence) and sequence[i + 1][0] == "line" else None
            level = _heading_level(item, following, body, right, settings)
            blocks.append(Heading(item.text, level, at) if level else Paragraph(item.text, at))
            continue
        n_tables += 1
        cells, row_pages = _join(item)
        title, unit = caption_before(blocks)
        at = Location(file=name, page=item[0].page, table=n_tables)
        row_locations = [Location(file=name, page=p, table=n_tables, row=r + 1) for r, p in enumerate(row_pages)]
        blocks.append(Table(
            cells=[Cell(text, r, c, h, w, row_locations[r].at(column=c + 1) if r < len(row_locations) else at)
                   for r, c, h, w, text in cells],
            location=at, caption=title, unit=unit, layout="pdf", row_locations=row_locations))
    return Document(path=str(path), name=name, sha256=hashlib.sha256(data).hexdigest(), format="pdf",
                    blocks=assign_sections(blocks), pages=n_pages)
