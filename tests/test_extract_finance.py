"""Exact finance figures extracted from every seed layout: totals, functional and economic items.

Values are checked against the printed text (line numbers cited); Decimal comparisons only."""

from decimal import Decimal as D

import pytest

from budgetkg.etl.extract import extract_records
from budgetkg.etl.extract.labels import classify_label
from budgetkg.etl.extract.metadata import MetadataError, extract_metadata, find_year_and_phase
from budgetkg.etl.pipeline import link_functional_codes
from budgetkg.etl.read import read_document, read_text
from budgetkg.etl.segment import segment

SEEDS = {
    "000_c5b847b5dca8784f.txt": ("新疆维吾尔自治区社会保险管理局", 2019, "final"),
    "001_c4555a3cefcfab39.txt": ("乌鲁木齐市社会保险中心", 2023, "final"),
    "002_1387b3e8b115f6e3.txt": ("新疆维吾尔自治区喀什地区社会保险管理局", 2021, "budget"),
    "003_da74c3619f0a1806.txt": ("昌吉回族自治州社会保险管理局", 2020, "budget"),
    "004_075cd51c8785aeb9.txt": ("攀枝花市社会保险事务中心", 2019, "final"),
}


@pytest.fixture(scope="module")
def records(examples_dir):
    """Figure records of every seed, keyed by file name."""
    out = {}
    for name in SEEDS:
        blocks = segment(read_document(examples_dir / name)["lines"])
        out[name] = [r for r in link_functional_codes(extract_records(blocks)) if r["kind"] == "figure"]
    return out


def find(records, item, comparison="value", **kw):
    """The figures of one item matching the given fields."""
    return [r for r in records if r["item"] == item and r["comparison"] == comparison
            and all(r.get(k) == v for k, v in kw.items())]


def value(records, item, **kw):
    """The single value of one item (asserting it is printed once with that value)."""
    values = {r["value"] for r in find(records, item, **kw)}
    assert len(values) == 1, f"{item} {kw}: {values}"
    return values.pop()


@pytest.mark.parametrize("name", SEEDS)
def test_metadata_of_every_seed(examples_dir, name):
    meta = extract_metadata(read_document(examples_dir / name)["lines"])
    assert (meta["unit"], meta["year"], meta["phase"]) == SEEDS[name]


@pytest.mark.parametrize("name", SEEDS)
def test_metadata_of_every_seed_without_its_title(examples_dir, name):
    lines = read_document(examples_dir / name)["lines"]
    first_part = next(i for i, line in enumerate(lines) if "部分" in line[:8])  # 第一部分 / 第1部分
    meta = extract_metadata(lines[first_part:])
    assert (meta["unit"], meta["year"], meta["phase"]) == SEEDS[name]


@pytest.mark.parametrize("title,unit", [
    ("宁安县第一中学2023年度部门预算公开", "宁安县第一中学"),
    ("宁安县实验幼儿园 2022 年度部门决算", "宁安县实验幼儿园"),
    ("宁安市政协2021年部门预算", "宁安市政协"),
    ("宁安县国营林场2020年度单位决算公开说明", "宁安县国营林场"),
    ("宁安市广播电视台2024年部门预算", "宁安市广播电视台"),
])
def test_unit_names_of_many_kinds_come_from_the_title(title, unit):
    meta = extract_metadata(read_text(f"{title}\n目录\n一、收入预算情况说明\n二、支出预算情况说明\n三、预算\n")["lines"])
    assert (meta["unit"], meta["phase"]) == (unit, "final" if "决算" in title else "budget")


def test_phase_follows_the_vocabulary_when_no_title_names_it():
    final = "2023 年度收入总计 10 万元。\n一、收入决算情况说明\n二、支出决算情况说明\n三、一般公共预算财政拨款支出决算\n"
    budget = "2021 年度收入预算 10 万元。\n一、收入预算情况说明\n二、支出预算情况说明\n三、政府采购预算\n"
    assert find_year_and_phase(read_text(final)["lines"], "") == (2023, "final")
    assert find_year_and_phase(read_text(budget)["lines"], "") == (2021, "budget")


def test_text_that_is_not_a_disclosure_is_rejected():
    with pytest.raises(MetadataError, match="no budget unit name"):
        extract_metadata(read_text("床前明月光，\n疑是地上霜。\n")["lines"])


# name: {item: value} for totals with funding source "all" (or as given)
TOTALS = {
    "000_c5b847b5dca8784f.txt": {"income_this_year": "2505.17", "expenditure_this_year": "2498.92",
                                 "basic_expenditure": "1431.76", "project_expenditure": "1067.17"},
    "001_c4555a3cefcfab39.txt": {"income_total": "10938.34", "expenditure_total": "10938.34",
                                 "income_this_year": "10853.30", "basic_expenditure": "5631.87",
                                 "project_expenditure": "5306.47", "carryover_begin": "85.04"},
    "002_1387b3e8b115f6e3.txt": {"income_total": "1008.16", "expenditure_total": "1008.16",
                                 "basic_expenditure": "852.52", "project_expenditure": "155.64"},
    "003_da74c3619f0a1806.txt": {"income_total": "1237.62", "basic_expenditure": "905.62",
                                 "project_expenditure": "332"},
    "004_075cd51c8785aeb9.txt": {"income_total": "1265.78", "expenditure_total": "1265.78",
                                 "income_this_year": "1259.18", "expenditure_this_year": "1265.62",
                                 "basic_expenditure": "1168.92", "project_expenditure": "96.70"},
}


@pytest.mark.parametrize("name", TOTALS)
def test_totals_of_every_seed(records, name):
    for item, expected in TOTALS[name].items():
        assert value(records[name], item, source="all") == D(expected), item


def test_fiscal_and_general_budget_scopes_are_kept_apart(records):
    r = records["001_c4555a3cefcfab39.txt"]
    assert value(r, "fiscal_appropriation_income", source="fiscal_appropriation") == D("10586.87")
    assert value(r, "basic_expenditure", source="general_public_budget") == D("5631.48")
    assert value(r, "personnel_expenditure", source="general_public_budget") == D("5135.15")
    r4 = records["004_075cd51c8785aeb9.txt"]
    assert value(r4, "basic_expenditure", source="general_public_budget") == D("1168.83")
    assert value(r4, "public_expenditure", source="general_public_budget") == D("120.13")


def test_year_on_year_change_keeps_sign_and_reason(records):
    changes = find(records["000_c5b847b5dca8784f.txt"], "income_this_year", "change_vs_previous_year")
    assert [c["value"] for c in changes] == [D("-483.08")]
    assert changes[0]["reason"].startswith("因机构改革") and changes[0]["line"] == 60


def test_budget_vs_final_deviation_is_a_figure(records):
    budget = find(records["000_c5b847b5dca8784f.txt"], "fiscal_appropriation_income", "initial_budget")
    assert [b["value"] for b in budget] == [D("2172.2")]
    assert "机构改革" in budget[0]["reason"]


def test_income_by_source(records):
    r = records["000_c5b847b5dca8784f.txt"]
    assert value(r, "income_by_source", source="other") == D("71.55")
    assert value(r, "income_by_source", source="superior_subsidy") == D("0")
    r2 = records["002_1387b3e8b115f6e3.txt"]
    assert value(r2, "income_by_source", source="general_public_budget") == D("952.7")
    assert value(r2, "income_by_source", source="state_capital") == D("55.46")


def _items(records, item, level):
    """Distinct (code, name) of one classification item type at one level, value figures only."""
    return {(r["code"], r["name"]) for r in find(records, item) if r["level"] == level
            and not r["exptype"]}


# name: (functional 项 items, economic 款 items)
COUNTS = {"000_c5b847b5dca8784f.txt": (6, 0), "001_c4555a3cefcfab39.txt": (9, 0),
          "002_1387b3e8b115f6e3.txt": (5, 21), "003_da74c3619f0a1806.txt": (4, 25),
          "004_075cd51c8785aeb9.txt": (6, 0)}


@pytest.mark.parametrize("name", COUNTS)
def test_number_of_functional_and_economic_items(records, name):
    functional, economic = COUNTS[name]
    assert len(_items(records[name], "functional_expenditure", 3)) == functional
    assert len(_items(records[name], "economic_expenditure", 2)) == economic


def test_functional_items_from_coded_running_text(records):
    r = records["000_c5b847b5dca8784f.txt"]
    assert value(r, "functional_expenditure", code="2080101") == D("1089.74")
    assert value(r, "functional_expenditure", code="2080505") == D("115.98")


def test_functional_items_from_named_running_text_without_codes(records):
    r = records["001_c4555a3cefcfab39.txt"]
    assert value(r, "functional_expenditure", name="行政运行") == D("3850.59")
    assert find(r, "functional_expenditure", name="行政运行")[0]["code"] is None
    change = find(r, "functional_expenditure", "change_vs_previous_year", name="社会保险经办机构")
    assert [c["value"] for c in change] == [D("-150.92")]
    r4 = records["004_075cd51c8785aeb9.txt"]
    assert value(r4, "functional_expenditure", name="住房公积金") == D("82.42")


def test_tab_table_classification_rows(records):
    r = records["002_1387b3e8b115f6e3.txt"]
    assert value(r, "economic_expenditure", code="301", exptype=None) == D("753.67")
    assert value(r, "economic_expenditure", code="30101", exptype=None) == D("231.71")
    assert value(r, "economic_expenditure", code="30201", exptype="public") == D("6.81")
    assert value(r, "functional_expenditure", code="208", source="all") == D("897.6")


def test_cell_per_line_table_classification_rows(records):
    r = records["003_da74c3619f0a1806.txt"]
    assert value(r, "functional_expenditure", code="2080101", source="general_public_budget") == D("905.62")
    assert value(r, "economic_expenditure", code="30106", exptype=None) == D("79.38")
    assert value(r, "economic_expenditure", code="30101", exptype="personnel") == D("306.81")
    # the narrative names 信息化建设 without a code; the table's code is linked to it
    named = find(r, "functional_expenditure", name="信息化建设", source="general_public_budget")
    assert {x["code"] for x in named} == {"2080108"}


def test_amount_printed_in_yuan_is_kept_exact_with_its_printed_unit(records):
    r = records["003_da74c3619f0a1806.txt"]
    fig = find(r, "expenditure_this_year", source="all")[0]
    assert (fig["value"], fig["printed"], fig["printed_unit"], fig["line"]) == (
        D("0.123762"), "1237.62", "元", 1663)


def test_chart_data_series_are_not_figures(records):
    assert not [r for r in records["004_075cd51c8785aeb9.txt"] if r["line"] > 700]


@pytest.mark.parametrize("label,expected", [
    ("2019 年度本年收入", ("income_this_year", "all", None)),
    ("一般公共预算财政拨款基本支出", ("basic_expenditure", "general_public_budget", None)),
    ("收 入 总 计", ("income_total", "all", None)),
    ("财政拨款收支总预算", None),
    ("对附属单位补助支出", ("expenditure_by_type", "all", "subsidy_to_affiliates")),
])
def test_label_classifier(label, expected):
    assert classify_label(label) == expected


def test_table_row_with_a_missing_cell_is_reported_with_its_line():
    text = ("一般公共预算基本支出情况表\n单位：万元\n\t经济分类科目编码\n\t科目名称\n\t合计\n\t人员经费\n\t公用经费\n\n"
            "\t类\n\t款\n\n\t301\n\t01\n\t基本工资\n\t10.5\n\t10.5\n\t0\n\n"
            "\t302\n\t01\n\t办公费\n\t2.5\n\t2.5\n\n")
    blocks = segment(read_text(text, "missing.txt")["lines"])
    records = extract_records(blocks)
    warnings = [r for r in records if r["kind"] == "warning"]
    assert [(w["line"], "missing cell" in w["message"]) for w in warnings] == [(19, True)]
    office = [r for r in records if r["kind"] == "figure" and r["code"] == "30201"]
    assert {(r["exptype"], r["value"]) for r in office} == {(None, D("2.5")), ("personnel", D("2.5"))}


CODE_COLUMN_TABLES = """宁安市教育局2024年度部门预算公开
第二部分 2024年部门预算公开表
表六
一般公共预算基本支出预算表
单位：万元
科目编码\t科目名称\t合计\t人员经费\t公用经费
301\t工资福利支出\t1,200.50\t1,200.50\t
30101\t基本工资\t600.25\t600.25\t
302\t商品和服务支出\t80.00\t\t80.00
表七
一般公共预算支出预算表
单位：元
科目编码\t科目名称\t合计\t基本支出\t项目支出
205\t教育支出\t12,805,000.00\t12,005,000.00\t800,000.00
2050101\t行政运行\t12,005,000.00\t12,005,000.00\t
"""


def test_tables_with_one_code_column_in_yuan():
    blocks = segment(read_text(CODE_COLUMN_TABLES)["lines"])
    got = {(r["item"], r["code"], r["name"], r.get("exptype"), r["value"], r["printed_unit"])
           for r in extract_records(blocks) if r["kind"] == "figure"}
    assert got == {
        ("economic_expenditure", "301", "工资福利支出", None, D("1200.50"), "万元"),
        ("economic_expenditure", "301", "工资福利支出", "personnel", D("1200.50"), "万元"),
        ("economic_expenditure", "30101", "基本工资", None, D("600.25"), "万元"),
        ("economic_expenditure", "30101", "基本工资", "personnel", D("600.25"), "万元"),
        ("economic_expenditure", "302", "商品和服务支出", None, D("80.00"), "万元"),
        ("economic_expenditure", "302", "商品和服务支出", "public", D("80.00"), "万元"),
        ("functional_expenditure", "205", "教育支出", None, D("1280.5"), "元"),
        ("functional_expenditure", "205", "教育支出", "basic", D("1200.5"), "元"),
        ("functional_expenditure", "205", "教育支出", "project", D("80"), "元"),
        ("functional_expenditure", "2050101", "行政运行", None, D("1200.5"), "元"),
        ("functional_expenditure", "2050101", "行政运行", "basic", D("1200.5"), "元"),
    }
