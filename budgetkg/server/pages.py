"""Specialised entity pages: budget unit, document, project, legal-basis document, classification concept.

specialise(view) picks the page kind from the resource's types and adds its sections to the generic view."""

from budgetkg import vocab
from budgetkg.server import charts, data, findings, links, places
from budgetkg.server.figures import (FUNCTIONAL_RANK, best_per, choose_functional, choose_total, doc_heading, documents_of,
                            project_rows, ranker)

BKG = str(vocab.BKG)
ELI_LEGAL = "http://data.europa.eu/eli/ontology#LegalResource"
CLASSIFICATION_SCHEMES = {BKG + "FunctionalClassification", BKG + "EconomicClassification"}
KEY_ITEMS = ["income_total", "income_this_year", "fiscal_appropriation_income", "expenditure_total",
             "expenditure_this_year", "basic_expenditure", "project_expenditure", "personnel_expenditure",
             "public_expenditure"]
ITEM = str(vocab.ITEM)


def specialise(view):
    """Set view["kind"] (the template) and add the sections of a specialised page where one applies."""
    types = {t["iri"] for t in view["types"]}
    schemes = {v["iri"] for p in view["properties"] if p["property"]["iri"].endswith("#inScheme")
               for v in p["values"] if "iri" in v}
    node = data.iri(view["iri"])
    if BKG + "BudgetUnit" in types:
        view.update(kind="unit", sections=unit_sections(node))
    elif BKG + "Disclosure" in types:
        view.update(kind="document", sections=document_sections(view["iri"], node))
    elif BKG + "Project" in types:
        view.update(kind="project", sections=project_sections(node))
    elif ELI_LEGAL in types:
        view.update(kind="legal", sections=legal_sections(node))
    elif schemes & CLASSIFICATION_SCHEMES:
        view.update(kind="concept", sections=concept_sections(view["iri"], node))
    return view


def unit_sections(node):
    """Documents by year and phase, key figures over the years, charts by functional class and basic/project."""
    documents = documents_of(f"?doc bkg:budgetUnit {node} .")
    totals = choose_total(f"?doc bkg:budgetUnit {node} .", KEY_ITEMS)
    functional = choose_functional(f"?doc bkg:budgetUnit {node} .")
    links.resolve_labels([ITEM + key for key in KEY_ITEMS] + [c for _, c in functional])
    figures = [{"item": links.link(ITEM + key),
                "cells": [totals.get((d["iri"], ITEM + key)) for d in documents]}
               for key in KEY_ITEMS if any((d["iri"], ITEM + key) in totals for d in documents)]
    split = charts.stacked_chart(
        [(doc_heading(d), {"基本支出": (totals.get((d["iri"], ITEM + "basic_expenditure")) or {}).get("amount"),
                           "项目支出": (totals.get((d["iri"], ITEM + "project_expenditure")) or {}).get("amount")})
         for d in documents], ["基本支出", "项目支出"], "基本支出与项目支出 basic vs project expenditure")
    by_class = [{"document": d, "chart": charts.bar_chart(
        [(links.label(concept), row["amount"]) for (doc, concept), row in sorted(
            functional.items(), key=lambda item: links.label(item[0][1])) if doc == d["iri"]],
        f"{doc_heading(d)} 按功能分类（类）支出 expenditure by functional class")} for d in documents]
    return {"documents": documents, "figures": figures, "split_chart": split,
            "class_charts": [c for c in by_class if c["chart"]],
            "projects": project_rows(f"?doc bkg:budgetUnit {node} ; bkg:hasProject ?p .")}


def document_sections(value, node):
    """The document's figures, projects, legal references, charts and validation findings."""
    rows = data.select(f"""SELECT ?obs ?item ?c ?src ?type ?cmp ?amount {places.select_variables()} WHERE {{
      ?obs prov:wasDerivedFrom {node} ; a bkg:AmountObservation ; bkg:item ?item ; bkg:amount ?amount .
      OPTIONAL {{ ?obs bkg:classification ?c }} OPTIONAL {{ ?obs bkg:fundingSource ?src }}
      OPTIONAL {{ ?obs bkg:expenditureType ?type }} OPTIONAL {{ ?obs bkg:comparison ?cmp }}
      {places.optional_patterns("?obs")} FILTER NOT EXISTS {{ ?obs bkg:project ?p }}
    }} ORDER BY ?obs""")
    links.resolve_labels([row[k].value for row in rows for k in ("item", "c", "src", "type", "cmp") if k in row])
    figures = sorted(({"obs": row["obs"].value, "amount": row["amount"].value, "item": links.link(row["item"]),
                       **figure_place(places.row_parts(row)),
                       **{k: links.link(row[k]) if k in row else None for k in ("c", "src", "type", "cmp")}}
                      for row in rows), key=lambda f: (places.position(f["place"]), f["obs"]))
    legal = data.select(f"""SELECT DISTINCT ?l ?via WHERE {{
      {{ {node} bkg:legalBasis ?l }} UNION {{ {node} bkg:hasProject ?via . ?via bkg:legalBasis ?l }} }}""")
    links.resolve_labels([r[k].value for r in legal for k in ("l", "via") if k in r])
    functional = choose_functional(f"VALUES ?doc {{ {node} }}")
    links.resolve_labels([c for _, c in functional])
    chart = charts.bar_chart([(links.label(c), row["amount"]) for (_, c), row in sorted(
        functional.items(), key=lambda item: links.label(item[0][1]))], "按功能分类（类）支出 expenditure by functional class")
    return {"figures": figures, "chart": chart, "findings": findings.findings(value), "download": graph_download(value),
            "projects": project_rows(f"VALUES ?doc {{ {node} }} ?doc bkg:hasProject ?p ."),
            "legal": [{"legal": links.link(r["l"]), "via": links.link(r["via"]) if "via" in r else None}
                      for r in legal]}


def figure_place(parts):
    """The place fields of a figure row: its parts, the line (None when it has none) and the place as text."""
    return {"place": parts, "line": parts.get("line"), "where": places.where(parts)}


def project_sections(node):
    """Budget vs executed with a chart, indicators (target vs actual), legal basis, document and unit."""
    amounts = {row["item"].value[len(ITEM):]: row for row in data.select(
        f"SELECT ?item ?amount ?obs WHERE {{ ?obs bkg:project {node} ; bkg:item ?item ; bkg:amount ?amount }}")}
    names = [("project_initial_budget", "年初预算数 initial budget"), ("project_budget", "全年预算数 budget"),
             ("project_executed", "全年执行数 executed")]
    money = [{"label": label, "amount": amounts[key]["amount"].value, "obs": amounts[key]["obs"].value}
             for key, label in names if key in amounts]
    rate = None
    if "project_budget" in amounts and "project_executed" in amounts:
        budget = charts.number(amounts["project_budget"]["amount"].value)
        if budget:
            rate = f"{charts.number(amounts['project_executed']['amount'].value) / budget * 100:.1f}%"
    indicators = data.select(f"""SELECT ?i ?name ?l1 ?l2 ?target ?actual ?weight ?score ?reason
      {places.select_variables()} WHERE {{
      ?i bkg:project {node} ; a bkg:PerformanceIndicator .
      OPTIONAL {{ ?i skos:prefLabel ?name }} OPTIONAL {{ ?i bkg:indicatorLevel1 ?l1 }}
      OPTIONAL {{ ?i bkg:indicatorLevel2 ?l2 }} OPTIONAL {{ ?i bkg:targetText ?target }}
      OPTIONAL {{ ?i bkg:actualText ?actual }} OPTIONAL {{ ?i bkg:weight ?weight }}
      OPTIONAL {{ ?i bkg:score ?score }} OPTIONAL {{ ?i bkg:deviationReason ?reason }}
      {places.optional_patterns("?i")} }} ORDER BY ?i""")
    indicators = sorted(indicators, key=lambda r: (places.position(places.row_parts(r)), r["i"].value))
    links.resolve_labels([r[k].value for r in indicators for k in ("i", "l1", "l2") if k in r])
    context = data.select(f"""SELECT ?doc ?u ?year ?phase WHERE {{ ?doc bkg:hasProject {node} ;
      bkg:budgetUnit ?u ; bkg:fiscalYear ?year ; bkg:phase ?phase }}""")
    legal = data.select(f"SELECT DISTINCT ?l WHERE {{ {node} bkg:legalBasis ?l }}")
    links.resolve_labels([r[k].value for r in context + legal for k in ("doc", "u", "phase", "l") if k in r])
    return {"money": money, "rate": rate,
            "chart": charts.bar_chart([(m["label"], m["amount"]) for m in money], "预算与执行 budget vs executed"),
            "indicators": [{"indicator": links.link(r["i"]),
                            **{k: links.link(r[k]) if k in r else None
                               for k in ("l1", "l2", "target", "actual", "weight", "score", "reason")},
                            "where": places.where(places.row_parts(r))}
                           for r in indicators],
            "context": [{"document": links.link(r["doc"]), "unit": links.link(r["u"]), "year": r["year"].value,
                         "phase": links.link(r["phase"])} for r in context],
            "legal": [links.link(r["l"]) for r in legal]}


def legal_sections(node):
    """Every project and document that cites this legal document, with their units, across the whole graph."""
    rows = data.select(f"""SELECT DISTINCT ?x ?doc ?u ?year ?phase WHERE {{
      ?x bkg:legalBasis {node} .
      OPTIONAL {{ ?d1 bkg:hasProject ?x }} OPTIONAL {{ ?x prov:wasDerivedFrom ?d2 }}
      BIND(COALESCE(?d1, ?d2, ?x) AS ?doc)
      ?doc bkg:budgetUnit ?u ; bkg:fiscalYear ?year ; bkg:phase ?phase }} ORDER BY ?u ?year ?x""")
    links.resolve_labels([r[k].value for r in rows for k in ("x", "doc", "u", "phase")])
    citing = [{"citing": links.link(r["x"]), "is_document": r["x"] == r["doc"], "document": links.link(r["doc"]),
               "unit": links.link(r["u"]), "year": r["year"].value, "phase": links.link(r["phase"])} for r in rows]
    units = {}
    for row in citing:
        units.setdefault(row["unit"]["iri"], row["unit"])
    return {"citing": citing, "units": sorted(units.values(), key=lambda u: u["label"])}


def concept_sections(value, node):
    """Every amount booked under this classification concept or a narrower one (longer code), across units and years."""
    rows = data.select(f"""SELECT ?obs ?c ?doc ?u ?year ?phase ?item ?src ?type ?cmp ?amount
      {places.select_variables()} WHERE {{
      ?obs bkg:classification ?c ; bkg:amount ?amount ; prov:wasDerivedFrom ?doc .
      FILTER(STRSTARTS(STR(?c), STR({node})) || EXISTS {{ ?c skos:broader+ {node} }})
      ?doc bkg:budgetUnit ?u ; bkg:fiscalYear ?year ; bkg:phase ?phase .
      OPTIONAL {{ ?obs bkg:item ?item }} OPTIONAL {{ ?obs bkg:fundingSource ?src }}
      OPTIONAL {{ ?obs bkg:expenditureType ?type }} OPTIONAL {{ ?obs bkg:comparison ?cmp }}
      {places.optional_patterns("?obs")} }} ORDER BY ?u ?year ?phase ?c ?obs""")
    links.resolve_labels([t.value for r in rows for k, t in r.items() if t.is_iri and k != "obs"])
    rows = sorted(rows, key=lambda r: (r["u"].value, r["year"].value, r["phase"].value, r["c"].value,
                                       places.position(places.row_parts(r)), r["obs"].value))
    amounts = [{"obs": r["obs"].value, "amount": r["amount"].value, "year": r["year"].value,
                "own": r["c"].value == value, **figure_place(places.row_parts(r)),
                **{k: links.link(r[k]) if k in r else None for k in ("c", "doc", "u", "phase", "item", "src", "type", "cmp")}}
               for r in rows]
    chosen = best_per([r for r in rows if r["c"].value == value and "type" not in r
                       and r.get("cmp") and r["cmp"].value.endswith("/value")],
                      lambda r: r["doc"].value, ranker(FUNCTIONAL_RANK))
    bars = [(f"{links.label(r['u'].value)} {r['year'].value} {links.label(r['phase'].value)}", r["amount"].value)
            for r in sorted(chosen.values(), key=lambda r: (links.label(r["u"].value), r["year"].value))]
    return {"amounts": amounts, "chart": charts.bar_chart(bars, "各单位各年度金额 amount by unit and year"),
            "units": len({r["u"].value for r in rows}), "documents": len({r["doc"].value for r in rows})}


def graph_download(value):
    """The path of the document's named graph in /downloads, when the dumps list it."""
    try:
        from budgetkg.server.downloads import current_downloads
        _, manifest = current_downloads()
    except Exception:  # noqa: BLE001 - no dumps: no link
        return None
    for entry in manifest["files"]:
        if entry.get("graph") == value:
            return "/downloads/" + entry["path"]
    return None
