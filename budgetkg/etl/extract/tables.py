"""Finance tables to figures: each table's kind decides its interpretation (see table_kinds.toml).

The header analysis (etl.extract.headers) gives every table its blocks, stub and column paths; a
column's path decides whether a number is the row total, an expenditure type (基本支出, 人员经费 ...)
or a funding source (一般公共预算 ...). Classification tables (类/款/项 or 科目编码 rows) give coded
functional or economic items; summary tables (收支总表) give the labelled totals of each side."""

import re

from budgetkg.etl.extract.headers import INLINE_CODE_RE, analyse, is_number, level_of, row_code, squeeze
from budgetkg.etl.extract.labels import bare_source, classify_label, qualifier_source
from budgetkg.etl.extract.table_kinds import classify_table
from budgetkg.etl.extract.three_public import three_public_figures
from budgetkg.etl.normalise import clean_name, parse_decimal, to_wanyuan
from budgetkg.etl.records import figure, warning

TOTAL_HEADER = re.compile(r"合计|小计|总计|预算数|决算数|金额|本年|数$")
EXPTYPE_HEADER = [("基本支出", "basic"), ("项目支出", "project"), ("人员经费", "personnel"),
                  ("公用经费", "public"), ("上缴上级支出", "remit_to_superior"),
                  ("经营支出", "operating"), ("对附属单位补助支出", "subsidy_to_affiliates")]
SOURCE_HEADER = [("一般公共预算", "general_public_budget"), ("政府性基金", "government_fund"),
                 ("国有资本经营", "state_capital"), ("财政专户", "fiscal_special_account"),
                 ("事业收入", "business"), ("经营收入", "operating"), ("其他收入", "other"),
                 ("上年结余", "previous_balance"), ("上年结转", "previous_balance")]
FISCAL_SCOPE = "财政拨款"  # what a 财政拨款收支总表's bare 总计 rows total (not the unit's totals)
SIDE_WORDS = ("收入", "支出")
INCOME_SIDE = "收入"
TOTAL_ROW = re.compile(r"合计|总计|小计")
UNIT_TOTALS = ("income_total", "expenditure_total", "income_expenditure_total")
HEADER_ROWS_SEEN = 3       # leading rows whose texts may decide a table's kind (绩效 / 项目名称)


def column_role(parts):
    """Role of a numeric column from its header path: ('total',), ('exptype', k) or ('source', k)."""
    lowest = parts[-1] if parts else ""
    for text in (lowest, "".join(parts)):
        if re.search(r"合计|小计|总计", text):
            return ("total",)
        for word, key in EXPTYPE_HEADER:
            if word in text:
                return ("exptype", key)
        for word, key in SOURCE_HEADER:
            if word in text:
                return ("source", key)
    if not parts or TOTAL_HEADER.search("".join(parts)):
        return ("total",)
    return ("unknown",)


def _provenance(row, view):
    """Record keyword arguments for provenance of one row of a table (the whole printed row)."""
    text = " | ".join(c for c in row.cells if c)
    return {"line": row.line, "section": view.section, "text": text[:300]}


def _with_column(record, column):
    """The record with the (1-based) grid column its number is printed in."""
    record["column"] = column + 1
    return record


TEXT_LAYOUTS = ("rows", "cell-per-line", "aligned")  # where a short row may have lost a cell (a tab)


def _classification_rows(view, scheme, source):
    """Figures of one classification block: one per row and value column."""
    records = []
    width = max((len(r.cells) for r in view.data), default=0)
    for row in view.data:
        cells = row.cells
        if len(cells) < width and any(is_number(c) for c in cells) and view.layout in TEXT_LAYOUTS:
            records.append(warning(
                f"table row has {len(cells)} cells where the table has {width}: a missing cell? "
                "its values were read from the left", line=row.line))
        code = row_code(cells, view.codes)
        after = max(view.codes) + 1 if view.codes else view.first
        texts = [j for j in range(after, min(len(cells), view.end)) if cells[j] and not is_number(cells[j])]
        if not texts:
            continue
        if len(texts) > 1 and texts[1] == texts[0] + 1:
            continue  # a project row (code, function name, project name): not a classification item
        if not code:
            continue  # a total row (合计); the totals come from the narrative and summary tables
        if len(code) not in ((3, 5, 7) if scheme == "functional" else (3, 5)):
            records.append(warning(f"{scheme} code {code!r} has an unexpected length", line=row.line))
            continue
        records.extend(_row_figures(view, row, texts[0], scheme, code, clean_name(cells[texts[0]]), source))
    return records


def _row_figures(view, row, name_col, scheme, code, name, source):
    """Figures of one classification row: the first value column is the total, then typed columns."""
    records = []
    item = "functional_expenditure" if scheme == "functional" else "economic_expenditure"
    for k, j in enumerate(range(name_col + 1, min(len(row.cells), view.end))):
        cell = row.cells[j]
        value = parse_decimal(cell)
        if value is None:
            continue
        role = ("total",) if k == 0 else column_role(view.columns[j] if j < len(view.columns) else ())
        if role[0] not in ("exptype", "source", "total") or (role[0] == "total" and k):
            continue
        kwargs = dict(code=code, name=name, level=level_of(code), source=source, uom="wanyuan",
                      printed=cell.strip(), printed_unit=view.unit, column=j + 1)
        if role[0] == "exptype":
            kwargs["exptype"] = role[1]
        elif role[0] == "source":
            kwargs["source"] = role[1]
        records.append(_with_column(figure(item, to_wanyuan(value, view.unit), **kwargs,
                                           **_provenance(row, view)), j))
    return records


def _label_rows(view, source, scope=""):
    """Figures of a label-amount block (收支总表): each number's label is the text to its left.

    A bare 总计 / 合计 label is read with the block's side (收入 / 支出) and the table's scope."""
    records = []
    for row in view.data:
        cells = view.cells(row)
        if is_chart_series(cells):
            continue
        label = None
        for k, cell in enumerate(cells):
            j = view.first + k
            if not cell:
                continue
            if not is_number(cell):
                label = cell
                continue
            if label is None:
                continue
            value = to_wanyuan(parse_decimal(cell), view.unit)
            kw = dict(uom="wanyuan", printed=cell.strip(), printed_unit=view.unit, column=j + 1,
                      **_provenance(row, view))
            m = INLINE_CODE_RE.match(label)
            role = column_role(view.columns[j] if j < len(view.columns) else ())
            col_source = role[1] if role[0] == "source" else None
            if m:
                code = m.group(1)
                if len(code) in (3, 5, 7) and role[0] in ("total", "source"):
                    records.append(_with_column(figure(
                        "functional_expenditure", value, code=code, name=clean_name(m.group(2)),
                        level=level_of(code), source=col_source or source, **kw), j))
                continue
            if role[0] not in ("total", "source"):
                continue
            records.extend(_with_column(r, j) for r in
                           _label_figures(_sided(label, view.side, scope), value, col_source, source, kw))
    return records


def _sided(label, side, scope):
    """'总计' on the 收入 side of a table is '收入总计': labels naming no item are read with their
    block's side word; the totals of a scoped table (财政拨款收支总表) are its scope's totals
    ('财政拨款收入总计'), not the unit's."""
    found = classify_label(label)
    if found:
        return f"{scope}{label}" if scope and found[0] in UNIT_TOTALS else label
    word = next((w for w in SIDE_WORDS if side.endswith(w)), "") if side else ""
    return f"{scope}{word}{label}" if word and classify_label(word + label) else label


def is_chart_series(cells):
    """True for chart data (k labels then k numbers, as Word exports a chart), not a table row."""
    cells = [c for c in cells if c]
    k = len(cells) // 2
    return (k >= 2 and len(cells) == 2 * k and not any(is_number(c) for c in cells[:k])
            and all(is_number(c) for c in cells[k:]))


def _label_figures(label, value, col_source, table_source, kw):
    """Figures for one labelled number of a summary table."""
    fund = bare_source(label)
    if fund:
        return [figure("income_by_source", value, source=fund, **kw)]
    found = classify_label(label)
    if not found:
        return []
    item, source, exptype = found
    if col_source and col_source != "general_public_budget" or (col_source and item.endswith("total")):
        return []  # per-fund columns of totals are not separate items
    if source == "all" and table_source != "all":
        source = table_source
    items = ["income_total", "expenditure_total"] if item == "income_expenditure_total" else [item]
    return [figure(i, value, source=source if not i.endswith("total") else "all",
                   exptype=exptype, **kw) for i in items]


def table_source(title):
    """The funding source a whole table is restricted to, from its title."""
    return qualifier_source(title or "") or "all"


def economic_codes(view):
    """True when every code of the block is an economic one (301…399, 501…599), none functional (2xx)."""
    codes = {row_code(r.cells, view.codes) for r in view.data}
    codes = {c for c in codes if c}
    return bool(codes) and all(c[0] in "35" for c in codes)


def _scheme(view):
    """'economic' or 'functional': what the header or title says, else what the codes are."""
    stated = "".join("".join(p) for p in view.columns[view.first:view.end]) + view.title
    if "经济分类" in stated or ("功能分类" not in stated and economic_codes(view)):
        return "economic"
    return "functional"


def _is_total_row(view, row):
    """True for a classification block's 合计 / 总计 row (a total word in its stub, no code)."""
    stub = [row.cells[j] for j in view.codes + ([view.name] if view.name is not None else [])
            if j < len(row.cells)]
    return not row_code(row.cells, view.codes) and any(TOTAL_ROW.fullmatch(squeeze(c)) for c in stub if c)


def _column_label(path):
    """The label a column's header gives its numbers: the innermost header, or for a bare 合计 the
    header above it ('收入预算 > 合计' is 收入预算)."""
    if not path:
        return ""
    inner = squeeze(path[-1])
    return squeeze(path[-2]) if TOTAL_ROW.fullmatch(inner) and len(path) > 1 else inner


def _income_totals(view, source):
    """Figures of an income-by-function table's 合计 row: each column's header is its label
    (本年收入合计, 财政拨款收入, 事业收入 …), read on the 收入 side."""
    records = []
    for row in view.data:
        if not _is_total_row(view, row):
            continue
        for j in view.value_columns():
            cell = row.cells[j] if j < len(row.cells) else ""
            value = parse_decimal(cell)
            label = _column_label(view.columns[j] if j < len(view.columns) else ())
            if value is None or not label:
                continue
            kw = dict(uom="wanyuan", printed=cell.strip(), printed_unit=view.unit, column=j + 1,
                      **_provenance(row, view))
            records.extend(_with_column(r, j) for r in _label_figures(
                _sided(label, INCOME_SIDE, ""), to_wanyuan(value, view.unit), None, source, kw))
    return records


def read_classification(views, kind):
    """Coded rows of each block by their header columns; label rows where a block prints no codes."""
    records = []
    for view in views:
        source = table_source(view.title)
        if view.codes:
            if kind.reads == "income":  # coded rows repeat the expenditure tables' rows
                records.extend(_income_totals(view, source))
                continue
            records.extend(_classification_rows(view, _scheme(view), source))
        else:
            records.extend(_label_rows(view, source))
    return records


def read_summary(views, kind):
    """Label rows of each side of a 收支总表."""
    scope = FISCAL_SCOPE if kind.key == "fiscal_summary" else ""
    records = []
    for view in views:
        records.extend(_label_rows(view, table_source(view.title), scope))
    return records


def read_three_public(views, kind):
    """The 三公 / 机关运行经费 figures of each block, by header path."""
    return [r for view in views for r in three_public_figures(view, table_source(view.title))]


READERS = {
    "summary": read_summary,
    "classification": read_classification,
    "income": read_classification,
    "generic": read_classification,
    "three_public": read_three_public,
    "none": lambda views, kind: [],
}


def table_kind(views):
    """The kind of an analysed table, from its title and header rows (the first rows of a table
    without a header: a 项目名称 | … form prints numbers early)."""
    view = views[0]
    rows = view.header or view.data[:HEADER_ROWS_SEEN]
    return classify_table(view.title, [c for r in rows for c in r.cells if c])


def interpret_table(table):
    """Return figure and warning records for one table block; [] for tables of other extractors."""
    views = analyse(table)
    if not views or not views[0].data:
        return []
    for view in views:
        view.section = table.get("section", "")
    kind = table_kind(views)
    return READERS[kind.reads](views, kind)
