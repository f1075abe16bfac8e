"""Legal-basis documents: 文号 and title-only citations on the seeds, their ELI mapping and cq09/cq10.

The expected citations were found by reading the seeds (every 号 after a bracketed year, every 《》)."""

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from budgetkg.cli import main
from budgetkg.store import OxigraphStore
from budgetkg.vocab import BKG, ELI
from budgetkg.etl.extract import extract_records
from budgetkg.etl.extract.legal import extract_legal_refs, issuer_code, looks_legal, title_key
from budgetkg.etl.issuers import issuer_body, issuer_table
from budgetkg.etl.map_legal import issuer_iri, legal_iri
from budgetkg.etl.mapping import map_document, short_hash
from budgetkg.etl.pipeline import process_file
from budgetkg.etl.read import read_document, read_text
from budgetkg.etl.segment import segment

QUERIES = Path(__file__).resolve().parents[1] / "queries"
BASE = "https://budgetkg.org/"
SEEDS = {"000": "000_c5b847b5dca8784f.txt", "001": "001_c4555a3cefcfab39.txt",
         "002": "002_1387b3e8b115f6e3.txt", "003": "003_da74c3619f0a1806.txt",
         "004": "004_075cd51c8785aeb9.txt"}

# (line, normalised 文号) of every numbered citation of every seed
NUMBERS = {
    "000": {(155, "新财预〔2018〕158号"), (159, "新政办发〔2018〕55号")},
    "001": set(),
    "002": {(270, "喀地人社字〔2016〕148号"), (270, "喀署办发〔2016〕70号"), (270, "人社厅发〔2020〕111号"),
            (272, "新人社函〔2020〕80号"), (272, "喀党宣〔2020〕3号"), (299, "新财社〔2019〕124号"),
            (299, "喀地财社〔2020〕9号"), (325, "新人社函〔2020〕80号"), (395, "人社厅发〔2020〕111号"),
            (395, "新人社函〔2020〕80号"), (450, "新人社发〔2011〕117号"), (472, "新人社函〔2020〕80号")},
    "003": {(1711, "人力资源和社会保障部令第14号"), (1711, "人社部发〔2011〕107号"), (1719, "中办发〔2003〕16号"), (1719, "劳社部发〔2003〕20号"),
            (1735, "新社险字〔2011〕27号"), (1735, "新社险字〔2011〕33号"), (1749, "新人社函〔2017〕291号"),
            (2130, "中办发〔2003〕16号"), (2130, "劳社部发〔2003〕20号"), (2424, "新政办发〔2018〕55号")},
    "004": {(4, "川人函〔2009〕68号"), (4, "攀编发〔2019〕79号")},
}

# (line, title, article) of every citation by title alone
TITLE_ONLY = {
    "000": {(48, "行政单位会计制度", None), (138, "预算法", None),
            (167, "社保扶贫重点工作任务分解方案和做好城乡居民基本养老保险扶贫经办工作通知", None),
            (171, "自治区加强社会保险经办风险防控工作方案", None),
            (177, "军人退役养老保险关系转移接续实施办法", None),
            (177, "关于做好部分退役士兵补缴基本养老保险费工作的通知", None)},
    "001": {(349, "社会保险费征缴暂行条例", None), (349, "失业保险条例", None)},
    "002": {(48, "中华人民共和国社会保险法", None),
            (258, "关于加快电子政务内网(涉密域)地县横向接入和测评的通知", None),
            (270, "关于印发《喀什地区应对秋冬季新冠肺炎疫情疫情防控应急医疗物资储备保障工作方案》的通知", None),
            (429, "关于加快电子政务内网(涉密域)地县横向接入和测评的通知", None)},
    "003": {(1689, "社会保险法", "第七十二条"), (1696, "社会保险法", "第七十二条"),
            (1703, "关于加快推进12333电话咨询服务事业发展的意见", None),
            (1711, "中华人民共和国社会保险法", None), (1742, "社会保险法", "第七十二条"),
            (1763, "关于做好自治区社会保障卡发行工作的通知", None), (1770, "社会保险法", "第七十二条"),
            (1978, "关于加快推进12333电话咨询服务事业发展的意见", None)},
    "004": set(),
}


def refs_of(name, examples_dir):
    document = read_document(examples_dir / SEEDS[name])
    return extract_legal_refs(segment(document["lines"]))


def refs_of_lines(lines):
    """Legal records of a small document given as lines (normalised like a read file)."""
    return extract_legal_refs(segment(read_text("\n".join(lines))["lines"]))


@pytest.fixture(scope="module")
def seed_refs(examples_dir):
    return {name: refs_of(name, examples_dir) for name in SEEDS}


# --- recognition on the seeds ------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_number_of_every_seed(seed_refs, name):
    got = [(r["line"], r["number"]) for r in seed_refs[name]
           if r["kind"] == "legal_ref" and r["raw"][0] != "《" and r["raw"][:2] != "关于"]
    assert set(got) == NUMBERS[name]
    assert len(got) == len(NUMBERS[name]), "one record per number and line"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_title_only_citations_of_every_seed(seed_refs, name):
    got = {(r["line"], r["title"], r["article"]) for r in seed_refs[name]
           if r["kind"] == "legal_ref" and r["number"] is None}
    assert got == TITLE_ONLY[name]


def test_distinct_numbers_per_seed(seed_refs):
    counts = {name: len({r["number"] for r in refs if r["kind"] == "legal_ref" and r["number"]})
              for name, refs in seed_refs.items()}
    assert counts == {"000": 2, "001": 0, "002": 8, "003": 8, "004": 2}


def test_number_parts_and_raw_text(seed_refs):
    by_raw = {r["raw"]: r for refs in seed_refs.values() for r in refs if r["kind"] == "legal_ref"}
    r = by_raw["新人社函【2017】291号"]
    assert (r["number"], r["issuer_code"], r["year"], r["serial"]) == ("新人社函〔2017〕291号", "新人社函", 2017, 291)
    assert by_raw["新人社发[2011]117号"]["number"] == "新人社发〔2011〕117号"
    assert by_raw["中办发[2003]16号"]["issuer_code"] == "中办发"  # printed after 根据 / at a clause start
    r = by_raw["喀地人社字〔2016〕148号"]
    assert (r["issuer_code"], r["year"], r["serial"], r["section"]) == (
        "喀地人社字", 2016, 148,
        "第三部分 2021年部门预算情况说明 > 七、关于新疆维吾尔自治区喀什地区社会保险管理局 2021年一般公共预算项目支出情况说明")
    assert by_raw["人社部发〔2011〕107号"]["issuer_code"] == "人社部发"  # printed after 和
    assert by_raw["人社部发〔2011〕107号"]["text"] == (
        "设立的政策依据:根据《中华人民共和国社会保险法》、人力资源和社会保障部第14号令和人社部发〔2011〕107号文件要求，"
        "在每一业务年度结束后3个月内，社保经办机构要将参保人员社会保险个人权益记录单以邮寄方式送达本人，"
        "未成年人的个人权益记录单应寄送监护人，同时将个人权益记录管理服务情况纳入社会保险经办机构年度主要业务考核内容。")
    assert all(len(r["text"]) <= 300 for refs in seed_refs.values() for r in refs if r["kind"] == "legal_ref")


def test_titles_attached_to_numbers(seed_refs):
    titles = {(name, r["line"], r["number"]): r["title"] for name, refs in seed_refs.items()
              for r in refs if r["kind"] == "legal_ref" and r["number"]}
    assert titles[("000", 155, "新财预〔2018〕158号")] == "关于印发〈自治区全面实施预算绩效管理的工作方案〉的通知"
    assert titles[("000", 159, "新政办发〔2018〕55号")] == "关于全面实施全民参保计划的通知"
    # 关于印发《X》的通知（number）: the whole printed title, not just X
    assert titles[("002", 270, "喀地人社字〔2016〕148号")] == "关于印发《喀什地区社保局社会保险标准化工作实施方案》的通知"
    assert titles[("002", 270, "喀署办发〔2016〕70号")] == "关于印发《关于进一步加快推进喀什地区标准化工作的实施意见》的通知"
    assert titles[("002", 272, "喀党宣〔2020〕3号")] == "关于印发《软件正版化管理规章制度》的通知"
    # title on line 270, number on line 272 (a paragraph broken inside the title)
    assert titles[("002", 272, "新人社函〔2020〕80号")] == "关于在全区推广实施自治区社会保险统一应用系统(三版)工作的通知"
    assert titles[("002", 395, "人社厅发〔2020〕111号")] == "关于加快推进社会保险经办有关服务事项“跨省通办”的通知"
    # title printed without 《》 right before the bracketed number
    assert titles[("002", 450, "新人社发〔2011〕117号")] == "关于移交地方管理的自治区区属国有企业办医院退休人员享受待遇为题的通知"
    # title after the number; nested 《《》》 kept; a number inside a title stays in the title
    assert titles[("003", 1719, "中办发〔2003〕16号")] == "关于积极推进企业退休人员社会化管理服务工作的意见"
    assert titles[("003", 2130, "劳社部发〔2003〕20号")] == "关于贯彻落实中办发[2003]16号文件有关问题的通知"
    assert titles[("003", 1749, "新人社函〔2017〕291号")] == "关于印发《自治区实施全民参保计划和全覆盖专项行动计划方案》的通知"
    assert titles[("003", 1735, "新社险字〔2011〕27号")] == "社会保险业务档案管理操作规程(试行)"
    assert titles[("004", 4, "川人函〔2009〕68号")] == "关于批准攀枝花市机关事务管理局等39个市属事业单位参照公务员法管理的函"
    for key in [("002", 299, "新财社〔2019〕124号"), ("002", 299, "喀地财社〔2020〕9号"),
                ("003", 1711, "人社部发〔2011〕107号"), ("004", 4, "攀编发〔2019〕79号"),
                ("003", 1719, "劳社部发〔2003〕20号")]:  # the last one's 《 is never closed
        assert titles[key] is None, key


def test_known_issuer_code_before_a_title_only_citation(seed_refs):
    r = next(r for r in seed_refs["003"] if r["kind"] == "legal_ref" and r["line"] == 1703)
    assert (r["number"], r["issuer_code"]) == (None, "新人社发")


def test_table_names_reports_and_plans_are_not_legal_documents(seed_refs):
    titles = {r["title"] for refs in seed_refs.values() for r in refs if r["kind"] == "legal_ref"}
    for negative in ["收入支出决算总表", "一般公共预算财政拨款“三公”经费支出决算表",  # table of contents
                     "攀枝花市社会保险事务中心2019年部门整体支出绩效评价报告",   # report names
                     "助征员费用项目2019年绩效评价报告", "2019年政府收支分类科目",
                     "2019年自治区社会保险经办管理服务工作重点和工作计划目标"]:
        assert negative not in titles
    assert not any(t.endswith(("表", "报告")) for t in titles if t)
    assert not looks_legal("收入支出决算总表", "根据")
    assert not looks_legal("部门整体支出绩效评价报告", "按照")
    assert looks_legal("社会保险法", "")
    assert looks_legal("社会保险业务档案管理操作规程(试行)", "")
    assert looks_legal("2020年工作要点", "根据")
    assert not looks_legal("2020年工作要点", "下达")


def test_unbalanced_bracket_on_a_seed_is_a_warning(seed_refs):
    warnings = [w for refs in seed_refs.values() for w in refs if w["kind"] == "warning"]
    assert [w["line"] for w in warnings] == [1719]
    assert "《关于贯彻落实中办发[2003]16号" in warnings[0]["message"]
    assert "1719" in warnings[0]["message"]


# --- bad input and bracket styles on small texts -----------------------------------------------------

@pytest.mark.parametrize("printed, number", [
    ("根据新政办发〔2018〕55号文件", "新政办发〔2018〕55号"),
    ("依据人社部发[2011]107号文件", "人社部发〔2011〕107号"),
    ("按照川人函(2009)68号文件", "川人函〔2009〕68号"),
    ("按照川人函（2009）68号文件", "川人函〔2009〕68号"),      # full-width parentheses
    ("依据新人社函【2017】291号", "新人社函〔2017〕291号"),
    ("依据国办发［2019］3号", "国办发〔2019〕3号"),             # full-width square brackets
    ("依据国办发[２０１９]３号", "国办发〔2019〕3号"),            # full-width digits
    ("依据新人社函〖2017〗291号", "新人社函〔2017〕291号"),
    ("依据喀地人社字 〔 2016 〕 148 号", "喀地人社字〔2016〕148号"),  # spaces
    ("依据财社〔2020〕第5号", "财社〔2020〕5号"),
    ("依据攀编发〔2019〕079号", "攀编发〔2019〕79号"),
    ("依据新人社函〔2017]291号", "新人社函〔2017〕291号"),     # mismatched pair
    ("贯彻落实中办发[2003]16号", "中办发〔2003〕16号"),
    ("第14号令和人社部发〔2011〕107号", "人社部发〔2011〕107号"),
])
def test_bracket_styles(printed, number):
    refs = [r for r in refs_of_lines([printed + "精神。"]) if r["kind"] == "legal_ref"]
    assert [(r["line"], r["number"]) for r in refs] == [(1, number)]


@pytest.mark.parametrize("printed, number, body, raw", [
    ("根据《社会保险法》、人力资源和社会保障部第14号令和人社部发〔2011〕107号文件", "人力资源和社会保障部令第14号",
     "人力资源和社会保障部", "人力资源和社会保障部第14号令"),                  # body kept whole across 和
    ("依据人力资源和社会保障部令第14号", "人力资源和社会保障部令第14号", "人力资源和社会保障部", "人力资源和社会保障部令第14号"),
    ("按照中华人民共和国国务院令（第710号）", "国务院令第710号", "国务院", "国务院令(第710号)"),  # read: （→(
    ("依据财政部令第 87 号", "财政部令第87号", "财政部", "财政部令第 87 号"),
    ("根据某省住房和城乡建设厅办公厅令第5号", "某省住房和城乡建设厅办公厅令第5号", "某省住房和城乡建设厅办公厅",
     "某省住房和城乡建设厅办公厅令第5号"),                                  # a body not in the table
])
def test_numbered_orders(printed, number, body, raw):
    refs = [r for r in refs_of_lines([printed + "执行。"]) if r["kind"] == "legal_ref" and r["year"] is None
            and r["number"]]
    assert [(r["number"], r["issuer_body"], r["issuer_code"], r["serial"], r["raw"]) for r in refs] == [
        (number, body, None, int(number.split("第")[1][:-1]), raw)]


def test_order_takes_the_title_printed_beside_it():
    refs = refs_of_lines(["依据《社会保险个人权益记录管理办法》（人力资源和社会保障部令第14号）执行。"])
    assert [(r["number"], r["title"]) for r in refs] == [("人力资源和社会保障部令第14号", "社会保险个人权益记录管理办法")]


def test_no_order_without_a_body():
    assert [r for r in refs_of_lines(["根据第3号令执行。", "他命令第3号楼住户搬迁。", "按要求第2号令已下发。"])
            if r["kind"] == "legal_ref"] == []


def test_no_number_without_year_and_serial():
    assert [r for r in refs_of_lines(["按照(2019)年度计划，共完成12号楼改造。", "全年[2020]共100人。"])
            if r["kind"] == "legal_ref"] == []


def test_number_split_across_a_line_break():
    refs = refs_of_lines(["设立的政策依据：根据《关于做好某项工作的通知》（新人社",
                          "函〔2020〕80号）要求开展工作。"])
    assert [(r["line"], r["number"], r["title"], r["raw"]) for r in refs] == [
        (1, "新人社函〔2020〕80号", "关于做好某项工作的通知", "新人社函〔2020〕80号")]


def test_number_split_across_a_page_break():
    refs = refs_of_lines(["按照自治区人民政府办公厅《关于全面实施全民参保计划的通知》（新政办发〔2018〕",
                          "", "- 12 -", "", "55号）精神，推进参保工作。"])
    assert [(r["line"], r["number"], r["title"]) for r in refs] == [
        (1, "新政办发〔2018〕55号", "关于全面实施全民参保计划的通知")]


def test_number_split_between_cells_of_a_cell_per_line_table():
    blocks = [{"type": "table", "line": 10, "end_line": 12, "title": "", "unit": None, "section": "s",
               "layout": "cell-per-line",
               "rows": [{"line": 10, "cells": ["项目依据", "根据人社部发〔2011〕", "107号文件"]}]}]
    refs = extract_legal_refs(blocks)
    assert [(r["line"], r["number"], r["section"]) for r in refs] == [(11, "人社部发〔2011〕107号", "s")]


def test_unbalanced_bracket_is_reported_with_its_line():
    refs = refs_of_lines(["一、项目情况", "设立的政策依据：依据《关于做好某项工作的通知", "开展业务，",
                          "按照有关规定执行》和新政办发〔2018〕55号文件。"])
    warnings = [r for r in refs if r["kind"] == "warning"]
    assert [w["line"] for w in warnings] == [2]
    assert "line 2" in warnings[0]["message"] and "《关于做好某项工作的通知" in warnings[0]["message"]
    legal = [r for r in refs if r["kind"] == "legal_ref"]
    assert [(r["line"], r["number"], r["title"]) for r in legal] == [(4, "新政办发〔2018〕55号", None)]


def test_title_broken_onto_the_next_line_is_not_unbalanced():
    refs = refs_of_lines(["依据《关于做好某项", "工作的通知》（新人社函〔2020〕80号）开展工作。"])
    assert [r["kind"] for r in refs] == ["legal_ref"]
    assert (refs[0]["line"], refs[0]["title"]) == (2, "关于做好某项工作的通知")


def test_title_only_law_with_article_and_title_key():
    refs = refs_of_lines(["依据《中华人民共和国预算法》第七十二条第一款和《预算法实施条例》开展工作。"])
    assert [(r["number"], r["title"], r["article"]) for r in refs] == [
        (None, "中华人民共和国预算法", "第七十二条第一款"), (None, "预算法实施条例", None)]
    assert title_key("中华人民共和国预算法") == title_key("预算法") == "预算法"
    assert title_key("预算法实施条例") != title_key("预算法")


def test_title_only_citation_resolved_by_a_number_in_the_same_document():
    refs = refs_of_lines(["根据《关于做好某项工作的通知》（新人社函〔2020〕80号）开展工作。",
                          "同时继续落实《关于做好某项工作的通知》。"])
    assert [(r["line"], r["number"], r["title"]) for r in refs] == [
        (1, "新人社函〔2020〕80号", "关于做好某项工作的通知"), (2, "新人社函〔2020〕80号", "关于做好某项工作的通知")]


def test_issuer_code_boundaries():
    assert issuer_code("根据中办发") == "中办发"
    assert issuer_code("和人社部发") == "人社部发"
    assert issuer_code("号令和人社部发") == "人社部发"
    assert issuer_code("关于贯彻落实中办发") == "中办发"
    assert issuer_code("的") is None


# --- issuer table --------------------------------------------------------------------------------------

def test_issuer_table():
    assert 20 <= len(issuer_table()) <= 40
    assert issuer_body("新政办发") == "新疆维吾尔自治区人民政府办公厅"
    assert issuer_body("人社部发") == "人力资源和社会保障部"
    assert issuer_body("川人函") == "四川省人事厅"
    assert issuer_body("喀地财社") is None
    assert issuer_body(None) is None


# --- mapping -------------------------------------------------------------------------------------------

META = {"unit": "测试单位", "year": 2020, "phase": "budget", "source_file": "t.txt", "sha256": "0" * 64}


def mapped(records):
    triples, _count, _warnings = map_document(META, records, BASE)
    return set(triples)


def test_mapping_of_a_numbered_document():
    record = {"kind": "legal_ref", "number": "新政办发〔2018〕55号", "issuer_code": "新政办发", "year": 2018,
              "serial": 55, "title": "关于全面实施全民参保计划的通知", "article": None, "line": 7,
              "section": "s", "text": "按照……", "raw": "新政办发〔2018〕55号"}
    triples = mapped([record])
    legal = URIRef(f"{BASE}legal/{short_hash('新政办发〔2018〕55号')}")
    issuer = URIRef(f"{BASE}issuer/{short_hash('新政办发')}")
    doc = next(s for s, p, o in triples if p == RDF.type and o == BKG.Disclosure)
    assert legal == legal_iri(BASE, record) and issuer == issuer_iri(BASE, "新政办发")
    assert {(p, o) for s, p, o in triples if s == legal} == {
        (RDF.type, ELI.LegalResource), (ELI.id_local, Literal("新政办发〔2018〕55号", datatype=XSD.string)),
        (ELI.title, Literal("关于全面实施全民参保计划的通知", lang="zh")),
        (BKG.issuerCode, Literal("新政办发", datatype=XSD.string)),
        (BKG.documentYear, Literal("2018", datatype=XSD.gYear)),
        (BKG.serialNumber, Literal(55, datatype=XSD.integer)), (ELI.passed_by, issuer),
        (PROV.wasDerivedFrom, doc), (BKG.sourceLine, Literal(7, datatype=XSD.integer)),
        (BKG.sourceSection, Literal("s", datatype=XSD.string)),
        (BKG.sourceText, Literal("按照……", datatype=XSD.string))}
    assert {(p, o) for s, p, o in triples if s == issuer} == {
        (RDF.type, BKG.Issuer), (BKG.issuerCode, Literal("新政办发", datatype=XSD.string)),
        (RDFS.label, Literal("新政办发", datatype=XSD.string)),
        (SKOS.prefLabel, Literal("新疆维吾尔自治区人民政府办公厅", lang="zh"))}
    assert (doc, BKG.legalBasis, legal) in triples


def test_mapping_of_a_title_only_law_with_article_cited_by_a_project():
    project = "https://budgetkg.org/doc/x/2020/budget/project/abc"
    record = {"kind": "legal_ref", "number": None, "issuer_code": None, "year": None, "serial": None,
              "title": "社会保险法", "article": "第七十二条", "line": 3, "section": "", "text": "t",
              "raw": "《社会保险法》", "project": project}
    triples = mapped([record])
    legal = URIRef(f"{BASE}legal/title-{short_hash('社会保险法')}")
    part = URIRef(f"{legal}/article/{short_hash('第七十二条')}")
    assert legal_iri(BASE, {"title": "中华人民共和国社会保险法"}) == legal
    assert (legal, RDF.type, ELI.LegalResource) in triples
    assert not any(s == legal and p == ELI.id_local for s, p, o in triples)
    assert {(p, o) for s, p, o in triples if s == part} == {
        (RDF.type, ELI.LegalResourceSubdivision), (ELI.is_part_of, legal),
        (BKG.articleLabel, Literal("第七十二条", datatype=XSD.string))}
    assert (URIRef(project), BKG.legalBasis, legal) in triples
    assert (URIRef(project), BKG.legalBasis, part) in triples
    assert not any(p == BKG.legalBasis and s != URIRef(project) for s, p, o in triples)


def test_mapping_of_an_order_names_its_body_and_has_no_year():
    record = {"kind": "legal_ref", "number": "人力资源和社会保障部令第14号", "issuer_code": None,
              "issuer_body": "人力资源和社会保障部", "year": None, "serial": 14, "title": None, "article": None,
              "line": 2, "section": "", "text": "t", "raw": "人力资源和社会保障部第14号令"}
    triples = mapped([record])
    legal, issuer = legal_iri(BASE, record), issuer_iri(BASE, "人力资源和社会保障部")
    assert {(p, o) for s, p, o in triples if s == legal and p in (ELI.id_local, BKG.serialNumber, BKG.documentYear,
                                                                  ELI.passed_by, BKG.issuerCode)} == {
        (ELI.id_local, Literal("人力资源和社会保障部令第14号", datatype=XSD.string)),
        (BKG.serialNumber, Literal(14, datatype=XSD.integer)), (ELI.passed_by, issuer)}
    assert {(p, o) for s, p, o in triples if s == issuer} == {
        (RDF.type, BKG.Issuer), (SKOS.prefLabel, Literal("人力资源和社会保障部", lang="zh"))}


def test_unknown_issuer_has_a_label_but_no_body():
    record = {"kind": "legal_ref", "number": "喀地财社〔2020〕9号", "issuer_code": "喀地财社", "year": 2020,
              "serial": 9, "title": None, "article": None, "line": 1, "section": "", "text": "", "raw": ""}
    issuer = issuer_iri(BASE, "喀地财社")
    triples = mapped([record])
    assert (issuer, RDFS.label, Literal("喀地财社", datatype=XSD.string)) in triples
    assert not any(s == issuer and p == SKOS.prefLabel for s, p, o in triples)


def test_legal_refs_reach_the_records_of_a_document(examples_dir):
    document = read_document(examples_dir / SEEDS["004"])
    kinds = [r["kind"] for r in extract_records(segment(document["lines"]))]
    assert kinds.count("legal_ref") == 2


# --- whole graph: one resource across documents, cq09 and cq10 -----------------------------------------

@pytest.fixture(scope="module")
def processed(examples_dir):
    return {name: process_file(examples_dir / file) for name, file in SEEDS.items()}


@pytest.fixture(scope="module")
def legal_store(tmp_path_factory, processed):
    store_dir = tmp_path_factory.mktemp("legal") / "store"
    with OxigraphStore(store_dir) as store:
        for result in processed.values():
            store.replace_graph(result["graph"], result["triples"])
    return store_dir


def run(store_dir, name):
    result = CliRunner().invoke(main, ["query", str(QUERIES / name), "--store", str(store_dir),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    return reader.fieldnames, list(reader)


def test_one_iri_for_a_document_cited_by_two_units(processed):
    legal = URIRef(f"{BASE}legal/{short_hash('新政办发〔2018〕55号')}")
    description = {}
    for name in ("000", "003"):
        triples = set(processed[name]["triples"])
        assert (legal, RDF.type, ELI.LegalResource) in triples
        description[name] = {(p, o) for s, p, o in triples if s == legal
                             and p not in (PROV.wasDerivedFrom, BKG.sourceLine, BKG.sourceText,
                                           BKG.sourceSection)}
    assert description["000"] == description["003"]
    issuer = URIRef(f"{BASE}issuer/{short_hash('新政办发')}")
    assert (issuer, SKOS.prefLabel, Literal("新疆维吾尔自治区人民政府办公厅", lang="zh")) in set(
        processed["000"]["triples"])


def test_cq10_shared_legal(legal_store):
    header, rows = run(legal_store, "cq10-shared-legal.rq")
    assert header == ["number", "title", "units"]
    assert rows == [{"number": "", "title": "中华人民共和国社会保险法", "units": "2"},
                    {"number": "新政办发〔2018〕55号", "title": "关于全面实施全民参保计划的通知", "units": "2"}]


def test_cq09_legal_refs(legal_store):
    header, rows = run(legal_store, "cq09-legal-refs.rq")
    assert header == ["number", "title", "unit", "year"]
    keys = [(r["number"] or r["title"], r["unit"], r["year"]) for r in rows]
    assert len(keys) == len(set(keys)), "one row per citing document"
    numbered = {(r["number"], r["unit"]) for r in rows if r["number"]}
    assert len(numbered) == 20  # 18 distinct 文号 and one order, 新政办发〔2018〕55号 cited by two units
    assert {"number": "新政办发〔2018〕55号", "title": "关于全面实施全民参保计划的通知",
            "unit": "昌吉回族自治州社会保险管理局", "year": "2020"} in rows
    assert {"number": "人社部发〔2011〕107号", "title": "", "unit": "昌吉回族自治州社会保险管理局",
            "year": "2020"} in rows
    assert {"number": "", "title": "预算法", "unit": "新疆维吾尔自治区社会保险管理局", "year": "2019"} in rows
    assert {"number": "", "title": "失业保险条例", "unit": "乌鲁木齐市社会保险中心", "year": "2023"} in rows
    title_only = [r for r in rows if not r["number"]]
    assert len(title_only) == 14  # 000: 6, 001: 2, 002: 3, 003: 3 (《社会保险法》 = 《中华人民共和国社会保险法》)
    assert [r["title"] for r in title_only if r["unit"] == "昌吉回族自治州社会保险管理局"
            and "社会保险法" in r["title"]] == ["中华人民共和国社会保险法"]
    assert {r["unit"] for r in rows} == {
        "新疆维吾尔自治区社会保险管理局", "乌鲁木齐市社会保险中心", "新疆维吾尔自治区喀什地区社会保险管理局",
        "昌吉回族自治州社会保险管理局", "攀枝花市社会保险事务中心"}
