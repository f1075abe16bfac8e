"""`budgetkg validate` on the built examples: no violations, exactly the documents' real inconsistencies.

Also the report formats, --fail-on, validating RDF files, and the cross-document shapes (inline Turtle)."""

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SH

from budgetkg.cli import main
from budgetkg.validate import cross_document, shapes_graph

BKGSH = Namespace("https://budgetkg.org/shapes#")
PREFIXES = """@prefix bkg: <https://budgetkg.org/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix qb: <http://purl.org/linked-data/cube#> .
"""
# (document IRI tail, shape, source line): every inconsistency the example documents print (docs/validation.md)
EXPECTED_WARNINGS = sorted([
    ("c5217a7edb45/2019/final", "ExpenditureByTypeShape", 62),     # 1431.76 + 1067.17 = 2498.93 vs 2498.92
    ("c5217a7edb45/2019/final", "ShareShape", 66),                 # 占 97.2% of 2505.17: 97.14%
    ("c5217a7edb45/2019/final", "ShareShape", 66),                 # 占 2.8%: 2.86%
    ("c5217a7edb45/2019/final", "ThreePublicShape", 96),           # change -5.63 vs parts -5.64
    ("c5217a7edb45/2019/final", "ConflictingPrintingShape", 106),  # vehicle operation 6.68 vs 6.69 (line 100)
    ("c5217a7edb45/2019/final", "ExecutionRateShape", 261),        # 592.14 / 637.5 = 92.88%, printed 92.80%
    ("5a0c6fb3db29/2023/final", "BasicExpenditureShape", 123),     # 5135.15 + 496.32 = 5631.47 vs 5631.48
    ("13fd615ed52e/2021/budget", "ClassificationSumShape", 154),   # 301 row 753.67 vs 753.69 (合计 column)
    ("13fd615ed52e/2021/budget", "ClassificationSumShape", 154),   # ... and its 人员经费 column
    ("9cc18e5b6d8d/2020/budget", "ConflictingPrintingShape", 476),  # code 2080109 printed for 77 (468) and 255
    ("9cc18e5b6d8d/2020/budget", "ConflictingPrintingShape", 476),  # ... in the 项目支出 column too
    ("9cc18e5b6d8d/2020/budget", "UnitSlipShape", 1663),           # "1237.62元" where 万元 is meant
    ("9cc18e5b6d8d/2020/budget", "ConflictingPrintingShape", 1673),  # 类 208 printed as 905.62 (1237.62 at 715)
    ("9cc18e5b6d8d/2020/budget", "ConflictingPrintingShape", 1675),  # ... as 77
    ("9cc18e5b6d8d/2020/budget", "ConflictingPrintingShape", 1676),  # ... as 255
    ("9cc18e5b6d8d/2020/budget", "ShareShape", 1676),              # 255 of 1237.62 is 20.60%, printed 20.61%
    ("9cc18e5b6d8d/2020/budget", "ConflictingPrintingShape", 1683),  # basic 905.62 vs 1237.62 (line 1671)
    ("406d7a14973f/2019/final", "TemplatePlaceholderShape", 32),   # 占**% (一般公共预算财政拨款收入)
    ("406d7a14973f/2019/final", "TemplatePlaceholderShape", 32),   # 占**% (其他收入)
    ("406d7a14973f/2019/final", "TemplatePlaceholderShape", 37),   # 占**% (基本支出)
    ("406d7a14973f/2019/final", "TemplatePlaceholderShape", 37),   # 占**% (项目支出)
])


@pytest.fixture(scope="module")
def json_report(runner, built_store):
    """The JSON-LD report of the examples, parsed, with the exit status of that run."""
    result = runner.invoke(main, ["validate", "--store", str(built_store), "--format", "json"])
    return result.exit_code, Graph().parse(data=result.stdout, format="json-ld")


@pytest.fixture(scope="module")
def runner():
    from click.testing import CliRunner
    return CliRunner()


def test_examples_have_no_violations_and_exactly_their_real_inconsistencies(json_report):
    status, report = json_report
    assert status == 0
    rows = report.query("""PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX bkg: <https://budgetkg.org/def#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?sev ?doc ?shape ?line WHERE { ?r sh:resultSeverity ?sev ; sh:sourceShape ?shape ;
            prov:wasDerivedFrom ?doc ; bkg:sourceLine ?line }""")
    assert {str(r.sev) for r in rows} == {str(SH.Warning)}
    found = sorted((str(r.doc).split("/doc/")[1], str(r.shape).split("#")[1], int(r.line)) for r in rows)
    assert found == EXPECTED_WARNINGS


def test_report_is_a_standard_shacl_report(json_report):
    _, report = json_report
    reports = list(report.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert len(list(report.objects(reports[0], SH.result))) == len(EXPECTED_WARNINGS)


def test_text_report_groups_by_document_in_chinese(runner, built_store):
    result = runner.invoke(main, ["validate", "--store", str(built_store)])
    assert result.exit_code == 0
    assert "昌吉回族自治州社会保险管理局 2020年度部门预算公开" in result.stdout
    assert "警告  第 1663 行  [UnitSlipShape]  第 1663 行印为“1237.62元”" in result.stdout
    assert "0 个违规 violation(s), 21 个警告 warning(s), 5 个图 graph(s)" in result.stdout


def test_fail_on_warning_exits_1(runner, built_store):
    result = runner.invoke(main, ["validate", "--store", str(built_store), "--fail-on", "warning", "--format", "ttl"])
    assert result.exit_code == 1
    assert len(list(Graph().parse(data=result.stdout, format="turtle").subjects(RDF.type, SH.ValidationResult))) \
        == len(EXPECTED_WARNINGS)


def test_validates_an_rdf_file_and_fails_on_a_violation(runner, tmp_path):
    """Regression: an observation without its item dimension is our model's violation (IC-11)."""
    path = tmp_path / "bad.ttl"
    path.write_text(PREFIXES + """
        <urn:doc> a bkg:Disclosure .
        <urn:obs> a qb:Observation , bkg:AmountObservation ; prov:wasDerivedFrom <urn:doc> ; bkg:sourceLine 3 .
        """, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "[ObservationShape]" in result.stdout and "urn:obs" in result.stdout
    assert "[DisclosureShape]" in result.stdout


def test_unreadable_file_is_a_clean_error(runner, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("this is not turtle", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and "cannot parse as turtle" in result.output


def cross(turtle):
    """(shape local name, focus) of the cross-document results for inline Turtle."""
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    findings, _report = cross_document(list(graph))
    return {(f["shape"].split("#")[1], f["focus"]) for f in findings}


def test_cross_document_two_disclosures_for_one_key():
    assert cross("""<urn:a> a bkg:Disclosure ; bkg:budgetUnit <urn:u> ; bkg:fiscalYear "2019"^^xsd:gYear ; bkg:phase <urn:p> .
        <urn:b> a bkg:Disclosure ; bkg:budgetUnit <urn:u> ; bkg:fiscalYear "2019"^^xsd:gYear ; bkg:phase <urn:p> .""") \
        == {("OneDocumentPerKeyShape", "urn:b")}


def test_cross_document_unit_legal_resource_and_topic_names():
    assert cross("""<urn:u> a bkg:BudgetUnit ; skos:prefLabel "甲"@zh , "乙"@zh .
        <urn:l> a eli:LegalResource ; eli:id_local "新政办发〔2018〕55号" , "新政办发〔2018〕56号" .
        <urn:t> a bkg:Topic ; skos:prefLabel "档案"@zh , "社保卡"@zh .""") == {
        ("UnitNameAcrossDocumentsShape", "urn:u"), ("LegalResourceAcrossDocumentsShape", "urn:l"),
        ("TopicAcrossDocumentsShape", "urn:t")}


def test_every_shape_has_a_zh_and_an_en_message():
    shapes = shapes_graph() + shapes_graph(cross_document=True)
    for holder in set(shapes.subjects(SH.message, None)):
        assert {m.language for m in shapes.objects(holder, SH.message)} == {"zh", "en"}, holder
    for shape in shapes.subjects(SH.sparql, None):
        for constraint in shapes.objects(shape, SH.sparql):
            assert (constraint, SH.message, None) in shapes, shape


def test_validation_reinstalls_the_parse_cache_a_caller_switched_off():
    """Regression: workers forked after `enable(False)` validated without the cache, 3.8x slower."""
    import rdflib.plugins.sparql.processor as processor

    from budgetkg import validate_sparql
    from budgetkg.validate import _context

    _context()
    validate_sparql.enable(False)
    assert processor.SPARQLProcessor.query is validate_sparql._ORIGINAL
    _context()
    assert processor.SPARQLProcessor.query is validate_sparql._cached_query
