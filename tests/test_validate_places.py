"""The arithmetic shapes run on facts of PDF-like provenance (page, table, row, column; no bkg:sourceLine)
and name where they are printed; provenance needs a line, a table row or a cell."""

from decimal import Decimal

import pytest
from rdflib import Graph

from budgetkg.validate import describe_place, validate_graph
from budgetkg.vocab import BKG
from budgetkg.etl.mapping import map_document
from budgetkg.etl.model import Location
from budgetkg.etl.records import figure

META = {"unit": "宁安县教育局", "year": 2024, "phase": "final", "level": "department", "title": "宁安县教育局2024年度部门决算",
        "source_file": "doc.pdf", "sha256": "0" * 64, "files": ["doc.pdf"]}
BASE = "https://budgetkg.org/"


def table_figure(item, value, row, column=2):
    record = figure(item, Decimal(value), line=row, section="一般公共预算财政拨款基本支出决算表")
    record["location"] = Location(file="doc.pdf", page=9, table=3, row=row)
    record["column"] = column
    return record


def validated(records):
    triples, _, _ = map_document(META, records, BASE)
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    findings, _, _ = validate_graph(graph)
    return graph, findings


@pytest.fixture(scope="module")
def mismatch():
    """基本支出 100.00 printed beside 人员经费 60.00 + 公用经费 30.00 = 90.00: a table that does not add up."""
    return validated([table_figure("basic_expenditure", "100.00", 4), table_figure("personnel_expenditure", "60.00", 5),
                      table_figure("public_expenditure", "30.00", 6)])


def test_table_facts_carry_page_table_row_and_column_but_no_line(mismatch):
    graph, _ = mismatch
    obs = next(graph.subjects(BKG.sourceRow, None))
    assert graph.value(obs, BKG.sourceLine) is None
    assert {int(graph.value(obs, p)) for p in (BKG.sourcePage, BKG.sourceTable)} == {9, 3}
    assert int(graph.value(obs, BKG.sourceColumn)) == 2


def test_an_arithmetic_mismatch_in_a_pdf_table_is_reported_with_its_place(mismatch):
    _, findings = mismatch
    assert [f["severity"] for f in findings] == ["Warning"]
    finding = findings[0]
    assert finding["shape"].endswith("#BasicExpenditureShape")
    assert finding["message_zh"].startswith("第 9 页表 3 第 4 行第 2 列基本支出 100.00 万元")
    assert finding["message_en"].startswith("page 9, table 3, row 4, column 2: basic expenditure 100.00")
    assert finding["where_zh"] == "第 9 页表 3 第 4 行第 2 列" and finding["line"] is None


def test_a_table_that_adds_up_has_no_finding():
    _, findings = validated([table_figure("basic_expenditure", "90.00", 4), table_figure("personnel_expenditure", "60.00", 5),
                             table_figure("public_expenditure", "30.00", 6)])
    assert findings == []


def test_a_fact_with_no_place_at_all_is_a_violation():
    record = figure("basic_expenditure", Decimal("1"), line=None)
    _, findings = validated([record])
    assert {(f["severity"], f["shape"].rsplit("#")[-1]) for f in findings} == {("Violation", "ProvenanceShape")}


@pytest.mark.parametrize("parts,zh,en", [
    ({"line": 12}, "第 12 行", "line 12"),
    ({"page": 3, "line": 7}, "第 3 页第 7 行", "page 3, line 7"),
    ({"page": 9, "table": 3, "row": 4, "column": 5}, "第 9 页表 3 第 4 行第 5 列", "page 9, table 3, row 4, column 5"),
    ({"sheet": "收入", "cell": "B12", "table": 1, "row": 12}, "工作表“收入”表 1 第 12 行单元格 B12",
     "sheet 收入, table 1, row 12, cell B12"),
    ({}, None, None),
])
def test_places_are_described_like_the_shapes_messages(parts, zh, en):
    assert (describe_place(parts), describe_place(parts, "en")) == (zh, en)
