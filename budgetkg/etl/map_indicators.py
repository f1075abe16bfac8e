"""Map indicator records (one row of a performance table) to bkg:PerformanceIndicator resources.

Registered with etl.mapping for record kind "indicator". Levels 1 and 2 are concepts of
bkg:IndicatorCategoryScheme: a known category (budgetkg.codes.INDICATOR_CATEGORIES, matched on its
synonyms) or, for a label the code list does not know, a concept minted from the printed label. The
category's Chinese label is also written on the indicator (bkg:indicatorLevel1Label / 2Label), the
denormalised copy queries/cq08-indicators.rq reads."""

import hashlib
import re
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS, XSD

from budgetkg.codes import INDICATOR_CATEGORIES
from budgetkg.vocab import BKG, INDICATOR
from budgetkg.etl.extract.performance import parse_indicator_value
from budgetkg.etl.mapping import literal, register, short_hash, typed

_SYNONYMS = {re.sub(r"[\s★☆]", "", s): key for key, (zh, _en, _lvl, syns) in INDICATOR_CATEGORIES.items()
             for s in [zh] + syns}


# level field -> (category property, label property): the label is the category's Chinese label again,
# as a plain literal on the indicator, so that a question listing every indicator reads it in one lookup
LEVELS = (("level1", BKG.indicatorLevel1, BKG.indicatorLevel1Label),
          ("level2", BKG.indicatorLevel2, BKG.indicatorLevel2Label))

_parsed_value = lru_cache(maxsize=16384)(parse_indicator_value)  # results only read here


@lru_cache(maxsize=4096)
def normalised_label(label):
    """A category label without spaces and markers (★), as matched against the synonyms."""
    return re.sub(r"[\s★☆]", "", label or "")


def category_iri(label):
    """(IRI, known?) of the indicator category a printed level label names."""
    norm = normalised_label(label)
    key = _SYNONYMS.get(norm)
    if key:
        return INDICATOR[key], True
    return INDICATOR["x-" + short_hash(norm)], False


def indicator_iri(project_iri, record):
    """The natural-key IRI of an indicator (before de-duplication inside the document)."""
    key = "|".join(record.get(k) or "" for k in ("level1", "level2", "level3", "target"))
    return f"{project_iri}/indicator/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def category_label(label):
    """The Chinese label of the category a printed level label names: the code list's own label for
    a known category, the printed label (normalised) for a minted one."""
    norm = normalised_label(label)
    key = _SYNONYMS.get(norm)
    return INDICATOR_CATEGORIES[key][0] if key else norm


def _category(builder, label):
    """The category concept of a level label; its label and scheme are stated once per document graph."""
    iri, _known = category_iri(label)
    if ("indicator-category", iri) not in builder.concepts:
        builder.concepts.add(("indicator-category", iri))
        pref = category_label(label)
        builder.add(iri, RDF.type, BKG.IndicatorCategory)
        builder.add(iri, RDF.type, SKOS.Concept)
        builder.add(iri, SKOS.prefLabel, literal(pref, "zh"))
        builder.add(iri, SKOS.inScheme, BKG.IndicatorCategoryScheme)
    return iri


def _value(builder, node, record, field, comparator, value, unit):
    printed = record.get(field)
    if not printed:
        return
    builder.add(node, BKG.targetText if field == "target" else BKG.actualText, literal(printed))
    parsed = _parsed_value(printed)
    if parsed:
        builder.add(node, comparator, literal(parsed["comparator"]))
        builder.add(node, value, typed(str(parsed["value"]), XSD.decimal))
        if parsed["unit"]:
            builder.add(node, unit, literal(parsed["unit"]))


@register("indicator")
def map_indicator(builder, record):
    """Triples of one performance indicator of a project."""
    project = record.get("project_iri") or f"{builder.doc}/project/{short_hash(record['project'])}"
    base = indicator_iri(project, record)
    n = builder.seen.get(("indicator", base), 0) + 1
    builder.seen[("indicator", base)] = n
    node = URIRef(base if n == 1 else f"{base}-{n}")
    builder.add(node, RDF.type, BKG.PerformanceIndicator)
    builder.add(node, SKOS.prefLabel, literal(record["level3"], "zh"))
    builder.add(node, BKG.project, URIRef(project))
    for field, prop, label_prop in LEVELS:
        if normalised_label(record.get(field)):
            builder.add(node, prop, _category(builder, record[field]))
            builder.add(node, label_prop, literal(category_label(record[field])))
    _value(builder, node, record, "target", BKG.targetComparator, BKG.targetValue, BKG.targetUnit)
    _value(builder, node, record, "actual", BKG.actualComparator, BKG.actualValue, BKG.actualUnit)
    for field, prop in (("weight", BKG.weight), ("score", BKG.score)):
        if record.get(field) is not None:
            builder.add(node, prop, typed(str(record[field]), XSD.decimal))
    if record.get("deviation"):
        builder.add(node, BKG.deviationReason, literal(record["deviation"], "zh"))
    builder.provenance(node, record)
