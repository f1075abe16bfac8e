"""The PDF reader on small synthetic PDFs (one per case) and on the corpus's real ones."""

from decimal import Decimal

import pytest
from rdflib import Literal

pytest.importorskip("reportlab")
from pdf_fixtures import make_pdf  # noqa: E402

from budgetkg.vocab import BKG  # noqa: E402
from budgetkg.etl.blocks import table_rows  # noqa: E402
from budgetkg.etl.model import Heading, Paragraph, Table  # noqa: E402
from budgetkg.etl.pipeline import process_file  # noqa: E402
from budgetkg.etl.read import InputError  # noqa: E402
from budgetkg.etl.readers import read_file  # noqa: E402
from conftest import REPO  # noqa: E402

HEADER = [["项目", "", "", "", "支出预算", ""],
          ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出"],
          ["类", "款", "项", "", "", ""]]
HEADER_SPANS = {(0, 0): (1, 4), (0, 4): (1, 2), (1, 0): (1, 3), (1, 3): (2, 1), (1, 4): (2, 1), (1, 5): (2, 1)}
WIDTHS = [40, 40, 40, 200, 100, 100]


def table_page(rows, title="2025年部门支出预算总表", top=90, extra=()):
    items = [("text", 300, 40, title, 16), ("text", 60, 70, "编制部门：某某局      单位：元", 10)] if title else []
    items.append(("table", 60, top, WIDTHS, 20, HEADER + rows, HEADER_SPANS))
    return items + list(extra)


def tables_of(doc):
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_merged_header_cells_become_spans(tmp_path):
    path = make_pdf(tmp_path / "spans.pdf", [table_page([["201", "", "", "一般公共服务支出", "1,000.50", "800.00"]])])
    (table,) = tables_of(read_file(path))
    spans = {(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells if c.text}
    assert {("项目", 0, 0, 1, 4), ("支出预算", 0, 4, 1, 2), ("功能分类科目编码", 1, 0, 1, 3),
            ("功能分类科目名称", 1, 3, 2, 1), ("合计", 1, 4, 2, 1), ("类", 2, 0, 1, 1)} <= spans
    assert table.caption == "2025年部门支出预算总表" and table.unit == "元"
    assert table_rows(table)[3] == ["201", "", "", "一般公共服务支出", "1,000.50", "800.00"]
    cell = next(c for c in table.cells if c.text == "1,000.50")
    assert (cell.location.page, cell.location.table, cell.location.row, cell.location.column) == (1, 1, 4, 5)


def test_table_continued_over_a_page_break_is_joined_without_its_repeated_header(tmp_path):
    first = [["201", "", "", "一般公共服务支出", "300.00", "300.00"], ["201", "06", "01", "行政运行", "300.00", "300.00"]]
    second = [["208", "", "", "社会保障和就业支出", "200.00", "200.00"], ["208", "05", "01", "行政单位离退休", "200.00", "200.00"]]
    path = make_pdf(tmp_path / "continued.pdf", [table_page(first, top=400), table_page(second, title="", top=40)])
    (table,) = tables_of(read_file(path))
    rows = table_rows(table)
    assert len(rows) == 3 + 4 and [r[3] for r in rows[3:]] == ["一般公共服务支出", "行政运行", "社会保障和就业支出", "行政单位离退休"]
    assert [table.row_location(r).page for r in range(len(rows))] == [1, 1, 1, 1, 1, 2, 2]


def test_a_titled_table_on_the_next_page_is_a_new_table(tmp_path):
    rows = [["201", "", "", "一般公共服务支出", "300.00", "300.00"]]
    path = make_pdf(tmp_path / "two.pdf", [table_page(rows, top=400), table_page(rows, title="2025年部门收入预算总表")])
    assert [t.caption for t in tables_of(read_file(path))] == ["2025年部门支出预算总表", "2025年部门收入预算总表"]


def test_page_numbers_and_running_headers_are_dropped_headings_found(tmp_path):
    pages = []
    for n in range(1, 4):
        pages.append([("text", 300, 10, "某某局2025年部门预算", 9),
                      ("text", 60, 60, "一、部门主要职能" if n == 1 else f"第{n}页的正文。", 12),
                      ("text", 60, 90, "正文说明，一段很长的话，" * 5, 12),
                      ("text", 60, 106, "接着上一行。", 12),
                      ("text", 400, 570, f"- {n} -", 9)])
    doc = read_file(make_pdf(tmp_path / "running.pdf", pages))
    texts = [b.text for b in doc.blocks]
    assert "某某局2025年部门预算" not in texts and not any(t.startswith("-") for t in texts)
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].text == "一、部门主要职能"
    assert doc.blocks[1].section == "一、部门主要职能" and len(doc.blocks) == 9
    assert [b.location.line for b in doc.blocks[:4]] == [1, 2, 3, 1]


def test_text_outside_the_visible_page_is_ignored(tmp_path):
    doc = read_file(make_pdf(tmp_path / "hidden.pdf", [[("text", 60, 60, "看得见的一行。", 12),
                                                        ("text", 60, -200, "看不见的一行。", 12)]]))
    assert [b.text for b in doc.blocks] == ["看得见的一行。"]


def test_a_pdf_without_text_layer_is_reported_as_a_scan(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [[("box", 50, 50, 400, 300)], [("box", 50, 50, 400, 300)]])
    with pytest.raises(InputError, match=r"scan\.pdf: no text layer \(2 page\(s\).*scanned PDF"):
        read_file(path)


def test_encrypted_corrupt_and_fake_pdfs_are_named(tmp_path):
    locked = make_pdf(tmp_path / "locked.pdf", [[("text", 60, 60, "保密。", 12)]], encrypt="secret")
    with pytest.raises(InputError, match=r"locked\.pdf: encrypted PDF"):
        read_file(locked)
    good = make_pdf(tmp_path / "good.pdf", [[("text", 60, 60, "正文。", 12)]]).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(good[: len(good) // 3])
    with pytest.raises(InputError, match=r"cut\.pdf: corrupt or unreadable PDF"):
        read_file(tmp_path / "cut.pdf")
    (tmp_path / "fake.pdf").write_text("一份文本，不是 PDF。", encoding="utf-8")
    with pytest.raises(InputError, match=r"fake\.pdf: not a PDF file"):
        read_file(tmp_path / "fake.pdf")


def test_a_synthetic_disclosure_publishes_exact_amounts_with_page_table_cell_provenance(tmp_path):
    rows = [["201", "", "", "一般公共服务支出", "1,234,567.89", "1,000,000.00"],
            ["201", "06", "", "财政事务", "1,234,567.89", "1,000,000.00"],
            ["201", "06", "01", "行政运行", "1,234,567.89", "1,000,000.00"]]
    intro = [("text", 200, 40, "临江市统计局2025年部门预算", 20),
             ("text", 60, 100, "一、部门预算编制说明", 14),
             ("text", 60, 130, "2025年，临江市统计局收入预算123.46万元，支出预算123.46万元。", 12)]
    path = make_pdf(tmp_path / "disclosure.pdf", [intro, table_page(rows, title="2025年部门一般公共预算支出功能分类预算表")])
    result = process_file(path)
    assert {k: result["meta"][k] for k in ("unit", "year", "phase")} == {"unit": "临江市统计局", "year": 2025, "phase": "budget"}
    triples = result["triples"]
    amounts = {o for s, p, o in triples if p == BKG.amount}
    assert Literal(Decimal("123.456789")) in amounts and Literal(Decimal("100")) in amounts
    obs = next(s for s, p, o in triples if p == BKG.printedValue and str(o) == "1,234,567.89")
    where = {p: o.toPython() for s, p, o in triples if s == obs and p in (
        BKG.sourcePage, BKG.sourceTable, BKG.sourceRow, BKG.sourceColumn, BKG.sourceLine)}
    assert where[BKG.sourcePage] == 2 and where[BKG.sourceTable] == 1 and where[BKG.sourceColumn] == 5
    assert where[BKG.sourceRow] in (4, 5, 6) and BKG.sourceLine not in where
    narrative = next(s for s, p, o in triples if p == BKG.printedValue and str(o) == "123.46")
    assert {p: o.toPython() for s, p, o in triples if s == narrative and p in (BKG.sourcePage, BKG.sourceLine)} \
        == {BKG.sourcePage: 1, BKG.sourceLine: 3}


@pytest.fixture(scope="module")
def corpus_dir():
    path = REPO.parent / "shared" / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is absent")
    return path


def test_corpus_budget_tables_are_found_joined_and_captioned(corpus_dir):
    doc = read_file(corpus_dir / "shanghai-putuo-caizhengju-2025-bumen-yusuan.pdf")
    tables = tables_of(doc)
    assert doc.pages == 24 and len(tables) == 9
    assert [t.location.page for t in tables] == [9, 10, 12, 14, 15, 17, 18, 19, 21]
    assert [len(table_rows(t)) for t in tables] == [16, 23, 23, 10, 23, 16, 16, 33, 4]
    assert [t.unit for t in tables] == ["元"] * 8 + ["万元"]
    assert all(t.caption.endswith("表") for t in tables)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[0].endswith("2025年区级部门预算") and "名词解释" in headings
    assert not any("……" in b.text for b in doc.blocks if isinstance(b, Heading))
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) > 100
