"""Tests of the read stage: encodings, normalisation, bookmark noise and unreadable input."""

import pytest

from budgetkg.etl.read import InputError, decode_bytes, normalise_line, read_document, read_text

SAMPLE = "新疆维吾尔自治区某某局\n2019 年度部门决算公开\n本年收入２５０５．１７万元（含结转）\n"


def test_utf8_with_bom_is_decoded_and_reported(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    doc = read_document(path)
    assert doc["encoding"] == "utf-8-bom"
    assert doc["lines"][0] == "新疆维吾尔自治区某某局"


def test_gbk_file_is_detected(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE.encode("gbk"))
    doc = read_document(path)
    assert doc["encoding"] == "gb18030"
    assert doc["lines"][2] == "本年收入2505.17万元(含结转)"


def test_full_width_digits_and_brackets_become_ascii_but_chinese_comma_stays():
    assert normalise_line("１，２３４．５６万元（类）：") == "1，234.56万元(类):"


def test_bookmarks_are_removed_from_both_line_forms():
    doc = read_text("[bookmark: _Toc1][bookmark: _Toc2]一、主要职能\n", "x.txt")
    assert doc["lines"][0] == "一、主要职能"
    assert doc["raw_lines"][0] == "一、主要职能"


def test_tex_comparators_become_symbols():
    assert normalise_line("硬件设备更新率 \\geq 20%") == "硬件设备更新率 ≥20%"


def test_whole_text_normalising_keeps_every_line_apart():
    text = "完成率 \\geq\n 95%\n[bookmark: a\n]（一）\r\n　１２\n"
    doc = read_text(text, "x.txt")
    assert doc["lines"] == ["完成率 ≥", " 95%", "[bookmark: a", "](一)", " 12", ""]
    assert doc["lines"] == [normalise_line(line) for line in doc["raw_lines"]]
    assert len(doc["raw_lines"]) == len(doc["lines"]) == 6


@pytest.mark.parametrize("data,problem", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_unreadable_input_names_the_file_and_problem(tmp_path, data, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert str(path) in str(exc.value) and problem in str(exc.value)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_document(tmp_path / "nope.txt")


def test_line_numbers_survive_crlf():
    text, _ = decode_bytes("a\r\nb\r\nc".encode("utf-8"))
    assert read_text(text)["lines"] == ["a", "b", "c"]


def test_seed_with_bookmarks_reads_clean(examples_dir):
    doc = read_document(examples_dir / "004_075cd51c8785aeb9.txt")
    assert not any("[bookmark" in line for line in doc["lines"])
    assert doc["lines"][2] == "一、基本职能及主要工作"
