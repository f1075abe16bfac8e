"""The pages show where a fact was printed, as the document model locates it (issue 11, item 7).

A store built from a small synthetic PDF disclosure (text on page 1, a ruled table on page 2) and one
text example: an observation page and the document page, HTML and JSON, show page / table / row /
column for the PDF's table cells, page and line for its text, and the line for the text document."""

import html as html_lib
import re

import pytest
from click.testing import CliRunner

pytest.importorskip("reportlab")
from pdf_fixtures import make_pdf  # noqa: E402
from test_reader_pdf import table_page  # noqa: E402

from budgetkg.cli import main  # noqa: E402
from budgetkg.server.places import position, where  # noqa: E402

BASE = "https://budgetkg.org/"
TEXT_EXAMPLE = "000_c5b847b5dca8784f.txt"
UNIT = "临江市统计局"
# 类 201 and 款 20106 print 1,234,567.89 元; the 项 below prints less, so 20106 gets a hierarchy finding
ROWS = [["201", "", "", "一般公共服务支出", "1,234,567.89", "1,000,000.00"],
        ["201", "06", "", "财政事务", "1,234,567.89", "1,000,000.00"],
        ["201", "06", "01", "行政运行", "1,200,000.00", "1,000,000.00"]]
INTRO = [("text", 200, 40, f"{UNIT}2025年部门预算", 20),
         ("text", 60, 100, "一、部门预算编制说明", 14),
         ("text", 60, 130, f"2025年，{UNIT}收入预算123.46万元，支出预算123.46万元。", 12)]
HEADER_ROWS = 3  # table_page's header: the first data row is row 4 of the table


@pytest.fixture(scope="module")
def location_store(tmp_path_factory, examples_dir):
    """A store holding the synthetic PDF disclosure and one text example."""
    root = tmp_path_factory.mktemp("locations")
    pdf = make_pdf(root / "disclosure.pdf",
                   [INTRO, table_page(ROWS, title="2025年部门一般公共预算支出功能分类预算表")])
    store = root / "store"
    result = CliRunner().invoke(main, ["build", str(pdf), str(examples_dir / TEXT_EXAMPLE), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="module")
def loc_client(make_app, location_store):
    """A client of the app over that store; findings are waited for (the graphs are small)."""
    return make_app(location_store, FINDINGS_WAIT=120).test_client()


def select(client, query):
    """Rows of a SELECT (bkg: and skos: prefixes declared) as dicts of values."""
    prefixes = "PREFIX bkg: <https://budgetkg.org/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    body = client.get("/sparql", query_string={"query": prefixes + query},
                      headers={"Accept": "application/json"}).get_json()
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def document_of(client, pdf=True):
    """The path of the PDF's document (its unit is UNIT), or of the text example's when pdf is False."""
    rows = select(client, "SELECT ?doc ?name WHERE { ?doc a bkg:Disclosure ; bkg:budgetUnit ?u . "
                          "?u skos:prefLabel ?name } ORDER BY ?doc")
    (doc,) = [r["doc"] for r in rows if (r["name"] == UNIT) == pdf]
    return "/" + doc[len(BASE):]


def observation(client, where_clause):
    """The path of the one observation matching a pattern on ?obs."""
    (row,) = select(client, f"SELECT ?obs WHERE {{ {where_clause} }}")
    return "/" + row["obs"][len(BASE):]


def page_text(client, path):
    """The HTML of a page with entities unescaped."""
    return html_lib.unescape(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))


PDF_CELL = "第 2 页表 1 第 4 行第 5 列 / page 2, table 1, row 4, column 5"


def test_a_pdf_table_cell_observation_shows_page_table_row_and_column(loc_client):
    path = observation(loc_client, '?obs bkg:classification <https://budgetkg.org/code/functional/201> ; '
                                   'bkg:printedValue "1,234,567.89"')
    provenance = loc_client.get(path + ".json").get_json()["provenance"]
    assert {k: provenance.get(k) for k in ("page", "table", "row", "column", "line")} == \
        {"page": 2, "table": 1, "row": HEADER_ROWS + 1, "column": 5, "line": None}
    assert provenance["where"] == PDF_CELL and "sheet" not in provenance and "part" not in provenance
    page = page_text(loc_client, path)
    assert f'<dd class="where">{PDF_CELL}</dd>' in page
    for name, value in (("page", 2), ("table", 1), ("row", 4), ("column", 5)):
        assert f'<dd class="place-{name}">{value}</dd>' in page
    assert 'class="place-line"' not in page


def test_pdf_text_shows_page_and_line_and_a_text_file_its_line(loc_client, examples_dir):
    narrative = observation(loc_client, '?obs bkg:printedValue "123.46" ; bkg:item '
                                        '<https://budgetkg.org/code/item/income_this_year>')
    provenance = loc_client.get(narrative + ".json").get_json()["provenance"]
    assert (provenance["page"], provenance["line"], provenance["where"]) == (1, 3, "第 1 页第 3 行 / page 1, line 3")
    assert "table" not in provenance and "column" not in provenance
    text_doc = document_of(loc_client, pdf=False)
    rows = select(loc_client, f"SELECT ?obs ?printed ?line WHERE {{ ?obs bkg:sourceLine ?line ; bkg:printedValue ?printed "
                              f"FILTER(STRSTARTS(STR(?obs), '{BASE}{text_doc[1:]}/')) }} ORDER BY ?obs LIMIT 1")
    (row,) = rows
    lines = (examples_dir / TEXT_EXAMPLE).read_text(encoding="utf-8").splitlines()
    assert row["printed"] in lines[int(row["line"]) - 1]  # the line the page will name prints the figure
    path = "/" + row["obs"][len(BASE):]
    provenance = loc_client.get(path + ".json").get_json()["provenance"]
    assert provenance["line"] == int(row["line"]) and provenance["where"] == f"line {row['line']}"
    assert not {"page", "table", "row", "column"} & set(provenance)
    assert f'<dd class="where">line {row["line"]}</dd>' in page_text(loc_client, path)


def test_pdf_document_page_lists_figures_where_printed_in_document_order(loc_client):
    path = document_of(loc_client)
    sections = loc_client.get(path + ".json").get_json()["sections"]
    figures = sections["figures"]
    places = [f["place"] for f in figures]
    assert places == sorted(places, key=position)
    assert places[0] == {"page": 1, "line": 3} and figures[0]["where"] == "第 1 页第 3 行 / page 1, line 3"
    cells = [(p["row"], p["column"]) for p in places if "table" in p]
    assert cells == [(r, c) for r in (4, 5, 6) for c in (5, 6)]
    assert all(p["page"] == 2 and p["table"] == 1 and "line" not in p for p in places if "table" in p)
    table = page_text(loc_client, path).split('class="data figures"')[1].split("</table>")[0]
    assert "<th>位置 where</th>" in table and f'<td class="where">{PDF_CELL}</td>' in table
    shown = re.findall(r'<td class="where">第 2 页表 1 第 (\d) 行第 (\d) 列', table)
    assert [(int(r), int(c)) for r, c in shown] == cells


def test_pdf_document_findings_name_page_table_row_and_column(loc_client):
    pytest.importorskip("budgetkg.validate")
    path = document_of(loc_client)
    found = loc_client.get(path + ".json").get_json()["sections"]["findings"]
    assert found["status"] == "done", found
    (finding,) = [i for i in found["items"] if "20106" in i["message"]]
    assert finding["place"] == {"page": 2, "table": 1, "row": 5, "column": 5}
    assert finding["where"] == "第 2 页表 1 第 5 行第 5 列 / page 2, table 1, row 5, column 5"
    findings_table = page_text(loc_client, path).split('class="data findings"')[1].split("</table>")[0]
    assert f'<td class="where">{finding["where"]}</td>' in findings_table


def test_text_document_page_lists_figures_and_findings_by_line(loc_client, examples_dir):
    path = document_of(loc_client, pdf=False)
    sections = loc_client.get(path + ".json").get_json()["sections"]
    lines = [f["line"] for f in sections["figures"]]
    assert len(lines) > 20 and None not in lines and lines == sorted(lines)
    assert all(f["where"] == f"line {f['line']}" and f["place"] == {"line": f["line"]} for f in sections["figures"])
    text = (examples_dir / TEXT_EXAMPLE).read_text(encoding="utf-8").splitlines()
    first = sections["figures"][0]
    assert any(ch.isdigit() for ch in text[first["line"] - 1])
    table = page_text(loc_client, path).split('class="data figures"')[1].split("</table>")[0]
    assert f'<td class="where">line {first["line"]}</td>' in table
    found = sections["findings"]
    if found["status"] == "unavailable":
        pytest.skip("budgetkg.validate is not installed")
    assert found["items"] and all(i["where"] == f"line {i['line']}" for i in found["items"] if i["line"])
    assert [i["line"] for i in found["items"] if i["line"]] == sorted(i["line"] for i in found["items"] if i["line"])


def test_workbook_and_multi_file_places_read_as_one_line():
    sheet = {"sheet": "表1", "cell": "B7", "table": 1, "row": 7, "column": 2}
    assert where(sheet) == "工作表“表1”表 1 第 7 行第 2 列单元格 B7 / sheet 表1, table 1, row 7, column 2, cell B7"
    assert where({"part": "公开表.pdf", "page": 3, "table": 2, "row": 4, "column": 1}) == \
        "公开表.pdf: 第 3 页表 2 第 4 行第 1 列 / page 3, table 2, row 4, column 1"
    assert where({"part": "说明.docx", "line": 12}) == "说明.docx: line 12"
    assert where({}) is None
    assert sorted([{"line": 9}, {"page": 2, "table": 1, "row": 4, "column": 6}, {"page": 2, "table": 1, "row": 4,
                   "column": 5}, {"page": 1, "line": 3}], key=position) == [
        {"line": 9}, {"page": 1, "line": 3}, {"page": 2, "table": 1, "row": 4, "column": 5},
        {"page": 2, "table": 1, "row": 4, "column": 6}]


def test_unit_and_concept_pages_carry_the_place_of_their_figures(loc_client):
    doc = document_of(loc_client)
    unit = loc_client.get(doc + ".json").get_json()["properties"]
    (unit_iri,) = [v["iri"] for p in unit if p["property"]["iri"].endswith("#budgetUnit") for v in p["values"]]
    figures = loc_client.get("/" + unit_iri[len(BASE):] + ".json").get_json()["sections"]["figures"]
    cells = {f["item"]["iri"].rsplit("/", 1)[-1]: f["cells"][0] for f in figures}
    assert cells["income_this_year"]["where"] == "第 1 页第 3 行 / page 1, line 3"
    amounts = loc_client.get("/code/functional/201.json").get_json()["sections"]["amounts"]
    ours = [a for a in amounts if a["doc"]["iri"] == BASE + doc[1:] and a["own"]]
    assert [a["place"] for a in ours] == [{"page": 2, "table": 1, "row": 4, "column": c} for c in (5, 6)]
    assert ours[0]["where"] == PDF_CELL
