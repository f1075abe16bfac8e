"""The query workbench at /query: a SPARQL editor with highlighting and the competency questions as examples.

Queries run in the browser against /sparql; the URL carries the query (?query=, ?example=, &run=1)."""

from pathlib import Path

from flask import Blueprint, render_template, request

from budgetkg.vocab import CODE_BASE, ONTOLOGY_IRI
from budgetkg.server import links
from budgetkg.server.errors import NotFound
from budgetkg.server.twin import respond
from budgetkg.resources import QUERIES_DIR

bp = Blueprint("workbench", __name__)
QUERIES = QUERIES_DIR
DEFAULT = """PREFIX bkg: <https://budgetkg.org/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?unit ?name WHERE {
  ?unit a bkg:BudgetUnit ; skos:prefLabel ?name .
}
ORDER BY ?name
"""


def parse_example(path):
    """An example from a .rq file: id, title (first comment line), description (all leading comments), text."""
    text = path.read_text(encoding="utf-8")
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line.lstrip("#").strip())
    title = comments[0] if comments else path.stem
    return {"id": path.stem, "title": title, "description": " ".join(comments[1:]), "query": text}


def examples(directory=None):
    """The competency questions in queries/, in file order."""
    folder = Path(directory or QUERIES)
    return [parse_example(path) for path in sorted(folder.glob("*.rq"))] if folder.is_dir() else []


@bp.get("/query")
def workbench():
    """The workbench page (HTML), or the examples and the current query as JSON."""
    menu = examples()
    query = request.args.get("query")
    example = request.args.get("example")
    if example and query is None:
        chosen = next((e for e in menu if e["id"] == example), None)
        if chosen is None:
            raise NotFound(f"no example query {example!r}; known: {', '.join(e['id'] for e in menu)}")
        query = chosen["query"]
    body = {"query": query or DEFAULT, "example": example, "examples": menu, "endpoint": "/sparql",
            "run": request.args.get("run") in ("1", "true", "yes")}
    return respond(body, lambda b: render_template("workbench.html", w=b, base=links.base(),
                                                   code_base=CODE_BASE, def_base=ONTOLOGY_IRI + "#"))
