"""Mutation tests: break a valid built graph (seed 004) in each way a shape guards against.

Each mutation must add exactly the expected (shape, focus node) results to the baseline, nothing else."""

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, RDF, SKOS, XSD
from rdflib.namespace import SH as SHACL

from budgetkg.validate import _context, _validate_serialized, shapes_graph
from budgetkg.vocab import BKG, COMPARISON, ECONOMIC, ITEM, SOURCE
from budgetkg.etl.pipeline import process_file

SEED = Path(__file__).resolve().parents[1] / "examples" / "004_075cd51c8785aeb9.txt"
SH = Namespace("https://budgetkg.org/shapes#")
PREFIXES = """@prefix bkg: <https://budgetkg.org/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix org: <http://www.w3.org/ns/org#> .
"""


def base():
    """The built graph of seed 004 and its document IRI."""
    result = process_file(SEED)
    graph = Graph()
    for triple in result["triples"]:
        graph.add(triple)
    return graph, URIRef(result["graph"])


def obs(g, item, source="all", comparison="value", **extra):
    """The one observation with these dimension values (and no expenditure type unless given)."""
    found = [s for s in g.subjects(BKG.item, ITEM[item])
             if (s, BKG.fundingSource, SOURCE[source]) in g and (s, BKG.comparison, COMPARISON[comparison]) in g
             and all((s, BKG[name], o) in g for name, o in extra.items())
             and ("expenditureType" in extra or g.value(s, BKG.expenditureType) is None)]
    assert len(found) == 1, (item, source, comparison, found)
    return found[0]


def first(g, cls):
    """Some resource of a class (the smallest IRI, for determinism)."""
    return min(g.subjects(RDF.type, cls))


def replace(g, s, p, o):
    """Set the single value of s p to o."""
    g.remove((s, p, None))
    if o is not None:
        g.add((s, p, o))


def set_amount(g, s, value):
    """Change an amount together with its printed value, so only arithmetic can notice."""
    replace(g, s, BKG.amount, Literal(value, datatype=XSD.decimal))
    replace(g, s, BKG.printedValue, Literal(value, datatype=XSD.string))


def clone(g, src, new, **overrides):
    """Copy every triple of src to a new subject, replacing the properties given (bkg: local names)."""
    new = URIRef(new)
    for p, o in g.predicate_objects(src):
        g.add((new, p, o))
    for name, value in overrides.items():
        replace(g, new, BKG[name], value)
    return new


def economic(g, doc, code, amount, line):
    """An economic-classification figure (general public budget) with its concept, like a table row."""
    concept = ECONOMIC[code]
    g.parse(data=PREFIXES + f"""<{concept}> a skos:Concept ; skos:inScheme bkg:EconomicClassification ;
        skos:notation "{code}" ; skos:altLabel "科目{code}"@zh ; bkg:classificationLevel {1 if len(code) == 3 else 2}
        {f'; skos:broader <{ECONOMIC[code[:3]]}>' if len(code) == 5 else ''} .""", format="turtle")
    template = obs(g, "basic_expenditure", "general_public_budget")
    return clone(g, template, f"{doc}/obs/econ-{code}", item=ITEM.economic_expenditure, classification=concept,
                 amount=Literal(amount, datatype=XSD.decimal), printedValue=Literal(amount, datatype=XSD.string),
                 printedName=Literal(f"科目{code}", datatype=XSD.string), sourceLine=Literal(line))


def project_with(g, doc, turtle):
    """A new project of the document, plus what inline Turtle says about it ($P is its IRI, $DOC the document's)."""
    project = URIRef(f"{doc}/project/test")
    turtle = """$DOC bkg:hasProject $P . $P a bkg:Project ; skos:prefLabel "测试项目"@zh ;
        prov:wasDerivedFrom $DOC ; bkg:sourceLine 799 .\n""" + turtle
    g.parse(data=PREFIXES + turtle.replace("$P", f"<{project}>").replace("$DOC", f"<{doc}>"), format="turtle")
    return project


# --- the mutations: name -> function(graph, doc) returning the expected new {(shape, focus)} ---

def m_missing_provenance(g, doc):
    s = obs(g, "operating_costs")
    g.remove((s, PROV.wasDerivedFrom, None))
    return {(SH.ProvenanceShape, s)}


def m_line_wrong_datatype(g, doc):
    term = first(g, BKG.GlossaryTerm)
    replace(g, term, BKG.sourceLine, Literal("12"))
    return {(SH.ProvenanceShape, term)}


def m_year_wrong_datatype(g, doc):
    replace(g, doc, BKG.fiscalYear, Literal("2019"))  # a plain string, not an xsd:gYear
    return {(SH.DisclosureShape, doc)}


def m_bad_sha256(g, doc):
    replace(g, doc, BKG.sha256, Literal("XYZ", datatype=XSD.string))
    return {(SH.DisclosureShape, doc)}


def m_unit_two_names(g, doc):
    unit = g.value(doc, BKG.budgetUnit)
    g.add((unit, SKOS.prefLabel, Literal("另一个名称", lang="zh")))
    return {(SH.BudgetUnitShape, unit)}


def m_division_without_unit(g, doc):
    division = first(g, BKG.InternalDivision)
    g.remove((division, ORG.unitOf, None))
    return {(SH.InternalDivisionShape, division)}


def m_glossary_without_definition(g, doc):
    term = first(g, BKG.GlossaryTerm)
    g.remove((term, SKOS.definition, None))
    return {(SH.GlossaryTermShape, term)}


def m_placeholder_without_text(g, doc):
    placeholder = first(g, BKG.TemplatePlaceholder)
    g.remove((placeholder, BKG.printedValue, None))
    return {(SH.PlaceholderShape, placeholder)}


def m_dataset_without_dsd(g, doc):
    dataset = URIRef(f"{doc}/dataset")
    g.remove((dataset, URIRef("http://purl.org/linked-data/cube#structure"), None))
    return {(SH.DataSetShape, dataset)}


def m_missing_dimension(g, doc):
    s = obs(g, "vehicle_count")
    g.remove((s, BKG.item, None))
    return {(SH.ObservationShape, s)}


def m_wrong_code(g, doc):
    s = obs(g, "vehicle_count")
    replace(g, s, BKG.fundingSource, SOURCE.no_such_source)
    return {(SH.ObservationShape, s)}


def m_dimension_differs_from_document(g, doc):
    s = obs(g, "vehicle_count")
    replace(g, s, BKG.fiscalYear, Literal("2018", datatype=XSD.gYear))
    return {(SH.ObservationShape, s)}


def m_two_measures(g, doc):
    s = obs(g, "operating_costs")
    g.add((s, BKG.quantity, Literal("1", datatype=XSD.decimal)))
    return {(SH.ObservationShape, s)}


def m_duplicate_observation_ic12(g, doc):
    s = obs(g, "operating_costs")
    return {(SH.ObservationShape, clone(g, s, f"{s}-duplicate"))}


def administration_item(g):
    """The 行政运行 functional item (a 项 of the general-public-budget listing)."""
    return min(s for s in g.subjects(BKG.item, ITEM.functional_expenditure)
               if (s, BKG.comparison, COMPARISON.value) in g and "行政运行" in str(g.value(s, BKG.printedName)))


def m_functional_item_with_economic_code(g, doc):
    item = administration_item(g)
    code = economic(g, doc, "301", "0", 900)
    concept = g.value(code, BKG.classification)
    g.remove((code, None, None))
    replace(g, item, BKG.classification, concept)
    # the 项 it was no longer sums to the general-public-budget expenditure: the cascade is expected too
    return {(SH.ObservationShape, item), (SH.FunctionalTotalShape, obs(g, "general_public_budget_expenditure",
                                                                         "general_public_budget"))}


def m_amount_wrong_datatype(g, doc):
    s = obs(g, "operating_costs")
    replace(g, s, BKG.amount, Literal("120.13", datatype=XSD.string))
    return {(SH.AmountObservationShape, s)}


def m_negative_amount(g, doc):
    s = obs(g, "operating_costs")
    replace(g, s, BKG.amount, Literal("-120.13", datatype=XSD.decimal))
    return {(SH.AmountObservationShape, s)}


def m_conversion_error(g, doc):
    s = obs(g, "operating_costs")
    replace(g, s, BKG.amount, Literal("120.15", datatype=XSD.decimal))
    return {(SH.AmountObservationShape, s)}


def m_missing_currency(g, doc):
    s = obs(g, "operating_costs")
    g.remove((s, BKG.currency, None))
    return {(SH.AmountObservationShape, s)}


def m_fractional_count(g, doc):
    s = obs(g, "actual")
    replace(g, s, BKG.quantity, Literal("58.5", datatype=XSD.decimal))
    return {(SH.QuantityObservationShape, s)}


def m_share_above_100(g, doc):
    s = obs(g, "reception", comparison="share")
    replace(g, s, BKG.quantity, Literal("100.5", datatype=XSD.decimal))
    return {(SH.QuantityObservationShape, s)}


def m_functional_code_format(g, doc):
    g.parse(data=PREFIXES + """<https://budgetkg.org/code/functional/20801011> a skos:Concept ;
        skos:inScheme bkg:FunctionalClassification ; skos:notation "20801011" ; skos:altLabel "坏编码"@zh .""",
        format="turtle")
    return {(SH.FunctionalConceptShape, URIRef("https://budgetkg.org/code/functional/20801011"))}


def m_economic_code_without_parent(g, doc):
    child = economic(g, doc, "30201", "5", 901)
    concept = g.value(child, BKG.classification)
    g.remove((concept, SKOS.broader, None))
    g.remove((child, None, None))
    return {(SH.EconomicConceptShape, concept)}


def m_economic_sum_off_by_002(g, doc):
    parent = economic(g, doc, "302", "10.02", 900)
    economic(g, doc, "30201", "5.00", 901)
    economic(g, doc, "30202", "5.00", 902)
    return {(SH.ClassificationSumShape, parent)}


def m_basic_plus_project_off_by_002(g, doc):
    set_amount(g, obs(g, "project_expenditure"), "96.72")
    return {(SH.ExpenditureByTypeShape, obs(g, "expenditure_this_year"))}


def m_personnel_plus_public_off_by_002(g, doc):
    set_amount(g, obs(g, "personnel_expenditure", "general_public_budget"), "1048.72")
    return {(SH.BasicExpenditureShape, obs(g, "basic_expenditure", "general_public_budget"))}


def m_functional_items_off_by_002(g, doc):
    item = administration_item(g)
    set_amount(g, item, "976.45")
    return {(SH.FunctionalTotalShape, obs(g, "general_public_budget_expenditure", "general_public_budget"))}


def m_three_public_parts_off_by_002(g, doc):
    set_amount(g, obs(g, "overseas"), "0.02")
    # the printed 0% share of 因公出国（境）费 no longer fits either
    return {(SH.ThreePublicShape, obs(g, "three_public_total")),
            (SH.ShareShape, obs(g, "overseas", comparison="share"))}


def m_vehicle_parts_off_by_002(g, doc):
    set_amount(g, obs(g, "vehicle_purchase"), "0.02")
    return {(SH.VehicleShape, obs(g, "vehicle_total"))}


def m_share_misprinted(g, doc):
    s = obs(g, "functional_expenditure", "general_public_budget", "share")
    replace(g, s, BKG.quantity, Literal("92", datatype=XSD.decimal))
    replace(g, s, BKG.printedValue, Literal("92", datatype=XSD.string))
    return {(SH.ShareShape, s)}


def m_conflicting_printing(g, doc):
    s = obs(g, "operating_costs")
    later = clone(g, s, f"{s}-2", amount=Literal("120.31", datatype=XSD.decimal),
                  printedValue=Literal("120.31", datatype=XSD.string), sourceLine=Literal(500))
    return {(SH.ConflictingPrintingShape, later)}


def m_unit_slip(g, doc):
    s = obs(g, "operating_costs")  # 120.13 万元, also printed as 公用经费 120.13 万元
    replace(g, s, BKG.amount, Literal("0.012013", datatype=XSD.decimal))
    replace(g, s, BKG.printedUnit, Literal("元", datatype=XSD.string))
    return {(SH.UnitSlipShape, s)}


def m_new_placeholder(g, doc):
    node = URIRef(f"{doc}/placeholder/new")
    g.parse(data=PREFIXES + f"""<{node}> a bkg:TemplatePlaceholder ; bkg:printedValue "XX%"^^xsd:string ;
        prov:wasDerivedFrom <{doc}> ; bkg:sourceLine 700 .""", format="turtle")
    return {(SH.TemplatePlaceholderShape, node)}


def m_project_without_name(g, doc):
    project = first(g, BKG.Project)
    g.remove((project, SKOS.prefLabel, None))
    return {(SH.ProjectShape, project)}


def m_score_above_weight(g, doc):
    node = URIRef(f"{doc}/indicator/1")
    project_with(g, doc, f"""<{node}> a bkg:PerformanceIndicator ; bkg:project $P ; prov:wasDerivedFrom $DOC ;
        bkg:sourceLine 800 ; bkg:weight 10.0 ; bkg:score 12.0 .""")
    return {(SH.PerformanceIndicatorShape, node)}


def m_indicator_scores_off(g, doc):
    project = project_with(g, doc, """$P bkg:totalScore 85.0 .
        <urn:i1> a bkg:PerformanceIndicator ; bkg:project $P ; prov:wasDerivedFrom $DOC ; bkg:sourceLine 801 ;
            bkg:weight 60.0 ; bkg:score 45.0 .
        <urn:i2> a bkg:PerformanceIndicator ; bkg:project $P ; prov:wasDerivedFrom $DOC ; bkg:sourceLine 802 ;
            bkg:weight 40.0 ; bkg:score 39.98 .""")
    return {(SH.IndicatorScoreShape, project)}


def m_execution_rate_off(g, doc):
    budget = obs(g, "project_budget", project=URIRef(f"{doc}/project/784e74a4f1a8"))
    project = g.value(budget, BKG.project)
    g.add((project, BKG.executionRate, Literal("95.0", datatype=XSD.decimal)))  # 40 of 40 is 100%
    return {(SH.ExecutionRateShape, project)}


def m_legal_number_malformed(g, doc):
    node = URIRef("https://budgetkg.org/legal/test")
    g.parse(data=PREFIXES + f"""<{node}> a eli:LegalResource ; eli:id_local "新政办发2018-55" .""", format="turtle")
    return {(SH.LegalResourceShape, node)}


def m_legal_number_disagrees(g, doc):
    node = URIRef("https://budgetkg.org/legal/test")
    g.parse(data=PREFIXES + f"""<{node}> a eli:LegalResource ; eli:id_local "新政办发〔2018〕55号" ;
        bkg:issuerCode "新政办发" ; bkg:documentYear "2017"^^xsd:gYear ; bkg:serialNumber 55 .""", format="turtle")
    return {(SH.LegalResourceShape, node)}


def m_order_number_disagrees(g, doc):
    node = URIRef("https://budgetkg.org/legal/test")
    g.parse(data=PREFIXES + f"""<{node}> a eli:LegalResource ; eli:id_local "人力资源和社会保障部令第14号" ;
        bkg:serialNumber 41 .""", format="turtle")
    return {(SH.LegalResourceShape, node)}


def m_order_with_a_year(g, doc):
    node = URIRef("https://budgetkg.org/legal/test")
    g.parse(data=PREFIXES + f"""<{node}> a eli:LegalResource ; eli:id_local "财政部令第87号" ;
        bkg:serialNumber 87 ; bkg:documentYear "2017"^^xsd:gYear .""", format="turtle")
    return {(SH.LegalResourceShape, node)}


def m_issuer_without_name(g, doc):
    node = URIRef("https://budgetkg.org/issuer/test")
    g.add((node, RDF.type, BKG.Issuer))
    return {(SH.IssuerShape, node)}


def m_topic_outside_scheme(g, doc):
    topic = first(g, BKG.Topic)
    g.remove((topic, SKOS.inScheme, None))
    return {(SH.TopicShape, topic)}


MUTATIONS = {name[2:]: f for name, f in sorted(globals().items()) if name.startswith("m_")}


def _results(findings):
    return {(URIRef(f["shape"]), URIRef(f["focus"])) for f in findings}


@pytest.fixture(scope="module")
def outcomes():
    """Baseline and every mutation, validated in a 2-process pool: name -> (expected, new results)."""
    graphs, expected = {"baseline": base()[0]}, {"baseline": set()}
    for name, mutate in MUTATIONS.items():
        graph, doc = base()
        expected[name] = mutate(graph, doc)
        graphs[name] = graph
    items = [(None, g.serialize(format="nt"), "nt") for g in graphs.values()]
    with ProcessPoolExecutor(max_workers=2, initializer=_context) as pool:
        results = dict(zip(graphs, (_results(f) for f, _report, _shared in pool.map(_validate_serialized, items))))
    baseline = results["baseline"]
    return {name: (expected[name], results[name] - baseline) for name in MUTATIONS} | {"baseline": (None, baseline)}


def test_baseline_has_only_the_seed_placeholders(outcomes):
    shapes = {shape for shape, _ in outcomes["baseline"][1]}
    assert shapes == {SH.TemplatePlaceholderShape}
    assert len(outcomes["baseline"][1]) == 4


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_gives_exactly_the_expected_results(outcomes, name):
    expected, new = outcomes[name]
    assert new == expected


def test_every_shape_is_made_to_fail():
    """Every shape with a target (the code-list shapes are reached through sh:node) fails in some test."""
    shapes = shapes_graph()
    targets = [SHACL.targetClass, SHACL.target, SHACL.targetNode, SHACL.targetSubjectsOf, SHACL.targetObjectsOf]
    targeted = {s for t in targets for s in shapes.subjects(t, None) if isinstance(s, URIRef)}
    covered = set()
    for mutate in MUTATIONS.values():
        graph, doc = base()
        covered |= {shape for shape, _ in mutate(graph, doc)}
    assert targeted - covered == set()
