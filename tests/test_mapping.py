"""Tests of the map stage and the pipeline: deterministic IRIs, datatypes, provenance."""

from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from budgetkg.vocab import BKG, FUNCTIONAL, ITEM, QB
from budgetkg.etl.mapping import document_iri, short_hash
from budgetkg.etl.pipeline import ExtractionError, process_file
from budgetkg.etl.read import read_document

SEED = "001_c4555a3cefcfab39.txt"


@pytest.fixture(scope="module")
def result(examples_dir):
    return process_file(examples_dir / SEED)


@pytest.fixture(scope="module")
def graph(result):
    g = Graph()
    for t in result["triples"]:
        g.add(t)
    return g


def test_two_runs_give_identical_triples(examples_dir, result):
    again = process_file(examples_dir / SEED)
    assert again["triples"] == result["triples"]
    assert again["graph"] == result["graph"]


def test_graph_iri_comes_from_natural_key_and_base(examples_dir, result):
    assert result["graph"] == str(document_iri("https://budgetkg.org/", "乌鲁木齐市社会保险中心", 2023, "final"))
    other = process_file(examples_dir / SEED, base="http://example.org/kg/")
    assert other["graph"] == f"http://example.org/kg/doc/{short_hash('乌鲁木齐市社会保险中心')}/2023/final"


def test_no_blank_nodes(result):
    assert not any(isinstance(term, BNode) for t in result["triples"] for term in t)


def test_every_observation_has_provenance_and_a_decimal_measure(graph, result):
    observations = set(graph.subjects(RDF.type, QB.Observation))
    assert len(observations) == result["figures"]
    for obs in observations:
        assert graph.value(obs, PROV.wasDerivedFrom) == URIRef(result["graph"])
        assert isinstance(graph.value(obs, BKG.sourceLine).toPython(), int)
        assert graph.value(obs, BKG.sourceSection) is not None
        measure = graph.value(obs, BKG.amount)
        measure = measure if measure is not None else graph.value(obs, BKG.quantity)
        assert measure.datatype == XSD.decimal and isinstance(measure.toPython(), Decimal)


def test_functional_item_printed_by_name_has_a_concept_with_its_path(graph):
    obs = [o for o in graph.subjects(BKG.item, ITEM.functional_expenditure)
           if str(graph.value(o, BKG.printedName)) == "行政运行"
           and graph.value(o, BKG.amount) == Literal("3850.59", datatype=XSD.decimal)]
    assert len(obs) == 1
    concept = graph.value(obs[0], BKG.classification)
    assert str(concept).startswith(str(FUNCTIONAL) + "name-")
    assert graph.value(obs[0], BKG.sourceLine).toPython() == 99


def test_repeated_printing_of_the_same_fact_is_one_observation(graph):
    # 本年收入合计 10,853.30 is printed on lines 63 and 71: one observation, first line kept
    obs = [o for o in graph.subjects(BKG.item, ITEM.income_this_year)
           if graph.value(o, BKG.comparison).endswith("/value")]
    assert len(obs) == 1 and graph.value(obs[0], BKG.sourceLine).toPython() == 63
    assert str(graph.value(obs[0], BKG.printedValue)) == "10,853.30"


def test_conflicting_printings_are_both_kept_with_a_warning(examples_dir):
    result = process_file(examples_dir / "003_da74c3619f0a1806.txt")
    messages = [w for w in result["warnings"] if w["line"] == 1683]
    assert messages and "1237.62" in messages[0]["message"] and "905.62" in messages[0]["message"]


def test_truncated_document_is_rejected_with_its_last_line(tmp_path, examples_dir):
    lines = (examples_dir / SEED).read_text(encoding="utf-8").splitlines()[:29]
    path = tmp_path / "truncated.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"truncated.txt: only 0 financial figures .* line 29"):
        process_file(path)


def test_gbk_copy_gives_the_same_graph(tmp_path, examples_dir, result):
    path = tmp_path / SEED
    path.write_bytes((examples_dir / SEED).read_text(encoding="utf-8").encode("gb18030"))
    gbk = process_file(path)
    drop = {BKG.sha256}
    assert {t for t in gbk["triples"] if t[1] not in drop} == {t for t in result["triples"] if t[1] not in drop}
    assert read_document(path)["encoding"] == "gb18030"
