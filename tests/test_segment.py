"""Tests of the segment stage: headings, sections and the three table layouts."""

from budgetkg.etl.read import read_document, read_text
from budgetkg.etl.segment import heading_level, segment


def _tables(path):
    return [b for b in segment(read_document(path)["lines"]) if b["type"] == "table"]


def test_heading_levels():
    assert heading_level("第二部分 部门决算情况说明") == 1
    assert heading_level("五、一般公共预算财政拨款支出决算情况说明") == 2
    assert heading_level("(一)机关运行经费支出情况") == 3
    assert heading_level("2019 年度本年收入 2505.17 万元") == 0


def test_tab_rows_layout_gives_table_with_caption_and_unit(examples_dir):
    tables = _tables(examples_dir / "002_1387b3e8b115f6e3.txt")
    first = tables[0]
    assert (first["line"], first["title"], first["unit"], first["layout"]) == (68, "部门收支总体情况表", "万元", "rows")
    assert len(first["rows"]) == 33
    assert first["rows"][-1]["cells"][:4] == ["收 入 总 计", "1008.16", "支 出 总 计", "1008.16"]


def test_cell_per_line_layout_groups_cells_into_rows(examples_dir):
    tables = _tables(examples_dir / "003_da74c3619f0a1806.txt")
    assert len(tables) == 10
    economic = next(t for t in tables if t["line"] == 1056)
    row = next(r for r in economic["rows"] if r["line"] == 1078)
    assert row["cells"] == ["301", "01", "基本工资", "306.81", "306.81", "0"]


def test_running_text_sections_follow_headings(examples_dir):
    blocks = segment(read_document(examples_dir / "004_075cd51c8785aeb9.txt")["lines"])
    para = next(b for b in blocks if b["type"] == "paragraph" and b["line"] == 58)
    assert para["section"].endswith("(三)一般公共预算财政拨款支出决算具体情况")


def test_markdown_pipe_table_is_a_table():
    text = "表一\n单位：万元\n| 项目 | 预算数 |\n|---|---|\n| 收入总计 | 1,008.16 |\n"
    blocks = segment(read_text(text)["lines"])
    table = blocks[-1]
    assert table["type"] == "table" and table["unit"] == "万元"
    assert [r["cells"] for r in table["rows"]] == [["项目", "预算数"], ["收入总计", "1,008.16"]]


def test_blank_line_inside_tab_table_does_not_split_it():
    text = "a\tb\tc\n\n1\t2\t3\n\n\nplain text\n"
    blocks = segment(read_text(text)["lines"])
    assert [b["type"] for b in blocks] == ["table", "paragraph"]
    assert len(blocks[0]["rows"]) == 2
