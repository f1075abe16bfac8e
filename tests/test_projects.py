"""Project mentions, merging (with must-merge and must-not-merge pairs from the seeds) and topics."""

from decimal import Decimal as D

import pytest

from budgetkg.etl.extract.projects import extract_project_mentions
from budgetkg.etl.pipeline import process_file
from budgetkg.etl.projects import link_projects, merge_mentions, name_key, similarity
from budgetkg.etl.read import read_document, read_text
from budgetkg.etl.segment import segment


def mentions_of(examples_dir, name):
    return extract_project_mentions(segment(read_document(examples_dir / name)["lines"]))


def mention(name, origin, budget=None, line=1):
    facts = {"budget": {"value": D(budget), "printed": budget, "line": line}} if budget else {}
    return {"kind": "project_mention", "name": name, "line": line, "end_line": line, "section": "",
            "text": name, "origin": origin, "facts": facts}


@pytest.mark.parametrize("a,b", [
    ("“金保工程”系统维护费支出绩效目标表", "“金保工程”系统维护费"),  # suffix
    ("12333社会保障电话咨询服务中心接线员工作经费", "12333社会保障电话咨询服务中心工作经费"),  # inserted word
    ("离退休生存状况验证工作经费", "离退休人员生存状况验证工作经费"),  # dropped 人员
    ("银行手续费、工本费、邮寄费", "银行手续费、工本费、邮寄费经费"),
    ("2020年4月至2021年3月1995年前退休(退职)人员生活补贴项", "2020年4月至2021年3月1995年前退休（退职）人员生活补贴项目"),
    ("社会保险经办办公耗材经费", "社会保险经办机构公共耗材等办公经费"),
])
def test_seed_name_variants_merge_across_listings(a, b):
    projects = merge_mentions([mention(b, "description", "62"), mention(a, "performance_table", "62", 2)])
    assert len(projects) == 1
    assert projects[0]["name"] == b and projects[0]["alt_names"] == [a]


@pytest.mark.parametrize("a,b", [
    ("“金保工程”系统维护费", "“金保工程”系统运行网络线路租用等工作经费"),
    ("社会保险标准化工作经费", "社会保险档案管理工作经费"),
    ("2023 年 1-3 月伤残津贴补助", "2023 年 10-12 月伤残津贴补助"),
])
def test_different_projects_across_listings_do_not_merge(a, b):
    assert len(merge_mentions([mention(a, "description"), mention(b, "performance_table", line=2)])) == 2


def test_mentions_in_one_listing_never_merge():
    # 乌鲁木齐市人员绩效奖 and …追加 are two self-evaluation tables of one document (001)
    same = merge_mentions([mention("乌鲁木齐市人员绩效奖", "performance_table"),
                           mention("乌鲁木齐市人员绩效奖追加", "performance_table", line=2)])
    assert len(same) == 2


def test_conflicting_budgets_veto_a_merge():
    assert len(merge_mentions([mention("社会保险宣传费", "description", "15"),
                               mention("社会保险宣传费", "performance_table", "40", 2)])) == 2


def test_best_match_wins():
    projects = merge_mentions([
        mention("“金保工程”系统维护费", "description", "62", 1),
        mention("“金保工程”系统运行网络线路租用等工作经费", "description", "15", 2),
        mention("“金保工程”系统维护费支出绩效目标表", "performance_table", "62", 3)])
    assert [len(p["mentions"]) for p in projects] == [2, 1]


def test_name_key_and_numbers():
    assert name_key("“金保工程”系统维护费支出绩效目标表") == "金保工程系统维护费"
    assert similarity("2023年1-3月伤残津贴补助", "2023年4-6月伤残津贴补助") == 0


def test_narrative_descriptions_and_expenditure_table_of_003_merge_into_12_projects(examples_dir):
    mentions = mentions_of(examples_dir, "003_da74c3619f0a1806.txt")
    assert [m["origin"] for m in mentions].count("description") == 12
    assert [m["origin"] for m in mentions].count("expenditure_table") == 12
    projects = merge_mentions(mentions)
    assert len(projects) == 12 and all(len(p["mentions"]) == 2 for p in projects)
    jinbao = next(p for p in projects if p["name"] == "“金保工程”系统维护费")
    assert jinbao["facts"]["budget"]["value"] == D("62")
    assert jinbao["facts"]["implementer"]["value"] == "昌吉回族自治州社会保险管理局"
    table = next(m for m in jinbao["mentions"] if m["origin"] == "expenditure_table")
    assert table["facts"]["functional_code"]["value"] == "2080108" and table["line"] == 1300


def test_description_fields_of_002(examples_dir):
    mentions = mentions_of(examples_dir, "002_1387b3e8b115f6e3.txt")
    assert [m["name"] for m in mentions] == [
        "分保测评保密工作建设项目", "社保专项业务工作运行项目",
        "2020年4月至2021年3月1995年前退休(退职)人员生活补贴项目", "业务档案影像硬件设备升级改造项目"]
    third = mentions[2]
    assert third["facts"]["budget"]["value"] == D("12.564")
    assert third["facts"]["funding_source_text"]["value"] == "年初结转"
    assert third["facts"]["policy_basis"]["value"].startswith("新财社〔2019〕124号")


def test_summary_sentences_of_004(examples_dir):
    mentions = mentions_of(examples_dir, "004_075cd51c8785aeb9.txt")
    summaries = [(m["name"], m["facts"]["budget"]["value"], m["facts"]["executed"]["value"], m["line"])
                 for m in mentions if m["origin"] == "summary"]
    assert summaries[0] == ("助征员费用", D("40"), D("40"), 105)
    assert summaries[2] == ("省管森工企业离退休人员社会化管理工作经费", D("7.69"), D("7.69"), 107)
    assert len(summaries) == 5


def test_project_described_in_text_only_is_published():
    text = ("某某局2022年部门预算公开\n七、项目支出情况说明\n1. 项目名称：社会保障卡发放工作经费\n"
            "预算安排规模：35万元\n项目承担单位：某某局\n")
    records = link_projects(extract_project_mentions(segment(read_text(text)["lines"])))
    project = next(r for r in records if r["kind"] == "project")
    assert project["name"] == "社会保障卡发放工作经费" and "社保卡" in project["topics"]
    budget = next(r for r in records if r["kind"] == "figure")
    assert (budget["item"], budget["value"], budget["line"]) == ("project_budget", D("35"), 4)


def test_topics_of_seed_projects(examples_dir):
    result = process_file(examples_dir / "003_da74c3619f0a1806.txt")
    from rdflib.namespace import SKOS
    from budgetkg.vocab import BKG
    topics = {}
    labels = {s: str(o) for s, p, o in result["triples"] if p == SKOS.prefLabel}
    for s, p, o in result["triples"]:
        if p == BKG.topic:
            topics.setdefault(labels[s], set()).add(labels[o])
    assert "信息化" in topics["“金保工程”系统维护费"]
    assert "档案" in topics["社会保险档案管理工作经费"]
    assert "社保卡" in topics["社会保障卡发放工作经费"]
    assert "宣传" in topics["社会保险宣传费"]
    assert all(1 <= len(t) <= 3 for t in topics.values()) and len(topics) == 12
