"""Tests of the server-side SVG charts: proportional bars, stacking, escaping, and nothing to draw.

Charts are plain SVG strings, parsed here with the standard XML parser."""

import xml.etree.ElementTree as ET

from budgetkg.server.charts import bar_chart, fmt, stacked_chart

SVG = "{http://www.w3.org/2000/svg}"


def rects(chart):
    root = ET.fromstring(str(chart))
    return [r for r in root.iter(SVG + "rect")]


def test_bar_lengths_are_proportional_to_values():
    chart = bar_chart([("甲", "100"), ("乙", "25.5"), ("丙", 0)], "支出")
    widths = [float(r.get("width")) for r in rects(chart)]
    assert widths[0] > 0 and abs(widths[1] / widths[0] - 0.255) < 1e-3 and widths[2] == 0
    assert "支出 (万元)" in str(chart) and "25.5" in str(chart)


def test_stacked_bars_add_up_and_have_a_legend():
    chart = stacked_chart([("2019 决算", {"基本支出": "75", "项目支出": "25"}), ("2020 预算", {"基本支出": "50"})],
                          ["基本支出", "项目支出"], "basic vs project")
    segments = [r for r in rects(chart) if r.get("class") == "segment"]
    assert len(segments) == 4
    first_row = [float(r.get("width")) for r in segments[:2]]
    second_basic = float(segments[2].get("width"))
    assert abs(first_row[0] / (first_row[0] + first_row[1]) - 0.75) < 1e-3
    assert abs(second_basic / (first_row[0] + first_row[1]) - 0.5) < 1e-3
    assert float(segments[3].get("width")) == 0 and ">100<" in str(chart)


def test_labels_are_escaped():
    chart = str(bar_chart([("<script>alert(1)</script>", 5)], "t & <b>"))
    assert "<script>" not in chart and "&lt;script&gt;" in chart and "&lt;b&gt;" in chart
    ET.fromstring(chart)  # still well-formed


def test_nothing_to_draw_gives_none():
    assert bar_chart([], "empty") is None
    assert bar_chart([("x", "not a number")], "junk") is None
    assert stacked_chart([("2019", {"a": None})], ["a"], "zero") is None


def test_numbers_are_formatted_as_printed():
    assert fmt("1265.78") == "1,265.78" and fmt("96.70") == "96.70" and fmt("16") == "16" and fmt(None) == ""
    assert fmt("0.123762") == "0.123762"  # exact: never rounded to the 0.12 a float format would show
