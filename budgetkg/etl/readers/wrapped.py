"""Cells printed over several lines in a space-aligned table ('机关事业单位' / '2080505  基本养老保险  446.11'
/ '缴费支出'): the lines holding only pieces of text cells are joined into the row they belong to.

A table whose rows are coded (a classification code column) prints a long name broken over lines:
either from the row's own line downwards (top aligned), or centred on the row's line, as many
lines above as below (then some row's own line has no name at all). Pure functions."""

import re

from budgetkg.etl.normalise import parse_decimal

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
    that each row has about as many pieces above its line as below it, and a row printing no name on
    its own line gets at least one (see ``_centred_splits``)."""
    if not code_cols or not text_cols:
        return [(i, cells) for i, cells, _ in rows]
    units, gaps = [], [[]]  # gaps[k]: the pieces before unit k; gaps[-1]: the pieces after the last
    for i, cells, data in rows:
        if not data and is_piece(cells, code_cols, text_cols):
            gaps[-1].append(cells)
        else:
            units.append((i, list(cells), data))
            gaps.append([])
    if not units:
        return [(i, cells) for i, cells, _ in rows]
    if centred(rows, code_cols, text_cols):
        needs = [data and any(cells[j] for j in code_cols) and not any(cells[j] for j in text_cols)
                 for _, cells, data in units]
        below = _centred_splits([len(g) for g in gaps], needs)
    else:
        below = [len(g) for g in gaps[1:]]
    out = []
    for k, (i, cells, _) in enumerate(units):
        above = gaps[k][below[k - 1]:] if k else gaps[0]
        for piece in reversed(above):
            _add(cells, piece, text_cols, before=True)
        for piece in gaps[k + 1][:below[k]]:
            _add(cells, piece, text_cols, before=False)
        out.append((i, cells))
    return out


def _add(cells, piece, text_cols, before):
    for j in text_cols:
        if j < len(piece) and piece[j]:
            cells[j] = join_text(piece[j], cells[j]) if before else join_text(cells[j], piece[j])


def _centred_splits(gap_sizes, needs):
    """For each unit k, how many pieces of the gap after it go below it (the rest go above unit k+1):
    least total |above - below| over the units, every unit that ``needs`` a name getting one."""
    n = len(needs)
    inf = float("inf")
    # best[a] = (cost so far, splits) with unit k having a pieces above
    best = {gap_sizes[0]: (0, [])}
    for k in range(n):
        after = gap_sizes[k + 1]
        last = k == n - 1
        nxt = {}
        for a, (cost, splits) in best.items():
            for s in ([after] if last else range(after + 1)):
                c = cost + abs(a - s) + (inf if needs[k] and a + s == 0 else 0)
                key = 0 if last else after - s
                if key not in nxt or c < nxt[key][0]:
                    nxt[key] = (c, splits + [s])
        best = nxt
    return min(best.values(), key=lambda v: v[0])[1]
