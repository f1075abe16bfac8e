"""Metadata as real documents print it: unit from the cover, title or 编制部门 line; the fiscal year
from the title or cover, never from a comparison; 部门 vs 单位 level; 预算 vs 决算 phase (issue 11, item 3).

Synthetic texts inline, and the corpus PDFs of ../shared/corpus."""

from pathlib import Path

import pytest

from budgetkg.etl.extract.metadata import extract_metadata, find_year_and_phase, title_text
from budgetkg.etl.mapping import document_iri
from budgetkg.etl.read import read_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BASE = "https://budgetkg.org/"


def meta_of(text):
    return extract_metadata(read_text(text)["lines"])


def test_unit_from_the_cover_when_the_title_names_the_government():
    meta = meta_of("上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区财政局\n目 录\n一、部门主要职能\n"
                   "比2024年预算增加10万元。与2024年预算持平。2024年预算执行数为5万元。\n")
    assert (meta["unit"], meta["year"], meta["phase"], meta["level"]) == ("上海市普陀区财政局", 2025, "budget", "department")
    assert meta["title"] == "上海市普陀区2025年区级部门预算"


@pytest.mark.parametrize("cover,unit,level", [
    ("预算单位：上海市普陀区人民政府办公室", "上海市普陀区人民政府办公室", "unit"),
    ("部门名称：宁安县教育局", "宁安县教育局", "department"),
    ("单位名称：宁安县第1中学", "宁安县第1中学", "unit"),
])
def test_cover_labels_give_unit_and_level(cover, unit, level):
    meta = meta_of(f"宁安县2024年县级单位预算\n{cover}\n目录\n一、单位主要职能\n")
    assert (meta["unit"], meta["year"], meta["level"]) == (unit, 2024, level)


def test_unit_from_the_tables_compiling_line_when_there_is_no_cover():
    text = ("2023年区级部门预算\n目录\n一、部门主要职能\n"
            "编制部门：宁安县第2人民医院 单位：元\n项目\t合计\n收入总计\t100.00\n"
            "编制部门：宁安县第2人民医院 单位：元\n")
    meta = meta_of(text)
    assert (meta["unit"], meta["year"], meta["phase"]) == ("宁安县第2人民医院", 2023, "budget")


def test_unit_names_with_digits_come_from_the_title():
    meta = meta_of("宁安县第1中学2024年度部门决算\n目录\n一、收入决算情况说明\n")
    assert (meta["unit"], meta["year"], meta["phase"]) == ("宁安县第1中学", 2024, "final")


def test_a_comparison_year_never_votes():
    """Without a title, the year is the document's own, however often a comparison names another."""
    text = ("一、收入预算情况说明\n" + "本年收入比2024年预算增加10万元，与2024年预算持平，较2024年预算减少。\n" * 5
            + "2025年部门预算收入合计100万元。\n2024年预算执行数为90万元。\n")
    assert find_year_and_phase(read_text(text)["lines"], "") == (2025, "budget")


@pytest.mark.parametrize("title,year,phase", [
    ("上海市普陀区2025年区级部门预算", 2025, "budget"),
    ("宁安县2024年度部门决算", 2024, "final"),
    ("宁安县教育局2024年“三公”经费预算表", 2024, "budget"),
    ("宁安县教育局2023年度项目支出绩效自评表", 2023, "final"),
])
def test_year_and_phase_from_titles_and_table_titles(title, year, phase):
    assert find_year_and_phase(["正文"], title) == (year, phase)


def test_title_stops_before_the_contents_and_leaves_out_the_cover_label():
    lines = read_text("上海市普陀区2025年区级单位预算\n预算单位：上海市普陀区人民政府办公室\n目 录\n一、单位主要职能\n")["lines"]
    assert title_text(lines) == "上海市普陀区2025年区级单位预算"


def test_department_and_unit_disclosures_of_one_unit_and_year_have_different_iris():
    department = document_iri(BASE, "宁安县教育局", 2025, "budget", "department")
    unit = document_iri(BASE, "宁安县教育局", 2025, "budget", "unit")
    assert department != unit
    assert str(department).endswith("/2025/budget")  # the seeds' IRIs (all 部门 level) are unchanged
    assert str(unit).endswith("/2025/unit-budget")
    assert document_iri(BASE, "宁安县教育局", 2025, "budget") == department


# corpus file -> (unit, year, phase, level): what each cover / title prints
CORPUS_META = {
    "shanghai-putuo-caizhengju-2025-bumen-yusuan.pdf": ("上海市普陀区财政局", 2025, "budget", "department"),
    "shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan.pdf": ("上海市普陀区规划和自然资源局", 2024, "final", "department"),
    "shanghai-putuo-shehui-gongzuobu-2024-bumen-juesuan.pdf": ("中共上海市普陀区委社会工作部", 2024, "final", "department"),
    "shanghai-putuo-wanli-jiedao-2023-bumen-yusuan.pdf": ("上海市普陀区人民政府万里街道办事处", 2023, "budget", "department"),
    "shanghai-putuo-wanli-jiedao-2024-bumen-yusuan.pdf": ("上海市普陀区人民政府万里街道办事处", 2024, "budget", "department"),
    "shanghai-putuo-zhengfu-bangongshi-2025-bumen-yusuan.pdf": ("上海市普陀区人民政府办公室", 2025, "budget", "department"),
    "shanghai-putuo-zhengfu-bangongshi-2025-danwei-yusuan.pdf": ("上海市普陀区人民政府办公室", 2025, "budget", "unit"),
}


@pytest.fixture(scope="module")
def corpus_lines():
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    from budgetkg.etl.blocks import document_blocks
    from budgetkg.etl.readers import read_file
    return {name: document_blocks(read_file(CORPUS / name))[0] for name in CORPUS_META}


@pytest.mark.parametrize("name", CORPUS_META)
def test_metadata_of_every_corpus_pdf(corpus_lines, name):
    meta = extract_metadata(corpus_lines[name])
    assert (meta["unit"], meta["year"], meta["phase"], meta["level"]) == CORPUS_META[name]


def test_department_and_unit_budget_of_one_office_are_two_disclosures(corpus_lines):
    iris = {document_iri(BASE, *[extract_metadata(corpus_lines[name])[k] for k in ("unit", "year", "phase", "level")])
            for name in CORPUS_META if "zhengfu-bangongshi" in name}
    assert len(iris) == 2
