"""The document model rendered for the extractors: numbered lines, block dicts and their Locations.

Extractors read plain block dicts ({"type": "heading" | "paragraph" | "table", "line", "section" ...})
whose "line" is an ordinal: the real line of a single text file, else the position in a rendering of
the model (one line per heading, paragraph and table row). ``locations`` maps each ordinal back to
where it is printed, which is what provenance records."""

from budgetkg.etl.model import Heading, Paragraph, Table


def table_rows(table):
    """Rows of cell texts as printed: a row is as long as its cells reach (spans give '')."""
    width = {}
    for c in table.cells:
        for r in range(c.row, c.row + c.rowspan):
            width[r] = max(width.get(r, 0), c.col + c.colspan)
    rows = [[""] * width.get(r, 0) for r in range(table.n_rows)]
    for c in table.cells:
        rows[c.row][c.col] = c.text
    return rows


def document_blocks(document):
    """Return (lines, blocks, locations) of a Document for the extract stage."""
    if document.lines is not None:
        return document.lines, _text_blocks(document), _text_locations(document)
    lines, blocks, locations = [], [], {}

    def number(text, location):
        lines.append(text)
        locations[len(lines)] = location
        return len(lines)

    for block in document.blocks:
        if isinstance(block, Heading):
            line = number(block.text, block.location)
            blocks.append({"type": "heading", "level": block.level, "text": block.text, "line": line,
                           "section": block.section})
        elif isinstance(block, Paragraph):
            line = number(block.text, block.location)
            blocks.append({"type": "paragraph", "text": block.text, "line": line, "section": block.section})
        elif isinstance(block, Table):
            rows = [{"line": number("\t".join(cells), block.row_location(r)), "cells": cells}
                    for r, cells in enumerate(table_rows(block))]
            if not rows:
                continue
            blocks.append(_table_dict(block, rows))
    return lines, blocks, locations


def table_spans(table):
    """{row: {col: colspan}} of the cells spanning several columns (what header paths follow)."""
    spans = {}
    for c in table.cells:
        if c.colspan > 1:
            spans.setdefault(c.row, {})[c.col] = c.colspan
    return spans


def _table_dict(table, rows):
    return {"type": "table", "line": rows[0]["line"], "end_line": rows[-1]["line"],
            "title": table.caption, "unit": table.unit, "section": table.section, "rows": rows,
            "layout": table.layout, "location": table.location, "spans": table_spans(table)}


def _text_blocks(document):
    """Blocks of a single text file: ordinals are its own line numbers."""
    blocks = []
    for block in document.blocks:
        if isinstance(block, Heading):
            blocks.append({"type": "heading", "level": block.level, "text": block.text,
                           "line": block.location.line, "section": block.section})
        elif isinstance(block, Paragraph):
            blocks.append({"type": "paragraph", "text": block.text, "line": block.location.line,
                           "section": block.section})
        elif isinstance(block, Table):
            rows = [{"line": block.row_location(r).line, "cells": cells}
                    for r, cells in enumerate(table_rows(block))]
            table = _table_dict(block, rows)
            table["line"] = block.location.line
            table["end_line"] = block.end.line if block.end else rows[-1]["line"]
            blocks.append(table)
    return blocks


class _LineLocations(dict):
    """Locations of a text file's lines, made on demand (every ordinal is a line of the file)."""

    def __init__(self, file):
        super().__init__()
        self.file = file

    def __missing__(self, line):
        from budgetkg.etl.model import Location
        return Location(file=self.file, line=line) if isinstance(line, int) and line > 0 else None

    def get(self, line, default=None):
        value = self[line]
        return default if value is None else value


def _text_locations(document):
    return _LineLocations(document.name)
