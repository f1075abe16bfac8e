"""Unit tests of etl.join: grouping the files of one build by disclosure, and joining a group."""

import hashlib

from budgetkg.etl.join import disclosure_key, group_files, join_documents
from budgetkg.etl.model import Document, Location, Paragraph
from budgetkg.etl.readers import read_file

KEY = ("某某市社会保险中心", 2024, "budget")
OTHER = ("某某市财政局", 2024, "budget")


def test_files_of_one_disclosure_group_and_keyless_files_join_their_folder():
    groups, alone = group_files({
        "a/b_tables.txt": None, "a/a_text.txt": KEY, "a/c_more.txt": KEY,  # one disclosure in folder a
        "b/x.txt": KEY, "b/y.txt": OTHER, "b/z_tables.txt": None,  # two in folder b: z cannot be placed
        "c/lonely.txt": None,
    })
    assert groups == {KEY: ["a/a_text.txt", "a/b_tables.txt", "a/c_more.txt", "b/x.txt"], OTHER: ["b/y.txt"]}
    assert alone == ["c/lonely.txt", "b/z_tables.txt"]


def document(name, *texts):
    blocks = [Paragraph(text, Location(file=name, line=i + 1)) for i, text in enumerate(texts)]
    return Document(path=f"/docs/{name}", name=name, sha256=hashlib.sha256(name.encode()).hexdigest(),
                    format="text", blocks=blocks, lines=list(texts))


def test_join_concatenates_blocks_in_file_name_order_without_lines():
    tables, text = document("b_tables.txt", "表一", "表二"), document("a_text.txt", "说明")
    joined = join_documents([tables, text])
    assert [b.text for b in joined.blocks] == ["说明", "表一", "表二"]
    assert [b.location.file for b in joined.blocks] == ["a_text.txt", "b_tables.txt", "b_tables.txt"]
    assert joined.files == ["a_text.txt", "b_tables.txt"] and joined.lines is None
    assert joined.name == "a_text.txt + b_tables.txt"
    assert joined.sha256 == hashlib.sha256(f"{text.sha256}\n{tables.sha256}".encode()).hexdigest()
    assert join_documents([text]) is text


def test_disclosure_key_of_a_seed_and_of_a_text_without_one(seeds_dir, tmp_path):
    assert disclosure_key(read_file(seeds_dir / "002_1387b3e8b115f6e3.txt")) == (
        "新疆维吾尔自治区喀什地区社会保险管理局", 2021, "budget", "department")
    (tmp_path / "poem.txt").write_text("床前明月光，\n疑是地上霜。\n", encoding="utf-8")
    assert disclosure_key(read_file(tmp_path / "poem.txt")) is None
