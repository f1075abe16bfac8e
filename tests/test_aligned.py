"""Space-aligned tables as `pdftotext -layout` prints them, read by the text reader (etl.readers.aligned).

Each fixture is a small synthetic page built inline: ``at((column, text), ...)`` puts each text at a
character column, as pdftotext lays out a page (every character, CJK included, one column)."""

from decimal import Decimal

from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.extract import extract_records
from budgetkg.etl.model import Heading, Paragraph, Table
from budgetkg.etl.read import read_text
from budgetkg.etl.readers.aligned import find_tables, tokens
from budgetkg.etl.readers.text import text_document


def at(*placed):
    """One line with each (column, text) written from that character column."""
    line = ""
    for column, text in placed:
        assert len(line) <= column, f"{text!r} overlaps the text before it"
        line = line.ljust(column) + text
    return line


def document(lines):
    return text_document(read_text("\n".join(lines), "layout.txt"))


def tables(lines):
    return [b for b in document(lines).blocks if isinstance(b, Table)]


def data_rows(table):
    return [row for row in table.grid() if any(c[:1].isdigit() for c in row[1:] if c)]


INCOME_TABLE = [
    at((20, "2025年部门收入预算总表")),
    at((0, "编制部门：某某局"), (70, "单位：元")),
    "",
    at((19, "项目"), (60, "收入预算")),
    at((0, "功能分类科目编码"), (80, "事业单位")),
    at((23, "功能分类科目名称"), (40, "合计"), (54, "财政拨款收入"), (70, "事业收入"), (90, "其他收入")),
    at((0, "类"), (6, "款"), (11, "项"), (80, "经营收入")),
    "",
    at((0, "201"), (16, "一般公共服务支出"), (38, "1,000.00"), (56, "1,000.00")),
    at((0, "201"), (6, "06"), (16, "财政事务"), (38, "1,000.00"), (56, "1,000.00")),
    "",
    at((0, "201"), (6, "06"), (11, "01"), (16, "行政运行"), (40, "600.00"), (58, "600.00")),
    at((0, "201"), (6, "06"), (11, "02"), (16, "一般行政管理事务"), (40, "400.00"), (58, "400.00")),
    "",
    at((19, "合计"), (38, "1,000.00"), (56, "1,000.00")),
]


def test_multi_line_header_cells_and_class_code_columns():
    [table] = tables(INCOME_TABLE)
    assert (table.caption, table.unit, table.layout) == ("2025年部门收入预算总表", "元", "aligned")
    grid = table.grid()
    assert grid[0][0] == "项目" and "收入预算" in grid[0]  # the group header row
    main = next(row for row in grid if "合计" in row)
    assert main[3:] == ["功能分类科目名称", "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    assert next(row for row in grid if row[0] == "类")[:3] == ["类", "款", "项"]
    assert data_rows(table)[2] == ["201", "06", "01", "行政运行", "600.00", "600.00", "", "", ""]
    assert data_rows(table)[-1][:6] == ["合计", "", "", "", "1,000.00", "1,000.00"]  # heads the stub, as ruled
    assert table.row_location(len(grid) - 1).line == len(INCOME_TABLE)  # each row keeps its line


def test_class_code_table_gives_coded_functional_figures_in_wanyuan():
    expenditure = [at((20, "2025年部门一般公共预算支出功能分类预算表"))] + INCOME_TABLE[1:]
    _, blocks, _ = document_blocks(document(expenditure))
    figures = {(r["code"], r["value"], r["printed"], r["printed_unit"]) for r in extract_records(blocks)
               if r["kind"] == "figure" and r["item"] == "functional_expenditure"}
    assert ("2010601", Decimal("0.06"), "600.00", "元") in figures
    assert ("20106", Decimal("0.1"), "1,000.00", "元") in figures


def test_single_code_column_with_names_broken_over_lines():
    lines = [
        at((17, "一般公共预算财政拨款支出决算表")),
        at((46, "单位：万元")),
        at((0, "科目编码"), (12, "科目名称"), (30, "合计"), (40, "基本支出"), (52, "项目支出")),
        at((0, "208"), (10, "社会保障和就业支出"), (30, "754.75"), (40, "754.75"), (54, "0.00")),
        at((0, "2080505"), (10, "机关事业单位基本养老保"), (30, "446.11"), (40, "446.11"), (54, "0.00")),
        at((10, "险缴费支出")),
        at((0, "2080506"), (10, "机关事业单位职业年金"), (30, "225.12"), (40, "225.12"), (54, "0.00")),
        at((10, "缴费支出")),
    ]
    [table] = tables(lines)
    assert table.grid()[0] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    assert [row[:3] for row in table.grid()[1:]] == [
        ["208", "社会保障和就业支出", "754.75"], ["2080505", "机关事业单位基本养老保险缴费支出", "446.11"],
        ["2080506", "机关事业单位职业年金缴费支出", "225.12"]]


def test_names_centred_on_their_rows_are_joined_from_above_and_below():
    lines = [
        at((0, "单位：万元")),
        at((0, "科目编码"), (12, "科目名称"), (30, "合计"), (40, "基本支出")),
        "",
        at((10, "社会保障和就")),
        at((0, "208"), (30, "754.75"), (40, "754.75")),
        at((10, "业支出")),
        at((10, "机关事业单位")),
        at((0, "2080505"), (10, "基本养老保险"), (30, "446.11"), (40, "446.11")),
        at((10, "缴费支出")),
        at((0, "2080599"), (10, "其他养老支出"), (32, "0.88"), (42, "0.88")),
    ]
    [table] = tables(lines)
    assert [row[:2] for row in table.grid()[1:]] == [
        ["208", "社会保障和就业支出"], ["2080505", "机关事业单位基本养老保险缴费支出"], ["2080599", "其他养老支出"]]


def test_two_sided_table_with_number_and_label_joined_by_one_space():
    lines = [
        at((20, "2025年部门财务收支预算总表")),
        at((0, "编制部门：某某局"), (60, "单位：元")),
        at((18, "本年收入"), (55, "本年支出")),
        at((12, "项目"), (28, "预算数"), (50, "项目"), (70, "预算数")),
        at((0, "一、财政拨款收入"), (24, "31,214,205.80 一、一般公共服务支出"), (65, "22,186,440.80")),
        at((0, "二、事业收入"), (38, "二、社会保障和就业支出"), (68, "9,027,765.00")),
        at((0, "三、其他收入")),
        at((8, "收入总计"), (24, "31,214,205.80"), (46, "支出总计"), (65, "31,214,205.80")),
    ]
    [table] = tables(lines)
    assert table.grid()[1] == ["项目", "预算数", "项目", "预算数"]
    assert data_rows(table) == [
        ["一、财政拨款收入", "31,214,205.80", "一、一般公共服务支出", "22,186,440.80"],
        ["二、事业收入", "", "二、社会保障和就业支出", "9,027,765.00"],
        ["收入总计", "31,214,205.80", "支出总计", "31,214,205.80"]]
    assert ["三、其他收入", "", "", ""] in table.grid()  # a row of empty cells stays a row


def test_table_continued_after_a_form_feed_drops_repeated_header_and_page_number():
    header = [at((0, "科目编码"), (12, "科目名称"), (30, "合计"), (40, "基本支出"), (52, "项目支出"))]
    lines = ([at((10, "支出决算表")), at((46, "单位：万元"))] + header + [
        at((0, "201"), (10, "一般公共服务支出"), (30, "100.00"), (40, "60.00"), (52, "40.00")),
        at((0, "20101"), (10, "人大事务"), (30, "100.00"), (40, "60.00"), (52, "40.00")),
        at((28, "- 1 -")),
        "\f" + header[0]] + [
        at((0, "208"), (10, "社会保障和就业支出"), (31, "50.00"), (41, "50.00")),
        at((0, "20805"), (10, "养老支出"), (31, "50.00"), (41, "50.00")),
        at((28, "- 2 -")),
        "\f" + at((10, "说明"))])
    [table] = tables(lines)
    grid = table.grid()
    assert grid.count(["科目编码", "科目名称", "合计", "基本支出", "项目支出"]) == 1
    assert [row[0] for row in grid[1:]] == ["201", "20101", "208", "20805"]
    assert grid[3] == ["208", "社会保障和就业支出", "50.00", "50.00", ""]
    texts = [b.text for b in document(lines).blocks if not isinstance(b, Table)]
    assert not any("-" in t for t in texts)  # page numbers are not content


def test_wrapped_narrative_is_paragraphs_not_a_table():
    lines = [
        at((16, "部门预算编制说明")),
        "",
        "    2025年，某某局收入预算3,121.42万元，其中：财政拨款收入3,121.42",
        "万元，比2024年预算增加107.62万元；事业收入0万元。",
        " (一)贯彻执行国家和本市有关财政工作的法律、法规、规章和方针、政策，研究本区财政",
        "拟订本区财政发展战略。",
        "一、部门主要职能 " + "…" * 20,
        "\f" + at((16, "其他相关情况说明")),
        "    本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表，特此说明。",
    ]
    doc = document(lines)
    assert not any(isinstance(b, Table) for b in doc.blocks)
    assert find_tables(read_text("\n".join(lines))["lines"]) == []
    headings = [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)]
    assert headings == [(1, "部门预算编制说明"), (1, "其他相关情况说明")]
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].text.startswith("2025年") and paragraphs[0].location.line == 3
    _, blocks, _ = document_blocks(doc)
    totals = {r["item"]: r["value"] for r in extract_records(blocks) if r["kind"] == "figure"}
    assert totals.get("income_this_year") == Decimal("3121.42")  # the sentence joined across the break


def test_cells_split_at_wide_gaps_and_at_number_text_joins_only_in_lines_of_cells():
    assert [t.text for t in tokens("一、财政拨款收入      31,214,205.80 一、一般公共服务支出   22.00")] == [
        "一、财政拨款收入", "31,214,205.80", "一、一般公共服务支出", "22.00"]
    assert [t.text for t in tokens("收入预算 3,121.42 万元，其中财政拨款")] == ["收入预算 3,121.42 万元，其中财政拨款"]
    assert [(t.start, t.text) for t in tokens("30207邮电费      8.05")] == [(0, "30207"), (5, "邮电费"), (14, "8.05")]
