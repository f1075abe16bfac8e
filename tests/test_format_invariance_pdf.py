"""Format invariance: each corpus PDF read as PDF and as `pdftotext -layout` text gives the same figures.

The text is made in the test (poppler's pdftotext, in tmp_path; never stored). Figures are compared
as multisets of (item, source, exptype, comparison, code, level, value); the tables themselves are
compared too (same captions, same data rows)."""

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from etl.blocks import document_blocks
from etl.extract import extract_records
from etl.model import Table
from etl.pipeline import link_functional_codes
from etl.readers import read_file

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PDFS = sorted(p.name for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
KEY = ("item", "source", "exptype", "comparison", "code", "level", "value")
GROUPS = {"functional": {"functional_expenditure"}, "economic": {"economic_expenditure"}}
# Known differences, each with its cause; their tests are strict xfails (they fail when fixed).
KNOWN = {
    ("shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan.pdf", "economic"):
        "row 30108 of the three-block 基本支出 table: its name is printed above and below its line and "
        "pdftotext shifts the right half of the table's rows, so its amount lands in the name column",
    ("shanghai-putuo-guihua-ziyuan-2024-bumen-juesuan.pdf", "other"):
        "the PDF reader joins '其中：货物采购金额 122.43' to the line before and reads 122.43 as the "
        "procurement total; the text keeps it on its own line",
}


def figures(document):
    _, blocks, _ = document_blocks(document)
    records = link_functional_codes(extract_records(blocks))
    return Counter(tuple(r[k] for k in KEY) for r in records if r["kind"] == "figure")


@pytest.fixture(scope="module")
def read_both(tmp_path_factory):
    """name -> (PDF Document, text Document) of a corpus PDF, read once per module."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    cache, folder = {}, tmp_path_factory.mktemp("layout")

    def read(name):
        if name not in cache:
            text = folder / (Path(name).stem + ".txt")
            subprocess.run(["pdftotext", "-layout", str(CORPUS / name), str(text)], check=True, timeout=120)
            cache[name] = (read_file(CORPUS / name), read_file(text))
        return cache[name]

    return read


def _group(counter, group):
    """The figures of one group: 'functional', 'economic' or 'other' (totals, 三公, narrative ...)."""
    table_items = set().union(*GROUPS.values())
    keep = (lambda item: item in GROUPS[group]) if group in GROUPS else (lambda item: item not in table_items)
    return Counter({k: n for k, n in counter.items() if keep(k[0])})


def _cases():
    for name in PDFS:
        for group in (*GROUPS, "other"):
            reason = KNOWN.get((name, group))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, group, marks=marks, id=f"{name}-{group}")


@pytest.mark.skipif(not PDFS, reason=f"no corpus PDFs at {CORPUS}")
@pytest.mark.parametrize("name,group", list(_cases()))
def test_same_figures_from_pdf_and_from_its_text(read_both, name, group):
    pdf, text = read_both(name)
    expected = _group(figures(pdf), group)
    assert _group(figures(text), group) == expected
    if group in GROUPS and "template" not in name:
        assert sum(expected.values()) > 10  # the comparison is about real tables


@pytest.mark.skipif(not PDFS, reason=f"no corpus PDFs at {CORPUS}")
@pytest.mark.parametrize("name", PDFS)
def test_tables_have_the_same_captions_and_data_rows(read_both, name):
    """Grid equality where it matters: the same tables (by caption and money unit) with the same
    rows of numbers, cell for cell, in PDF grids and in the aligned text's grids."""
    pdf, text = read_both(name)

    def tables(document):
        out = []
        for t in document.blocks:
            if isinstance(t, Table) and t.caption:
                rows = [tuple(row) for row in t.grid() if any(_number(c) for c in row)]
                out.append((t.caption, t.unit, tuple(rows)))
        return out

    pdf_tables, text_tables = tables(pdf), tables(text)
    assert [t[:2] for t in text_tables] == [t[:2] for t in pdf_tables]
    same = [a == b for a, b in zip(text_tables, pdf_tables)]
    assert sum(same) >= len(pdf_tables) - TABLES_DIFFERENT.get(name, 0)


def _number(cell):
    return bool(cell) and cell.replace(",", "").replace(".", "", 1).lstrip("-").isdigit() and "." in cell
