"""Mark the canonical printing of each figure of a document (bkg:canonical true), decided at build time.

A disclosure prints many figures more than once: a total in the summary table and again per funding
scope, a functional item in the all-funds table and in the general-public-budget table, a project's
budget in the expenditure table and in its performance table. The questions (queries/cq*.rq) want one
row per figure and document; choosing it inside SPARQL (MIN over string keys, FILTER NOT EXISTS over
earlier lines) grows faster than the data. Here the choice is made once per document graph, from the
rules in etl/data/canonical.csv: for each listed item, the candidates are its observations with
comparison `value` and no expenditure-type column, grouped per document and item (and per
classification concept or per project where the rule says so); the candidate with the most
preferred funding scope wins, then the first printing (page, line, table, row), then the smallest
observation IRI. The winner gets ``bkg:canonical true``; every printing stays in the graph."""

import csv
from functools import lru_cache
from importlib import resources

from rdflib.namespace import XSD

from budgetkg.codes import FUNDING_SOURCES, ITEMS
from budgetkg.vocab import BKG, COMPARISON, ITEM, SOURCE
from budgetkg.etl.mapping import typed

RULES_FILE = "data/canonical.csv"
GROUPINGS = {"item": None, "classification": BKG.classification, "project": BKG.project}
POSITION = (BKG.sourcePage, BKG.sourceLine, BKG.sourceTable, BKG.sourceRow)  # document order
FACETS = {BKG.item, BKG.comparison, BKG.fundingSource, BKG.expenditureType, BKG.classification,
          BKG.project, *POSITION}
VALUE = COMPARISON["value"]
TRUE = typed("true", XSD.boolean)


class RuleError(ValueError):
    """etl/data/canonical.csv names an unknown item, grouping or funding source."""


def parse_rules(text, where=RULES_FILE):
    """{item IRI: (grouping property or None, {funding source IRI: rank}, rank of other sources)}."""
    rules = {}
    for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        item, per = (row.get("item") or "").strip(), (row.get("per") or "").strip()
        scopes = (row.get("scopes") or "").split()
        if item not in ITEMS:
            raise RuleError(f"{where}:{number}: unknown item {item!r}")
        if per not in GROUPINGS:
            raise RuleError(f"{where}:{number}: 'per' must be one of {', '.join(GROUPINGS)}, not {per!r}")
        unknown = [s for s in scopes if s not in FUNDING_SOURCES]
        if unknown:
            raise RuleError(f"{where}:{number}: unknown funding source {unknown[0]!r}")
        rules[ITEM[item]] = (GROUPINGS[per], {SOURCE[s]: i for i, s in enumerate(scopes)}, len(scopes))
    return rules


@lru_cache(maxsize=1)
def rules():
    """The shipped rules, read once."""
    return parse_rules(resources.files("budgetkg.etl").joinpath(RULES_FILE).read_text(encoding="utf-8"))


def observation_facets(triples):
    """{subject: {property: object}} for the properties the choice looks at (one value each)."""
    facets = {}
    for s, p, o in triples:
        if p in FACETS:
            facets.setdefault(s, {})[p] = o
    return facets


def position(facts):
    """Sort key of where a figure was printed: page, line, table, row (absent ones count as 0)."""
    return tuple(int(facts[p]) if p in facts else 0 for p in POSITION)


def canonical_observations(triples, table=None):
    """The observations that stand for their figure in this document graph, in IRI order."""
    table = rules() if table is None else table
    best = {}
    for obs, facts in observation_facets(triples).items():
        rule = table.get(facts.get(BKG.item))
        if rule is None or facts.get(BKG.comparison) != VALUE or BKG.expenditureType in facts:
            continue
        grouping, ranks, other = rule
        group = (facts[BKG.item], facts.get(grouping) if grouping is not None else None)
        key = (ranks.get(facts.get(BKG.fundingSource), other), position(facts), str(obs))
        if group not in best or key < best[group][0]:
            best[group] = (key, obs)
    return sorted((obs for _, obs in best.values()), key=str)


def mark_canonical(builder):
    """Add ``obs bkg:canonical true`` to a GraphBuilder for each canonical observation."""
    for obs in canonical_observations(builder.triples):
        builder.add(obs, BKG.canonical, TRUE)
