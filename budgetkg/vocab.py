"""The budgetkg vocabulary as rdflib namespaces, defined once.

A typo in a ``BKG`` term raises AttributeError instead of minting a wrong IRI."""

from functools import lru_cache

from rdflib import Namespace as _RdflibNamespace
from rdflib.namespace import (DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD, DefinedNamespace,
                              URIRef)

ONTOLOGY_IRI = "https://budgetkg.org/def"
CODE_BASE = "https://budgetkg.org/code/"


class Namespace(_RdflibNamespace):
    """An rdflib Namespace whose terms are built once (rdflib builds a new URIRef on every QB.x)."""

    def term(self, name):
        return _term(str(self), name) if isinstance(name, str) else super().term(name)


@lru_cache(maxsize=65536)
def _term(base, name):
    return URIRef(base + name)


def materialise(namespace):
    """Store each declared term of a DefinedNamespace as a class attribute, so that RDF.type or
    BKG.amount skips the metaclass's per-access checks (the mapping makes ~100,000 such lookups per
    five documents); an undeclared name still goes through them and still fails where it must."""
    for klass in namespace.__mro__:
        for name in getattr(klass, "__annotations__", {}):
            if not name.startswith("_") and name not in klass.__dict__:
                type.__setattr__(namespace, name, namespace[name])
    return namespace


class BKG(DefinedNamespace):
    """Classes and properties of the budgetkg ontology (ontology/budgetkg.ttl)."""

    _NS = Namespace("https://budgetkg.org/def#")
    _fail = True

    # classes
    Disclosure: URIRef  # a published budget or final-account document
    BudgetUnit: URIRef  # a budget unit (预算单位), an org:Organization
    InternalDivision: URIRef  # a 科室/处室, an org:OrganizationalUnit
    AmountObservation: URIRef  # a money figure, a qb:Observation
    QuantityObservation: URIRef  # a count, area or other non-money figure
    GlossaryTerm: URIRef  # a 名词解释 entry, a skos:Concept
    FigureItem: URIRef  # a kind of figure (本年支出, 三公经费 ...), a skos:Concept
    TemplatePlaceholder: URIRef  # an unfilled template placeholder printed in a document (占**%)

    # data structure definition and dimensions
    dsd: URIRef
    refUnit: URIRef
    fiscalYear: URIRef
    phase: URIRef
    disclosureLevel: URIRef  # 部门 or 单位 disclosure (bkg:DisclosureLevelScheme)
    item: URIRef
    classification: URIRef
    fundingSource: URIRef
    expenditureType: URIRef
    comparison: URIRef

    # measures and attributes
    amount: URIRef
    quantity: URIRef
    unitOfMeasure: URIRef
    currency: URIRef
    printedValue: URIRef
    printedUnit: URIRef
    printedName: URIRef  # the classification name as this document prints it
    reason: URIRef
    canonical: URIRef  # true on the printing that stands for its figure in its document (etl/map_canonical.py)

    # provenance of a figure
    sourceLine: URIRef
    sourcePage: URIRef
    sourceTable: URIRef
    sourceRow: URIRef
    sourceColumn: URIRef
    sourceSheet: URIRef
    sourceCell: URIRef
    sourcePart: URIRef
    sourceSection: URIRef
    sourceText: URIRef

    # document and unit
    budgetUnit: URIRef
    mainFunctions: URIRef
    sourceFile: URIRef
    sha256: URIRef
    classificationLevel: URIRef

    # projects, performance indicators, legal basis, topics (issue 3)
    Project: URIRef  # a project (项目支出 item) of one document, a prov:Activity
    PerformanceIndicator: URIRef  # one row of a performance-indicator table
    IndicatorCategory: URIRef  # a level-1 or level-2 indicator category, a skos:Concept
    Topic: URIRef  # a topic concept assigned to projects from keywords
    Issuer: URIRef  # a body that issues official documents, an org:Organization
    hasProject: URIRef  # document -> project
    project: URIRef  # dimension: the project an observation or indicator belongs to
    projectCode: URIRef
    supervisingDepartment: URIRef  # 主管部门, as printed
    implementingUnit: URIRef  # 实施单位 / 项目承担单位, as printed
    overallTarget: URIRef  # 年度总体目标 / 预期目标
    actualOutcome: URIRef  # 实际完成情况
    policyBasisText: URIRef  # 设立的政策依据, as printed
    fundAllocation: URIRef  # 资金分配情况
    executionPeriod: URIRef  # 资金执行时间
    fundingSourceText: URIRef  # 资金来源, as printed
    executionRate: URIRef  # 执行率 in percent
    totalScore: URIRef  # 总分
    legalBasis: URIRef  # project or document -> eli:LegalResource it rests on
    topic: URIRef  # project -> Topic
    indicatorLevel1: URIRef
    indicatorLevel2: URIRef
    indicatorLevel1Label: URIRef  # the level-1 category's Chinese label, a plain literal on the indicator
    indicatorLevel2Label: URIRef  # the level-2 category's Chinese label, a plain literal on the indicator
    targetText: URIRef
    actualText: URIRef
    targetComparator: URIRef
    targetValue: URIRef
    targetUnit: URIRef
    actualComparator: URIRef
    actualValue: URIRef
    actualUnit: URIRef
    weight: URIRef  # 分值
    score: URIRef  # 得分
    deviationReason: URIRef  # 偏差原因分析及改进措施
    issuerCode: URIRef  # e.g. 新政办发
    documentYear: URIRef  # year in the 文号
    serialNumber: URIRef  # serial in the 文号
    articleLabel: URIRef  # e.g. 第七十二条

    # concept schemes and notable individuals
    FunctionalClassification: URIRef
    EconomicClassification: URIRef
    BudgetPhaseScheme: URIRef
    DisclosureLevelScheme: URIRef
    FigureItemScheme: URIRef
    FundingSourceScheme: URIRef
    ExpenditureTypeScheme: URIRef
    ComparisonScheme: URIRef
    UnitOfMeasureScheme: URIRef
    IndicatorCategoryScheme: URIRef
    TopicScheme: URIRef
    functionalLevel1: URIRef
    functionalLevel2: URIRef
    functionalLevel3: URIRef
    economicLevel1: URIRef
    economicLevel2: URIRef


for _namespace in (DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD):
    materialise(_namespace)
materialise(BKG)

QB = Namespace("http://purl.org/linked-data/cube#")
ORG = Namespace("http://www.w3.org/ns/org#")
XKOS = Namespace("http://rdf-vocabulary.ddialliance.org/xkos#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
OBEU_CODE = Namespace("http://data.openbudgets.eu/resource/codelist/")

CODE = Namespace(CODE_BASE)
PHASE = Namespace(CODE_BASE + "phase/")
LEVEL = Namespace(CODE_BASE + "disclosure-level/")
ITEM = Namespace(CODE_BASE + "item/")
SOURCE = Namespace(CODE_BASE + "funding-source/")
EXPTYPE = Namespace(CODE_BASE + "expenditure-type/")
COMPARISON = Namespace(CODE_BASE + "comparison/")
UOM = Namespace(CODE_BASE + "unit/")
FUNCTIONAL = Namespace(CODE_BASE + "functional/")
INDICATOR = Namespace(CODE_BASE + "indicator-category/")
TOPIC = Namespace(CODE_BASE + "topic/")
ECONOMIC = Namespace(CODE_BASE + "economic/")

# the W3C prefixes every serialisation declares, beside the budgetkg ones (PREFIXES)
STANDARD_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}

PREFIXES = {
    "bkg": BKG._NS,
    "qb": QB,
    "org": ORG,
    "xkos": XKOS,
    "eli": ELI,
    "sdmx-attribute": SDMX_ATTR,
    "phase": PHASE,
    "dlevel": LEVEL,
    "item": ITEM,
    "fsrc": SOURCE,
    "exptype": EXPTYPE,
    "cmp": COMPARISON,
    "uom": UOM,
    "func": FUNCTIONAL,
    "econ": ECONOMIC,
    "ind": INDICATOR,
    "topic": TOPIC,
}


def sparql_prefixes(*names):
    """'PREFIX name: <iri>' lines for the named prefixes (standard and budgetkg ones), for query texts."""
    known = {**STANDARD_PREFIXES, **PREFIXES}
    return "".join(f"PREFIX {name}: <{known[name]}>\n" for name in names)
