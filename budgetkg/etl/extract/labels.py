"""Classify a printed label ('本年收入合计', '一般公共预算财政拨款基本支出') as a figure item.

One keyword table serves narrative sentences and table rows alike; no label means no figure."""

import re
from functools import lru_cache

# (pattern on the compact label, item, default funding source); first match wins, so the
# more specific wording comes first. Patterns are anchored at the label's end.
ITEM_RULES = [
    (r"财政拨款收、?支总计|财政拨款收入总计|财政拨款支出总计|财政拨款收支总预算", None, None),
    (r"收、?支总计|收支总预算|收支总计", "income_expenditure_total", None),
    (r"收入总计|收入合计总计", "income_total", None),
    (r"支出总计|支出合计总计", "expenditure_total", None),
    (r"本年收入合计|本年收入|收入预算|本年收入预算", "income_this_year", None),
    (r"本年支出合计|本年支出|支出预算|本年支出预算", "expenditure_this_year", None),
    (r"年初(?:财政拨款)?结转和?结余", "carryover_begin", None),
    (r"年末(?:财政拨款)?结转和?结余", "carryover_end", None),
    (r"一般公共预算财政拨款收入|一般公共预算拨款收入", "income_by_source", "general_public_budget"),
    (r"政府性基金预算财政拨款收入|政府性基金预算拨款收入", "income_by_source", "government_fund"),
    (r"国有资本经营预算财政拨款收入", "income_by_source", "state_capital"),
    (r"财政拨款收入|财政拨款\(补助\)|财政拨款", "fiscal_appropriation_income", "fiscal_appropriation"),
    (r"上级补助收入", "income_by_source", "superior_subsidy"),
    (r"附属单位上缴收入", "income_by_source", "affiliated"),
    (r"事业单位经营收入|经营收入", "income_by_source", "operating"),
    (r"事业收入", "income_by_source", "business"),
    (r"其他收入|单位其他资金收入", "income_by_source", "other"),
    (r"一般公共预算(?:财政)?拨款(?:支出)?合计|一般公共预算(?:财政拨款|当年拨款)?支出|一般公共预算当年拨款",
     "general_public_budget_expenditure", "general_public_budget"),
    (r"财政拨款支出", "fiscal_appropriation_expenditure", "fiscal_appropriation"),
    (r"支出合计", "expenditure_total", None),
    (r"基本支出", "basic_expenditure", None),
    (r"项目支出", "project_expenditure", None),
    (r"人员经费", "personnel_expenditure", None),
    (r"日常公用经费|公用经费", "public_expenditure", None),
    (r"上缴上级支出", "expenditure_by_type", None),
    (r"对附属单位补助支出", "expenditure_by_type", None),
    (r"经营支出", "expenditure_by_type", None),
]
_COMPILED = [(re.compile(rf"(?:{p})$"), item, src) for p, item, src in ITEM_RULES]
EXPTYPE_OF_LABEL = {"上缴上级支出": "remit_to_superior", "对附属单位补助支出": "subsidy_to_affiliates",
                    "经营支出": "operating"}
SOURCE_QUALIFIERS = [
    ("一般公共预算", "general_public_budget"), ("政府性基金", "government_fund"),
    ("国有资本经营", "state_capital"), ("财政拨款", "fiscal_appropriation"),
]
# bare fund names, read as income by source only inside an income statement or table column
BARE_SOURCES = {"一般公共预算": "general_public_budget", "一般公共预算资金": "general_public_budget",
                "政府性基金预算": "government_fund",
                "政府性基金": "government_fund", "国有资本经营预算": "state_capital",
                "财政专户管理资金": "fiscal_special_account", "教育收费(财政专户)": "fiscal_special_account",
                "财政专户(教育收费)": "fiscal_special_account",
                "用事业基金弥补收支差额": "previous_balance"}
CHANGE = re.compile(r"(?:比|与|较)(?:上年|\d{4}年)[^，,。；;]*?(增加|减少|增长|下降|降低|上升)$|"
                    r"^(增加|减少)$")
NAMED_CHANGE = re.compile(r"^(.+?)各?(增加|减少|增长|下降|降低|上升)了?$")
COMPARED = re.compile(r"(?:比|与|较|同)(?:上年|上一年|去年|\d{4}年)")


@lru_cache(maxsize=65536)
def compact(label):
    """Remove spaces, enumerators, years and filler so keyword rules see the bare label."""
    label = re.sub(r"\s+", "", label or "")
    label = re.sub(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]", "", label)
    label = re.sub(r"^\d{4}年(?:度)?", "", label)
    label = re.sub(r"(?:为|是|共计|合计为|数为|共|达)$", "", label)
    return label.strip(":：,，")


def classify_label(label):
    """Return (item, funding source, expenditure type) for a label, or None if it names no item."""
    text = compact(label)
    if not text:
        return None
    for pattern, item, source in _COMPILED:
        if pattern.search(text):
            if item is None:
                return None
            exptype = None
            if item == "expenditure_by_type":
                exptype = next(v for k, v in EXPTYPE_OF_LABEL.items() if text.endswith(k))
            if source is None and item not in ("income_total", "expenditure_total",
                                               "income_expenditure_total"):
                source = qualifier_source(text) or "all"
            return item, source or "all", exptype
    return None


def qualifier_source(text):
    """The funding source named by a qualifier inside a label ('财政拨款基本支出' -> fiscal)."""
    for word, source in SOURCE_QUALIFIERS:
        if word in text:
            return source
    return None


def section_source(section):
    """The funding source a section restricts its figures to: its nearest heading with a qualifier."""
    for heading in reversed((section or "").split(" > ")):
        source = qualifier_source(heading) if "部分" not in heading else None
        if source:
            return source
    return None


def bare_source(label):
    """The funding source if the label is a bare fund name such as '一般公共预算'."""
    return BARE_SOURCES.get(compact(label))


def change_direction(label):
    """Return +1 / -1 if the label announces a year-on-year change ('比上年减少'), else None."""
    m = CHANGE.search(compact(label))
    if not m:
        return None
    word = m.group(1) or m.group(2)
    return -1 if word in ("减少", "下降", "降低") else 1


def named_change(label, before):
    """(item label, +1 / -1) for '收支总计各增加' or '基本支出减少' when the sentence before it set up a
    comparison ('与上年相比，'); None otherwise."""
    if not COMPARED.search(before):
        return None
    m = NAMED_CHANGE.match(compact(label))
    if not m or not classify_label(m.group(1)):
        return None
    return m.group(1), -1 if m.group(2) in ("减少", "下降", "降低") else 1
