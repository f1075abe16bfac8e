"""Performance tables (项目支出绩效目标表 / 项目支出绩效自评表 / 项目绩效目标完成情况表): project facts
and one record per indicator row.

The tables are recognised by their header words (项目名称, 一级指标, 三级指标, 分值, 得分, 年初预算数 …),
never by unit or project names. Several projects may share one table block (each starts at a 项目名称
cell) and one project may run over several consecutive table blocks (a page break). Rows whose cells
are shifted by a missing or merged cell are realigned by content: a cell naming a known indicator
category is a level cell, numbers at the row end are weight and score. Rows that cannot be aligned
become warnings naming the line."""

import re
from decimal import Decimal
from functools import lru_cache

from budgetkg.codes import INDICATOR_CATEGORIES
from budgetkg.etl.extract.projects import clean_project_name
from budgetkg.etl.normalise import parse_decimal, parse_percent, to_wanyuan
from budgetkg.etl.records import warning

# --- indicator values ------------------------------------------------------------------------

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SYMBOLS = {"≥": "≥", ">=": "≥", "≧": "≥", "=>": "≥", "≤": "≤", "<=": "≤", "≦": "≤", "=<": "≤",
            "=": "=", "==": "=", ">": ">", "<": "<", "＞": ">", "＜": "<", "＝": "="}
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_VALUE = re.compile(rf"^(?P<prefix>[^\d]*?)(?P<cmp>{_SYMBOL_RE})?(?P<num>{_NUM})"
                    r"(?P<unit>%|‰|[\u4e00-\u9fffA-Za-z]{1,4}(?:/[\u4e00-\u9fffA-Za-z]{1,3})*)?"
                    r"(?P<suffix>及以上|以上|及以下|以下|以内|之内)?(?:\([^()]*\))?[。.;；]?$")
# comparator words before the number, longest first (不低于 before 低于)
_WORDS = [("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("不超过", "≤"),
          ("不高于", "≤"), ("不大于", "≤"), ("不多于", "≤"), ("至多", "≤"), ("最多", "≤"),
          ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"), ("小于", "<"), ("低于", "<"),
          ("少于", "<")]
_SUFFIXES = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤"}


def parse_indicator_value(text):
    """Parse a quantitative target or actual value ('≥90%', '>=16000 人', '1228 万人', '达到95%以上')
    to {"comparator", "value" (Decimal), "unit"}; None for dates, ordinals and qualitative text."""
    if not text:
        return None
    text = re.sub(r"\\geq?", "≥", re.sub(r"\\leq?", "≤", str(text)))
    compact = re.sub(r"\s+", "", text).replace("＞", ">").replace("＜", "<").replace("＝", "=")
    m = _VALUE.match(compact)
    if not m:
        return None
    prefix, unit = m.group("prefix"), m.group("unit") or ""
    if prefix.endswith(("第", "-", "~", "至")) or re.search(r"[前后]", unit):
        return None  # an ordinal (第2季度) or a deadline (25日前), not a quantity
    number = m.group("num").replace(",", "")
    if unit[:1] in ("年", "月", "日") and re.fullmatch(r"(19|20)\d\d", number):
        return None  # a date such as 2021年 or 2021年12月
    if unit[:1] in ("月", "日", "号") and prefix.endswith(("年", "月")):
        return None
    comparator = _SYMBOLS[m.group("cmp")] if m.group("cmp") else None
    if comparator is None:
        comparator = next((c for w, c in _WORDS if prefix.endswith(w)), None)
    if comparator is None and m.group("suffix"):
        comparator = _SUFFIXES[m.group("suffix")]
    return {"comparator": comparator or "=", "value": Decimal(number), "unit": unit}


# --- cell helpers ------------------------------------------------------------------------------

_CJK = r"\u4e00-\u9fff，。、；：“”《》（）"
PLACEHOLDERS = {"", "—", "——", "-", "--", "/", "－", "─", "无", "*", "**"}


_NOT_COMPACT = re.compile(r"[\s★☆]")


@lru_cache(maxsize=65536)
def compact(cell):
    """A cell without whitespace, markers (★) and a trailing colon: for matching header words."""
    return _NOT_COMPACT.sub("", cell or "").rstrip(":：")


@lru_cache(maxsize=65536)
def clean_text(cell):
    """A printed text cell: HTML tags and markers removed, line-break spaces inside Chinese removed."""
    text = re.sub(r"</?\w+[^>]*>", "", cell or "").replace("★", "").replace("☆", "").strip()
    text = re.sub(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])", "", text)
    return text.strip()


def _value_or_none(cell):
    text = clean_text(cell)
    return None if text in PLACEHOLDERS else text


def _goal_text(cell):
    """A goal text cell without placeholder values and the quotes a spreadsheet export adds."""
    text = _value_or_none(cell)
    return text.strip('"').strip() or None if text else None


def _category_keys():
    keys = {}
    for key, (zh, _en, level, synonyms) in INDICATOR_CATEGORIES.items():
        for s in [zh] + synonyms:
            keys[compact(s)] = (key, level)
    return keys


CATEGORY_KEYS = _category_keys()


def category(cell):
    """(key, usual level) of a known indicator category cell, else None."""
    return CATEGORY_KEYS.get(compact(cell))


def is_category_like(cell):
    """A level cell: a known category, or a short label ending in 指标 (e.g. a template's own)."""
    c = compact(cell)
    return bool(c) and (c in CATEGORY_KEYS or (c.endswith("指标") and len(c) <= 10 and "绩效" not in c))


def is_number(cell):
    return parse_decimal(cell) is not None


def is_side_label(cell):
    """A label printed beside the indicator block (绩效目标表, 年度绩效指标完成情况)."""
    c = compact(cell)
    return "绩效" in c and not is_category_like(cell)


def is_title(cells):
    """A row that only repeats a table title or the year line ((2019年度))."""
    texts = [compact(c) for c in cells if compact(c)]
    return len(texts) == 1 and (bool(re.search(r"绩效.*表$", texts[0]))
                               or bool(re.fullmatch(r"\(?\d{4}年度?\)?", texts[0])))


# --- header words ---------------------------------------------------------------------------

NAME_LABEL = re.compile(r"^项目名称$")
TEXT_LABELS = {"项目编码": "code", "项目代码": "code", "主管部门": "department", "预算单位": "department",
               "主管单位": "department", "实施单位": "implementer", "项目实施单位": "implementer",
               "项目承担单位": "implementer"}
# money labels: inline (label then number) or column headers (label row, numbers below)
FUND_LABELS = {"年初预算数": "initial_budget", "全年预算数": "budget", "全年执行数": "executed",
               "年度资金总额": "budget", "预算数": "budget", "执行数": "executed", "执行率": "rate",
               "分值": "funds_weight", "得分": "funds_score"}
FUND_ROW_LABELS = {"年度资金总额", "资金总额", "合计"}
GOAL_LABELS = {"年度总体目标", "项目总体目标", "总体目标", "年度目标完成情况", "年度目标", "绩效目标",
               "年度绩效目标", "项目绩效目标"}
GOAL_SUBLABELS = {"预期目标": "overall_target", "实际完成情况": "actual_outcome",
                  "实际完成目标": "actual_outcome", "实际完成": "actual_outcome"}
TOTAL_LABELS = {"总分", "总得分", "合计得分"}
MONEY_UNIT = re.compile(r"\((万元|元|亿元|千元)\)")


def indicator_field(cell):
    """The indicator-table field a header cell names, or None."""
    c = compact(cell)
    if not c:
        return None
    if c.startswith("一级指标"):
        return "level1"
    if c.startswith("二级指标"):
        return "level2"
    if c.startswith("三级指标") or c == "指标名称":
        return "level3"
    if "偏差" in c or "原因分析" in c or "改进措施" in c:
        return "deviation"
    if "实际" in c or "完成值" in c:
        return "actual"
    if "指标值" in c or "目标值" in c:
        return "target"
    if c in ("分值", "权重", "分值(权重)"):
        return "weight"
    if c in ("得分", "自评得分", "评分"):
        return "score"
    return None


def indicator_header(cells):
    """Column map {field: index} of an indicator header row, or None if the row is not one."""
    cols = {}
    for j, cell in enumerate(cells):
        field = indicator_field(cell)
        if field and field not in cols:
            cols[field] = j
    levels = sum(1 for f in ("level1", "level2", "level3") if f in cols)
    return cols if levels >= 2 and "level3" in cols else None


def _header_fragment(cells):
    """True for the second line of a two-line header (指标值 / 完成值 under 年度 / 实际)."""
    texts = [compact(c) for c in cells if compact(c)]
    return bool(texts) and all(re.fullmatch(r"(指标|目标|完成)?值|指标值|完成值|目标值", t) for t in texts)


# --- the extractor ----------------------------------------------------------------------------

class _Project:
    """The state of one project while its rows are read."""

    def __init__(self, name, line, block):
        self.record = {"kind": "project_mention", "name": clean_project_name(name), "printed_name": name.strip(),
                       "line": line, "end_line": line, "section": block["section"], "text": "",
                       "origin": "performance_table", "facts": {}}
        self.indicators = []
        self.header = None
        self.header_cells = None
        self.fund_cols = None
        self.goal_cols = None
        self.money_unit = "万元"
        self.level1 = self.level2 = ""
        self.closed = False


class _Reader:
    def __init__(self):
        self.records = []
        self.current = None
        self.pending = {}
        self.learned = {}  # category key -> set of levels seen in unambiguous rows

    # facts
    def fact(self, name, value, printed, line, **extra):
        target = self.current.record["facts"] if self.current else self.pending
        if value is None or name in target:
            return
        target[name] = {"value": value, "printed": printed, "line": line, **extra}

    def money(self, name, cell, line):
        printed = clean_text(cell)
        if name == "rate":
            value = parse_percent(printed) if "%" in printed else parse_decimal(printed)
            self.fact(name, value, printed, line)
        elif name in ("funds_weight", "funds_score"):
            self.fact(name, parse_decimal(printed), printed, line)
        else:
            value = parse_decimal(printed)
            if value is not None:
                unit = self.current.money_unit if self.current else "万元"
                self.fact(name, to_wanyuan(value, unit), printed, line, printed_unit=unit)

    # rows
    def start(self, name, line, block, row_cells):
        self.close()
        self.current = _Project(name, line, block)
        self.current.record["text"] = " | ".join(c for c in row_cells if c.strip())[:300]
        self.current.record["facts"].update(self.pending)
        self.pending = {}
        self.records.append(self.current.record)

    def close(self):
        if self.current is not None:
            self.current.closed = True
        self.current = None

    def row(self, cells, line, cell_line, block):
        texts = [compact(c) for c in cells]
        if not any(texts) or is_title(cells):
            return
        p = self.current
        # a project name starts a project; labels in the same row are its facts
        for j, t in enumerate(texts):
            if NAME_LABEL.match(t):
                k = next((k for k in range(j + 1, len(cells)) if texts[k]), None)
                if k is not None and not self._is_label(texts[k]):
                    self.start(cells[k], cell_line(k), block, cells)
                    p = self.current
                break
        if p is not None:
            p.record["end_line"] = max(p.record["end_line"], line)
        labelled = self._labels(cells, texts, cell_line)
        if labelled or p is None:
            return
        if self._funds(cells, texts, cell_line) or self._goals(cells, texts, cell_line):
            return
        header = indicator_header(cells)
        if header:
            p.header, p.header_cells = header, list(cells)
            return
        if p.header_cells and _header_fragment(cells):
            merged = [a + (cells[j] if j < len(cells) else "") for j, a in enumerate(p.header_cells)]
            p.header, p.header_cells = indicator_header(merged) or p.header, None
            return
        p.header_cells = None
        if texts[0] in TOTAL_LABELS or (texts and next(t for t in texts if t) in TOTAL_LABELS):
            numbers = [(j, c) for j, c in enumerate(cells) if is_number(c)]
            if len(numbers) >= 2:
                self.fact("total_weight", parse_decimal(numbers[-2][1]), clean_text(numbers[-2][1]),
                          cell_line(numbers[-2][0]))
            if numbers:
                self.fact("total_score", parse_decimal(numbers[-1][1]), clean_text(numbers[-1][1]),
                          cell_line(numbers[-1][0]))
            return
        if p.header:
            self.indicator(cells, line, block)

    @staticmethod
    def _is_label(t):
        return (NAME_LABEL.match(t) or t in TEXT_LABELS or t in FUND_LABELS or t in GOAL_LABELS
                or t in GOAL_SUBLABELS)

    def _labels(self, cells, texts, cell_line):
        """项目名称 / 主管部门 / 实施单位 / 预算单位 / 项目编码 label-value pairs; True if the row had any."""
        found = False
        for j, t in enumerate(texts):
            if NAME_LABEL.match(t):
                found = True
            elif t in TEXT_LABELS:
                found = True
                k = next((k for k in range(j + 1, len(cells)) if texts[k]), None)
                if k is not None and not self._is_label(texts[k]):
                    value = clean_text(cells[k])
                    if self.current is not None and (self.current.indicators or "total_score" in
                                                     self.current.record["facts"]):
                        self.pending.setdefault(TEXT_LABELS[t], {"value": value, "printed": value,
                                                                 "line": cell_line(k)})
                    else:
                        self.fact(TEXT_LABELS[t], value, value, cell_line(k))
        return found

    def _funds(self, cells, texts, cell_line):
        """Money rows: inline pairs (年度资金总额: 54.9), column headers and the 年度资金总额 row."""
        p = self.current
        m = next((MONEY_UNIT.search(c) for c in cells if MONEY_UNIT.search(c) and "资金" in c
                  or MONEY_UNIT.search(c) and "预算" in c), None)
        if m:
            p.money_unit = m.group(1)
        label = next((t for t in texts if t), "")
        if p.fund_cols and (label in FUND_ROW_LABELS or label.startswith("其中") or label in (
                "上年结转资金", "其他资金", "其它资金", "上年结转")):
            if label in FUND_ROW_LABELS:
                j0 = texts.index(label)
                values = {f: j for f, j in p.fund_cols.items() if j > j0 and j < len(cells)}
                positional = all(compact(cells[j]) in PLACEHOLDERS or is_number(cells[j])
                                 or parse_percent(compact(cells[j])) is not None for j in values.values())
                if positional and any(compact(cells[j]) not in PLACEHOLDERS for j in values.values()):
                    for f, j in values.items():
                        if compact(cells[j]) not in PLACEHOLDERS:
                            self.money(f, cells[j], cell_line(j))
                else:  # shifted: pair the printed values with the header words in order
                    order = sorted(p.fund_cols.items(), key=lambda x: x[1])
                    printed = [(j, c) for j, c in enumerate(cells) if j > j0 and compact(c)]
                    for (f, _), (j, c) in zip(order, printed):
                        if compact(c) not in PLACEHOLDERS:
                            self.money(f, c, cell_line(j))
            return True
        labels = [(j, t) for j, t in enumerate(texts) if t in FUND_LABELS]
        if labels:
            inline = [(j, t) for j, t in labels
                      if next((k for k in range(j + 1, len(cells)) if texts[k]), None) is not None
                      and is_number(cells[next(k for k in range(j + 1, len(cells)) if texts[k])])]
            if inline:
                for j, t in inline:
                    k = next(k for k in range(j + 1, len(cells)) if texts[k])
                    self.money(FUND_LABELS[t], cells[k], cell_line(k))
                return True
            if any(t in ("年初预算数", "全年预算数", "全年执行数", "预算数", "执行数") for _, t in labels):
                p.fund_cols = {FUND_LABELS[t]: j for j, t in labels}
                return True
        return False

    def _goals(self, cells, texts, cell_line):
        """年度总体目标 rows: inline text, or sub-labels (预期目标 / 实际完成情况) with texts below."""
        p = self.current
        if p.goal_cols is not None:
            cols, p.goal_cols = p.goal_cols, None
            if not any(is_category_like(c) for c in cells) and not indicator_header(cells):
                filled = [(j, c) for j, c in enumerate(cells) if compact(c)]
                by_col = {f: j for f, j in cols.items() if j < len(cells) and compact(cells[j])}
                if len(by_col) == len([j for j, _ in filled]) and by_col:
                    pairs = [(f, j) for f, j in by_col.items()]
                else:
                    pairs = list(zip([f for f, _ in sorted(cols.items(), key=lambda x: x[1])],
                                     [j for j, _ in filled]))
                for f, j in pairs:
                    text = _goal_text(cells[j])
                    if text:
                        self.fact(f, text, cells[j].strip(), cell_line(j))
                return True
        for j, t in enumerate(texts):
            if t in GOAL_LABELS:
                subs = {GOAL_SUBLABELS[u]: k for k, u in enumerate(texts) if u in GOAL_SUBLABELS}
                if subs:
                    p.goal_cols = subs
                    return True
                k = next((k for k in range(j + 1, len(cells)) if texts[k]), None)
                if k is not None:
                    text = _goal_text(cells[k])
                    if text:
                        self.fact("overall_target", text, cells[k].strip(), cell_line(k))
                return True
        return False

    # indicator rows
    def _align_positional(self, cells, header):
        def at(f):
            j = header.get(f)
            return cells[j] if j is not None and j < len(cells) else ""
        mapped = set(header.values())
        for j, c in enumerate(cells):
            if compact(c) and j not in mapped and not is_side_label(c):
                return None
        for f in ("level1", "level2"):
            if compact(at(f)) and not is_category_like(at(f)):
                return None
        l3 = at("level3")
        if compact(l3) and (is_category_like(l3) or is_number(l3)):
            return None
        for f in ("weight", "score"):
            if compact(at(f)) and compact(at(f)) not in PLACEHOLDERS and not is_number(at(f)):
                return None
        if not compact(l3) and any(compact(at(f)) for f in ("target", "actual", "weight", "score")):
            return None
        out = {f: at(f) for f in header}
        levels = [(f, at(f)) for f in ("level1", "level2") if compact(at(f))]
        return out, levels, True

    def _align_content(self, cells, header):
        items = [(j, c) for j, c in enumerate(cells) if compact(c)
                 and not (j not in header.values() and is_side_label(c))]
        levels = []
        while items and len(levels) < 2 and is_category_like(items[0][1]):
            levels.append(items.pop(0))
        rest = items
        out = {}
        nums = [f for f in ("weight", "score") if f in header]
        k = len(nums)
        if k and len(rest) > k and all(is_number(c) for _, c in rest[-k:]):
            tail = rest[-k:]
            rest = rest[:-k]
        elif (k and "deviation" in header and len(rest) > k + 1 and all(is_number(c) for _, c in rest[-k - 1:-1])
              and not is_number(rest[-1][1])):
            out["deviation"] = rest[-1][1]
            tail = rest[-k - 1:-1]
            rest = rest[:-k - 1]
        else:
            tail = []
        for f, (_, c) in zip(nums, tail):
            out[f] = c
        fields = [f for f in ("level3", "target", "actual") if f in header or f == "level3"]
        if not rest and not out:
            return ({}, levels, False) if levels else None
        if len(rest) == len(fields):
            pairs = list(zip(fields, rest))
        elif 0 < len(rest) < len(fields) and tail:
            shift = header[nums[0]] - tail[0][0]
            by_col = {j: f for f, j in header.items()}
            pairs = [(by_col.get(j + shift), (j, c)) for j, c in rest]
            if [f for f, _ in pairs] != [f for f in fields if f in [g for g, _ in pairs]] or \
                    pairs[0][0] != "level3":
                return None
        else:
            return None
        for f, (_, c) in pairs:
            out[f] = c
        if is_category_like(out.get("level3", "")):
            return None
        return out, [(None, c) for _, c in levels], False

    def _levels(self, levels, header, cells, positional):
        """Set the carried-down level 1 and level 2 from the level cells of a row."""
        p = self.current
        if positional:
            named = {f: compact(c) for f, c in levels}
        elif len(levels) == 2:
            named = {"level1": compact(levels[0][1]), "level2": compact(levels[1][1])}
        elif len(levels) == 1:
            label = compact(levels[0][1])
            cat = category(label)
            seen = self.learned.get(cat[0] if cat else label, set())
            if len(seen) == 1:
                level = next(iter(seen))
            elif cat and cat[1] == 2:
                level = 2
            else:
                j = cells.index(levels[0][1])
                level = 2 if j == header.get("level2") else 1
            named = {f"level{level}": label}
        else:
            named = {}
        if "level1" in named:
            if named["level1"] != p.level1 and "level2" not in named:
                p.level2 = ""
            p.level1 = named["level1"]
        if "level2" in named:
            p.level2 = named["level2"]
        if positional or len(levels) == 2:
            for f, label in named.items():
                cat = category(label)
                self.learned.setdefault(cat[0] if cat else label, set()).add(int(f[-1]))

    def indicator(self, cells, line, block):
        p = self.current
        header = p.header
        filled = [(j, c) for j, c in enumerate(cells) if compact(c)]
        # a continuation line of the previous row's long text (deviation reason)
        if len(filled) == 1 and p.indicators and not is_category_like(filled[0][1]):
            j = filled[0][0]
            last_col = max(header.values())
            if j == header.get("deviation") or j >= last_col:
                prev = p.indicators[-1]
                prev["deviation"] = (prev["deviation"] or "") + clean_text(filled[0][1])
                return
        aligned = self._align_positional(cells, header) or self._align_content(cells, header)
        text = " | ".join(c.strip() for c in cells if c.strip())[:300]
        if aligned is None:
            self.records.append(warning(
                f"performance table row cannot be aligned with its header (project "
                f"{p.record['name']!r}): {text[:80]}", line=line))
            return
        out, levels, positional = aligned
        self._levels(levels, header, cells, positional)
        level3 = clean_text(out.get("level3", ""))
        if not level3:
            if any(compact(out.get(f, "")) for f in ("target", "actual", "weight", "score")):
                self.records.append(warning(
                    f"performance indicator without a name (project {p.record['name']!r}): {text[:80]}",
                    line=line))
            return
        record = {"kind": "indicator", "project": p.record["name"], "project_line": p.record["line"],
                  "level1": p.level1, "level2": p.level2, "level3": level3,
                  "target": _value_or_none(out.get("target", "")), "actual": _value_or_none(out.get("actual", "")),
                  "weight": parse_decimal(out.get("weight")) if compact(out.get("weight", "")) else None,
                  "score": parse_decimal(out.get("score")) if compact(out.get("score", "")) else None,
                  "deviation": _value_or_none(out.get("deviation", "")),
                  "line": line, "section": block["section"], "text": text}
        p.indicators.append(record)
        self.records.append(record)


def _is_performance_table(block):
    """A table block that starts or holds a project's performance table (a 项目名称 cell with
    indicator or fund header words)."""
    texts = {compact(c) for r in block["rows"] for c in r["cells"]}
    has_name = any(NAME_LABEL.match(t) for t in texts)
    perf_words = any(t.startswith(("一级指标", "二级指标", "三级指标")) or t in GOAL_LABELS
                     or t in ("年度资金总额", "年初预算数", "全年执行数", "执行数", "分值", "得分")
                     for t in texts)
    return has_name and perf_words


def _is_continuation(block):
    """A table block without a project name that carries indicator rows (category cells, 总分)."""
    texts = [compact(c) for r in block["rows"] for c in r["cells"]]
    if any(NAME_LABEL.match(t) for t in texts):
        return False
    return any(t in CATEGORY_KEYS or t in TOTAL_LABELS for t in texts) or any(
        indicator_header(r["cells"]) for r in block["rows"])


def extract_performance(blocks):
    """Project mentions and indicator records of all performance tables, in document order."""
    reader = _Reader()
    gap = 0
    for block in blocks:
        if block["type"] == "heading":
            reader.close()
            continue
        if block["type"] == "paragraph":
            gap += 1
            if gap > 3 or len(block["text"]) > 40:
                reader.close()
            continue
        if block["type"] != "table":
            continue
        if _is_performance_table(block):
            pass
        elif reader.current is not None and gap <= 3 and _is_continuation(block):
            pass
        else:
            reader.close()
            gap = 0
            continue
        gap = 0
        per_line = block["layout"] == "cell-per-line"
        for row in block["rows"]:
            line = row["line"]

            def cell_line(k, line=line):
                return line + k if per_line else line
            reader.row(row["cells"], line, cell_line, block)
        if reader.current is not None:
            reader.current.record["end_line"] = max(reader.current.record["end_line"], block["end_line"])
    reader.close()
    return reader.records
