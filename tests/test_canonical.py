"""The canonical printing of each figure (etl/map_canonical.py, rules in etl/data/canonical.csv):
the rule's funding-scope order first, then the first printing; one per document, item and group."""

import pytest
from rdflib import URIRef
from rdflib.namespace import XSD

from budgetkg.vocab import BKG, COMPARISON, EXPTYPE, FUNCTIONAL, ITEM, SOURCE
from budgetkg.etl.map_canonical import RuleError, canonical_observations, parse_rules
from budgetkg.etl.mapping import typed

DOC = "https://example.org/doc/1"


def figure(name, item, source, line, comparison="value", classification=None, project=None, exptype=None):
    """The triples the choice reads for one observation."""
    obs = URIRef(f"{DOC}/obs/{name}")
    triples = [(obs, BKG.item, ITEM[item]), (obs, BKG.fundingSource, SOURCE[source]),
               (obs, BKG.comparison, COMPARISON[comparison]), (obs, BKG.sourceLine, typed(str(line), XSD.integer))]
    if classification:
        triples.append((obs, BKG.classification, FUNCTIONAL[classification]))
    if project:
        triples.append((obs, BKG.project, URIRef(f"{DOC}/project/{project}")))
    if exptype:
        triples.append((obs, BKG.expenditureType, EXPTYPE[exptype]))
    return triples


def chosen(*figures):
    return {str(obs).rsplit("/", 1)[1] for obs in canonical_observations([t for f in figures for t in f])}


def test_totals_take_the_widest_scope_before_the_first_line():
    assert chosen(figure("gpb", "income_total", "general_public_budget", 10),
                  figure("fiscal", "income_total", "fiscal_appropriation", 40),
                  figure("all", "income_total", "all", 90)) == {"all"}
    assert chosen(figure("gpb", "income_total", "general_public_budget", 10),
                  figure("fiscal", "income_total", "fiscal_appropriation", 40)) == {"fiscal"}


def test_classified_items_prefer_the_general_budget_table_per_concept():
    assert chosen(figure("a1", "functional_expenditure", "all", 5, classification="2080101"),
                  figure("g1", "functional_expenditure", "general_public_budget", 50, classification="2080101"),
                  figure("a2", "functional_expenditure", "all", 6, classification="2080102"),
                  figure("a2b", "functional_expenditure", "all", 60, classification="2080102")) == {"g1", "a2"}


def test_first_printing_for_projects_per_project_and_ties_by_iri():
    assert chosen(figure("p1late", "project_budget", "all", 80, project="p1"),
                  figure("p1early", "project_budget", "all", 20, project="p1"),
                  figure("p2b", "project_budget", "all", 30, project="p2"),
                  figure("p2a", "project_budget", "all", 30, project="p2")) == {"p1early", "p2a"}


def test_changes_breakdowns_and_unlisted_items_are_never_canonical():
    assert chosen(figure("change", "income_total", "all", 1, comparison="change_vs_previous_year"),
                  figure("typed", "basic_expenditure", "all", 2, exptype="personnel"),
                  figure("unlisted", "house_area", "all", 3)) == set()


@pytest.mark.parametrize("row,message", [
    ("no_such_item,item,", "unknown item 'no_such_item'"),
    ("income_total,document,", "'per' must be one of"),
    ("income_total,item,all somewhere", "unknown funding source 'somewhere'"),
])
def test_bad_rules_name_the_line(row, message):
    with pytest.raises(RuleError, match=rf"rules.csv:3: {message}"):
        parse_rules("item,per,scopes\nincome_total,item,all\n" + row, "rules.csv")


def test_seed_graphs_have_one_canonical_printing_per_figure(built_store):
    from budgetkg.store import Versions
    version = Versions(built_store).open_current()
    try:
        rows = list(version.store.query("""
            PREFIX bkg: <https://budgetkg.org/def#>
            SELECT ?doc ?item ?group (COUNT(?obs) AS ?n) WHERE {
              GRAPH ?doc { ?obs bkg:canonical true ; bkg:item ?item .
                           OPTIONAL { ?obs bkg:project ?project } OPTIONAL { ?obs bkg:classification ?concept } }
              BIND(COALESCE(?project, ?concept, "") AS ?group)
            } GROUP BY ?doc ?item ?group"""))
    finally:
        version.close()
    assert len(rows) > 150
    assert {int(row["n"].value) for row in rows} == {1}
