"""Queries for the human pages, run on the same killable worker pool as /sparql (time limit, row cap).

Results come back as plain dicts; every query a page ran is kept on g.page_queries for the page to show."""

import json
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, g
from rdflib import Graph

from budgetkg.resources import ONTOLOGY_FILE
from budgetkg.vocab import CODE_BASE, ONTOLOGY_IRI, sparql_prefixes
PREFIXES = sparql_prefixes("bkg", "skos", "rdfs", "prov", "qb", "eli", "item", "cmp", "fsrc")


@dataclass(frozen=True)
class Term:
    """One RDF term of a query result: kind is uri, literal or bnode."""

    kind: str
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self):
        """True for an IRI."""
        return self.kind == "uri"

    def __str__(self):
        return self.value


def term_of(binding):
    """A Term from a SPARQL JSON results binding."""
    return Term(binding["type"], binding["value"], binding.get("xml:lang"), binding.get("datatype"))


def iri(value):
    """Write an IRI for a query, refusing characters that would break out of <...>."""
    if any(c in value for c in '<>"{}|^`\\ \n\r\t'):
        from budgetkg.server.errors import NotFound
        raise NotFound(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def run(query, graph_format="nt", max_rows=None):
    """Run a query on the worker pool; return (kind, format, body bytes, truncated)."""
    from budgetkg.server import describe
    from budgetkg.server.sparql import prefixes
    config = current_app.config
    text = query if query.lstrip().upper().startswith("PREFIX") else PREFIXES + query
    job = {"query": text, "default_graphs": [], "named_graphs": [], "has_dataset": False,
           "formats": {"solutions": "json", "boolean": "json", "graph": graph_format}, "not_acceptable": {},
           "max_rows": max_rows or config["MAX_ROWS"], "prefixes": prefixes(), "base_iri": None}
    g.setdefault("page_queries", []).append(text)
    reply = current_app.extensions["budgetkg"]["pool"]().run(job, config["QUERY_TIMEOUT"], config["QUEUE_TIMEOUT"])
    if reply[0] == "error":
        raise describe.error_for(reply[1], reply[2])
    g.store_version = reply[5]
    return reply[1], reply[2], reply[3], reply[4]


def select(query, max_rows=None):
    """Rows of a SELECT query as dicts of variable name -> Term (unbound variables left out)."""
    _, _, body, _ = run(query, max_rows=max_rows)
    data = json.loads(body)
    return [{name: term_of(value) for name, value in row.items()} for row in data["results"]["bindings"]]


def construct(query):
    """An rdflib Graph of a CONSTRUCT query's triples."""
    _, _, body, _ = run(query, "nt")
    return Graph().parse(data=body.decode("utf-8"), format="nt")


def current_version():
    """Name of the published store version, or None when nothing is published."""
    versions = current_app.extensions["budgetkg"]["versions"]
    return "legacy" if versions.is_legacy() else versions.current()


@lru_cache(maxsize=1)
def ontology():
    """The ontology, read from ontology/budgetkg.ttl (it is not in the store): labels, /def, code lists."""
    graph = Graph()
    if ONTOLOGY_FILE.is_file():
        graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


def in_ontology(value):
    """True when the IRI is the ontology, one of its terms, or a code-list concept it defines."""
    return value == ONTOLOGY_IRI or value.startswith(ONTOLOGY_IRI + "#") or value.startswith(CODE_BASE)
