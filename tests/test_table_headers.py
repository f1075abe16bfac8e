"""Header analysis and table kinds on small synthetic tables built from the document model.

Each table is a grid of Cells with spans, as a reader gives it (PDF: spans known; text layouts: rows
as long as their cells, no spans), rendered to a block by etl.blocks like a real document."""

from decimal import Decimal

import pytest

from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.extract.headers import analyse, column_paths, row_code, split_header, values, Row
from budgetkg.etl.extract.table_kinds import classify_table
from budgetkg.etl.extract.tables import interpret_table
from budgetkg.etl.model import Cell, Document, Location, Table

LOCATION = Location(file="synthetic.pdf", page=1, table=1)


def grid(rows, caption="", unit="万元"):
    """A Table from rows of cell specs, 'text' or ('text', colspan[, rowspan]), placed left to right
    in the positions spans from above leave free."""
    cells, covered = [], set()
    for r, row in enumerate(rows):
        c = 0
        for spec in row:
            while (r, c) in covered:
                c += 1
            text, colspan, rowspan = (spec, 1, 1) if isinstance(spec, str) else (tuple(spec) + (1,))[:3]
            cells.append(Cell(text=text, row=r, col=c, rowspan=rowspan, colspan=colspan,
                              location=LOCATION.at(row=r + 1, column=c + 1)))
            for dr in range(rowspan):
                for dc in range(colspan):
                    covered.add((r + dr, c + dc))
            c += colspan
    return Table(cells=cells, location=LOCATION, caption=caption, unit=unit)


def block_of(table):
    """The block dict the extractors see for one table."""
    document = Document(path="synthetic.pdf", name="synthetic.pdf", sha256="0" * 64, format="pdf",
                        blocks=[table])
    return next(b for b in document_blocks(document)[1] if b["type"] == "table")


def figures(table):
    return [r for r in interpret_table(block_of(table)) if r["kind"] == "figure"]


def by_key(records, *keys):
    return {tuple(r[k] for k in keys): r["printed"] for r in records}


# --- header paths --------------------------------------------------------------------------------

THREE_PUBLIC_FINAL = [
    [("财政拨款“三公”经费", 12)],
    [("合计", 2, 2), ("因公出国(境)费", 2, 2), ("公务用车购置及运行维护费", 6), ("公务接待费", 2, 2)],
    [("小计", 2), ("公务用车购置费", 2), ("公务用车运行维护费", 2)],
    ["预算数", "决算数"] * 6,
    ["2.85", "0.39", "0.00", "0.00", "1.00", "0.50", "0.00", "0.00", "1.00", "0.50", "1.85", "-0.11"],
]


def test_column_paths_follow_spans_through_four_header_levels():
    view = analyse(block_of(grid(THREE_PUBLIC_FINAL, "财政拨款“三公”经费支出决算表")))[0]
    assert len(view.header) == 4 and len(view.data) == 1
    assert view.columns[5] == ("财政拨款“三公”经费", "公务用车购置及运行维护费", "小计", "决算数")
    assert view.columns[0] == ("财政拨款“三公”经费", "合计", "预算数")
    assert view.columns[11] == ("财政拨款“三公”经费", "公务接待费", "决算数")


def test_three_public_final_account_gives_budget_and_final_figures():
    found = figures(grid(THREE_PUBLIC_FINAL, "财政拨款“三公”经费支出决算表"))
    assert by_key(found, "item", "comparison") == {
        ("three_public_total", "initial_budget"): "2.85", ("three_public_total", "value"): "0.39",
        ("overseas", "initial_budget"): "0.00", ("overseas", "value"): "0.00",
        ("vehicle_total", "initial_budget"): "1.00", ("vehicle_total", "value"): "0.50",
        ("vehicle_purchase", "initial_budget"): "0.00", ("vehicle_purchase", "value"): "0.00",
        ("vehicle_operation", "initial_budget"): "1.00", ("vehicle_operation", "value"): "0.50",
        ("reception", "initial_budget"): "1.85", ("reception", "value"): "-0.11"}
    assert {r["source"] for r in found} == {"fiscal_appropriation"}
    assert {r["column"] for r in found} == set(range(1, 13))


def test_three_public_budget_with_operating_costs_beside_it():
    rows = [[("“三公”经费预算数", 6), ("机关运行经费预算数", 1, 3)],
            [("合计", 1, 2), ("因公出国(境)费", 1, 2), ("公务接待费", 1, 2), ("公务用车购置及运行费", 3)],
            ["小计", "购置费", "运行费"],
            ["47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"]]
    found = figures(grid(rows, "部门“三公”经费和机关运行经费预算表"))
    assert by_key(found, "item", "comparison") == {
        ("three_public_total", "value"): "47.91", ("overseas", "value"): "0", ("reception", "value"): "1.35",
        ("vehicle_total", "value"): "46.56", ("vehicle_purchase", "value"): "25",
        ("vehicle_operation", "value"): "21.56", ("operating_costs", "value"): "443.18"}


def test_blank_cells_of_a_three_public_row_give_no_figures():
    rows = [[("“三公”经费预算数", 6), ("机关运行经费预算数", 1, 3)],
            [("合计", 1, 2), ("因公出国(境)费", 1, 2), ("公务接待费", 1, 2), ("公务用车购置及运行费", 3)],
            ["小计", "购置费", "运行费"],
            ["0.95", "", "0.95", "", "", "", "229.43"]]
    found = figures(grid(rows, "2025年部门“三公”经费和机关运行经费预算表"))
    assert by_key(found, "item") == {("three_public_total",): "0.95", ("reception",): "0.95",
                                     ("operating_costs",): "229.43"}


# --- stub: code columns split and joined ---------------------------------------------------------

def functional_table(unit="元"):
    return grid([
        [("项目", 4), ("支出预算", 3)],
        [("功能分类科目编码", 3), ("功能分类科目名称", 1, 2), ("合计", 1, 2), ("基本支出", 1, 2), ("项目支出", 1, 2)],
        ["类", "款", "项"],
        ["201", "", "", "一般公共服务支出", "22,186,440.80", "16,093,326.00", "6,093,114.80"],
        ["201", "6", "", "财政事务", "22,186,440.80", "16,093,326.00", "6,093,114.80"],
        ["201", "6", "1", "行政运行", "16,231,840.80", "16,093,326.00", "138,514.80"],
        ["201", "06", "02", "一般行政管理事务", "100,000.00", "", "100,000.00"],
        ["合计", "", "", "", "22,186,440.80", "16,093,326.00", "6,093,114.80"],
    ], "2025年部门一般公共预算支出功能分类预算表", unit)


def test_split_code_columns_are_joined_and_padded():
    view = analyse(block_of(functional_table()))[0]
    assert view.codes == [0, 1, 2] and view.name == 3
    assert row_code(["201", "6", "1"], [0, 1, 2]) == "2010601"
    found = figures(functional_table())
    assert by_key([r for r in found if r["level"] == 3], "code", "exptype") == {
        ("2010601", None): "16,231,840.80", ("2010601", "basic"): "16,093,326.00",
        ("2010601", "project"): "138,514.80", ("2010602", None): "100,000.00",
        ("2010602", "project"): "100,000.00"}
    assert {r["code"] for r in found} == {"201", "20106", "2010601", "2010602"}  # no 合计 row


def test_amounts_in_yuan_are_exact_wanyuan_with_printed_value_and_unit():
    row = next(r for r in figures(functional_table()) if r["code"] == "2010601" and r["exptype"] is None)
    assert (row["value"], row["printed"], row["printed_unit"]) == (Decimal("1623.18408"), "16,231,840.80", "元")


@pytest.mark.parametrize("unit, printed, expected", [
    ("千元", "1,234.5", Decimal("123.45")), ("亿元", "1.2345", Decimal("12345")), ("万元", "12.30", Decimal("12.30"))])
def test_thousand_yuan_and_hundred_million_yuan_units(unit, printed, expected):
    rows = [["科目编码", "科目名称", "合计"], ["208", "社会保障和就业支出", printed], ["20801", "人力资源事务", printed]]
    found = figures(grid(rows, "一般公共预算支出表", unit))
    assert [(r["value"], r["printed"], r["printed_unit"]) for r in found] == [(expected, printed, unit)] * 2


def test_unit_printed_in_a_caption_row():
    rows = [["一般公共预算支出表"], ["编制部门：某局", "", "单位：千元"], ["科目编码", "科目名称", "合计"],
            ["208", "社会保障和就业支出", "500"], ["20801", "人力资源事务", "500"]]
    found = figures(grid(rows, "", None))
    assert [(r["value"], r["printed_unit"]) for r in found] == [(Decimal("50"), "千元")] * 2


def test_one_code_column_with_whole_codes():
    rows = [[("项目", 2), "合计", "基本支出", "项目支出"],
            ["功能分类科目编码", "科目名称", "", "", ""],
            ["208", "社会保障和就业支出", "754.75", "754.75", "0.00"],
            ["20805", "行政事业单位养老支出", "754.75", "754.75", "0.00"],
            ["2080501", "行政单位离退休", "54.53", "54.53", "0.00"]]
    found = figures(grid(rows, "一般公共预算财政拨款支出决算表"))
    assert by_key(found, "code", "level", "exptype")[("2080501", 3, "project")] == "0.00"
    assert {r["source"] for r in found} == {"general_public_budget"}
    assert len(found) == 9


# --- side-by-side blocks ---------------------------------------------------------------------------

def test_two_economic_blocks_side_by_side_are_split():
    rows = [["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
            ["301", "工资福利支出", "4816.14", "302", "商品和服务支出", "440.90"],
            ["30101", "基本工资", "537.64", "30201", "办公费", "84.62"],
            ["", "", "", "310", "资本性支出", "39.76"],
            ["人员经费合计", "", "4884.09", "公用经费合计", "", "480.66"]]
    views = analyse(block_of(grid(rows, "一般公共预算财政拨款基本支出决算表")))
    assert [(v.first, v.end, v.codes, v.name) for v in views] == [(0, 3, [0], 1), (3, 6, [3], 4)]
    found = figures(grid(rows, "一般公共预算财政拨款基本支出决算表"))
    assert by_key(found, "code", "name") == {("301", "工资福利支出"): "4816.14", ("30101", "基本工资"): "537.64",
                                             ("302", "商品和服务支出"): "440.90", ("30201", "办公费"): "84.62",
                                             ("310", "资本性支出"): "39.76"}
    assert {r["item"] for r in found} == {"economic_expenditure"}


SUMMARY = [[("收入", 2), ("支出", 2)],
           ["项目", "决算数", "项目", "决算数"],
           ["一、一般公共预算财政拨款收入", "9746.50", "一、一般公共服务支出", ""],
           ["本年收入合计", "9746.50", "本年支出合计", "9759.38"],
           ["年初结转和结余", "112.88", "年末结转和结余", "100.00"],
           ["总计", "9859.38", "总计", "9859.38"]]


def test_income_and_expenditure_sides_are_split_and_bare_totals_read_by_side():
    views = analyse(block_of(grid(SUMMARY, "收入支出决算总表")))
    assert [(v.first, v.end, v.side) for v in views] == [(0, 2, "收入"), (2, 4, "支出")]
    assert by_key(figures(grid(SUMMARY, "收入支出决算总表")), "item") == {
        ("income_by_source",): "9746.50", ("income_this_year",): "9746.50", ("carryover_begin",): "112.88",
        ("income_total",): "9859.38", ("expenditure_this_year",): "9759.38", ("carryover_end",): "100.00",
        ("expenditure_total",): "9859.38"}


def test_fiscal_summary_totals_are_not_the_units_totals():
    rows = [[("财政拨款收入", 2), ("财政拨款支出", 5)],
            ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
            ["一、一般公共预算资金", "100.00", "一、一般公共服务支出", "100.00", "100.00", "", ""],
            ["收入总计", "100.00", "支出总计", "100.00", "100.00", "", ""]]
    views = analyse(block_of(grid(rows, "2025年部门财政拨款收支预算总表")))
    assert [(v.first, v.end) for v in views] == [(0, 2), (2, 7)]
    items = {r["item"] for r in figures(grid(rows, "2025年部门财政拨款收支预算总表"))}
    assert items == {"income_by_source"}


def test_summary_with_expenditure_by_type_columns():
    rows = [[("本年收入", 2), ("本年支出", 5)],
            [("项目", 1, 3), ("预算数", 1, 3), ("项目", 1, 3), ("预算数", 4)],
            [("合计", 1, 2), ("基本支出", 2), ("项目支出", 1, 2)],
            ["人员经费", "公用经费"],
            ["一、财政拨款收入", "910.00", "一、一般公共服务支出", "820.00", "138.00", "18.00", "664.00"],
            ["收入总计", "910.00", "支出总计", "910.00", "224.00", "21.00", "665.00"]]
    view = analyse(block_of(grid(rows, "2025年预算单位财务收支预算总表")))[1]
    assert view.columns[4] == ("本年支出", "预算数", "基本支出", "人员经费")
    found = by_key(figures(grid(rows, "2025年预算单位财务收支预算总表")), "item")
    assert found == {("fiscal_appropriation_income",): "910.00", ("income_total",): "910.00",
                     ("expenditure_total",): "910.00"}


# --- empty tables and kinds -------------------------------------------------------------------------

def test_empty_fund_table_gives_no_figures_and_no_warnings():
    rows = [[("项目", 2), ("年初结转和结余", 1, 3), ("本年收入", 1, 3), ("本年支出", 3), ("年末结转和结余", 1, 3)],
            ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["合计", "", "", "", ""],
            ["", "", "", "", "", "", "", ""], ["", "", "", "", "", "", "", ""]]
    assert interpret_table(block_of(grid(rows, "政府性基金预算财政拨款收入支出决算表"))) == []


def test_header_is_every_row_before_the_first_number():
    rows = [Row(cells=c, line=i, index=i) for i, c in enumerate([["项目", "合计"], ["类", ""], ["201", "1.00"]])]
    header, data = split_header(rows)
    assert [r.cells for r in header] == [["项目", "合计"], ["类", ""]] and len(data) == 1
    assert column_paths(header, 2) == [("项目", "类"), ("合计",)]


def test_text_layout_headers_without_spans_are_spread_over_their_groups():
    """A text layout prints a spanned header once: '公务用车购置及运行费' stands over its three parts."""
    rows = [["合计", "因公出国(境)费", "公务用车购置及运行费", "公务接待费"],
            ["", "", "小计", "公务用车购置费", "公务用车运行费", ""],
            ["10.02", "0", "8.61", "0", "8.61", "1.41"]]
    block = {"type": "table", "title": "一般公共预算“三公”经费支出情况表", "unit": "万元", "section": "",
             "rows": [{"line": 10 + i, "cells": c} for i, c in enumerate(rows)], "spans": {}}
    found = [r for r in interpret_table(block) if r["kind"] == "figure"]
    assert by_key(found, "item") == {("three_public_total",): "10.02", ("overseas",): "0",
                                     ("vehicle_total",): "8.61", ("vehicle_purchase",): "0",
                                     ("vehicle_operation",): "8.61", ("reception",): "1.41"}
    assert {r["line"] for r in found} == {12}


@pytest.mark.parametrize("title, header, kind", [
    ("2025年部门财务收支预算总表", [], "summary"),
    ("收入支出决算总表", [], "summary"),
    ("部门收支总体情况表", [], "summary"),
    ("财政拨款收入支出决算总表", [], "fiscal_summary"),
    ("2025年部门收入预算总表", [], "income"),
    ("支出决算表", [], "expenditure"),
    ("2025年部门一般公共预算支出功能分类预算表", [], "general_public_functional"),
    ("一般公共预算财政拨款基本支出决算表", [], "general_public_economic"),
    ("2025年部门一般公共预算基本支出部门预算经济分类预算表", [], "general_public_economic"),
    ("财政拨款“三公”经费支出决算表", [], "three_public"),
    ("政府性基金预算财政拨款收入支出决算表", [], "government_fund"),
    ("2025年部门国有资本经营预算支出功能分类预算表", [], "state_capital"),
    ("项目支出绩效目标表", [], "performance"),
    ("项目支出情况表", [], "project"),
    ("政府采购预算表", [], "procurement"),
    ("国有资产占用情况表", [], "assets"),
    ("", ["序号", "单位名称", "备注"], "institutions"),
    ("", ["项目名称", "某项目"], "project"),
    ("一般公共预算支出表", ["项目名称", "年度指标值"], "performance"),
    ("", ["某表"], "other"),
])
def test_table_kinds_from_title_and_header(title, header, kind):
    assert classify_table(title, header).key == kind


def test_tables_of_other_extractors_give_no_figures():
    rows = [["项目名称", "某项目", "", ""], ["项目资金(万元)", "年度资金总额", "54.9", ""]]
    assert figures(grid(rows, "项目支出绩效目标表")) == []


def test_values_are_addressed_by_row_and_column_path():
    view = analyse(block_of(functional_table("万元")))[0]
    found = {(v.code, v.path[-1]): (v.level, v.name, v.amount) for v in values(view)}
    assert found[("2010601", "基本支出")] == (3, "行政运行", Decimal("16093326.00"))


def test_income_by_function_table_gives_its_total_row_by_column_header():
    """收入决算表: the coded rows repeat the expenditure tables; the 合计 row is read by its headers."""
    rows = [[("项目", 2), "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "其他收入"],
            ["功能分类科目编码", "科目名称", "", "", "", "", ""],
            ["合计", "", "120.50", "100.00", "", "20.00", "0.50"],
            ["208", "社会保障和就业支出", "120.50", "100.00", "", "20.00", "0.50"],
            ["20805", "行政事业单位养老支出", "120.50", "100.00", "", "20.00", "0.50"]]
    found = figures(grid(rows, "收入决算表"))
    assert by_key(found, "item", "source") == {
        ("income_this_year", "all"): "120.50", ("fiscal_appropriation_income", "fiscal_appropriation"): "100.00",
        ("income_by_source", "business"): "20.00", ("income_by_source", "other"): "0.50"}


@pytest.mark.parametrize("a, b, same", [
    ("3121.42", "3121.42058", True),    # narrative 万元 to 2 decimals, table in 元
    ("12.56", "12.564", True),
    ("236.63", "236.64", False),        # a real difference at the printed precision
    ("0", "0.3", False),                # numbers printed without decimals compare exactly
    ("2.850", "2.85", True),
])
def test_rounded_printings_of_one_amount(a, b, same):
    from budgetkg.etl.normalise import same_amount
    assert same_amount(Decimal(a), Decimal(b)) is same


def test_item_names_in_data_rows_do_not_decide_the_kind():
    """30107 绩效工资 is an economic item, not a sign of a 绩效 table."""
    rows = [["经济分类科目编码", "科目名称", "决算数"], ["301", "工资福利支出", "10.00"],
            ["30107", "绩效工资", "4.00"], ["30101", "基本工资", "6.00"]]
    found = figures(grid(rows, "一般公共预算财政拨款基本支出决算表"))
    assert by_key(found, "code") == {("301",): "10.00", ("30107",): "4.00", ("30101",): "6.00"}
