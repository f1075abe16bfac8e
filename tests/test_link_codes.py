"""Coded items wherever the document allows (issue 11, item 6): a narrative 类/款/项 name path gets the
7-digit code the same document's tables print; a 类 name alone gets its national code (shipped as data)."""

import csv
from importlib import resources

import pytest

from budgetkg.etl.extract import extract_records
from budgetkg.etl.link_codes import code_of_path, link_functional_codes, national_class
from budgetkg.etl.read import read_text
from budgetkg.etl.segment import segment

TABLE = """一般公共预算财政拨款支出决算表
单位：万元
科目编码\t科目名称\t合计
208\t社会保障和就业支出\t200.00
20805\t行政事业单位养老支出\t115.98
2080505\t机关事业单位基本养老保险缴费支出\t115.98
20801\t人力资源和社会保障管理事务\t84.02
2080101\t行政运行\t84.02
"""
NARRATIVE = ("五、一般公共预算财政拨款支出决算情况说明\n"
             "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）："
             "支出决算数为115.98万元，比上年增加3.00万元，主要原因是人员增加。\n")


def functional(text):
    records = link_functional_codes(extract_records(segment(read_text(text)["lines"])))
    return [r for r in records if r["kind"] == "figure" and r["item"] == "functional_expenditure"]


def narrative_items(records):
    return [r for r in records if r.get("path")]


def test_a_name_path_gets_the_code_the_tables_print():
    items = narrative_items(functional(TABLE + NARRATIVE))
    assert items and {r["code"] for r in items} == {"2080505"}
    assert {r["comparison"] for r in items} == {"value", "change_vs_previous_year"}


def test_quotes_and_the_variant_qita_do_not_stop_a_match():
    names = {("functional_expenditure", "20805"): "行政事业单位养老支出",
             ("functional_expenditure", "2080599"): "其他行政事业单位养老支出"}
    path = ["“社会保障和就业支出", "行政事业单位养老支出", "其它行政事业单位养老支出"]
    assert code_of_path("functional_expenditure", path, names) == "2080599"


def test_without_the_table_the_path_stays_name_only():
    items = narrative_items(functional(NARRATIVE))
    assert items and {r["code"] for r in items} == {None}


def test_a_class_name_alone_gets_its_national_code():
    text = "一、支出决算情况说明\n社会保障和就业支出（类）支出决算数为200.00万元。\n住房保障（类）支出决算数为12.00万元。\n"
    coded = {r["name"]: r["code"] for r in narrative_items(functional(text))}
    assert coded == {"社会保障和就业支出": "208", "住房保障": "221"}


def test_a_path_two_codes_fit_is_left_name_only():
    names = {("functional_expenditure", "2010101"): "行政运行", ("functional_expenditure", "2080101"): "行政运行"}
    assert code_of_path("functional_expenditure", ["行政运行"], names) is None
    assert code_of_path("functional_expenditure", ["社会保障和就业支出", "人力资源和社会保障管理事务", "行政运行"],
                        names) is None  # the 款 is not printed: no code
    names[("functional_expenditure", "20801")] = "人力资源和社会保障管理事务"
    assert code_of_path("functional_expenditure", ["社会保障和就业支出", "人力资源和社会保障管理事务", "行政运行"],
                        names) == "2080101"  # 类 208 by its national name


@pytest.mark.parametrize("item,name,code", [
    ("functional_expenditure", "一般公共服务支出", "201"),
    ("functional_expenditure", "文化旅游体育与传媒支出", "207"),
    ("functional_expenditure", "医疗卫生与计划生育支出", "210"),  # the 类's name before 2019
    ("functional_expenditure", "灾害防治及应急管理支出", "224"),
    ("functional_expenditure", "债务发行费用支出", "233"),
    ("economic_expenditure", "工资福利支出", "301"),
    ("economic_expenditure", "对个人和家庭的补助", "303"),  # the department scheme, not 509
    ("economic_expenditure", "资本性支出(基本建设)", "309"),
    ("functional_expenditure", "行政运行", None),
])
def test_national_class_names(item, name, code):
    assert national_class(item, name) == code


def test_class_lists_are_well_formed():
    for path, digits in (("data/functional_classes.csv", "2"), ("data/economic_classes.csv", "35")):
        text = resources.files("budgetkg.etl").joinpath(path).read_text(encoding="utf-8")
        rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
        codes = [row["code"] for row in rows]
        assert len(codes) == len(set(codes)) and all(len(c) == 3 and c[0] in digits for c in codes), path
