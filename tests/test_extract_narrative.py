"""Narrative extraction on the real example documents: staffing, key figures and the glossary.

Every expected value was checked against the printed text (line numbers cited); Decimal comparisons only."""

from collections import Counter
from decimal import Decimal as D
from pathlib import Path

import pytest

from budgetkg.etl.extract.glossary import extract_glossary
from budgetkg.etl.extract.keyfigures import extract_key_figures
from budgetkg.etl.extract.personnel import extract_personnel
from budgetkg.etl.read import read_document, read_text
from budgetkg.etl.segment import segment

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DOC = {key: next(EXAMPLES.glob(f"{key}_*.txt")) for key in ("000", "001", "002", "003", "004")}


@pytest.fixture(scope="module")
def blocks():
    """Segmented blocks of every example, keyed by its number."""
    return {key: segment(read_document(path)["lines"]) for key, path in DOC.items()}


@pytest.fixture(scope="module")
def people(blocks):
    """Personnel records of every example."""
    return {key: extract_personnel(b) for key, b in blocks.items()}


@pytest.fixture(scope="module")
def keys(blocks):
    """Key-figure records of every example."""
    return {key: extract_key_figures(b) for key, b in blocks.items()}


@pytest.fixture(scope="module")
def terms(blocks):
    """Glossary records of every example."""
    return {key: extract_glossary(b) for key, b in blocks.items()}


def values(records, comparison="value"):
    """{item: [values]} of the figure records with one comparison."""
    out = {}
    for r in records:
        if r["kind"] == "figure" and r["comparison"] == comparison:
            out.setdefault(r["item"], []).append(r["value"])
    return out


def one(records, item, comparison="value"):
    """The single figure record of an item and comparison."""
    found = [r for r in records if r["kind"] == "figure" and r["item"] == item and r["comparison"] == comparison]
    assert len(found) == 1, found
    return found[0]


# --- personnel -------------------------------------------------------------------------------

HEADCOUNTS = {  # printed in 机构设置及人员情况 (004: in the appended 部门整体支出绩效评价报告, line 608)
    "000": {"actual": D(126), "in_service": D(76), "retired_cadre": D(0), "retired": D(50)},    # line 52
    "001": {"actual": D(435), "in_service": D(313), "retired_cadre": D(0), "retired": D(122),
            "divisions": D(27)},                                                             # lines 53, 55
    "002": {"authorized": D(53), "actual": D(75), "in_service": D(46), "retired": D(29), "retired_cadre": D(0),
            "divisions": D(11)},                                                             # lines 54, 56
    "003": {"authorized": D(72), "actual": D(93), "in_service": D(63), "retired": D(30), "retired_cadre": D(0),
            "divisions": D(19)},                                                             # lines 5, 7
    "004": {"authorized": D(64), "actual": D(58), "retired": D(21), "divisions": D(11)},   # lines 606, 608
}


@pytest.mark.parametrize("key", sorted(HEADCOUNTS))
def test_headcounts_exact_and_once(people, key):
    got = values(people[key])
    assert got == {item: [v] for item, v in HEADCOUNTS[key].items()}


def test_divisions_count_only_where_printed(people):
    assert one(people["001"], "divisions")["value"] == D(27)
    assert one(people["001"], "divisions")["uom"] == "count"
    assert "divisions" not in values(people["000"])
    assert one(people["004"], "divisions")["printed"] == "10科1室"


def test_headcount_units_and_lines(people):
    r = one(people["003"], "in_service")
    assert (r["uom"], r["line"], r["printed"]) == ("person", 7, "63")
    assert "机构设置及人员情况" in r["section"]
    assert one(people["001"], "retired")["line"] == 53


def test_headcount_changes_are_signed(people):
    changes = values(people["003"], "change_vs_previous_year")
    assert changes == {"in_service": [D(-12)], "retired": [D(6)], "retired_cadre": [D(0)]}
    assert values(people["002"], "change_vs_previous_year")["in_service"] == [D(-7)]
    assert values(people["000"], "change_vs_previous_year") == {}


def test_insured_counts_are_not_staff(people):
    # 004 prints 参保人数564332人 and 在职参保人员312000人 in its work report (line 6)
    assert all(r["value"] < 1000 for r in people["004"] if r["kind"] == "figure")
    assert "in_service" not in values(people["004"])


def division_names(records):
    return [r["name"] for r in records if r["kind"] == "division"]


def test_division_names_002(people):
    assert division_names(people["002"]) == [
        "办公室", "综合业务科", "基金征缴科", "待遇支付科", "内审复核科", "综合柜员管理科",
        "基金财务与统计精算科", "新农保科", "机关事业单位养老科", "业务档案科", "社会化服务管理科"]


def test_division_names_keep_brackets_and_join_lines(people):
    names = division_names(people["003"])
    assert len(names) == 19 and names[0] == "办公室(组织人事科)" and names[-1] == "异地医疗费用结算科"
    names = division_names(people["001"])
    assert len(names) == 27
    assert names[3] == "法规宣传科(信访科)"
    assert names[-1] == "市社会保险中心甘泉堡经济技术开发区(工业区)分中心"  # broken over lines 55/57


def test_division_names_last_pair_split_and_duplicates_warned(people):
    names = division_names(people["004"])
    assert len(names) == 11 and names[-2:] == ["综合科", "办公室"]
    warnings = [r for r in people["001"] if r["kind"] == "warning"]
    assert len(warnings) == 1 and "水磨沟区分中心" in warnings[0]["message"]
    assert division_names(people["000"]) == []


def functions(records):
    found = [r for r in records if r["kind"] == "functions"]
    assert len(found) == 1
    return found[0]


def test_functions_text(people):
    f = functions(people["001"])
    assert f["line"] == 49 and f["text"].startswith("负责宣传贯彻执行国家、自治区及我市")
    assert f["text"].endswith("配合税务部门开展社会养老、工伤、失业保险费征缴相关工作。")
    assert functions(people["002"])["text"].startswith("1. 贯彻执行《中华人民共和国社会保险法》")
    f = functions(people["004"])
    assert f["line"] == 4 and f["text"].startswith("市社会保险事务中心为根据原省人事厅")
    assert "参保人数" not in f["text"]
    assert "主要职能:新疆维吾尔自治区社会保险管理局" in functions(people["000"])["text"]


# --- key figures -------------------------------------------------------------------------------

KEY_VALUES = {
    "000": {"three_public_total": "6.69", "overseas": "0", "vehicle_total": "6.69", "vehicle_purchase": "0",
            "vehicle_operation": "6.69", "reception": "0", "operating_costs": "20.41",
            "procurement_total": "366.75", "procurement_goods": "172.34", "procurement_works": "0",
            "procurement_services": "194.41", "procurement_sme": "0", "house_area": "3270",
            "house_value": "308.17", "vehicle_count": "6", "vehicle_value": "207.2"},
    "001": {"three_public_total": "32.29", "overseas": "0.00", "vehicle_total": "32.29",
            "vehicle_purchase": "0.00", "vehicle_operation": "32.29", "reception": "0.00",
            "operating_costs": "496.32", "procurement_total": "70.72", "procurement_goods": "15.00",
            "procurement_works": "9.98", "procurement_services": "45.74", "procurement_sme": "70.72",
            "fixed_assets_value": "1701.90", "house_area": "595.25", "house_value": "112.76",
            "vehicle_count": "20", "vehicle_value": "327.34"},
    "002": {"three_public_total": "3.60", "overseas": "0", "vehicle_purchase": "0", "vehicle_operation": "3.60",
            "reception": "0", "operating_costs": "32.94", "procurement_total": "40.64",
            "procurement_goods": "37.27", "procurement_works": "0", "procurement_services": "3.37",
            "procurement_sme": "0", "house_area": "8886.00", "house_value": "487.72", "vehicle_count": "2",
            "vehicle_value": "54.94"},
    "003": {"three_public_total": "10.02", "overseas": "0", "vehicle_purchase": "0", "vehicle_operation": "8.61",
            "reception": "1.41", "operating_costs": "94.69", "procurement_total": "306.78",
            "procurement_goods": "194.88", "procurement_works": "0", "procurement_services": "111.90",
            "procurement_sme": "0", "house_area": "14129.78", "house_value": "280.58", "vehicle_count": "4",
            "vehicle_value": "128.68"},
    "004": {"three_public_total": "0.3", "overseas": "0", "vehicle_total": "0", "vehicle_purchase": "0",
            "vehicle_operation": "0", "reception": "0.3", "operating_costs": "120.13", "procurement_total": "0",
            "procurement_goods": "0", "procurement_works": "0", "procurement_services": "0",
            "procurement_sme": "0", "vehicle_count": "0"},
}


@pytest.mark.parametrize("key", sorted(KEY_VALUES))
def test_key_values_exact_and_once(keys, key):
    got = values(keys[key])
    expected = {item: [D(v)] for item, v in KEY_VALUES[key].items()}
    if key == "000":  # line 106 prints 公务用车运行费 决算数 6.68 against 6.69 on line 100: both kept, warned
        expected["vehicle_operation"] = [D("6.69"), D("6.68")]
    assert got == expected


def test_printed_precision_and_units(keys):
    r = one(keys["001"], "fixed_assets_value")
    assert r["value"] == D("1701.90") and str(r["value"]) == "1701.90" and r["line"] == 171
    assert str(one(keys["002"], "house_area")["value"]) == "8886.00"
    assert one(keys["002"], "house_area")["uom"] == "square_metre"
    assert one(keys["000"], "vehicle_count")["uom"] == "vehicle"
    assert one(keys["000"], "house_value")["uom"] == "wanyuan"


def test_conflicting_value_is_kept_and_warned_once(keys, examples_dir):
    from budgetkg.etl.pipeline import process_file
    conflicting = [r for r in keys["000"] if r["item"] == "vehicle_operation" and r["comparison"] == "value"]
    assert [(r["value"], r["line"]) for r in conflicting] == [(D("6.69"), 100), (D("6.68"), 106)]
    warnings = process_file(examples_dir / "000_c5b847b5dca8784f.txt")["warnings"]
    assert [w["line"] for w in warnings if "vehicle_operation" in w["message"]] == [106]


def test_lines_of_broken_paragraphs(keys):
    assert one(keys["000"], "procurement_total")["line"] == 120
    assert one(keys["000"], "procurement_goods")["line"] == 122  # continued on the next printed line
    assert one(keys["001"], "procurement_sme")["line"] == 165


def test_change_vs_previous_year_negative_with_reason(keys):
    r = one(keys["000"], "three_public_total", "change_vs_previous_year")
    assert r["value"] == D("-5.63") and r["line"] == 96
    assert r["reason"] == "严格执行八项规定，厉行节约，控制费用支出"
    r = one(keys["003"], "reception", "change_vs_previous_year")
    assert r["value"] == D("-0.21") and r["reason"] == "因机构改革人员调出，减少公务接待费预算支出"
    r = one(keys["004"], "operating_costs", "change_vs_previous_year")  # reason in the next sentence
    assert r["value"] == D("-2.74") and r["reason"] == "差旅费、公务接待费减少"


def test_change_positive_and_reason_spanning_semicolon(keys):
    r = one(keys["001"], "three_public_total", "change_vs_previous_year")
    assert r["value"] == D("8.29")
    r = one(keys["001"], "operating_costs", "change_vs_previous_year")
    assert r["value"] == D("135.50") and "；2023 年大力开展社保政策宣传" in r["reason"]
    r = one(keys["001"], "overseas", "change_vs_previous_year")
    assert r["reason"] == "我单位无因公出国(境)费"  # stops before the next item's clause


def test_placeholder_reason_is_none(keys):
    r = one(keys["004"], "overseas", "change_vs_previous_year")  # '增加/减少0万元 … 主要原因是…'
    assert r["value"] == D(0) and r["reason"] is None
    assert one(keys["003"], "three_public_total", "change_vs_previous_year")["reason"] is None


def test_initial_budget(keys):
    assert values(keys["000"], "initial_budget") == {
        "three_public_total": [D("9.13")], "overseas": [D(0)], "vehicle_purchase": [D(0)],
        "vehicle_operation": [D("6.93")], "reception": [D("2.2")]}
    assert one(keys["001"], "three_public_total", "initial_budget")["value"] == D("32.29")
    assert values(keys["003"], "initial_budget") == {}  # a budget document: 预算数 is the value


def test_record_counts_per_item(keys):
    counts = {key: Counter((r["item"], r["comparison"]) for r in recs if r["kind"] == "figure")
              for key, recs in keys.items()}
    # 000 and 001: 16/17 values (+1 conflicting in 000), 5 changes, 5 initial budgets
    assert sum(counts["000"].values()) == 27 and counts["000"][("vehicle_operation", "value")] == 2
    assert sum(counts["001"].values()) == 27
    assert sum(counts["002"].values()) == 20
    assert sum(counts["003"].values()) == 19
    assert sum(counts["004"].values()) == 17
    for key, counter in counts.items():
        assert all(n == 1 for (item, comparison), n in counter.items()
                   if not (key == "000" and item == "vehicle_operation" and comparison == "value"))


def test_scoping(keys):
    # 003 line 1685 lists 公务接待费1.41万元 among 公用经费 items; only the 三公 section (line 1777) counts
    assert one(keys["003"], "reception")["line"] == 1777
    # 001 line 139 prints 固定资产车辆 20 辆 inside the 三公 section; the asset section (line 171) counts
    assert one(keys["001"], "vehicle_count")["line"] == 171
    # 002 line 373: 其中 … 其他车辆0辆 is a breakdown, not the holding
    assert one(keys["002"], "vehicle_count")["value"] == D(2)
    for recs in keys.values():
        for r in recs:
            if r["kind"] == "figure":
                assert "名词解释" not in r["section"] and len(r["text"]) <= 300 and r["line"] >= 1


def test_placeholders_do_not_crash():
    lines = ["七、“三公”经费支出情况说明",
             "“三公”经费支出**万元，占**%，比上年增加/减少0万元，主要原因是…。",
             "公务接待费支出 1.5 万元，比上年减少 0.5 万元。主要原因是：…"]
    recs = extract_key_figures(segment(read_text("\n".join(lines))["lines"]))
    assert one(recs, "reception")["value"] == D("1.5")
    change = one(recs, "reception", "change_vs_previous_year")
    assert change["value"] == D("-0.5") and change["reason"] is None
    assert one(recs, "three_public_total", "change_vs_previous_year")["reason"] is None


def test_unseen_layout_generalises():
    lines = ["第一部分 概况", "一、职能职责", "负责全县水利工程建设管理。", "二、机构设置及人员情况",
             "本单位内设5个股室，分别是：办公室、财务股、工程股（质监站）、",
             "水政股和规划股。编制数 20 人，实有人数 18 人，在职 15 人，退休 3 人。",
             "三、其他", "全县参保人数 12000 人。"]
    recs = extract_personnel(segment(read_text("\n".join(lines))["lines"]))
    assert values(recs) == {"divisions": [D(5)], "authorized": [D(20)], "actual": [D(18)],
                            "in_service": [D(15)], "retired": [D(3)]}
    assert division_names(recs) == ["办公室", "财务股", "工程股(质监站)", "水政股", "规划股"]
    assert functions(recs)["text"] == "负责全县水利工程建设管理。"


# --- glossary --------------------------------------------------------------------------------

GLOSSARY_COUNTS = {"000": 15, "001": 14, "002": 8, "003": 8, "004": 19}


@pytest.mark.parametrize("key", sorted(GLOSSARY_COUNTS))
def test_glossary_counts(terms, key):
    assert len(terms[key]) == GLOSSARY_COUNTS[key]
    assert all(r["kind"] == "glossary" and r["term"] and r["definition"] for r in terms[key])


def definition(records, term):
    found = [r for r in records if r["term"] == term]
    assert len(found) == 1, found
    return found[0]


def test_glossary_definitions(terms):
    assert definition(terms["000"], "财政拨款收入") == {
        "kind": "glossary", "term": "财政拨款收入", "definition": "指同级财政当年拨付的资金。", "line": 293,
        "section": "第三部分 专业名词解释"}
    r = definition(terms["000"], "机关运行经费")  # continued on line 325
    assert r["line"] == 323 and r["definition"].endswith("公务用车运行维护费以及其他费用。")
    assert "包括办公及印刷费" in r["definition"]
    assert definition(terms["001"], "基本支出")["definition"] == \
        "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"  # '九、**基本支出**：' stripped
    r = definition(terms["002"], "“三公”经费")  # continued on line 511 '（含外宾接待）支出。'
    assert r["line"] == 509 and r["definition"].endswith("各类公务接待(含外宾接待)支出。")
    assert definition(terms["003"], "财政拨款")["definition"] == "指由一般公共预算、政府性基金预算安排的财政拨款数。"
    r = definition(terms["004"], "基本支出")  # follows a bracketed instruction line
    assert r["line"] == 592 and r["definition"] == "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"


def test_glossary_skips_instructions_and_trailers(terms):
    for recs in terms.values():
        for r in recs:
            assert "名词解释" not in r["term"]
            assert "请根据" not in r["definition"] and "解释本部门" not in r["definition"]
    assert definition(terms["003"], "机关运行经费")["definition"].endswith("公务用车运行维护费及其他费用。")
    assert definition(terms["004"], "社会保障和就业支出(类)人力资源和社会保障管理事务(款)行政运行(项)")[
        "definition"] == "指行政单位的基本支出。"


def test_change_named_after_a_comparison_cue_keeps_its_item_and_reason(blocks):
    # 004 line 26: "与2018年相比，收、支总计各增加0.75万元，增长0.06%。主要变动原因是人员经费中工资福利支出增加。"
    from budgetkg.etl.extract.narrative import extract_narrative_totals
    changes = {(r["item"], r["value"], r["reason"]) for r in extract_narrative_totals(blocks["004"])
               if r["line"] == 26 and r["comparison"] == "change_vs_previous_year"}
    assert changes == {("income_total", D("0.75"), "人员经费中工资福利支出增加"),
                       ("expenditure_total", D("0.75"), "人员经费中工资福利支出增加")}


@pytest.mark.parametrize("sentence,expected", [
    ("与上年相比，基本支出减少 50.5 万元。", ("basic_expenditure", D("-50.5"))),
    ("比上年，项目支出增加12万元。", ("project_expenditure", D("12"))),
    ("基本支出增加 50.5 万元。", None),  # no comparison set up: not a change
])
def test_item_change_needs_a_comparison_cue(sentence, expected):
    from budgetkg.etl.extract.narrative import extract_narrative_totals
    found = [(r["item"], r["value"]) for r in extract_narrative_totals(segment(read_text(sentence)["lines"]))
             if r["comparison"] == "change_vs_previous_year"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("statement,count", [
    ("宁安市教育局内设办公室、基础教育科、财务审计科3个科室，下属单位12个。", D(3)),
    ("宁安市教育局内设机构：办公室、基础教育科、财务审计科。", None),
    ("本单位下设3个科室，分别是：办公室、基础教育科和财务审计科。", D(3)),
])
def test_division_names_listed_before_or_after_their_count(statement, count):
    records = extract_personnel(segment(read_text(f"二、机构设置\n{statement}编制数45人。")["lines"]))
    assert [r["name"] for r in records if r["kind"] == "division"] == ["办公室", "基础教育科", "财务审计科"]
    assert [r["value"] for r in records if r.get("item") == "divisions"] == ([count] if count else [])
