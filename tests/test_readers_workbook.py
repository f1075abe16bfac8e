"""The workbook reader: sheets to titles and tables with spans, exact numbers, sheet/cell provenance,
bad workbooks as clear errors, blank templates as 'no figures', and a seed's tables read the same from
a workbook as from its text."""

import random
from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.extract import extract_records
from budgetkg.etl.model import Table
from budgetkg.etl.pipeline import ExtractionError, process_document
from budgetkg.etl.read import InputError
from budgetkg.etl.readers import read_file
from budgetkg.etl.readers.structured import number_text
from budgetkg.etl.readers.workbook import calamine_sheets, format_places, sheet_blocks
from format_writers import comparable_records, encrypt_office_file, write_workbook

openpyxl = pytest.importorskip("openpyxl")

SEEDS = ["000_c5b847b5dca8784f.txt", "001_c4555a3cefcfab39.txt", "002_1387b3e8b115f6e3.txt",
         "003_da74c3619f0a1806.txt", "004_075cd51c8785aeb9.txt"]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.parametrize("value, text", [
    (1237.62, "1237.62"), (1237.6199999999999, "1237.62"), (0.1 + 0.2, "0.3"), (100.0, "100"),
    (5, "5"), (-0.0, "0"), (1e20, "100000000000000000000"), (0.000125, "0.000125"), (-27.5, "-27.5")])
def test_stored_numbers_print_exactly_without_float_artefacts(value, text):
    assert number_text(value) == text


def test_number_formats_give_places_and_percent_but_never_drop_digits():
    assert format_places("#,##0.00_ ") == (2, False)
    assert format_places("0.0%") == (1, True)
    assert format_places("General") == (None, False)
    assert format_places("yyyy-mm-dd") == (None, False)
    assert number_text(1237.6, 2) == "1237.60"
    assert number_text(0.125, percent=True) == "12.5%"


def budget_sheet(ws, unit="元", values=(12376200, 10000000.5, 2376199.5)):
    """A 一般公共预算支出 sheet as a template prints it: a merged title, 编制部门/单位 line, a two-row
    header with merged cells (编码 over 类/款/项, a vertical 科目名称, 支出预算 over three columns)."""
    ws["A1"] = "2025年部门一般公共预算支出功能分类预算表"
    ws.merge_cells("A1:G1")
    ws["A2"], ws["G2"] = "编制部门：某某局", f"单位：{unit}"
    ws["A4"], ws["D4"], ws["E4"] = "功能分类科目编码", "功能分类科目名称", "一般公共预算支出"
    ws.merge_cells("A4:C4")
    ws.merge_cells("D4:D5")
    ws.merge_cells("E4:G4")
    for col, text in zip("ABCEFG", ["类", "款", "项", "合计", "基本支出", "项目支出"]):
        ws[f"{col}5"] = text
    rows = [(208, None, None, "社会保障和就业支出"), (208, "01", None, "人力资源和社会保障管理事务"),
            (208, "01", "01", "行政运行")]
    for r, (cls, kuan, xiang, name) in enumerate(rows, start=6):
        for col, value in zip("ABCD", (cls, kuan, xiang, name)):
            if value is not None:
                ws[f"{col}{r}"] = value
        for col, value in zip("EFG", values):
            ws[f"{col}{r}"] = value
    return ws


def read_sheet(tmp_path, build, name="b.xlsx"):
    workbook = openpyxl.Workbook()
    build(workbook.active)
    workbook.save(tmp_path / name)
    return read_file(tmp_path / name)


def test_merged_header_cells_become_spans_with_sheet_and_cell_locations(tmp_path):
    document = read_sheet(tmp_path, budget_sheet)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    table = tables[0]
    assert table.caption == "2025年部门一般公共预算支出功能分类预算表" and table.unit == "元"
    spans = {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells if c.text}
    assert spans["功能分类科目编码"] == (0, 0, 1, 3)
    assert spans["功能分类科目名称"] == (0, 3, 2, 1)
    assert spans["一般公共预算支出"] == (0, 4, 1, 3)
    cell = next(c for c in table.cells if c.text == "行政运行")
    assert (cell.location.sheet, cell.location.cell, cell.location.table, cell.location.row,
            cell.location.column) == ("Sheet", "D8", 1, 5, 4)
    assert table.grid()[4] == ["208", "01", "01", "行政运行", "12376200", "10000000.5", "2376199.5"]


def test_figures_from_a_sheet_in_yuan_are_exact_wanyuan(tmp_path):
    records = extract_records(document_blocks(read_sheet(tmp_path, budget_sheet))[1])
    figures = {(r["code"], r["exptype"]): r for r in records if r["kind"] == "figure"}
    assert set(figures) == {(code, t) for code in ("208", "20801", "2080101") for t in (None, "basic", "project")}
    total = figures[("2080101", None)]
    assert total["value"] == Decimal("1237.62") and total["printed"] == "12376200"
    assert total["printed_unit"] == "元" and total["level"] == 3
    assert figures[("2080101", "basic")]["value"] == Decimal("1000.00005")
    assert figures[("2080101", "project")]["value"] == Decimal("237.61995")


def coded_sheet(ws, unit, values):
    """A one-row-header table: 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出, whole codes as numbers."""
    ws.append(["2025年部门支出预算总表"])
    ws.append([f"单位：{unit}"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    for code, name in ((208, "社会保障和就业支出"), (20801, "人力资源和社会保障管理事务"), (2080101, "行政运行")):
        ws.append([code, name, *values])


def test_every_column_of_a_table_in_yuan_is_exact_wanyuan(tmp_path):
    document = read_sheet(tmp_path, lambda ws: coded_sheet(ws, "元", (12376200, 10000000.5, 2376199.5)))
    records = extract_records(document_blocks(document)[1])
    figures = {(r["code"], r["exptype"]): r["value"] for r in records if r["kind"] == "figure"}
    assert figures[("2080101", None)] == Decimal("1237.62")
    assert figures[("20801", "basic")] == Decimal("1000.00005")
    assert figures[("208", "project")] == Decimal("237.61995")


def test_a_sheet_in_wanyuan_with_float_cells_prints_them_as_typed(tmp_path):
    document = read_sheet(tmp_path, lambda ws: coded_sheet(ws, "万元", (1237.62, 0.1 + 0.2, 1237.32)))
    records = extract_records(document_blocks(document)[1])
    values = {(r["code"], r["exptype"]): (r["value"], r["printed"], r["printed_unit"])
              for r in records if r["kind"] == "figure"}
    assert values[("2080101", None)] == (Decimal("1237.62"), "1237.62", "万元")
    assert values[("2080101", "basic")] == (Decimal("0.3"), "0.3", "万元")


def test_number_format_places_dates_and_percentages(tmp_path):
    from datetime import date

    def build(ws):
        ws.append(["项目", "金额", "比例", "日期", "取整显示"])
        ws.append(["一、财政拨款收入", 5000, 0.125, date(2025, 1, 31), 1237.62])
        for ref, number_format in (("B2", "#,##0.00"), ("C2", "0.0%"), ("E2", "#,##0")):
            ws[ref].number_format = number_format
    table = next(b for b in read_sheet(tmp_path, build).blocks if isinstance(b, Table))
    assert table.grid()[1] == ["一、财政拨款收入", "5000.00", "12.5%", "2025-01-31", "1237.62"]


def test_tables_of_one_sheet_split_at_new_titles_and_title_rows_are_blocks(tmp_path):
    def build(ws):
        ws["A1"] = "收入支出预算总表"
        ws.append(["单位：万元"])
        ws.append(["项目", "预算数"])
        ws.append(["一、一般公共预算", 10.5])
        ws.append([])
        ws.append([])
        ws.append(["“三公”经费预算表"])
        ws.append(["合计", "因公出国(境)费"])
        ws.append([3, 1])
    document = read_sheet(tmp_path, build)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert [(t.caption, t.unit, t.n_rows) for t in tables] == [
        ("收入支出预算总表", "万元", 2), ("“三公”经费预算表", None, 2)]
    assert [t.location.table for t in tables] == [1, 2]
    assert [b.text for b in document.blocks if not isinstance(b, Table)] == [
        "收入支出预算总表", "单位:万元", "“三公”经费预算表"]


def test_calamine_reads_the_same_sheet_grid(tmp_path):
    workbook = openpyxl.Workbook()
    budget_sheet(workbook.active)
    workbook.save(tmp_path / "b.xlsx")
    grid = calamine_sheets(tmp_path / "b.xlsx")[0]
    blocks = sheet_blocks(grid, "b.xlsx")
    assert [b.grid() for b in blocks if isinstance(b, Table)] == [
        b.grid() for b in read_file(tmp_path / "b.xlsx").blocks if isinstance(b, Table)]


def test_an_xls_workbook_is_read_with_its_merged_cells(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    workbook = xlwt.Workbook(encoding="utf-8")
    ws = workbook.add_sheet("收入总表")
    ws.write_merge(0, 0, 0, 4, "2025年部门收入预算总表")
    ws.write(1, 0, "单位：万元")
    ws.write_merge(3, 4, 0, 0, "科目编码")
    ws.write_merge(3, 4, 1, 1, "科目名称")
    ws.write_merge(3, 3, 2, 4, "收入预算")
    for col, text in enumerate(["合计", "财政拨款收入", "事业收入"], start=2):
        ws.write(4, col, text)
    for col, value in enumerate([2080101, "行政运行", 1237.62, 0.1 + 0.2, 1237.32]):
        ws.write(5, col, value)
    workbook.save(str(tmp_path / "old.xls"))
    table = next(b for b in read_file(tmp_path / "old.xls").blocks if isinstance(b, Table))
    assert (table.caption, table.unit) == ("2025年部门收入预算总表", "万元")
    assert table.grid() == [["科目编码", "科目名称", "收入预算", "", ""], ["", "", "合计", "财政拨款收入", "事业收入"],
                            ["2080101", "行政运行", "1237.62", "0.3", "1237.32"]]
    spans = {c.text: (c.rowspan, c.colspan, c.location.sheet, c.location.cell) for c in table.cells if c.text}
    assert spans["科目编码"] == (2, 1, "收入总表", "A4") and spans["收入预算"] == (1, 3, "收入总表", "C4")


@pytest.mark.parametrize("make, message", [
    (lambda good: bytes(random.Random(7).randrange(256) for _ in range(3000)), "not a workbook"),
    (lambda good: good[: len(good) // 2], "corrupt workbook"),
    (lambda good: b"", "empty file"),
])
def test_damaged_workbooks_are_input_errors_naming_the_file(tmp_path, make, message):
    workbook = openpyxl.Workbook()
    budget_sheet(workbook.active)
    workbook.save(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make((tmp_path / "good.xlsx").read_bytes()))
    with pytest.raises(InputError, match=message) as caught:
        read_file(bad)
    assert str(bad) in str(caught.value)


def test_password_protected_workbook_is_an_input_error(tmp_path):
    pytest.importorskip("msoffcrypto")
    workbook = openpyxl.Workbook()
    budget_sheet(workbook.active)
    workbook.save(tmp_path / "plain.xlsx")
    encrypt_office_file(tmp_path / "plain.xlsx", tmp_path / "locked.xlsx")
    with pytest.raises(InputError, match=r"locked.xlsx: encrypted \(password-protected\) workbook"):
        read_file(tmp_path / "locked.xlsx")


def test_an_old_binary_file_named_xls_that_is_not_a_workbook_is_an_input_error(tmp_path):
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    with pytest.raises(InputError, match="old.xls: corrupt workbook"):
        read_file(bad)


@pytest.mark.parametrize("name", ["template-bumen-yusuan-2026-blank.xlsx", "template-danwei-yusuan-2026-blank.xlsx"])
def test_blank_templates_build_to_no_figures(name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"no corpus file {path}")
    document = read_file(path)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) >= 9 and any("三公" in t.caption for t in tables)
    assert all(t.location.sheet for t in tables)
    with pytest.raises(ExtractionError, match="no figures") as caught:
        process_document(document, "https://budgetkg.org/")
    assert name in str(caught.value)


def test_a_filled_template_sheet_gives_coded_figures_in_wanyuan_located_by_cell(tmp_path):
    path = CORPUS / "template-bumen-yusuan-2026-blank.xlsx"
    if not path.is_file():
        pytest.skip(f"no corpus file {path}")
    workbook = openpyxl.load_workbook(path)
    for sheet in [s for s in workbook.worksheets if s.title != "部门一般公共预算拨款表"]:
        workbook.remove(sheet)
    ws = workbook["部门一般公共预算拨款表"]  # rows 9-11: 205 / 205 02 / 205 02 05 in 类, 款, 项 columns
    for row, values in ((9, (12376200, 10000000, 2376200)), (11, (12376200.5, 10000000.5, 2376200))):
        for col, value in zip("EFG", values):
            ws[f"{col}{row}"] = value
    workbook.save(tmp_path / "filled.xlsx")
    lines, blocks, locations = document_blocks(read_file(tmp_path / "filled.xlsx"))
    figures = {(r["code"], r["exptype"]): r for r in extract_records(blocks) if r["kind"] == "figure"}
    assert set(figures) == {(code, exptype) for code in ("205", "2050205") for exptype in (None, "basic", "project")}
    item = figures[("2050205", "basic")]
    assert (item["value"], item["printed"], item["printed_unit"], item["level"], item["source"]) == (
        Decimal("1000.00005"), "10000000.5", "元", 3, "general_public_budget")
    where = locations[item["line"]]
    assert (where.sheet, where.cell, where.table) == ("部门一般公共预算拨款表", "A11", 1)


@pytest.mark.parametrize("name", SEEDS)
def test_a_seeds_tables_give_the_same_records_from_a_workbook(seeds_dir, tmp_path, name):
    text = read_file(seeds_dir / name)
    workbook = read_file(write_workbook(text, tmp_path / "seed.xlsx"))
    expected = comparable_records(text, tables_only=True)
    assert sum(expected.values()) > 30
    assert comparable_records(workbook, tables_only=True) == expected
