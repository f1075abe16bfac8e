"""The web-page reader: the article body only (navigation, breadcrumbs, 索引号 boxes, share bars and
footers dropped), found by name or structurally; headings, paragraphs and tables with colspan/rowspan;
source lines; encodings; a home page is an error; a seed written as a page gives the same records."""

from decimal import Decimal

import pytest

from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.extract import extract_records
from budgetkg.etl.model import Heading, Paragraph, Table
from budgetkg.etl.read import InputError
from budgetkg.etl.readers import read_file
from format_writers import comparable_records, write_html

SEEDS = ["000_c5b847b5dca8784f.txt", "001_c4555a3cefcfab39.txt", "002_1387b3e8b115f6e3.txt",
         "003_da74c3619f0a1806.txt", "004_075cd51c8785aeb9.txt"]

FILLER = "本部门主要职能是负责本区有关工作，组织实施相关政策，承担上级交办的其他事项。" * 3

# A page whose body sits in containers without a known name: it must be found by its text.
PAGE = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某局2025年部门预算 - 某某区人民政府</title></head>
<body>
<div id="g-top"><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li>
<li><a href="/bs">办事服务</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="crumbs">您的位置：<a href="/">首页</a> &gt; <a href="/zw">预决算公开</a></div>
<div class="wrap"><div class="left-col"><div class="box">
<h1>某某局2025年部门预算</h1>
<div class="info"><span>索引号：11310000-2025-001</span><span>发布机构：某某局</span><span>发布日期：2025-02-10</span></div>
<div class="txt">
<p>第一部分 部门概况</p>
<p>一、主要职能</p>
<p>{FILLER}</p>
<p>二、收入支出预算总体情况<br>2025年收入预算1237.62万元。</p>
<h4>附表</h4>
<p style="text-align:center">2025年部门支出预算总表</p>
<p>单位：万元</p>
<table border="1">
<tr><td rowspan="2">科目编码</td><td rowspan="2">科目名称</td><td rowspan="2">合计</td><td colspan="2">支出</td></tr>
<tr><td>基本支出</td><td>项目支出</td></tr>
<tr><td>208</td><td>社会保障和就业支出</td><td>1,237.62</td><td>1000.00</td><td>237.62</td></tr>
<tr><td>2080101</td><td>行政运行</td><td>1237.62</td><td>1000.00</td><td>237.62</td></tr>
</table>
</div></div></div>
<div class="right-col"><a href="/a">相关文章一</a><a href="/b">相关文章二</a></div></div>
<div class="bottom-links"><a href="#" onclick="window.print()">打印本页</a><a href="#">关闭窗口</a></div>
<div id="foot">版权所有：某某区人民政府办公室 地址：某某路1号 联系电话：12345678</div>
<script>document.write("统计");</script>
</body></html>
"""


def write_page(tmp_path, text=PAGE, name="page.html", encoding="gb18030"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_article_body_is_read_and_the_page_around_it_dropped(tmp_path):
    document = read_file(write_page(tmp_path))
    texts = [b.text for b in document.blocks if not isinstance(b, Table)]
    assert texts == ["某某局2025年部门预算", "第一部分 部门概况", "一、主要职能", FILLER, "二、收入支出预算总体情况",
                     "2025年收入预算1237.62万元。", "附表", "2025年部门支出预算总表", "单位:万元"]
    assert [type(b).__name__ for b in document.blocks[:3]] == ["Paragraph", "Heading", "Heading"]
    assert document.blocks[0].location.line == PAGE.splitlines().index("<h1>某某局2025年部门预算</h1>") + 1
    assert (document.blocks[1].level, document.blocks[2].level) == (1, 2)
    assert next(b for b in document.blocks if b.text == "附表").level == 3  # <h4>, capped as markdown is
    assert document.blocks[2].location.line == PAGE.splitlines().index("<p>一、主要职能</p>") + 1


def test_html_tables_get_their_spans_caption_unit_and_lines(tmp_path):
    table = next(b for b in read_file(write_page(tmp_path)).blocks if isinstance(b, Table))
    assert (table.caption, table.unit, table.location.table) == ("2025年部门支出预算总表", "万元", 1)
    spans = {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells}
    assert spans["科目编码"] == (0, 0, 2, 1) and spans["支出"] == (0, 3, 1, 2)
    assert spans["基本支出"] == (1, 3, 1, 1) and spans["项目支出"] == (1, 4, 1, 1)
    assert table.grid()[3] == ["2080101", "行政运行", "1237.62", "1000.00", "237.62"]
    cell = next(c for c in table.cells if c.text == "行政运行")
    assert cell.location.line == PAGE.splitlines().index(
        "<tr><td>2080101</td><td>行政运行</td><td>1237.62</td><td>1000.00</td><td>237.62</td></tr>") + 1
    assert (cell.location.row, cell.location.column) == (4, 2)


def test_figures_of_an_html_table_are_exact(tmp_path):
    records = extract_records(document_blocks(read_file(write_page(tmp_path)))[1])
    figures = {(r["code"], r["exptype"]): (r["value"], r["printed"]) for r in records if r["kind"] == "figure"}
    assert figures[("208", None)] == (Decimal("1237.62"), "1,237.62")
    assert figures[("2080101", None)] == (Decimal("1237.62"), "1237.62")


def test_a_named_content_container_is_preferred_and_utf8_without_a_charset_is_read(tmp_path):
    page = (f"<html><body><div class='nav'><a href='/'>首页</a></div><div class='TRS_Editor'>"
            f"<p>一、主要职能</p><p>{FILLER * 2}</p></div><div class='side'><p>{FILLER * 3}</p></div></body></html>")
    document = read_file(write_page(tmp_path, page, "named.htm", "utf-8"))
    assert [b.text for b in document.blocks] == ["一、主要职能", FILLER * 2]


def test_a_site_home_page_is_an_input_error_naming_the_file(tmp_path):
    links = "".join(f'<li><a href="/news/{i}.html">关于做好第{i}批政务服务事项的通知</a></li>' for i in range(60))
    page = f"<html><head><title>某某区人民政府</title></head><body><ul>{links}</ul><p>欢迎访问</p></body></html>"
    path = write_page(tmp_path, page, "index.html", "utf-8")
    with pytest.raises(InputError, match="no article body") as caught:
        read_file(path)
    assert str(path) in str(caught.value)


def test_a_binary_file_named_html_is_an_input_error(tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    with pytest.raises(InputError, match="image.html: binary file"):
        read_file(path)


@pytest.mark.parametrize("name", SEEDS)
def test_a_seed_written_as_a_web_page_gives_the_same_records(seeds_dir, tmp_path, name):
    text = read_file(seeds_dir / name)
    page = read_file(write_html(text, tmp_path / "seed.html"))
    assert [type(b) for b in page.blocks] == [type(b) for b in text.blocks]
    assert [b.text for b in page.blocks if isinstance(b, (Heading, Paragraph))] == [
        b.text for b in text.blocks if isinstance(b, (Heading, Paragraph))]
    expected = comparable_records(text)
    assert sum(expected.values()) > 100
    assert comparable_records(page) == expected


def test_a_layout_table_is_opened_and_its_data_table_read(tmp_path):
    inner = ("<table><tr><td>项目</td><td>预算数</td></tr><tr><td>一、一般公共预算</td><td>1237.62</td></tr></table>")
    page = (f"<html><body><table class='layout'><tr><td><p>收入支出预算总表</p><p>单位：万元</p>{inner}"
            f"<p>{FILLER}</p></td></tr></table></body></html>")
    document = read_file(write_page(tmp_path, page, "layout.html", "utf-8"))
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert [(t.caption, t.unit, t.grid()) for t in tables] == [
        ("收入支出预算总表", "万元", [["项目", "预算数"], ["一、一般公共预算", "1237.62"]])]


def test_a_seed_page_whose_body_container_has_no_known_name_gives_the_same_records(seeds_dir, tmp_path):
    text = read_file(seeds_dir / SEEDS[4])
    path = write_html(text, tmp_path / "seed.html")
    path.write_text(path.read_text(encoding="utf-8").replace('<div id="zoom">', '<div class="pane-b">'),
                    encoding="utf-8")
    assert comparable_records(read_file(path)) == comparable_records(text)
