"""The Word reader: paragraphs and tables in body order, headings from styles and numbering, merged
cells as spans, captions and units, locations; bad files as clear errors; a seed written as .docx gives
the same records as its text, and builds to the same disclosure."""

import random
import zipfile
from decimal import Decimal

import pytest

from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.extract import extract_records
from budgetkg.etl.model import Heading, Paragraph, Table
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read import InputError
from budgetkg.etl.readers import read_file
from format_writers import comparable_records, encrypt_office_file, write_docx

docx = pytest.importorskip("docx")

SEEDS = ["000_c5b847b5dca8784f.txt", "001_c4555a3cefcfab39.txt", "002_1387b3e8b115f6e3.txt",
         "003_da74c3619f0a1806.txt", "004_075cd51c8785aeb9.txt"]


def budget_docx(path):
    """A small disclosure part: a styled heading, numbered headings, a caption and unit, a table with a
    merged header (合计 over nothing, 支出 over two columns, a vertical 科目名称), then more text."""
    word = docx.Document()
    word.add_heading("部门预算情况说明", 1)
    word.add_paragraph("一、收入支出预算总体情况")
    word.add_paragraph("2025年部门支出预算总表")
    word.add_paragraph("单位：万元")
    table = word.add_table(rows=4, cols=5)
    header = [["科目编码", "科目名称", "合计", "支出", ""], ["", "", "", "基本支出", "项目支出"],
              ["208", "社会保障和就业支出", "1237.62", "1000.00", "237.62"],
              ["2080101", "行政运行", "１２３７．６２", "1000.00", "237.62"]]
    for row, cells in zip(table.rows, header):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    table.cell(0, 3).merge(table.cell(0, 4))  # 支出 over 基本支出 | 项目支出 (gridSpan)
    table.cell(0, 1).merge(table.cell(1, 1))  # 科目名称 down two rows (vMerge)
    table.cell(0, 0).merge(table.cell(1, 0))
    word.add_paragraph("（一）机关运行经费")
    word.add_paragraph("说明文字。")
    word.save(path)
    return path


def test_blocks_come_in_body_order_with_headings_from_styles_and_numbering(tmp_path):
    document = read_file(budget_docx(tmp_path / "d.docx"))
    kinds = [(type(b).__name__, getattr(b, "level", None), getattr(b, "text", None)) for b in document.blocks]
    assert kinds == [("Heading", 1, "部门预算情况说明"), ("Heading", 2, "一、收入支出预算总体情况"),
                     ("Paragraph", None, "2025年部门支出预算总表"), ("Paragraph", None, "单位:万元"),
                     ("Table", None, None), ("Heading", 3, "(一)机关运行经费"), ("Paragraph", None, "说明文字。")]
    assert document.blocks[-1].section == "部门预算情况说明 > 一、收入支出预算总体情况 > (一)机关运行经费"
    assert [b.location.line for b in document.blocks] == [1, 2, 3, 4, 5, 6, 7]


def test_merged_cells_become_spans_and_the_caption_and_unit_are_kept(tmp_path):
    table = next(b for b in read_file(budget_docx(tmp_path / "d.docx")).blocks if isinstance(b, Table))
    assert (table.caption, table.unit, table.location.table) == ("2025年部门支出预算总表", "万元", 1)
    spans = {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells if c.text}
    assert spans["支出"] == (0, 3, 1, 2)
    assert spans["科目名称"] == (0, 1, 2, 1) and spans["科目编码"] == (0, 0, 2, 1)
    assert table.grid()[3] == ["2080101", "行政运行", "1237.62", "1000.00", "237.62"]
    cell = next(c for c in table.cells if c.text == "行政运行")
    assert (cell.location.table, cell.location.row, cell.location.column, cell.location.line) == (1, 4, 2, None)


def test_figures_of_a_word_table_are_exact(tmp_path):
    records = extract_records(document_blocks(read_file(budget_docx(tmp_path / "d.docx")))[1])
    figures = {(r["code"], r["exptype"]): r["value"] for r in records if r["kind"] == "figure"}
    assert figures[("2080101", None)] == Decimal("1237.62") and figures[("208", None)] == Decimal("1237.62")


def test_tables_inside_content_controls_are_read(tmp_path):
    path = budget_docx(tmp_path / "d.docx")
    word = docx.Document(path)
    body = word.element.body
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(content)
    table = body.find(qn("w:tbl"))
    table.addprevious(sdt)
    content.append(table)
    word.save(path)
    assert sum(isinstance(b, Table) for b in read_file(path).blocks) == 1


def _good_docx_bytes(tmp_path):
    return budget_docx(tmp_path / "good.docx").read_bytes()


@pytest.mark.parametrize("name, make, message", [
    ("noise.docx", lambda good: bytes(random.Random(3).randrange(256) for _ in range(2000)), "not a Word document"),
    ("cut.docx", lambda good: good[: len(good) // 2], "corrupt Word document"),
    ("old.doc", lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000), "old binary Office format"),
    ("empty.docx", lambda good: b"", "empty file"),
])
def test_damaged_or_old_word_files_are_input_errors_naming_the_file(tmp_path, name, make, message):
    bad = tmp_path / name
    bad.write_bytes(make(_good_docx_bytes(tmp_path)))
    with pytest.raises(InputError, match=message) as caught:
        read_file(bad)
    assert str(bad) in str(caught.value)


def test_a_docx_without_its_document_part_is_an_input_error(tmp_path):
    good = budget_docx(tmp_path / "good.docx")
    bad = tmp_path / "nobody.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
    with pytest.raises(InputError, match="nobody.docx: corrupt Word document"):
        read_file(bad)


def test_a_docx_saved_as_doc_is_read(tmp_path):
    path = tmp_path / "renamed.doc"
    path.write_bytes(_good_docx_bytes(tmp_path))
    assert sum(isinstance(b, Table) for b in read_file(path).blocks) == 1


def test_password_protected_word_file_is_an_input_error(tmp_path):
    pytest.importorskip("msoffcrypto")
    locked = encrypt_office_file(budget_docx(tmp_path / "plain.docx"), tmp_path / "locked.docx")
    with pytest.raises(InputError, match=r"locked.docx: encrypted \(password-protected\) Word document"):
        read_file(locked)


@pytest.mark.parametrize("name", SEEDS)
def test_a_seed_written_as_docx_gives_the_same_records(seeds_dir, tmp_path, name):
    text = read_file(seeds_dir / name)
    word = read_file(write_docx(text, tmp_path / "seed.docx"))
    assert [type(b) for b in word.blocks] == [type(b) for b in text.blocks]
    expected = comparable_records(text)
    assert sum(expected.values()) > 100
    assert comparable_records(word) == expected


def test_a_seed_written_as_docx_builds_to_the_same_disclosure(seeds_dir, tmp_path):
    text = read_file(seeds_dir / SEEDS[0])
    word = read_file(write_docx(text, tmp_path / "seed.docx"))
    expected, result = process_document(text, "https://budgetkg.org/"), process_document(word, "https://budgetkg.org/")
    assert (result["meta"], result["figures"], result["graph"]) == (
        expected["meta"], expected["figures"], expected["graph"])
    assert result["figures"] > 50
    from budgetkg.vocab import BKG
    tables = {o for s, p, o in result["triples"] if p == BKG.sourceTable}
    assert len(tables) > 3  # figures read from Word tables name their table and row
    assert any(p == BKG.sourceRow for s, p, o in result["triples"])
    assert {(h.text, h.level) for h in word.blocks if isinstance(h, Heading)} == {
        (h.text, h.level) for h in text.blocks if isinstance(h, Heading)}
    assert sum(isinstance(b, Paragraph) for b in word.blocks) == sum(isinstance(b, Paragraph) for b in text.blocks)


def test_a_batch_with_bad_files_publishes_the_good_one_and_names_the_others(seeds_dir, tmp_path, runner):
    from budgetkg.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    write_docx(read_file(seeds_dir / SEEDS[0]), folder / "seed.docx")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04" + bytes(random.Random(5).randrange(256) for _ in range(900)))
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    links = "".join(f'<a href="/{i}.html">第{i}条新闻</a>' for i in range(80))
    (folder / "index.html").write_text(f"<html><body><div>{links}</div></body></html>", encoding="utf-8")
    result = runner.invoke(main, ["build", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert "1 published, 0 unchanged, 3 failed" in result.stdout
    for name, reason in (("broken.xlsx", "corrupt workbook"), ("old.doc", "old binary Office format"),
                         ("index.html", "no article body")):
        assert f"{folder / name}: {reason}" in result.stderr
    assert "Traceback" not in result.output
