"""Test helpers: a read Document written back as a workbook, a Word file or a web page.

The format-invariance tests write a seed's blocks (read by the text reader) into each format with
the ordinary libraries (openpyxl, python-docx, an HTML string), read the file back with its reader
and compare the records the extractors give. Table rows are written as long as the text prints
them (etl.blocks.table_rows)."""

import html
import re
from collections import Counter

from budgetkg.etl.blocks import document_blocks, table_rows
from budgetkg.etl.extract import extract_records
from budgetkg.etl.model import Heading, Paragraph, Table
from test_layouts import _without_lines

TITLE_ROW = 1  # the sheet row of a table's caption; its unit line below it, the grid after a blank row
GRID_ROW = 4


def write_workbook(document, path):
    """Each table of the document on its own sheet: caption in A1, '单位：…' in A2, grid from row 4."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    for n, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(f"T{n}")
        if table.caption:
            sheet.cell(TITLE_ROW, 1, table.caption)
        if table.unit:
            sheet.cell(TITLE_ROW + 1, 1, f"单位:{table.unit}")
        for r, cells in enumerate(table_rows(table)):
            for c, text in enumerate(cells):
                if text:
                    cell = sheet.cell(GRID_ROW + r, 1 + c, text)
                    cell.data_type = "s"  # '=12 次' is printed text, not a formula
    workbook.save(path)
    return path


def write_docx(document, path):
    """Headings with Word heading styles of their level, paragraphs, tables in document order."""
    import docx

    word = docx.Document()
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, min(block.level, 9))
        elif isinstance(block, Paragraph):
            word.add_paragraph(block.text)
        elif isinstance(block, Table):
            rows = table_rows(block)
            table = word.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for row, cells in zip(table.rows, rows):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
                for extra in row._tr.tc_lst[len(cells):]:  # the row is as long as the text prints it
                    row._tr.remove(extra)
    word.save(path)
    return path


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_某某区人民政府网</title>
<script>var tracker = "统计代码";</script><style>p {{ margin: 0 }}</style></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/gk">政府信息公开</a> <a href="/hd">互动交流</a></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/gk">财政预决算</a></div>
<table class="xxgk"><tr><td>索引号：</td><td>00000-0000-2020-00001</td><td>发布机构：</td><td>某某局</td></tr>
<tr><td>发文日期：</td><td>2020-09-01</td><td>主题分类：</td><td>财政</td></tr></table>
<div id="zoom">
{body}
</div>
<div class="share">分享到：<a href="#">微信</a></div><div><a href="#">打印本页</a> <a href="#">关闭窗口</a></div>
<div class="footer">主办单位：某某区人民政府办公室 版权所有 <a href="/map">网站地图</a></div>
</body></html>
"""


def html_body(document):
    """The blocks as HTML: <hN> for headings, <p> for paragraphs, <table> rows as printed."""
    out = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            rows = "\n".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
                             for cells in table_rows(block))
            out.append(f'<table border="1">\n{rows}\n</table>')
    return "\n".join(out)


def write_html(document, path):
    """A government-style page: navigation, breadcrumbs, a 索引号 box, the body in #zoom, a footer."""
    title = next((b.text for b in document.blocks if isinstance(b, Paragraph)), "")
    path.write_text(PAGE.format(title=html.escape(title), body=html_body(document)), encoding="utf-8")
    return path


def encrypt_office_file(plain, locked, password="secret"):
    """Write ``locked``: the Office Open XML file ``plain`` encrypted with a password (msoffcrypto)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as source, open(locked, "wb") as target:
        OOXMLFile(source).encrypt(password, target)
    return locked


def comparable_records(document, tables_only=False):
    """The records the extractors give for a document as a multiset, without what depends on the
    format: line numbers (also inside warning messages) and source snippets; with ``tables_only``,
    the records of its tables alone, without sections (a workbook holds the tables, not the headings)."""
    blocks = document_blocks(document)[1]
    if tables_only:
        blocks = [b for b in blocks if b["type"] == "table"]
    records = []
    for record in extract_records(blocks):
        record = {k: v for k, v in record.items() if not (tables_only and k == "section")}
        if isinstance(record.get("message"), str):
            record["message"] = re.sub(r"\bline \d+", "line N", record["message"])
        records.append(record)
    return Counter(_without_lines(r) for r in records)
