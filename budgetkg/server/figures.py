"""Figures the pages show: a unit's documents, key totals, functional classes and projects, chosen as cq02/cq03 do.

Where a figure is printed several times, the widest funding scope wins, then the first printing."""

from budgetkg import vocab
from budgetkg.server import data, links, places

ITEM = str(vocab.ITEM)
TOTAL_RANK = {"all": 0, "fiscal_appropriation": 1, "general_public_budget": 2}
FUNCTIONAL_RANK = {"general_public_budget": 0, "all": 1}


def best_per(rows, key, rank):
    """The best-ranked row (lowest rank(row)) for each key(row)."""
    chosen = {}
    for row in rows:
        k = key(row)
        if k not in chosen or rank(row) < rank(chosen[k]):
            chosen[k] = row
    return chosen


def ranker(ranks):
    """A rank function: funding-source preference, then where it is printed (file part, page, table, row,
    column, line: the first printing wins), then the observation IRI. Rows carry places.select_variables()."""
    def rank(row):
        source = row["src"].value.rsplit("/", 1)[-1] if "src" in row else ""
        return ranks.get(source, len(ranks)), places.position(places.row_parts(row)), row["obs"].value
    return rank


def documents_of(where):
    """Documents matching a graph pattern on ?doc, by year and phase, as dicts with links."""
    rows = data.select(f"""SELECT DISTINCT ?doc ?year ?phase WHERE {{ {where}
      ?doc a bkg:Disclosure ; bkg:fiscalYear ?year ; bkg:phase ?phase }} ORDER BY ?year ?phase ?doc""")
    links.resolve_labels([r[k].value for r in rows for k in ("doc", "phase")])
    return [{"iri": r["doc"].value, "href": links.href(r["doc"].value), "label": links.label(r["doc"].value),
             "year": r["year"].value, "phase": links.link(r["phase"]),
             "phase_key": r["phase"].value.rsplit("/", 1)[-1]} for r in rows]


def doc_heading(document):
    """A short heading for a document in charts and tables: year and phase."""
    zh = document["phase"]["label"].split(" (")[0]
    return f"{document['year']} {zh}"


def choose_total(where, keys):
    """{(doc, item IRI): {"amount", "obs", "line", "where"}} for the unit-level totals of documents matching where."""
    values = " ".join(f"item:{key}" for key in keys)
    rows = data.select(f"""SELECT ?doc ?item ?src ?amount ?obs {places.select_variables()} WHERE {{ {where}
      VALUES ?item {{ {values} }}
      ?obs prov:wasDerivedFrom ?doc ; bkg:item ?item ; bkg:comparison cmp:value ; bkg:amount ?amount .
      OPTIONAL {{ ?obs bkg:fundingSource ?src }} {places.optional_patterns("?obs")}
      FILTER NOT EXISTS {{ ?obs bkg:expenditureType ?t }} FILTER NOT EXISTS {{ ?obs bkg:project ?p }}
      FILTER NOT EXISTS {{ ?obs bkg:classification ?c }} }}""")
    chosen = best_per(rows, lambda r: (r["doc"].value, r["item"].value), ranker(TOTAL_RANK))
    return {key: {"amount": r["amount"].value, "obs": r["obs"].value, "href": links.href(r["obs"].value),
                  "line": places.row_parts(r).get("line"), "where": places.where(places.row_parts(r))}
            for key, r in chosen.items()}


def choose_functional(where):
    """{(doc, class concept): {"amount", "obs"}}: functional expenditure by 类 (level 1) per document."""
    rows = data.select(f"""SELECT ?doc ?c ?src ?amount ?obs {places.select_variables()} WHERE {{ {where}
      ?obs prov:wasDerivedFrom ?doc ; bkg:item item:functional_expenditure ; bkg:classification ?c ;
           bkg:comparison cmp:value ; bkg:amount ?amount .
      ?c bkg:classificationLevel 1 .
      OPTIONAL {{ ?obs bkg:fundingSource ?src }} {places.optional_patterns("?obs")}
      FILTER NOT EXISTS {{ ?obs bkg:expenditureType ?t }} }}""")
    chosen = best_per(rows, lambda r: (r["doc"].value, r["c"].value), ranker(FUNCTIONAL_RANK))
    return {key: {"amount": r["amount"].value, "obs": r["obs"].value} for key, r in chosen.items()}


def project_rows(where):
    """Projects matching a pattern on ?doc and ?p: name, document, budget, executed, rate and total score."""
    rows = data.select(f"""SELECT ?doc ?p ?year ?item ?amount ?score WHERE {{ {where}
      ?doc bkg:fiscalYear ?year .
      OPTIONAL {{ ?obs bkg:project ?p ; bkg:item ?item ; bkg:amount ?amount }}
      OPTIONAL {{ ?p bkg:totalScore ?score }} }} ORDER BY ?year ?doc ?p""")
    links.resolve_labels([r[k].value for r in rows for k in ("doc", "p")])
    projects = {}
    for row in rows:
        entry = projects.setdefault(row["p"].value, {
            "project": links.link(row["p"]), "document": links.link(row["doc"]), "year": row["year"].value,
            "budget": None, "executed": None, "score": row["score"].value if "score" in row else None})
        item = row["item"].value[len(ITEM):] if "item" in row else None
        if item == "project_budget" or (item == "project_initial_budget" and entry["budget"] is None):
            entry["budget"] = row["amount"].value
        elif item == "project_executed":
            entry["executed"] = row["amount"].value
    for entry in projects.values():
        from budgetkg.server.charts import number
        budget, executed = number(entry["budget"]), number(entry["executed"])
        entry["rate"] = f"{executed / budget * 100:.1f}%" if budget and executed is not None else None
    return sorted(projects.values(), key=lambda e: (e["year"], e["document"]["label"], e["project"]["label"]))
