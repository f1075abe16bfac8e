"""Workbook reader: .xlsx/.xlsm with openpyxl (merged ranges, number formats), .xls with
python-calamine (also the fallback when openpyxl cannot open a file), to the document model.

Each visible sheet is read as a grid of printed texts. Its title rows (one text per row, or
编制部门/单位 lines) become paragraphs or headings; a run of rows with several cells becomes a Table
whose caption and money unit come from those title rows; a table ends at a blank gap of more than
MAX_TABLE_GAP rows or at a new title row. Merged ranges become row/column spans. Numbers are printed
exactly (``structured.number_text``). Every block and cell is located by sheet and A1 cell."""

import re
import zipfile
from bisect import bisect_right
from functools import lru_cache
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from budgetkg.etl.model import Cell, Location, Table
from budgetkg.etl.read import InputError
from budgetkg.etl.readers.structured import (OLE_ENCRYPTED, OLE_MAGIC, ZIP_MAGIC, caption_before, finished_document,
                                    number_text, read_bytes, sniff_container, text_block, text_lines,
                                    value_text)

MAX_TABLE_GAP = 1  # blank rows a table may contain (the text reader joins rows over one blank line)
CAPTION_CELL = re.compile(r"^(编制|填报|制表)|^(金额)?单位\s*[:：]")  # 编制部门：… / 单位：万元 cells
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


@dataclass
class SheetGrid:
    """A sheet as read: printed texts by (row, col), 0-based, and merged ranges (r0, c0, r1, c1)."""
    name: str
    texts: dict
    merges: list = field(default_factory=list)


def column_letters(col):
    """A1 column letters of a 0-based column index (0 -> 'A', 27 -> 'AB')."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row, col):
    """The A1 reference of a 0-based (row, col)."""
    return f"{column_letters(col)}{row + 1}"


@lru_cache(maxsize=256)
def format_places(number_format):
    """(decimal places, is percent) a number format prints: '#,##0.00_ ' -> (2, False); '0.0%' ->
    (1, True); (None, False) for General, text and date formats."""
    section = _FORMAT_LITERALS.sub("", (number_format or "General").split(";")[0])
    if not re.search(r"[0#?]", section) or re.search(r"[ymdhs]", section, re.I):
        return None, False
    found = re.search(r"[0#?]\.([0#?]+)", section)
    return (len(found.group(1)) if found else 0), "%" in section


def openpyxl_cell_text(cell):
    """The printed text of an openpyxl cell: its value, numbers with the places its format shows
    (never fewer than the exact value needs)."""
    value = cell.value
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value_text(value)
    places, percent = format_places(cell.number_format)
    text = number_text(value, percent=percent)
    if places and places > len(text.rstrip("%").partition(".")[2]):
        text = number_text(value, places, percent)
    return text


def openpyxl_sheets(path):
    """SheetGrids of the visible worksheets of an .xlsx/.xlsm (cached values of formulas)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    try:
        sheets = []
        for ws in workbook.worksheets:
            if ws.sheet_state != "visible":
                continue
            texts = {}
            for cell in ws._cells.values():  # existing cells only (iter_rows would create empty ones)
                text = openpyxl_cell_text(cell) if cell.value is not None else ""
                if text:
                    texts[(cell.row - 1, cell.column - 1)] = text
            merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                      for m in ws.merged_cells.ranges]
            sheets.append(SheetGrid(ws.title, texts, merges))
        return sheets
    finally:
        workbook.close()


def calamine_sheets(path):
    """SheetGrids of the visible worksheets of any workbook python-calamine reads (.xls, .xlsx ...)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    sheets = []
    for meta in workbook.sheets_metadata:
        if str(meta.visible).rsplit(".", 1)[-1].lower() != "visible" or "chart" in str(meta.typ).lower():
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        top, left = sheet.start or (0, 0)
        texts = {}
        for r, row in enumerate(sheet.to_python(skip_empty_area=False)):
            for c, value in enumerate(row):
                text = value_text(value) if value != "" else ""
                if text:
                    texts[(r + top, c + left)] = text
        merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        sheets.append(SheetGrid(meta.name, texts, merges))
    return sheets


def _calamine_errors():
    import python_calamine
    return (python_calamine.CalamineError, python_calamine.PasswordError, python_calamine.ZipError,
            python_calamine.XmlError, ValueError, OSError)


def _password_error(exc):
    import python_calamine
    return isinstance(exc, python_calamine.PasswordError) or "password" in str(exc).lower()


def workbook_sheets(path, data):
    """The SheetGrids of a workbook file; InputError naming the file for encrypted or corrupt ones."""
    if data.startswith(ZIP_MAGIC):
        try:
            return openpyxl_sheets(path)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, ParseError, OSError) as exc:
            first = exc  # a damaged part: calamine may still read the rest
        try:
            return calamine_sheets(path)
        except _calamine_errors() as exc:
            raise InputError(path, f"corrupt workbook ({type(first).__name__}: {first}; "
                             f"{type(exc).__name__}: {exc})") from exc
    if not data.startswith(OLE_MAGIC) or OLE_ENCRYPTED in data:
        sniff_container(path, data, "workbook", ".xlsx")  # raises: empty, encrypted, not a workbook
    try:
        return calamine_sheets(path)
    except _calamine_errors() as exc:
        if _password_error(exc):
            raise InputError(path, "encrypted (password-protected) workbook: remove the password and "
                             "save it again to publish it") from exc
        raise InputError(path, f"corrupt workbook ({type(exc).__name__}: {exc})") from exc


def _covered(grid):
    """Map each position inside a merged range (its top left included) to the range, ranges clipped
    to the rows and columns that hold text (a range may reach far past them)."""
    if not grid.texts:
        return {}
    last_row, last_col = max(r for r, _ in grid.texts), max(c for _, c in grid.texts)
    covered = {}
    for r0, c0, r1, c1 in grid.merges:
        merge = (r0, c0, min(r1, last_row), min(c1, last_col))
        for r in range(r0, merge[2] + 1):
            for c in range(c0, merge[3] + 1):
                covered[(r, c)] = merge
    return covered


def _is_text_row(texts):
    """True for a title row: one text, or only 编制部门/单位 texts."""
    return len(texts) == 1 or all(CAPTION_CELL.search(t) for t in texts)


def texts_by_row(grid):
    """{row: [(col, text) ...] sorted by column} of a sheet's non-empty cells."""
    by_row = {}
    for (r, c), text in sorted(grid.texts.items()):
        by_row.setdefault(r, []).append((c, text))
    return by_row


_AMOUNT = re.compile(r"^-?[\d,]+(?:\.\d+)?$")


def sheet_runs(grid, by_row, covered):
    """The sheet's rows grouped in order into ('text', [row]) and ('table', [rows]) runs."""
    spanned = {r for (r, c), merge in covered.items() if (r, c) != merge[:2] and merge[:2] in grid.texts}
    if not by_row:
        return []
    runs, table, gap = [], None, 0
    for r in range(min(by_row), max(by_row) + 1):
        texts = [t for _, t in by_row.get(r, [])]
        if not texts:
            gap += r not in spanned
            if r in spanned and table is not None:
                table.append(r)
            continue
        if table is not None and (not gap or not _is_text_row(texts) and (
                gap <= MAX_TABLE_GAP or any(_AMOUNT.match(t) for t in texts))):
            # after a long run of blank rows, only a row with an amount (合计) goes on with the table:
            # a new table starts with its title or header row
            table.append(r)
        elif _is_text_row(texts):
            table = None
            runs.append(("text", [r]))
        else:
            table = [r]
            runs.append(("table", table))
        gap = 0
    return runs


def _table(grid, rows, by_row, covered, file, number):
    """The Table of a run of sheet rows: the columns they use, merged ranges clipped to the run."""
    last = rows[-1]
    left, index = min(c for r in rows for c, _ in by_row.get(r, [])), {r: i for i, r in enumerate(rows)}
    at = Location(file=file, sheet=grid.name, cell=cell_ref(rows[0], left), table=number)
    cells = []
    for r, c, text in ((r, c, text) for r in rows for c, text in by_row.get(r, [])):
        merge = covered.get((r, c))
        bottom, right = (min(merge[2], last), merge[3]) if merge and merge[:2] == (r, c) else (r, c)
        rowspan = bisect_right(rows, bottom) - index[r]  # rows of the run the range covers
        cells.append(Cell(text=text, row=index[r], col=c - left, rowspan=rowspan, colspan=right - c + 1,
                          location=Location(file, sheet=grid.name, cell=cell_ref(r, c), table=number,
                                            row=index[r] + 1, column=c - left + 1)))
    right = max(c.col + c.colspan for c in cells)
    taken = {(c.row + i, c.col + j) for c in cells for i in range(c.rowspan) for j in range(c.colspan)}
    for i, r in enumerate(rows):  # a sheet's table is a rectangle: its empty cells are cells too
        cells.extend(Cell(text="", row=i, col=j, location=Location(
            file, sheet=grid.name, cell=cell_ref(r, left + j), table=number, row=i + 1, column=j + 1))
            for j in range(right) if (i, j) not in taken)
    row_locations = [at.at(cell=cell_ref(r, left), row=i + 1) for i, r in enumerate(rows)]
    return Table(cells=cells, location=at, row_locations=row_locations,
                 end=row_locations[-1], layout="sheet")


def sheet_blocks(grid, file, first_table=1):
    """The blocks of one sheet: title rows as headings/paragraphs, row runs as Tables numbered from
    ``first_table``; a table's caption is its sheet's title rows (else a sheet name naming a 表)."""
    covered, by_row = _covered(grid), texts_by_row(grid)
    blocks, number = [], first_table
    for kind, rows in sheet_runs(grid, by_row, covered):
        if kind == "text":
            r = rows[0]
            for c, text in by_row[r]:
                at = Location(file=file, sheet=grid.name, cell=cell_ref(r, c))
                blocks.extend(text_block(line, at) for line in text_lines(text))
            continue
        table = _table(grid, rows, by_row, covered, file, number)
        table.caption, table.unit = caption_before(blocks)
        if not table.caption and "表" in grid.name:
            table.caption = grid.name.strip()
        blocks.append(table)
        number += 1
    return blocks


def read_workbook(path):
    """Read an .xlsx/.xlsm/.xls workbook into a Document (one block sequence per visible sheet)."""
    data = read_bytes(path)
    sheets, tables = [], 0
    for grid in workbook_sheets(path, data):
        sheets.append(sheet_blocks(grid, path.name, tables + 1))
        tables += sum(isinstance(b, Table) for b in sheets[-1])
    return finished_document(path, data, "workbook", sheets)
