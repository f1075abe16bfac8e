"""Performance tables on the real seeds: projects, indicators per project, exact values per layout,
the funds and 总分 rows, parse_indicator_value, bad input (missing / extra cells) and the mapping."""

from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from budgetkg.vocab import BKG, INDICATOR
from budgetkg.etl.extract.performance import extract_performance, parse_indicator_value
from budgetkg.etl.mapping import GraphBuilder, short_hash
from budgetkg.etl.map_indicators import map_indicator
from budgetkg.etl.read import read_document, read_text
from budgetkg.etl.segment import segment

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
D = Decimal


@lru_cache(maxsize=8)
def records(prefix):
    """Performance records of the seed whose file name starts with prefix ('000' …)."""
    if not SEEDS.is_dir():
        pytest.skip(f"no seed documents at {SEEDS}")
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return extract_performance(segment(read_document(path)["lines"]))


def projects(prefix):
    return [r for r in records(prefix) if r["kind"] == "project_mention"]


def indicators(prefix):
    return [r for r in records(prefix) if r["kind"] == "indicator"]


def project(prefix, name):
    return next(p for p in projects(prefix) if p["name"] == name)


def row(prefix, line):
    return next(r for r in indicators(prefix) if r["line"] == line)


def facts(p):
    return {k: v["value"] for k, v in p["facts"].items()}


# --- projects and indicators per project, every seed ---------------------------------------------

PER_PROJECT = {
    "000": [("全民参保登记计划", 9), ("全区企业基本养老保险扩面征缴、稽核举报奖励金项目", 7),
            ("社会保险代办员经费", 7), ("社会保险业务专项经费", 17)],
    "001": [("1995年以前退休人员生活补助", 7), ("2023年1-3月伤残津贴补助", 8), ("2023年10-12月伤残津贴补助", 7),
            ("2023年4-6月伤残津贴补助", 8), ("2023年7-9月伤残津贴补助", 7), ("2023年伤残人员1-6月伤残津贴增资", 8),
            ("2023年特殊人员伤残津贴补助(罗文)", 7), ("2023年社保经办机构业务经费", 9), ("乌鲁木齐市人员绩效奖", 9),
            ("乌鲁木齐市人员绩效奖追加", 8), ("综合业务费", 13)],
    "002": [("社保专项业务工作运行项目", 21), ("分保测评保密工作建设项目", 10),
            ("2020年4月至2021年3月1995年前退休(退职)人员生活补贴项目", 11), ("业务档案影像硬件设备升级改造项目", 11)],
    "003": [("“金保工程”系统维护费支出绩效目标表", 8), ("“金保工程”系统运行网络线路租用等工作经费", 8),
            ("12333社会保障电话咨询服务中心接线员工作经费", 8), ("个人权益单发放工作经费", 8),
            ("离退休生存状况验证工作经费", 7), ("社会保险标准化工作经费", 8), ("社会保险档案管理工作经费", 7),
            ("社会保险经办办公耗材经费", 8), ("社会保险全民参保计划工作经费", 8), ("社会保险宣传费", 8),
            ("社会保障卡发放工作经费", 8), ("银行手续费、工本费、邮寄费", 8)],
    "004": [("业务运行费", 8), ("助征员费用", 8), ("省管森工企业离退休人员社会化管理工作经费", 6),
            ("社会保险基金预决算管理", 5), ("养老保险基金征缴及经办管理", 7)],
}


@pytest.mark.parametrize("prefix", sorted(PER_PROJECT))
def test_projects_and_indicators_per_project(prefix):
    counts = Counter(r["project"] for r in indicators(prefix))
    assert [(p["name"], counts[p["name"]]) for p in projects(prefix)] == PER_PROJECT[prefix]
    assert all(p["origin"] == "performance_table" for p in projects(prefix))
    assert not [r for r in records(prefix) if r["kind"] == "warning"]
    # every indicator points at the line of its project's name
    lines = {p["name"]: p["line"] for p in projects(prefix)}
    assert all(r["project_line"] == lines[r["project"]] for r in indicators(prefix))


def test_totals_per_seed():
    assert {k: (len(projects(k)), len(indicators(k))) for k in PER_PROJECT} == {
        "000": (4, 40), "001": (11, 91), "002": (4, 53), "003": (12, 94), "004": (5, 34)}


# --- project facts: funds row, 总分, goals --------------------------------------------------------

def test_self_evaluation_facts_001():
    p = project("001", "1995年以前退休人员生活补助")
    assert (p["line"], p["end_line"]) == (182, 199)
    f = facts(p)
    assert f["department"] == "乌鲁木齐市人力资源和社会保障局"
    assert f["implementer"] == "乌鲁木齐市社会保险中心"
    assert (f["initial_budget"], f["budget"], f["executed"]) == (D("2352.00"), D("2352.00"), D("2140.00"))
    assert (f["rate"], f["funds_weight"], f["funds_score"]) == (D("90.99"), D("10"), D("9.10"))
    assert (f["total_weight"], f["total_score"]) == (D("100"), D("98.00"))
    assert p["facts"]["budget"]["printed"] == "2,352.00" and p["facts"]["budget"]["line"] == 185
    assert p["facts"]["total_score"]["line"] == 199
    assert f["overall_target"].startswith("在补助资金到位后，按照待遇支付流程做每人每月 120 元标准的发放工作")
    assert f["actual_outcome"].startswith("补助资金到位后，按照待遇支付流程")
    # funds header shifted one column to the right (项目资金 | '' | '' | 年初预算数 …)
    f = facts(project("001", "乌鲁木齐市人员绩效奖追加"))
    assert (f["budget"], f["executed"], f["rate"], f["funds_score"], f["total_score"]) == (
        D("326.29"), D("326.29"), D("100.00"), D("10.00"), D("97.34"))
    # 总分 row shifted left: 100 | 94.05 分 one column early
    f = facts(project("001", "2023年社保经办机构业务经费"))
    assert (f["total_weight"], f["total_score"]) == (D("100"), D("94.05"))


def test_self_evaluation_facts_000():
    f = facts(project("000", "社会保险业务专项经费"))
    assert (f["initial_budget"], f["budget"], f["executed"], f["rate"]) == (
        D("750"), D("637.5"), D("592.14"), D("92.80"))
    assert (f["funds_weight"], f["funds_score"], f["total_weight"], f["total_score"]) == (
        D("10"), D("9.28"), D("100"), D("98.28"))
    f = facts(project("000", "全区企业基本养老保险扩面征缴、稽核举报奖励金项目"))
    assert (f["executed"], f["rate"], f["total_score"]) == (D("144.5"), D("96"), D("99.6"))


def test_target_table_facts_002_003():
    p = project("002", "分保测评保密工作建设项目")
    f = facts(p)
    assert f["department"] == "新疆维吾尔自治区喀什地区社会保险管理局"
    assert f["budget"] == D("5.76") and p["facts"]["budget"]["line"] == 428
    assert f["overall_target"].startswith("根据喀什地委机要保密局下发《关于加快电子政务内网(涉密域)")
    assert "executed" not in f and "total_score" not in f
    assert facts(project("002", "社保专项业务工作运行项目"))["overall_target"].startswith("根据人社厅《")
    p = project("003", "社会保险宣传费")   # one cell per line: the name is the cell after 项目名称
    assert p["line"] == 2489 and p["facts"]["budget"]["line"] == 2493
    assert facts(p)["budget"] == D("15")
    assert facts(p)["department"] == "昌吉回族自治州社会保险管理局"


def test_completion_table_facts_004():
    p = project("004", "省管森工企业离退休人员社会化管理工作经费")
    f = facts(p)
    assert p["line"] == 315
    assert (f["budget"], f["executed"]) == (D("7.69"), D("7.69"))
    assert f["department"] == "攀枝花市社会保险事务中心"
    assert f["overall_target"].startswith("确保全市社保经办机构代管的30423名省管森工企业离退休人员")
    assert f["actual_outcome"].startswith("确保代管的30423名省管森工企业离退休人员")
    assert p["end_line"] >= 389   # the project continues in the next table block (page break)


# --- indicator rows, per layout --------------------------------------------------------------------

def test_tab_rows_with_carried_levels_001():
    r = row("001", 191)
    assert (r["project"], r["level1"], r["level2"], r["level3"]) == (
        "1995年以前退休人员生活补助", "产出指标", "数量指标", "补贴发放人数")
    assert (r["target"], r["actual"], r["weight"], r["score"]) == (">=16000 人", "=14390 人", D("10"), D("8.90"))
    assert r["deviation"].startswith("1995 年以前退休人员年龄多为高龄人员")
    r = row("001", 193)   # level 1 carried down, level 2 printed
    assert (r["level1"], r["level2"], r["level3"], r["target"], r["score"]) == (
        "产出指标", "质量指标", "补贴足额发放率", "=100%", D("10.00"))
    r = row("001", 219)
    assert (r["level1"], r["level2"], r["target"], r["actual"], r["weight"], r["score"]) == (
        "成本指标", "经济成本指标", "≤7386.02 元", "=3845 元", D("20"), D("10.40"))
    # a deviation reason continued on a row of its own after a page break
    assert row("001", 266)["deviation"].endswith("满意度评价为 100%，超过预设指标上限。")
    assert row("001", 439)["deviation"].endswith("政务信息网满意度评价较高，超过预设指标上限。")


def test_shifted_rows_001():
    r = row("001", 356)   # level cells missing, name in the level-2 column
    assert (r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"], r["score"]) == (
        "产出指标", "数量指标", "聘用人员补助月数", ">=7 个月", "=7 个月", D("7"), D("7.00"))
    r = row("001", 357)   # a level-2 category in the level-1 column
    assert (r["level1"], r["level2"], r["level3"]) == ("产出指标", "质量指标", "补助资金到位率")
    r = row("001", 359)   # shifted left with the deviation in the last column
    assert (r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"], r["score"]) == (
        "成本指标", "经济成本指标", "每人每月补助金额", "<=750 元/月", "=526.9 元/ 月", D("20"), D("14.05"))
    assert r["deviation"] == "根据文件要求代办员补助月数为7个月，所以人均补助金额小于目标值。"
    r = row("001", 403)   # name alone in the level-1 column
    assert (r["level1"], r["level2"], r["level3"], r["target"], r["weight"], r["score"]) == (
        "产出指标", "质量指标", "资金到位率", "=100%", D("9"), D("9.00"))
    r = row("001", 243)   # line-break spaces inside Chinese removed
    assert (r["level1"], r["level3"]) == ("满意度指标", "发放对象对相关工作的满意度")


def test_shifted_rows_000():
    r = row("000", 275)   # level cells missing: name, two empties, target, actual, weight, score, reason
    assert (r["level1"], r["level2"], r["level3"]) == ("项目完成指标", "数量指标", "全疆社保基金预决算汇审培训及其他业务培训费")
    assert (r["target"], r["actual"], r["weight"], r["score"], r["deviation"]) == (
        "预计 47 万元", "35", D("5"), D("4"), "因机构改革，划出部分费用至医保局")
    r = row("000", 209)   # row shifted left by the side-label column
    assert (r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"], r["score"]) == (
        "满意度指标", "满意度指标", "参保群众满意度", "90%", "95%", D("10"), D("10"))
    r = row("000", 282)   # the 绩效目标表 side label repeated in the first column
    assert (r["level1"], r["level2"], r["weight"]) == ("项目完成指标", "质量指标", D("5"))
    r = row("000", 201)   # two-line header (年度 / 指标值, 实际 / 完成值)
    assert (r["target"], r["actual"], r["weight"], r["score"]) == ("282 万人", "323.18 万人", D("25"), D("25"))
    assert row("000", 249)["level1"] == "指标"   # printed as is


def test_target_table_rows_002():
    r = row("002", 399)
    assert (r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"]) == (
        "产出指标", "数量指标", "购置高拍仪数量", "≥3台", None, None)
    r = row("002", 413)   # 支付劳务费 shifted left, levels carried
    assert (r["level1"], r["level2"], r["level3"], r["target"]) == ("产出指标", "成本指标", "支付劳务费", "≤9.3万元")
    r = row("002", 417)   # after the second header (table split by a blank line)
    assert (r["level1"], r["level2"], r["level3"], r["target"]) == (
        "效益指标", "社会效益指标", "提高公共服务能力的效果", "有效提高")
    r = row("002", 434)   # shifted right by one
    assert (r["level1"], r["level2"], r["level3"], r["target"]) == ("产出指标", "时效指标", "资金拨付及时率", "=100%")
    r = row("002", 458)
    assert (r["level1"], r["level2"], r["level3"], r["target"]) == (
        "产出指标", "成本指标", "事业部分调资后的最低待遇", "≤5167.85元/人/次")
    r = row("002", 463)
    assert (r["level1"], r["level2"], r["level3"], r["target"]) == (
        "效益指标", "可持续影响指标", "保障退休人员待遇发放期限", "≥2年")
    assert row("002", 408)["target"] == "2021年12月"


def test_cell_per_line_rows_003_004():
    r = row("003", 2517)
    assert (r["project"], r["level1"], r["level2"], r["level3"], r["target"], r["actual"]) == (
        "社会保险宣传费", "项目完成指标", "数量指标", "微信公众号推送动漫政策宣传信息(次)", "6次(2分钟/次)", None)
    r = row("003", 2522)
    assert (r["level1"], r["level2"], r["target"]) == ("项目完成指标", "数量指标", "1")
    r = row("003", 2694)
    assert (r["project"], r["level1"], r["level2"], r["level3"], r["target"]) == (
        "银行手续费、工本费、邮寄费", "满意度指标", "满意度指标", "参保群众满意度", "100%")
    r = row("004", 439)
    assert (r["project"], r["level1"], r["level2"], r["target"], r["actual"], r["weight"]) == (
        "社会保险基金预决算管理", "项目完成指标", "数量指标", "≥2次", "4次", None)
    # a row continued in the next table block after a page break: levels carried across blocks
    r = row("004", 385)
    assert (r["project"], r["level1"], r["level2"], r["level3"], r["target"], r["actual"]) == (
        "省管森工企业离退休人员社会化管理工作经费", "效益指标", "社会效益", "维护社会稳定",
        "3人以上上访事件少于5件", "3人以上上访事件少于5件")
    r = row("004", 202)
    assert (r["project"], r["level3"], r["target"]) == ("业务运行费", "退休人员", "满意度≧90%")


def test_total_row_is_not_an_indicator():
    for prefix in PER_PROJECT:
        assert not [r for r in indicators(prefix) if "总分" in r["level3"] or r["level3"] in ("一级指标", "三级指标")]


# --- parse_indicator_value ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("≥90%", ("≥", "90", "%")), (">=16000 人", ("≥", "16000", "人")), ("=120 元/人", ("=", "120", "元/人")),
    ("≤14.3万元", ("≤", "14.3", "万元")), ("\\geq 20%", ("≥", "20", "%")), ("1228 万人", ("=", "1228", "万人")),
    ("100%", ("=", "100", "%")), ("=12 次", ("=", "12", "次")), ("≥3台", ("≥", "3", "台")),
    ("≤5167.85元/人/次", ("≤", "5167.85", "元/人/次")), ("大于 90%", (">", "90", "%")),
    ("90%以上", ("≥", "90", "%")), ("达到95%以上", ("≥", "95", "%")), ("<=7386.02 元", ("≤", "7386.02", "元")),
    ("满意度≧90%", ("≥", "90", "%")), ("不低于 95%", ("≥", "95", "%")), ("少于5件", ("<", "5", "件")),
    ("6次(2分钟/次)", ("=", "6", "次")), ("≥2年", ("≥", "2", "年")), ("=0 次", ("=", "0", "次")),
    ("=526.9 元/ 月", ("=", "526.9", "元/月")), ("62", ("=", "62", "")),
])
def test_parse_indicator_value(text, expected):
    got = parse_indicator_value(text)
    assert (got["comparator"], got["value"], got["unit"]) == (expected[0], D(expected[1]), expected[2])
    assert isinstance(got["value"], Decimal)


@pytest.mark.parametrize("text", ["2021年12月", "有效提高", "第 2 季度完成", "每月 25 日前", "比 2018 年增长 0.65%",
                                  "2019年全年", "1-12月", "3人以上上访事件少于5件", "", None,
                                  "2019 年 1 月 1 日-2019 年 12 月 31 日"])
def test_parse_indicator_value_not_quantitative(text):
    assert parse_indicator_value(text) is None


# --- bad input -----------------------------------------------------------------------------------

def _extract(text):
    return extract_performance(segment(read_text(text)["lines"]))


HEAD = ("项目名称\t测试项目\t\t\t\t\t\t\t\n"
        "\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
        "\t产出指标\t数量指标\t发放人数\t≥50 人\t=52 人\t10\t10.00\t\n")


def test_missing_cell_is_realigned():
    recs = _extract(HEAD + "\t\t发放次数\t≥3 次\t=3 次\t10\t9.50\t\n总分\t\t\t\t\t\t100\t19.50\t\n")
    inds = [r for r in recs if r["kind"] == "indicator"]
    assert [(r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"], r["score"], r["line"])
            for r in inds] == [
        ("产出指标", "数量指标", "发放人数", "≥50 人", "=52 人", D("10"), D("10.00"), 3),
        ("产出指标", "数量指标", "发放次数", "≥3 次", "=3 次", D("10"), D("9.50"), 4)]
    assert recs[0]["facts"]["total_score"]["value"] == D("19.50")
    assert not [r for r in recs if r["kind"] == "warning"]


def test_extra_cell_is_reported_with_its_line():
    recs = _extract(HEAD + "\t\t\t发放次数\t按季度\t≥3 次\t=3 次\t10\t9.50\t\n")
    warnings = [r for r in recs if r["kind"] == "warning"]
    assert [w["line"] for w in warnings] == [4]
    assert "发放次数" in warnings[0]["message"]
    assert [r["level3"] for r in recs if r["kind"] == "indicator"] == ["发放人数"]


def test_extra_cell_one_cell_per_line_is_reported():
    cells = [["项目名称", "测试项目"], ["一级指标", "二级指标", "三级指标", "指标值"],
             ["产出指标", "数量指标", "发放人数", "≥50 人"], ["", "", "发放次数", "≥3 次", "多出的说明", "另一段"]]
    text = "\n\n".join("\n".join("\t" + c for c in row) for row in cells) + "\n"
    recs = _extract(text)
    assert [(r["level3"], r["target"]) for r in recs if r["kind"] == "indicator"] == [("发放人数", "≥50 人")]
    assert [w["line"] for w in recs if w["kind"] == "warning"] == [14]


# --- mapping -------------------------------------------------------------------------------------

def test_map_indicator():
    builder = GraphBuilder("https://budgetkg.org/", {"unit": "某单位", "year": 2023, "phase": "final"})
    rec = {"kind": "indicator", "project": "测试项目", "level1": "产出指标", "level2": "服务 指标",
           "level3": "发放人数", "target": ">=16000 人", "actual": "有效提升", "weight": D("10"),
           "score": D("8.90"), "deviation": "减员", "line": 191, "section": "s", "text": "t"}
    map_indicator(builder, rec)
    map_indicator(builder, dict(rec, line=192))
    triples = set(builder.triples)
    proj = URIRef(f"{builder.doc}/project/{short_hash('测试项目')}")
    nodes = sorted({s for s, p, o in triples if p == RDF.type and o == BKG.PerformanceIndicator})
    assert len(nodes) == 2 and str(nodes[1]) == str(nodes[0]) + "-2"
    node = nodes[0]
    assert str(node).startswith(f"{proj}/indicator/")
    assert (node, BKG.project, proj) in triples
    assert (node, BKG.indicatorLevel1, INDICATOR["output"]) in triples
    minted = INDICATOR["x-" + short_hash("服务指标")]
    assert (node, BKG.indicatorLevel2, minted) in triples
    assert (minted, SKOS.prefLabel, Literal("服务指标", lang="zh")) in triples
    assert (minted, SKOS.inScheme, BKG.IndicatorCategoryScheme) in triples
    assert (node, BKG.targetComparator, Literal("≥", datatype=XSD.string)) in triples
    assert (node, BKG.targetValue, Literal("16000", datatype=XSD.decimal)) in triples
    assert (node, BKG.targetUnit, Literal("人", datatype=XSD.string)) in triples
    assert (node, BKG.actualText, Literal("有效提升", datatype=XSD.string)) in triples
    assert not [t for t in triples if t[0] == node and t[1] == BKG.actualValue]
    assert (node, BKG.score, Literal("8.90", datatype=XSD.decimal)) in triples
    assert (node, BKG.deviationReason, Literal("减员", lang="zh")) in triples
    assert (node, SKOS.prefLabel, Literal("发放人数", lang="zh")) in triples
    # the categories' Chinese labels are repeated on the indicator as plain strings (what cq08 reads)
    assert (node, BKG.indicatorLevel1Label, Literal("产出指标", datatype=XSD.string)) in triples
    assert (node, BKG.indicatorLevel2Label, Literal("服务指标", datatype=XSD.string)) in triples


def test_map_indicator_level_label_is_the_code_list_label_for_a_synonym():
    builder = GraphBuilder("https://budgetkg.org/", {"unit": "某单位", "year": 2023, "phase": "final"})
    map_indicator(builder, {"kind": "indicator", "project": "测试项目", "level1": "产出", "level2": "数 量",
                            "level3": "发放人数", "target": "10所", "line": 5, "section": "s", "text": "t"})
    triples = set(builder.triples)
    node = next(s for s, p, o in triples if p == RDF.type and o == BKG.PerformanceIndicator)
    labels = {p: o for s, p, o in triples if s == node and p in (BKG.indicatorLevel1Label, BKG.indicatorLevel2Label)}
    assert labels == {BKG.indicatorLevel1Label: Literal("产出指标", datatype=XSD.string),
                      BKG.indicatorLevel2Label: Literal("数量指标", datatype=XSD.string)}
    concepts = {o: str(label) for s, p, o in triples if s == node and p in (BKG.indicatorLevel1, BKG.indicatorLevel2)
                for c, q, label in triples if c == o and q == SKOS.prefLabel}
    assert sorted(concepts.values()) == ["产出指标", "数量指标"]


# --- cq08 -----------------------------------------------------------------------------------------

def test_cq08_indicators(runner, built_store):
    import csv
    import io

    from budgetkg.cli import main
    query = Path(__file__).resolve().parents[1] / "queries" / "cq08-indicators.rq"
    result = runner.invoke(main, ["query", str(query), "--store", str(built_store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert reader.fieldnames == ["unit", "year", "project", "level1", "level2", "level3", "target", "actual",
                                 "weight", "score"]
    assert Counter(r["unit"] for r in rows) == {
        "新疆维吾尔自治区社会保险管理局": 40, "乌鲁木齐市社会保险中心": 91, "新疆维吾尔自治区喀什地区社会保险管理局": 53,
        "昌吉回族自治州社会保险管理局": 94, "攀枝花市社会保险事务中心": 34}
    first = next(r for r in rows if r["level3"] == "补贴发放人数" and r["target"] == ">=16000 人")
    assert (first["year"], first["level1"], first["level2"], first["actual"],
            D(first["weight"]), D(first["score"])) == ("2023", "产出指标", "数量指标", "=14390 人", D("10"), D("8.90"))
    assert "1995年以前退休人员生活补助" in first["project"]
    target_only = next(r for r in rows if r["level3"] == "支付劳务费")
    assert (target_only["level2"], target_only["target"], target_only["actual"], target_only["weight"]) == (
        "成本指标", "≤9.3万元", "", "")
    assert next(r for r in rows if r["level3"] == "机关事业单位参保职工")["level1"] == "指标"


NATIONAL_TEMPLATE = """项目支出绩效自评表
| 项目名称 | 校舍维修项目 | | | | | | |
|---|---|---|---|---|---|---|---|
| 主管部门 | 宁安市教育局 | 实施单位 | 宁安市教育局 | | | | |
| 项目资金(万元) | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| | 年度资金总额 | 120.00 | 120.00 | 118.50 | 10 | 98.75% | 9.88 |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 维修学校数 | 10所 | 10所 | 20 | 20 | |
| 成本指标 | 社会成本指标 | 施工扰民投诉 | ≤2次 | 1次 | 10 | 10 | |
| 满意度指标 | 服务对象满意度指标 | 师生满意度 | ≥90% | 88% | 10 | 8 | 部分工程延期 |
| 总分 | | | | | 100 | 97.88 | |
"""


def test_national_template_level_names_and_satisfaction_indicators_in_pipe_rows():
    records = extract_performance(segment(read_text(NATIONAL_TEMPLATE)["lines"]))
    rows = [(r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"], r["score"],
             r.get("deviation")) for r in records if r["kind"] == "indicator"]
    assert rows == [
        ("产出指标", "数量指标", "维修学校数", "10所", "10所", D("20"), D("20"), None),
        ("成本指标", "社会成本指标", "施工扰民投诉", "≤2次", "1次", D("10"), D("10"), None),
        ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "88%", D("10"), D("8"), "部分工程延期"),
    ]
    assert not [r for r in records if r["kind"] == "warning"]
