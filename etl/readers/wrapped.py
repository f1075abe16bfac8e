"""Cells printed over several lines in a space-aligned table ('机关事业单位' / '2080505  基本养老保险  446.11'
/ '缴费支出'): the lines holding only pieces of text cells are joined into the row they belong to.

A table whose rows are coded (a classification code column) prints a long name broken over lines:
either from the row's own line downwards (top aligned), or centred on the row's line, as many
lines above as below (then some row's own line has no name at all). Pure functions."""

import re

from etl.normalise import parse_decimal

CLASS_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}|\d{2}")


def join_text(first, second):
    """Two pieces of one cell: joined directly between CJK characters, else with a space."""
    if not first or not second:
        return first or second
    if ord(first[-1]) > 0x7f or ord(second[0]) > 0x7f:
        return first + second
    return first + " " + second


def code_columns(data_rows, leading=True):
    """Columns whose filled cells are all classification codes (201, 06, 2080505), in at least one
    data row: the leading ones (``leading``), or all."""
    if not data_rows:
        return []
    width = max(len(cells) for cells in data_rows)
    out = []
    for j in range(width):
        filled = [cells[j] for cells in data_rows if j < len(cells) and cells[j]]
        if filled and all(CLASS_CODE.fullmatch(c) for c in filled):
            out.append(j)
        elif leading:
            break
    return out


def is_piece(cells, code_cols, text_cols):
    """Whether a non-data row holds only pieces of text cells (nothing in the code or value columns)."""
    filled = [j for j, c in enumerate(cells) if c]
    return bool(filled) and all(j in text_cols and j not in code_cols for j in filled) and \
        not any(parse_decimal(c) is not None for c in cells if c)


def centred(rows, code_cols, text_cols):
    """Whether names are centred on their rows: some coded data row has an empty text cell next to
    pieces printed above or below it."""
    for k, (_, cells, data) in enumerate(rows):
        if data and any(cells[j] for j in code_cols) and any(not cells[j] for j in text_cols):
            around = [rows[m] for m in (k - 1, k + 1) if 0 <= m < len(rows)]
            if any(not d and is_piece(c, code_cols, text_cols) for _, c, d in around):
                return True
    return False


def join_pieces(rows, code_cols, text_cols):
    """Rows (index, cells, is_data) with piece rows joined into their data rows; returns (index, cells).

    Top aligned: pieces continue the row above. Centred: the pieces between two rows are split so
    that each row has as many pieces below its line as above it."""
    if not code_cols or not text_cols:
        return [(i, cells) for i, cells, _ in rows]
    mode_centred = centred(rows, code_cols, text_cols)
    out, pending, above = [], [], 0  # pending: pieces not yet given to a row

    def add(target, piece, before):
        for j in text_cols:
            if j < len(piece) and piece[j]:
                target[j] = join_text(piece[j], target[j]) if before else join_text(target[j], piece[j])

    for i, cells, data in rows:
        if not data and is_piece(cells, code_cols, text_cols):
            pending.append(cells)
            continue
        if pending and out:
            below = len(pending) if not mode_centred or not data else min(above, len(pending))
            for piece in pending[:below]:
                add(out[-1][1], piece, before=False)
            pending = pending[below:]
        row = list(cells)
        above = len(pending) if data else 0
        for piece in reversed(pending):
            add(row, piece, before=True)
        pending = []
        out.append((i, row))
    for piece in pending:
        if out:
            add(out[-1][1], piece, before=False)
    return out
