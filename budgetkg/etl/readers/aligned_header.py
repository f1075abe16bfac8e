"""Header rows of a space-aligned table: its header lines (words at character positions) made into
the rows a ruled grid has (multi-line header cells joined, group words and 类 款 项 rows kept apart)."""

from budgetkg.etl.readers.columns import CODE_LEVELS, DEFAULT_SETTINGS, assign, covered, distance, tokens


def main_words(header_lines, columns):
    """The main header line's words that may head a column: not 类/款/项, and not the end of a word
    broken from the line above it ('部门预算经济分类科目' / '编码')."""
    k = main_line(header_lines)
    index, found = header_lines[k]
    above = [t for i, line in header_lines[:k] if i == index - 1 for t in line]
    wide = [u for u in above if len(covered(u, columns)) > 1]
    return [t for t in found if t.text not in CODE_LEVELS
            and not any(distance(t, (u.start, u.end)) == 0 for u in wide)]


def main_line(lines):
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
    main_at = main_line(lines)
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
            cover = covered(t, columns) or [j]
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
