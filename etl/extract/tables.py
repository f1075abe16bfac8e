"""Finance tables: classification tables (类/款/项 or 类/款 rows) and label-amount tables.

Header rows name the columns; a column's header decides whether a number is the row total,
an expenditure type (基本支出, 人员经费 ...) or a funding source (一般公共预算 ...)."""

import re

from etl.extract.labels import bare_source, classify_label, qualifier_source
from etl.normalise import clean_name, parse_decimal
from etl.records import figure, warning

NOT_FINANCE = re.compile(r"绩效|指标|项目名称|项目支出情况表|项目支出表")
CODE_HEADER = re.compile(r"^(类|款|项|科目编码|功能分类科目编码|经济分类科目编码|编码|代码)$")
CLASS_CODE = re.compile(r"\d{3}|\d{5}|\d{7}")
INLINE_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*([\u4e00-\u9fff(].*)$")
TOTAL_HEADER = re.compile(r"合计|小计|总计|预算数|决算数|金额|本年|数$")
EXPTYPE_HEADER = [("基本支出", "basic"), ("项目支出", "project"), ("人员经费", "personnel"),
                  ("公用经费", "public"), ("上缴上级支出", "remit_to_superior"),
                  ("经营支出", "operating"), ("对附属单位补助支出", "subsidy_to_affiliates")]
SOURCE_HEADER = [("一般公共预算", "general_public_budget"), ("政府性基金", "government_fund"),
                 ("国有资本经营", "state_capital"), ("财政专户", "fiscal_special_account"),
                 ("事业收入", "business"), ("经营收入", "operating"), ("其他收入", "other"),
                 ("上年结余", "previous_balance"), ("上年结转", "previous_balance")]
MONEY_UNITS = {"万元": "wanyuan", "元": "yuan"}


def is_number(cell):
    """True if a cell holds a printed number."""
    return parse_decimal(cell) is not None


def _caption_rows(rows):
    """Split off leading caption rows (table title, 编制部门, 单位); return (title, unit, rest)."""
    title, unit = "", None
    while rows:
        texts = [c for c in rows[0]["cells"] if c]
        joined = " ".join(texts)
        m = re.search(r"单位\s*:\s*(万元|元)", joined)
        if m:
            unit = m.group(1)
        if m or joined.startswith("编制") or (len(texts) == 1 and joined.endswith("表")):
            if len(texts) == 1 and joined.endswith("表"):
                title = joined
            rows = rows[1:]
            continue
        break
    return title, unit, rows


def _header(rows):
    """Split leading rows without numbers (the header) from data rows; return (headers, data)."""
    i = 0
    while i < len(rows) and not any(is_number(c) for c in rows[i]["cells"]):
        i += 1
    width = max((len(r["cells"]) for r in rows), default=0)
    headers = []
    for j in range(width):
        parts = [r["cells"][j] for r in rows[:i] if j < len(r["cells"]) and r["cells"][j]]
        headers.append(parts)
    return headers, rows[i:]


def column_role(parts):
    """Role of a numeric column from its header parts: ('total',), ('exptype', k) or ('source', k)."""
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


def _provenance(row, table):
    """Record keyword arguments for provenance of one row of a table."""
    text = " | ".join(c for c in row["cells"] if c)
    return {"line": row["line"], "section": table["section"], "text": text[:300]}


def _value_headers(header_rows, code_cols):
    """Header texts of the value columns, in order, from the header row that names the items."""
    best = []
    for cells in header_rows:
        for j, cell in enumerate(cells):
            if re.search(r"名称|^项\s*目$|科目$", cell) and not CODE_HEADER.match(cell):
                after = cells[j + 1:]
                if len([c for c in after if c]) > len([c for c in best if c]):
                    best = after
                break
    return [[c] if c else [] for c in best]


def _classification_rows(table, data, header_rows, code_cols, scheme, source, uom):
    """Figures of a classification table: one per row and value column."""
    records = []
    values = _value_headers(header_rows, code_cols)
    width = max(len(r["cells"]) for r in data)
    for row in data:
        cells = row["cells"]
        if len(cells) < width and any(is_number(c) for c in cells):
            records.append(warning(
                f"table row has {len(cells)} cells where the table has {width}: a missing cell? "
                "its values were read from the left", line=row["line"]))
        code = "".join(cells[j].strip() for j in code_cols if j < len(cells) and cells[j].strip().isdigit())
        texts = [j for j in range(max(code_cols) + 1, len(cells)) if cells[j] and not is_number(cells[j])]
        if not texts:
            continue
        if len(texts) > 1 and texts[1] == texts[0] + 1:
            continue  # a project row (code, function name, project name): not a classification item
        if not code:
            continue  # a total row (合计); the totals come from the narrative and summary tables
        if len(code) not in ((3, 5, 7) if scheme == "functional" else (3, 5)):
            records.append(warning(f"{scheme} code {code!r} has an unexpected length", line=row["line"]))
            continue
        name = clean_name(cells[texts[0]])
        records.extend(_row_figures(cells[texts[0] + 1:], values, table, row, scheme, code, name,
                                    source, uom, texts[0] + 1))
    return records


def _row_figures(cells, values, table, row, scheme, code, name, source, uom, offset=0):
    """Figures of one classification row: the first value column is the total, then typed columns.
    ``offset`` is the table column of cells[0]."""
    records = []
    item = "functional_expenditure" if scheme == "functional" else "economic_expenditure"
    level = {3: 1, 5: 2, 7: 3}[len(code)]
    for k, cell in enumerate(cells):
        value = parse_decimal(cell)
        if value is None:
            continue
        role = ("total",) if k == 0 else column_role(values[k] if k < len(values) else [])
        if role[0] not in ("exptype", "source", "total") or (role[0] == "total" and k):
            continue
        kwargs = dict(code=code, name=name, level=level, source=source, uom="wanyuan",
                      printed=cell.strip(), printed_unit=uom, column=offset + k + 1)
        if role[0] == "exptype":
            kwargs["exptype"] = role[1]
        elif role[0] == "source":
            kwargs["source"] = role[1]
        records.append(figure(item, _scaled(value, uom), **kwargs, **_provenance(row, table)))
    return records


def _scaled(value, uom):
    """Convert a table number printed in 元 to 万元 exactly; 万元 stays as printed."""
    from etl.normalise import to_wanyuan
    return to_wanyuan(value, uom)


def _label_rows(table, data, headers, source, uom):
    """Figures of a label-amount table (收支总体情况表): each number's label is the text to its left."""
    records = []
    for row in data:
        if is_chart_series(row["cells"]):
            continue
        label = None
        for j, cell in enumerate(row["cells"]):
            if not cell:
                continue
            if not is_number(cell):
                label = cell
                continue
            if label is None:
                continue
            value = _scaled(parse_decimal(cell), uom)
            kw = dict(uom="wanyuan", printed=cell.strip(), printed_unit=uom, column=j + 1,
                      **_provenance(row, table))
            m = INLINE_CODE.match(label)
            role = column_role(headers[j] if j < len(headers) else [])
            col_source = role[1] if role[0] == "source" else None
            if m:
                code = m.group(1)
                if len(code) in (3, 5, 7) and role[0] in ("total", "source"):
                    records.append(figure("functional_expenditure", value, code=code,
                                          name=clean_name(m.group(2)), level={3: 1, 5: 2, 7: 3}[len(code)],
                                          source=col_source or source, **kw))
                continue
            if role[0] not in ("total", "source"):
                continue
            records.extend(_label_figures(label, value, col_source, source, kw))
    return records


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


def code_column(header_rows, data):
    """[j] when column j holds whole classification codes (科目编码: 208, 20801, 2080101) followed by
    their names; [] otherwise."""
    width = max((len(r["cells"]) for r in data), default=0)
    for j in range(width - 1):
        cells = [r["cells"][j].strip() for r in data if j < len(r["cells"]) and r["cells"][j].strip()]
        codes = [c for c in cells if CLASS_CODE.fullmatch(c)]
        named = [r for r in data if j + 1 < len(r["cells"]) and CLASS_CODE.fullmatch(r["cells"][j].strip())
                 and r["cells"][j + 1] and not is_number(r["cells"][j + 1])]
        headed = any(j < len(cells_) and CODE_HEADER.match(cells_[j]) for cells_ in header_rows)
        if len(named) >= 2 and len(codes) == len(named) and (headed or len(codes) * 2 >= len(data)):
            return [j]
    return []


def economic_codes(data, code_cols):
    """True when every code of the table is an economic one (301…399, 501…599), none functional (2xx)."""
    codes = {"".join(r["cells"][j].strip() for j in code_cols if j < len(r["cells"])) for r in data}
    codes = {c for c in codes if c.isdigit()}
    return bool(codes) and all(c[0] in "35" for c in codes)


def interpret_table(table):
    """Return figure and warning records for one finance table block; [] for other tables."""
    rows = [r for r in table["rows"] if any(c for c in r["cells"])]
    title, unit, rows = _caption_rows(rows)
    title = table.get("title") if not title else title
    if not title or "表" not in title:
        title = title or ""
    if NOT_FINANCE.search(title) or any(NOT_FINANCE.search(c) for r in rows[:3] for c in r["cells"]):
        return []
    uom = table.get("unit") or unit or "万元"
    headers, data = _header(rows)
    if not data:
        return []
    header_rows = [r["cells"] for r in rows[:len(rows) - len(data)]]
    code_cols = next(([j for j, c in enumerate(cells) if re.fullmatch(r"类|款|项", c)]
                      for cells in header_rows if re.fullmatch(r"类|款|项", cells[0] if cells else "")), [])
    code_cols = code_cols or code_column(header_rows, data)
    source = table_source(title)
    if code_cols:
        if "收入" in title and "支出" not in title:
            return []  # income by function repeats the expenditure tables' rows
        stated = "".join("".join(p) for p in headers) + title
        scheme = ("economic" if "经济分类" in stated or ("功能分类" not in stated and economic_codes(data, code_cols))
                  else "functional")
        return _classification_rows(table, data, header_rows, code_cols, scheme, source, uom)
    return _label_rows(table, data, headers, source, uom)
