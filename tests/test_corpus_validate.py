"""`budgetkg validate` on the corpus PDFs (../shared/corpus): every disclosure is published, and the graph
breaks no structural shape (0 violations). The arithmetic shapes run on the table facts as read (page,
table, row and column provenance, no bkg:sourceLine); what they find are inconsistencies the documents
print (warnings, listed in the assertion message when something fails).

One build of the whole corpus into a temporary store, validated once (in parallel per document)."""

from pathlib import Path

import pytest

from budgetkg.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DISCLOSURES = 7  # the PDFs of the corpus but the blank template


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """(store dir, build output) of `budgetkg build` over the corpus PDFs."""
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    from click.testing import CliRunner
    folder = tmp_path_factory.mktemp("corpus-pdfs")
    for pdf in sorted(CORPUS.glob("*.pdf")):
        (folder / pdf.name).symlink_to(pdf)
    store = tmp_path_factory.mktemp("corpus") / "store"
    result = CliRunner().invoke(main, ["build", str(folder), "--store", str(store)])
    return store, result.output


@pytest.fixture(scope="module")
def validation(corpus_store):
    from budgetkg.validate import store_items, validate_items
    return validate_items(store_items(corpus_store[0]))


def listing(result):
    return "\n".join(f"{f['severity']} {f['document']} {f['where_en'] or '-'} {f['shape'].rsplit('#')[-1]}: "
                     f"{f['message_en']}" for f in result.findings)


def test_every_disclosure_pdf_is_published_and_the_template_reported(corpus_store):
    _, output = corpus_store
    assert "template-bumen-juesuan-2024-blank.pdf: no figures: a blank template?" in output
    from budgetkg.store import OxigraphStore
    with OxigraphStore(corpus_store[0]) as store:
        assert len(store.graphs()) == DISCLOSURES, output


def test_corpus_has_no_violation(validation):
    assert validation.graph_count == DISCLOSURES
    assert validation.count("Violation") == 0, listing(validation)


def test_warnings_name_their_place_of_printing(validation):
    for finding in validation.findings:
        assert finding["severity"] == "Warning" and finding["where_en"], listing(validation)
        if "/obs/" in finding["focus"]:  # a figure's message says where it is printed
            assert finding["where_en"] in finding["message_en"], finding


def test_arithmetic_shapes_see_the_table_facts(corpus_store):
    """Every document has coded rows (the parts and totals ClassificationSumShape and FunctionalTotalShape
    add up) read from its tables: a row, no line."""
    from budgetkg.store import OxigraphStore
    query = """PREFIX bkg: <https://budgetkg.org/def#>
        SELECT ?g (COUNT(?obs) AS ?n) WHERE { GRAPH ?g {
            ?obs bkg:classification ?concept ; bkg:sourceRow ?row . FILTER NOT EXISTS { ?obs bkg:sourceLine ?line } } }
        GROUP BY ?g"""
    with OxigraphStore(corpus_store[0]) as store:
        counts = {str(row[0]): int(row[1].value) for row in store.query(query)}
    assert len(counts) == DISCLOSURES and min(counts.values()) > 0, counts


def test_arithmetic_findings_are_made_on_table_cells(validation):
    """The sums are checked on what the tables print: some finding is placed in a table's row."""
    arithmetic = [f for f in validation.findings if f["shape"].endswith(("SumShape", "TotalShape", "ExpenditureShape"))]
    assert any("table" in (f["where_en"] or "") for f in arithmetic), listing(validation)
