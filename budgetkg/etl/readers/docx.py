"""Word reader: .docx with python-docx, paragraphs and tables in document order, to the model.

The body's children are walked in order (content controls opened). A paragraph is a heading when its
text is numbered like one (etl.segment.heading_level) or its style or outline level says so (Word
'Heading 2' / '标题 2'); a table's merged cells (gridSpan, vMerge) become spans and its caption and
money unit come from the paragraphs before it. ``line`` of a Location is the ordinal of the paragraph
or table in the body; table cells are located by table, row and column. An old binary .doc or an
encrypted file gets a clear InputError."""

import re
import zipfile

from budgetkg.etl.model import Cell, Location, Table
from budgetkg.etl.read import InputError
from budgetkg.etl.readers.structured import (ZIP_MAGIC, caption_before, clean_text, finished_document, read_bytes,
                                    sniff_container, text_block)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
TITLE_STYLES = {"title", "标题"}  # the document title: a level-1 heading


def _val(element, tag):
    """The w:val attribute of a child property element, or None."""
    found = element.find(tag) if element is not None else None
    return None if found is None else found.get(f"{W}val", "")


def paragraph_text(p):
    """The text of a w:p: its runs' text, tabs and breaks as spaces, cleaned."""
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        parts.append(node.text or "" if node.tag == f"{W}t" else " ")
    return clean_text("".join(parts))


def style_level(p, styles):
    """The heading level a paragraph's style or outline level gives (0 for body text)."""
    ppr = p.find(f"{W}pPr")
    outline = _val(ppr, f"{W}outlineLvl")
    if outline is not None and outline.isdigit() and int(outline) < 9:
        return int(outline) + 1
    name = styles.get(_val(ppr, f"{W}pStyle") or "", "").strip()
    found = HEADING_STYLE.match(name)
    if found:
        return int(found.group(1))
    return 1 if name.lower() in TITLE_STYLES else 0


def style_names(document):
    """{style id: style name} of a python-docx Document (names as Word shows them, e.g. 'Heading 1')."""
    return {s.style_id: s.name or "" for s in document.styles}


def cell_text(tc):
    """The text of a table cell: its paragraphs joined (a header printed on two lines is one text)."""
    return clean_text("\n".join(paragraph_text(p) for p in tc.iter(f"{W}p")))


def table_cells(tbl, at):
    """Cells of a w:tbl with their spans: gridSpan widens a cell, vMerge continues the one above."""
    cells, above = [], {}  # above: grid column -> the Cell whose vertical merge may continue there
    for r, tr in enumerate(tbl.findall(f"{W}tr")):
        trpr = tr.find(f"{W}trPr")
        col = int(_val(trpr, f"{W}gridBefore") or 0) if trpr is not None else 0
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = int(_val(tcpr, f"{W}gridSpan") or 1)
            merge = _val(tcpr, f"{W}vMerge")
            owner = above.get(col)
            if merge is not None and merge != "restart" and owner is not None and owner.colspan == span:
                owner.rowspan = r - owner.row + 1
            else:
                owner = Cell(text=cell_text(tc), row=r, col=col, colspan=span,
                             location=at.at(line=None, row=r + 1, column=col + 1))
                cells.append(owner)
                above[col] = owner
            col += span
    return cells


def body_elements(body):
    """The paragraphs and tables of a body in order, content controls (w:sdt) opened."""
    for child in body:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from body_elements(content)


def docx_blocks(document, file):
    """The blocks of a python-docx Document in body order."""
    styles, blocks, tables = style_names(document), [], 0
    for ordinal, element in enumerate(body_elements(document.element.body), start=1):
        at = Location(file=file, line=ordinal)
        if element.tag == f"{W}p":
            text = paragraph_text(element)
            if text:
                blocks.append(text_block(text, at, style_level(element, styles)))
            continue
        tables += 1
        at = at.at(table=tables)
        cells = table_cells(element, at)
        if not any(c.text for c in cells):
            continue
        caption, unit = caption_before(blocks)
        rows = max(c.row + c.rowspan for c in cells)
        blocks.append(Table(cells=cells, location=at, caption=caption, unit=unit, layout="docx",
                            row_locations=[at.at(line=None, row=r + 1) for r in range(rows)]))
    return blocks


def open_docx(path, data):
    """The python-docx Document of a file; InputError naming it for a .doc, encrypted or corrupt file."""
    if not data.startswith(ZIP_MAGIC):
        sniff_container(path, data, "Word document", ".docx")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise InputError(path, f"corrupt Word document ({type(exc).__name__}: {exc})") from exc


def read_docx(path):
    """Read a .docx into a Document (a .doc that is really a .docx is read too)."""
    data = read_bytes(path)
    document = open_docx(path, data)
    return finished_document(path, data, "docx", [docx_blocks(document, path.name)])
