"""Stage 5, map: a document's metadata and records to RDF triples with deterministic IRIs.

IRIs follow docs/iri-policy.md: natural keys hashed under the base; no blank nodes."""

import hashlib
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from budgetkg.vocab import (BKG, COMPARISON, ECONOMIC, EXPTYPE, FUNCTIONAL, ITEM, LEVEL, ORG, PHASE, QB,
                            SOURCE, UOM)
from budgetkg.etl.normalise import same_amount

MONEY = "wanyuan"


@lru_cache(maxsize=4096)
def code_iri(namespace, key):
    """A code-list IRI (item, funding source, phase …), cached: code lists are small."""
    return namespace[key]


@lru_cache(maxsize=4096)
def typed(value, datatype):
    """A typed literal from its lexical form, cached (years, lines and amounts repeat)."""
    return Literal(value, datatype=datatype)


def short_hash(text):
    """First 12 hex digits of the SHA-1 of a UTF-8 string: a stable IRI segment for a natural key."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def unit_iri(base, unit):
    """IRI of a budget unit, from its full name."""
    return URIRef(f"{base}unit/{short_hash(unit)}")


DEPARTMENT = "department"


def document_iri(base, unit, year, phase, level=DEPARTMENT):
    """IRI of a disclosure (and of its named graph), from unit, fiscal year, phase and level: a
    department's disclosure is .../<year>/<phase>, a single unit's own (单位预算) .../<year>/unit-<phase>."""
    tail = phase if level == DEPARTMENT else f"{level}-{phase}"
    return URIRef(f"{base}doc/{short_hash(unit)}/{year}/{tail}")


def classification_scheme(record):
    """'functional' or 'economic': which classification a figure's code belongs to."""
    item = record.get("classification_item") or record["item"]
    return "economic" if item == "economic_expenditure" else "functional"


def classification_iri(record):
    """IRI of the functional or economic concept of a figure, or None for unclassified figures."""
    if record.get("code"):
        ns = FUNCTIONAL if classification_scheme(record) == "functional" else ECONOMIC
        return ns[record["code"]]
    if record.get("name") and classification_scheme(record) == "functional":
        path = record.get("path") or [record["name"]]
        return FUNCTIONAL["name-" + short_hash("|".join(path))]
    return None


def observation_key(record):
    """The natural key of an observation inside its document."""
    classification = record.get("code") or "|".join(record.get("path") or [record.get("name") or ""])
    name = record.get("name") or "" if record.get("code") else ""
    key = "|".join([record["item"], record["source"], classification, name,
                    record.get("exptype") or "", record["comparison"]])
    return key + "|" + record["project_key"] if record.get("project_key") else key


def printed_at(record):
    """Where a record was printed, for messages: 'line 12' in a text file, else its Location
    ('page 9, table 3, row 4')."""
    location = record.get("location")
    if location is None or (location.page is None and location.sheet is None and location.table is None):
        return f"line {record['line']}" if location is None else f"line {location.line}"
    return location.describe().split(": ", 1)[-1]


@lru_cache(maxsize=16384)
def literal(text, lang=None):
    """A string literal, language-tagged when lang is given."""
    return Literal(text, lang=lang) if lang else Literal(text, datatype=XSD.string)


class GraphBuilder:
    """Collects the triples of one document graph, minting observation IRIs by natural key."""

    def __init__(self, base, meta):
        self.base, self.meta = base, meta
        self.unit = unit_iri(base, meta["unit"])
        self.doc = document_iri(base, meta["unit"], meta["year"], meta["phase"], meta.get("level", DEPARTMENT))
        self.dataset = URIRef(f"{self.doc}/dataset")
        self.triples, self.warnings, self.seen, self.concepts = [], [], {}, set()
        self.figures = 0

    def add(self, s, p, o):
        """Add one triple."""
        self.triples.append((s, p, o))

    def project_iri(self, key):
        """IRI of a project of this document, from its merged name key."""
        return URIRef(f"{self.doc}/project/{short_hash(key)}")

    def document(self):
        """Triples describing the document, its unit and its data set."""
        m, doc, unit = self.meta, self.doc, self.unit
        phase_zh = "决算" if m["phase"] == "final" else "预算"
        level = m.get("level", DEPARTMENT)
        year = Literal(str(m["year"]), datatype=XSD.gYear)
        for cls in (BKG.Disclosure, PROV.Entity, DCAT.Resource):
            self.add(doc, RDF.type, cls)
        level_zh = "部门" if level == DEPARTMENT else "单位"
        self.add(doc, RDFS.label, literal(f"{m['unit']} {m['year']}年度{level_zh}{phase_zh}公开", "zh"))
        if m.get("title"):
            self.add(doc, DCTERMS.title, literal(m["title"], "zh"))
        self.add(doc, BKG.budgetUnit, unit)
        self.add(doc, BKG.fiscalYear, year)
        self.add(doc, BKG.phase, PHASE[m["phase"]])
        self.add(doc, BKG.disclosureLevel, LEVEL[level])
        self.add(doc, BKG.sourceFile, literal(m["source_file"]))
        self.add(doc, BKG.sha256, literal(m["sha256"]))
        for cls in (BKG.BudgetUnit, ORG.FormalOrganization):
            self.add(unit, RDF.type, cls)
        self.add(unit, SKOS.prefLabel, literal(m["unit"], "zh"))
        self.add(unit, RDFS.label, literal(m["unit"], "zh"))
        self.add(self.dataset, RDF.type, QB.DataSet)
        self.add(self.dataset, QB.structure, BKG.dsd)
        self.add(self.dataset, PROV.wasDerivedFrom, doc)
        self.add(self.dataset, RDFS.label, literal(f"{m['unit']} {m['year']} {phase_zh}数据", "zh"))

    def provenance(self, node, record):
        """Where a fact was printed: document, section heading and line."""
        self.add(node, PROV.wasDerivedFrom, self.doc)
        location = record.get("location")
        if location is None:
            if record.get("line"):
                self.add(node, BKG.sourceLine, typed(str(record["line"]), XSD.integer))
        else:
            self.location(node, location, record.get("column"))
        if record.get("section"):
            self.add(node, BKG.sourceSection, literal(record["section"]))
        if record.get("text"):
            self.add(node, BKG.sourceText, literal(record["text"]))

    def location(self, node, location, column=None):
        """Triples of a Location: line; page; sheet and cell; table, row and column (those known)."""
        if len(self.meta.get("files") or ()) > 1:
            self.add(node, BKG.sourcePart, literal(location.file))
        for prop, value in ((BKG.sourcePage, location.page), (BKG.sourceLine, location.line),
                            (BKG.sourceTable, location.table), (BKG.sourceRow, location.row),
                            (BKG.sourceColumn, column or location.column)):
            if value is not None and (prop != BKG.sourceColumn or location.table is not None):
                self.add(node, prop, typed(str(value), XSD.integer))
        if location.sheet is not None:
            self.add(node, BKG.sourceSheet, literal(location.sheet))
        if location.cell is not None:
            self.add(node, BKG.sourceCell, literal(location.cell))

    def observation(self, record):
        """Triples of one figure record, merged with an identical earlier figure if there is one."""
        key = observation_key(record)
        previous = self.seen.get(key)
        if previous is not None:
            if same_amount(previous["value"], record["value"]):
                return  # the same number (a rounded printing of it is not a conflict)
            n = 2
            while f"{key}#{n}" in self.seen:
                if same_amount(self.seen[f"{key}#{n}"]["value"], record["value"]):
                    return
                n += 1
            what = " ".join(x for x in (record["item"], record.get("code"), record.get("name")) if x)
            self.warnings.append({"kind": "warning", "line": record["line"], "message": (
                f"{what} printed as {record['printed']} here but as "
                f"{previous['printed']} at {printed_at(previous)}; both kept")})
            self.seen[f"{key}#{n}"] = record
            obs = URIRef(f"{self.doc}/obs/{short_hash(key)}-{n}")
        else:
            self.seen[key] = record
            obs = URIRef(f"{self.doc}/obs/{short_hash(key)}")
        self.figures += 1
        money = record["uom"] == MONEY
        self.add(obs, RDF.type, QB.Observation)
        self.add(obs, RDF.type, BKG.AmountObservation if money else BKG.QuantityObservation)
        self.add(obs, QB.dataSet, self.dataset)
        self.add(obs, BKG.refUnit, self.unit)
        self.add(obs, BKG.fiscalYear, typed(str(self.meta["year"]), XSD.gYear))
        self.add(obs, BKG.phase, code_iri(PHASE, self.meta["phase"]))
        self.add(obs, BKG.item, code_iri(ITEM, record["item"]))
        self.add(obs, BKG.fundingSource, code_iri(SOURCE, record["source"]))
        self.add(obs, BKG.comparison, code_iri(COMPARISON, record["comparison"]))
        if record.get("exptype"):
            self.add(obs, BKG.expenditureType, code_iri(EXPTYPE, record["exptype"]))
        if record.get("project_key"):
            self.add(obs, BKG.project, self.project_iri(record["project_key"]))
        concept = classification_iri(record)
        if concept is not None:
            self.add(obs, BKG.classification, concept)
            self.add(obs, BKG.printedName, literal(record["name"]))
            self.concept(concept, record)
        value = typed(str(record["value"]), XSD.decimal)
        self.add(obs, BKG.amount if money else BKG.quantity, value)
        self.add(obs, BKG.unitOfMeasure, code_iri(UOM, record["uom"]))
        if money:
            self.add(obs, BKG.currency, literal("CNY"))
        self.add(obs, BKG.printedValue, literal(record["printed"]))
        if record.get("printed_unit"):
            self.add(obs, BKG.printedUnit, literal(record["printed_unit"]))
        if record.get("reason"):
            self.add(obs, BKG.reason, literal(record["reason"], "zh"))
        self.provenance(obs, record)

    def concept(self, iri, record):
        """Triples of a classification concept (once per document graph)."""
        if iri in self.concepts:
            return
        self.concepts.add(iri)
        functional = classification_scheme(record) == "functional"
        scheme = BKG.FunctionalClassification if functional else BKG.EconomicClassification
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, SKOS.inScheme, scheme)
        self.add(iri, SKOS.altLabel, literal(record["name"], "zh"))
        if record.get("level"):
            self.add(iri, BKG.classificationLevel, Literal(record["level"], datatype=XSD.integer))
        code = record.get("code")
        if code:
            self.add(iri, SKOS.notation, literal(code))
            if len(code) > 3:
                ns = FUNCTIONAL if functional else ECONOMIC
                self.add(iri, SKOS.broader, ns[code[:-2]])
        elif record.get("path"):
            self.add(iri, SKOS.altLabel, literal("/".join(record["path"]), "zh"))

    def division(self, record):
        """Triples of an internal division (科室/处室) of the unit."""
        node = URIRef(f"{self.unit}/division/{short_hash(record['name'])}")
        for cls in (BKG.InternalDivision, ORG.OrganizationalUnit):
            self.add(node, RDF.type, cls)
        self.add(node, SKOS.prefLabel, literal(record["name"], "zh"))
        self.add(node, ORG.unitOf, self.unit)
        self.add(self.unit, ORG.hasUnit, node)
        self.provenance(node, record)

    def glossary_term(self, record):
        """Triples of a glossary (名词解释) entry as a concept with its definition."""
        scheme = URIRef(f"{self.doc}/glossary")
        node = URIRef(f"{self.doc}/term/{short_hash(record['term'])}")
        if (node, RDF.type, BKG.GlossaryTerm) in self.concepts:
            return
        self.concepts.add((node, RDF.type, BKG.GlossaryTerm))
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, RDFS.label, literal(f"{self.meta['unit']} {self.meta['year']} 名词解释", "zh"))
        for cls in (BKG.GlossaryTerm, SKOS.Concept):
            self.add(node, RDF.type, cls)
        self.add(node, SKOS.inScheme, scheme)
        self.add(node, SKOS.prefLabel, literal(record["term"], "zh"))
        self.add(node, SKOS.definition, literal(record["definition"], "zh"))
        self.provenance(node, record)


def _main_functions(builder, record):
    """The unit's main functions text, on the document."""
    builder.add(builder.doc, BKG.mainFunctions, literal(record["text"], "zh"))


HANDLERS = {
    "figure": GraphBuilder.observation,
    "division": GraphBuilder.division,
    "glossary": GraphBuilder.glossary_term,
    "functions": _main_functions,
}


def register(kind):
    """Decorator: map records of ``kind`` with ``function(builder, record)`` (extension modules)."""
    def decorate(function):
        HANDLERS[kind] = function
        return function
    return decorate


def map_document(meta, records, base):
    """Return (triples, figure count, warnings) for one document's metadata and records."""
    import budgetkg.etl.mapping_extensions  # noqa: F401  (registers handlers of further record kinds)
    from budgetkg.etl.map_canonical import mark_canonical
    builder = GraphBuilder(base, meta)
    builder.document()
    for record in records:
        handler = HANDLERS.get(record["kind"])
        if handler is not None:
            handler(builder, record)
    mark_canonical(builder)
    return builder.triples, builder.figures, builder.warnings
