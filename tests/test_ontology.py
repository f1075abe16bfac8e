"""The ontology (ontology/budgetkg.ttl) defines every vocabulary term and every code-list concept."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from budgetkg import codes
from budgetkg.vocab import (
    BKG, COMPARISON, EXPTYPE, ITEM, LEVEL, ONTOLOGY_IRI, PHASE, QB, SDMX_ATTR, SOURCE, UOM, XKOS,
)

ONTOLOGY_FILE = Path(__file__).resolve().parents[1] / "ontology" / "budgetkg.ttl"
ONTOLOGY = URIRef(ONTOLOGY_IRI)

TERMS = sorted(BKG.__annotations__)

# code list -> (namespace of its concepts, concept scheme)
CODE_LISTS = {
    "PHASES": (PHASE, BKG.BudgetPhaseScheme),
    "DISCLOSURE_LEVELS": (LEVEL, BKG.DisclosureLevelScheme),
    "ITEMS": (ITEM, BKG.FigureItemScheme),
    "FUNDING_SOURCES": (SOURCE, BKG.FundingSourceScheme),
    "EXPENDITURE_TYPES": (EXPTYPE, BKG.ExpenditureTypeScheme),
    "COMPARISONS": (COMPARISON, BKG.ComparisonScheme),
    "UNITS_OF_MEASURE": (UOM, BKG.UnitOfMeasureScheme),
}
CODES = [(name, key) for name in CODE_LISTS for key in sorted(getattr(codes, name))]

DIMENSIONS = [BKG.refUnit, BKG.fiscalYear, BKG.phase, BKG.item, BKG.classification,
              BKG.fundingSource, BKG.expenditureType, BKG.comparison, BKG.project]
MEASURES = [BKG.amount, BKG.quantity]
ATTRIBUTES = {BKG.unitOfMeasure: True, BKG.currency: False, BKG.printedValue: False,
              BKG.printedUnit: False, BKG.reason: False, BKG.printedName: False}

# bkg: resources the ontology may define that are not (yet) terms of vocab.BKG
EXTRA_BKG_RESOURCES = set()


@pytest.fixture(scope="module")
def g():
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


def langs(g, s, p):
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


def test_parses_and_declares_ontology(g):
    assert len(g) > 0
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY, OWL.versionInfo) is not None
    assert {"zh", "en"} <= {o.language for o in g.objects(ONTOLOGY, URIRef("http://purl.org/dc/terms/title"))}
    assert g.value(ONTOLOGY, URIRef("http://purl.org/dc/terms/license")) is not None


@pytest.mark.parametrize("term", TERMS)
def test_every_vocab_term_is_defined(g, term):
    iri = BKG[term]
    assert g.value(iri, RDF.type) is not None, f"bkg:{term} has no rdf:type"
    assert {"zh", "en"} <= langs(g, iri, RDFS.label), f"bkg:{term} lacks an rdfs:label @zh and @en"
    assert "en" in langs(g, iri, SKOS.definition), f"bkg:{term} lacks a skos:definition @en"
    assert (iri, RDFS.isDefinedBy, ONTOLOGY) in g


def test_no_undeclared_bkg_terms(g):
    """Every bkg: resource the ontology describes is a BKG term (or a known extra)."""
    ns = str(BKG._NS)
    defined = {str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns)}
    assert defined - set(TERMS) - EXTRA_BKG_RESOURCES == set()


@pytest.mark.parametrize("name,key", CODES)
def test_every_code_has_its_concept(g, name, key):
    ns, scheme = CODE_LISTS[name]
    zh, en = getattr(codes, name)[key]
    c = ns[key]
    assert (c, RDF.type, SKOS.Concept) in g
    assert (c, SKOS.prefLabel, Literal(zh, lang="zh")) in g
    assert (c, SKOS.prefLabel, Literal(en, lang="en")) in g
    assert (c, SKOS.notation, Literal(key)) in g
    assert (c, SKOS.inScheme, scheme) in g
    assert (c, SKOS.topConceptOf, scheme) in g
    assert "en" in langs(g, c, SKOS.definition)
    if name == "ITEMS":
        assert (c, RDF.type, BKG.FigureItem) in g


@pytest.mark.parametrize("name", CODE_LISTS)
def test_no_stray_concepts_in_code_schemes(g, name):
    ns, scheme = CODE_LISTS[name]
    in_scheme = set(g.subjects(SKOS.inScheme, scheme))
    assert in_scheme == {ns[k] for k in getattr(codes, name)}
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g


def test_phases_align_to_openbudgets(g):
    obeu = "http://data.openbudgets.eu/resource/codelist/budget-phase/"
    assert (PHASE.budget, SKOS.exactMatch, URIRef(obeu + "approved")) in g
    assert (PHASE.final, SKOS.exactMatch, URIRef(obeu + "executed")) in g


def components(g, prop):
    return {g.value(c, prop): c for c in g.objects(BKG.dsd, QB.component) if g.value(c, prop) is not None}


def test_dsd_has_every_dimension_and_measure(g):
    assert (BKG.dsd, RDF.type, QB.DataStructureDefinition) in g
    dims = components(g, QB.dimension)
    assert set(dims) == set(DIMENSIONS)
    assert set(dims) == set(g.subjects(RDF.type, QB.DimensionProperty))
    assert set(components(g, QB.measure)) == set(MEASURES)
    for d in DIMENSIONS:
        assert (d, RDF.type, QB.DimensionProperty) in g
    for m in MEASURES:
        assert (m, RDF.type, QB.MeasureProperty) in g
        assert (m, RDFS.range, XSD.decimal) in g


def test_dsd_attributes_and_required_flags(g):
    attrs = components(g, QB.attribute)
    assert set(attrs) == set(ATTRIBUTES)
    for a, required in ATTRIBUTES.items():
        assert (a, RDF.type, QB.AttributeProperty) in g
        assert g.value(attrs[a], QB.componentRequired) == Literal(required)
    assert (BKG.unitOfMeasure, RDFS.subPropertyOf, SDMX_ATTR.unitMeasure) in g
    assert (BKG.unitOfMeasure, QB.codeList, BKG.UnitOfMeasureScheme) in g


@pytest.mark.parametrize("dim,scheme", [
    (BKG.phase, BKG.BudgetPhaseScheme), (BKG.item, BKG.FigureItemScheme),
    (BKG.fundingSource, BKG.FundingSourceScheme), (BKG.expenditureType, BKG.ExpenditureTypeScheme),
    (BKG.comparison, BKG.ComparisonScheme),
])
def test_coded_dimensions_have_code_lists(g, dim, scheme):
    assert (dim, QB.codeList, scheme) in g


@pytest.mark.parametrize("cls,sup", [
    (BKG.Disclosure, URIRef("http://www.w3.org/ns/prov#Entity")),
    (BKG.BudgetUnit, URIRef("http://www.w3.org/ns/org#FormalOrganization")),
    (BKG.InternalDivision, URIRef("http://www.w3.org/ns/org#OrganizationalUnit")),
    (BKG.AmountObservation, QB.Observation),
    (BKG.QuantityObservation, QB.Observation),
    (BKG.GlossaryTerm, SKOS.Concept),
    (BKG.FigureItem, SKOS.Concept),
])
def test_class_alignment(g, cls, sup):
    assert (cls, RDF.type, OWL.Class) in g
    assert (cls, RDFS.subClassOf, sup) in g


def test_budget_unit_property_and_provenance_ranges(g):
    assert (BKG.budgetUnit, RDF.type, OWL.ObjectProperty) in g
    assert (BKG.budgetUnit, RDFS.domain, BKG.Disclosure) in g
    assert (BKG.budgetUnit, RDFS.range, BKG.BudgetUnit) in g
    assert (BKG.sourceLine, RDFS.range, XSD.integer) in g
    assert g.value(BKG.sourceLine, RDFS.subPropertyOf) is None


@pytest.mark.parametrize("scheme,patterns", [
    (BKG.FunctionalClassification, ["[0-9]{3}", "[0-9]{5}", "[0-9]{7}"]),
    (BKG.EconomicClassification, ["[0-9]{3}", "[0-9]{5}"]),
])
def test_classification_levels(g, scheme, patterns):
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    levels = list(Collection(g, g.value(scheme, XKOS.levels)))
    assert len(levels) == len(patterns)
    for depth, (level, pattern) in enumerate(zip(levels, patterns), start=1):
        assert (level, RDF.type, XKOS.ClassificationLevel) in g
        assert g.value(level, XKOS.depth).toPython() == depth
        assert str(g.value(level, XKOS.notationPattern)) == pattern


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        BKG.amonut  # noqa: B018
    assert str(BKG.amount) == "https://budgetkg.org/def#amount"
