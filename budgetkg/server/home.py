"""The home page: what the dataset is, counts, the units and years covered, and links to everything else.

Its JSON twin carries the same counts, units and links; with nothing published it says so."""

from budgetkg import vocab
from flask import Blueprint, render_template, url_for

from budgetkg.server import data, links
from budgetkg.server.errors import HTTPError
from budgetkg.server.twin import respond

bp = Blueprint("home", __name__)
BKG = str(vocab.BKG)
COUNTED = {"units": BKG + "BudgetUnit", "documents": BKG + "Disclosure", "projects": BKG + "Project",
           "indicators": BKG + "PerformanceIndicator", "legal_documents": "http://data.europa.eu/eli/ontology#LegalResource",
           "observations": "http://purl.org/linked-data/cube#Observation", "glossary_terms": BKG + "GlossaryTerm"}
COUNT_QUERY = ("SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?cls { "
               + " ".join(f"<{c}>" for c in COUNTED.values()) + " } ?s a ?cls } GROUP BY ?cls")
UNITS_QUERY = """SELECT ?u ?doc ?year ?phase WHERE {
  ?doc a bkg:Disclosure ; bkg:budgetUnit ?u ; bkg:fiscalYear ?year ; bkg:phase ?phase } ORDER BY ?u ?year ?phase"""


def dataset_overview():
    """Counts by class, quads, and each unit with its documents by year and phase."""
    found = {row["cls"].value: int(row["n"].value) for row in data.select(COUNT_QUERY)}
    counts = {name: found.get(cls, 0) for name, cls in COUNTED.items()}
    try:
        from budgetkg.server.downloads import current_downloads
        counts["quads"] = current_downloads()[1]["stats"]["triples"]
    except HTTPError:
        counts["quads"] = None
    rows = data.select(UNITS_QUERY)
    links.resolve_labels([r[k].value for r in rows for k in ("u", "doc", "phase")])
    units = {}
    for row in rows:
        unit = units.setdefault(row["u"].value, {**links.link(row["u"]), "documents": []})
        unit["documents"].append({**links.link(row["doc"]), "year": row["year"].value,
                                  "phase": links.label(row["phase"].value)})
    years = sorted({d["year"] for u in units.values() for d in u["documents"]})
    return counts, sorted(units.values(), key=lambda u: u["label"]), years


@bp.get("/")
def index():
    """The home page (HTML), or its data as JSON."""
    links_ = {"sparql": url_for("sparql.endpoint"), "downloads": url_for("downloads.index"),
              "void": url_for("void.void"), "search": url_for("search.search"),
              "workbench": url_for("workbench.workbench"), "ontology": url_for("entity.ontology_page")}
    body = {"links": links_, "counts": None, "units": [], "years": [], "message": None}
    if data.current_version() is None:
        body["message"] = "nothing is published yet: run `budgetkg build` (or `budgetkg load`) first"
    else:
        try:
            body["counts"], body["units"], body["years"] = dataset_overview()
        except HTTPError as exc:
            body["message"] = exc.message
    response = respond(body, lambda b: render_template("home.html", h=b))
    response.headers["Link"] = f'<{links_["void"]}>; rel="describedby"'
    return response
