"""Partial, truncated and blank documents (issue 11, item 5): a page holding only some tables publishes
what it holds with unit and year from its title; tables the document's own 目录 lists but never prints
are named in a warning; a blank template is "no figures: a blank template?", not a crash."""

from pathlib import Path

import pytest

from budgetkg.etl.extract.contents import missing_tables
from budgetkg.etl.pipeline import ExtractionError, process_document
from budgetkg.etl.read import read_text
from budgetkg.etl.readers.text import text_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BASE = "https://budgetkg.org/"


def process_text(text, name="doc.txt"):
    return process_document(text_document(read_text(text, path=name)), BASE)


FUNCTIONAL_PAGE = """宁安县教育局2024年一般公共预算支出功能分类预算表
单位：万元
科目编码\t科目名称\t合计
205\t教育支出\t100.00
2050101\t行政运行\t100.00
"""


def test_a_page_holding_only_one_table_publishes_what_it_holds():
    """Two figures: fewer than a whole disclosure prints, but the title names unit, year and phase."""
    result = process_text(FUNCTIONAL_PAGE, "page.txt")
    assert (result["meta"]["unit"], result["meta"]["year"], result["meta"]["phase"]) == ("宁安县教育局", 2024, "budget")
    assert result["figures"] == 2


def test_a_three_public_page_publishes_its_figures():
    text = ("宁安县教育局2023年度财政拨款“三公”经费支出决算\n"
            "2023年度“三公”经费支出决算为12.50万元，其中：因公出国（境）费0万元，公务接待费2.50万元。\n")
    result = process_text(text, "sangong.txt")
    assert (result["meta"]["unit"], result["meta"]["year"], result["meta"]["phase"]) == ("宁安县教育局", 2023, "final")
    assert result["figures"] >= 1


SELF_EVALUATION = """宁安市教育局2023年度项目支出绩效自评表
| 项目名称 | 校舍维修项目 | | | | | | |
|---|---|---|---|---|---|---|---|
| 主管部门 | 宁安市教育局 | 实施单位 | 宁安市教育局 | | | | |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 维修学校数 | 10所 | 10所 | 20 | 20 | |
| 满意度指标 | 服务对象满意度指标 | 师生满意度 | ≥90% | 88% | 10 | 8 | 部分工程延期 |
"""


def test_a_self_evaluation_table_on_its_own_publishes_its_indicators():
    from budgetkg.vocab import BKG
    from rdflib.namespace import RDF
    result = process_text(SELF_EVALUATION, "ziping.txt")
    assert (result["meta"]["unit"], result["meta"]["year"], result["meta"]["phase"]) == ("宁安市教育局", 2023, "final")
    assert len({s for s, p, o in result["triples"] if p == RDF.type and o == BKG.PerformanceIndicator}) == 2


def test_text_without_any_figure_is_not_a_disclosure():
    with pytest.raises(ExtractionError, match="poem.txt: not a budget or final-account disclosure"):
        process_text("床前明月光，\n疑是地上霜。\n", "poem.txt")


def test_a_title_without_figures_is_still_rejected_as_truncated():
    with pytest.raises(ExtractionError, match="only 0 financial figures"):
        process_text("宁安县教育局2024年度部门决算\n目录\n一、收入决算情况说明\n", "title-only.txt")


def test_a_blank_table_template_is_reported_as_holding_no_figures():
    text = "上海市XX局2024年度部门决算\n收入支出决算总表\n单位：万元\n项目\t决算数\n收入总计\t\n支出总计\t\n"
    with pytest.raises(ExtractionError, match=r"blank.txt: no figures: a blank template\? \(1 table\(s\), none with an amount"):
        process_text(text, "blank.txt")


CONTENTS = """宁安县教育局2024年度部门决算
目录
一、收入支出决算总表
二、收入决算表
三、“三公”经费支出决算表
第二部分 情况说明
一、收入支出决算总表
"""


def test_contents_listing_tables_never_printed_names_them():
    assert [text for _, text in missing_tables(read_text(CONTENTS)["lines"])] == ["二、收入决算表", "三、“三公”经费支出决算表"]


def test_contents_warning_is_part_of_the_result():
    text = CONTENTS + "收入总计\t100.00\n支出总计\t100.00\n本年收入合计\t100.00\n"
    result = process_text(text, "partial.txt")
    warnings = [w["message"] for w in result["warnings"] if "table of contents" in w["message"]]
    assert len(warnings) == 1 and "二、收入决算表" in warnings[0] and "“三公”经费支出决算表" in warnings[0]
    assert "一、收入支出决算总表" not in warnings[0]


def test_a_section_heading_of_the_contents_is_not_a_missing_table():
    text = ("目录\n一、部门主要职能\n五、部门预算表\n1. 2025年部门收入预算总表\n"
            "一、部门主要职能\n本部门负责教育工作。\n2025年部门收入预算总表\n")
    assert missing_tables(read_text(text)["lines"]) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus")
def test_the_blank_corpus_template_gives_a_clear_no_figures_result():
    from budgetkg.etl.pipeline import process_file
    with pytest.raises(ExtractionError, match=r"template-bumen-juesuan-2024-blank.pdf: no figures: a blank template\?"):
        process_file(CORPUS / "template-bumen-juesuan-2024-blank.pdf")
