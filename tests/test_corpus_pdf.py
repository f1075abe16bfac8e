"""Table interpretation on the real PDFs of ../shared/corpus (skipped when absent).

Each PDF is read once per session. The expected numbers were read from the PDFs by hand (pdftotext
-layout): totals as printed, the number of 项-level items of the 一般公共预算支出 table and of 款-level
items of the 基本支出 table with some of their amounts, and the 三公 / 机关运行经费 figures."""

from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.extract.headers import analyse
from budgetkg.etl.extract.tables import interpret_table, table_kind
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.readers import read_file

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

# name: (total as printed, unit, total in 万元, 项 items, {(code, exptype): printed}, 款 items,
#        {(code, exptype): printed}, {(三公 item, comparison): printed})
EXPECTED = {
    "shanghai-putuo-caizhengju-2025-bumen-yusuan": (
        "31,214,205.80", "元", "3121.42058",
        11, {("2010601", None): "16,231,840.80", ("2010601", "basic"): "16,093,326.00",
             ("2010601", "project"): "138,514.80", ("2080506", None): "873,617.00",
             ("2210203", None): "2,687,760.00"},
        25, {("30101", None): "2,642,448.00", ("30217", None): "9,500.00", ("30217", "public"): "9,500.00",
             ("31002", None): "90,000.00", ("30302", "personnel"): "717,240.00"},
        {("three_public_total", "value"): "0.95", ("reception", "value"): "0.95",
         ("operating_costs", "value"): "229.43"}),
    "shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan": (
        "9859.38", "万元", "9859.38",
        13, {("2080501", None): "54.53", ("2120101", None): "1092.80", ("2120101", "basic"): "1084.02",
             ("2120101", "project"): "8.77", ("2200150", "project"): "2077.09", ("2210203", None): "171.49"},
        61, {("30101", None): "537.64", ("30107", None): "1594.02", ("30201", None): "84.62",
             ("30229", None): "73.19", ("31002", None): "39.76", ("30302", None): "67.96"},
        {("three_public_total", "initial_budget"): "2.85", ("three_public_total", "value"): "0.39",
         ("overseas", "initial_budget"): "0.00", ("overseas", "value"): "0.00",
         ("vehicle_total", "initial_budget"): "0.00", ("vehicle_total", "value"): "0.00",
         ("vehicle_purchase", "initial_budget"): "0.00", ("vehicle_purchase", "value"): "0.00",
         ("vehicle_operation", "initial_budget"): "0.00", ("vehicle_operation", "value"): "0.00",
         ("reception", "initial_budget"): "2.85", ("reception", "value"): "0.39"}),
    "shanghai-putuo-shehui-gongzuobu-2024-bumen-juesuan": (
        "307.82", "万元", "307.82",
        9, {("2013901", None): "51.32", ("2013950", "basic"): "11.31", ("2013999", "project"): "202.24",
            ("2080506", None): "4.64", ("2210203", None): "11.72"},
        61, {("30101", None): "14.12", ("30102", None): "39.72", ("30239", None): "2.43"},
        {}),  # the 三公 table prints an empty data row
    "shanghai-putuo-wanli-jiedao-2023-bumen-yusuan": (
        "164,978,640", "元", "16497.8640",
        34, {("2010506", None): "26,300", ("2010506", "project"): "26,300", ("2012902", None): "454,100",
             ("2080705", None): "6,351,000"},
        27, {("30101", None): "5,668,416", ("30108", "personnel"): "4,412,547", ("30201", None): "5,811,753",
             ("30302", "personnel"): "177,480"},
        {("three_public_total", "value"): "22.91", ("overseas", "value"): "0", ("reception", "value"): "1.35",
         ("vehicle_total", "value"): "21.56", ("vehicle_purchase", "value"): "0",
         ("vehicle_operation", "value"): "21.56", ("operating_costs", "value"): "786.09"}),
    "shanghai-putuo-wanli-jiedao-2024-bumen-yusuan": (
        "156,211,123", "元", "15621.1123",
        33, {("2010507", None): "257,700", ("2012902", None): "426,000", ("2013202", None): "888,700"},
        28, {("30101", None): "5,873,551", ("30102", None): "16,623,810", ("30107", "personnel"): "11,447,100",
             ("30209", None): "1,090,020", ("30302", "personnel"): "254,940"},
        {("three_public_total", "value"): "47.91", ("overseas", "value"): "0", ("reception", "value"): "1.35",
         ("vehicle_total", "value"): "46.56", ("vehicle_purchase", "value"): "25",
         ("vehicle_operation", "value"): "21.56", ("operating_costs", "value"): "443.18"}),
    "shanghai-putuo-zhengfu-bangongshi-2025-bumen-yusuan": (
        "91,016,775.35", "元", "9101.677535",
        12, {("2010301", None): "12,029,501.84", ("2010301", "basic"): "11,919,501.84",
             ("2010302", "project"): "46,140,000.00", ("2210203", None): "1,867,680.00"},
        25, {("30101", None): "2,540,192.00", ("30201", None): "259,400.00", ("31002", None): "200,000.00"},
        {("three_public_total", "value"): "867.50", ("overseas", "value"): "839.00",
         ("reception", "value"): "28.50", ("operating_costs", "value"): "213.28"}),
    "shanghai-putuo-zhengfu-bangongshi-2025-danwei-yusuan": (
        "91,016,775.35", "元", "9101.677535",
        12, {("2010301", None): "12,029,501.84", ("2010350", "basic"): "3,767,295.58",
             ("2210203", None): "1,867,680.00"},
        25, {("30101", None): "2,540,192.00", ("30108", "personnel"): "1,763,159.52",
             ("31002", "public"): "200,000.00"},
        {("three_public_total", "value"): "867.50", ("overseas", "value"): "839.00",
         ("reception", "value"): "28.50", ("operating_costs", "value"): "213.28"}),
}
TEMPLATE = "template-bumen-juesuan-2024-blank"


def _path(name):
    path = CORPUS / f"{name}.pdf"
    if not path.is_file():
        pytest.skip(f"no corpus PDF at {path}")
    return path


@pytest.fixture(scope="module")
def read_corpus():
    """name -> (Document, table blocks with their kind key and records); each PDF read once."""
    cache = {}

    def get(name):
        if name not in cache:
            document = read_file(_path(name))
            tables = []
            for block in document_blocks(document)[1]:
                if block["type"] != "table":
                    continue
                views = analyse(block)
                kind = table_kind(views).key
                tables.append((block, kind, interpret_table(block)))
            cache[name] = (document, tables)
        return cache[name]
    return get


def _figures(tables, kind):
    return [r for block, k, records in tables if k == kind for r in records if r["kind"] == "figure"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_totals_balance_as_printed(read_corpus, name):
    printed, unit, wanyuan = EXPECTED[name][:3]
    figures = _figures(read_corpus(name)[1], "summary")
    totals = {r["item"]: r for r in figures if r["item"] in ("income_total", "expenditure_total")}
    assert set(totals) == {"income_total", "expenditure_total"}
    for r in totals.values():
        assert (r["printed"], r["printed_unit"], r["value"]) == (printed, unit, Decimal(wanyuan))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_functional_items_of_the_general_public_budget_table(read_corpus, name):
    count, amounts = EXPECTED[name][3:5]
    figures = [r for r in _figures(read_corpus(name)[1], "general_public_functional")
               if r["item"] == "functional_expenditure" and r["level"] == 3]
    assert len({r["code"] for r in figures}) == count
    found = {(r["code"], r["exptype"]): r["printed"] for r in figures}
    assert {k: found.get(k) for k in amounts} == amounts
    assert all(r["source"] == "general_public_budget" for r in figures)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_economic_items_of_the_basic_expenditure_table(read_corpus, name):
    count, amounts = EXPECTED[name][5:7]
    figures = [r for r in _figures(read_corpus(name)[1], "general_public_economic")
               if r["item"] == "economic_expenditure" and r["level"] == 2]
    assert len({r["code"] for r in figures}) == count
    found = {(r["code"], r["exptype"]): r["printed"] for r in figures}
    assert {k: found.get(k) for k in amounts} == amounts


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_three_public_figures(read_corpus, name):
    expected = EXPECTED[name][7]
    figures = _figures(read_corpus(name)[1], "three_public")
    assert {(r["item"], r["comparison"]): r["printed"] for r in figures} == expected
    assert all(r["printed_unit"] == "万元" and r["value"] == Decimal(r["printed"]) for r in figures)


def test_side_by_side_economic_blocks_of_a_final_account(read_corpus):
    """基本支出决算表 prints 编码 | 名称 | 决算数 twice: the right block's 302 and 310 items are read."""
    figures = _figures(read_corpus("shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan")[1],
                       "general_public_economic")
    top = {r["code"]: r["printed"] for r in figures if r["level"] == 1}
    assert top == {"301": "4816.14", "303": "67.96", "302": "440.90", "310": "39.76"}


def test_final_account_summary_sides(read_corpus):
    """收入支出决算总表: 总计 on each side is income / expenditure total; carry-overs by side."""
    tables = read_corpus("shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan")[1]
    found = {r["item"]: r["printed"] for r in _figures(tables, "summary")}
    assert found == {"income_by_source": "9746.50", "income_this_year": "9746.50", "carryover_begin": "112.88",
                     "income_total": "9859.38", "expenditure_this_year": "9759.38",
                     "carryover_end": "100.00", "expenditure_total": "9859.38"}
    fiscal = _figures(tables, "fiscal_summary")
    assert not [r for r in fiscal if r["item"] in ("income_total", "expenditure_total")]  # 财政拨款 totals


def test_expenditure_type_columns_of_the_final_account(read_corpus):
    """支出决算表: 本年支出合计 | 基本支出 | 项目支出 | 上缴上级支出 | 经营支出 | 对附属单位补助支出."""
    figures = _figures(read_corpus("shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan")[1], "expenditure")
    row = {r["exptype"]: r["printed"] for r in figures if r["code"] == "2120101"}
    assert row == {None: "1105.68", "basic": "1096.91", "project": "8.77"}


def test_income_table_total_row(read_corpus):
    tables = read_corpus("shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan")[1]
    found = {r["item"]: r["printed"] for r in _figures(tables, "income")}
    assert found == {"income_this_year": "9746.50", "fiscal_appropriation_income": "9746.50"}


@pytest.mark.parametrize("name", sorted(EXPECTED) + [TEMPLATE])
def test_empty_fund_tables_give_no_figures_and_no_warnings(read_corpus, name):
    tables = read_corpus(name)[1]
    fund = [(k, records) for block, k, records in tables if k in ("government_fund", "state_capital")]
    assert fund and all(records == [] for k, records in fund)


def test_blank_template_tables_give_nothing(read_corpus):
    tables = read_corpus(TEMPLATE)[1]
    assert len(tables) >= 9
    assert [r for block, k, records in tables for r in records] == []


def test_table_figures_are_published_with_page_table_and_column(read_corpus):
    document = read_corpus("shanghai-putuo-caizhengju-2025-bumen-yusuan")[0]
    result = process_document(document, "https://budgetkg.org/")
    predicates = {str(p).rsplit("#", 1)[-1] for s, p, o in result["triples"]}
    assert {"sourcePage", "sourceTable", "sourceRow", "sourceColumn"} <= predicates
