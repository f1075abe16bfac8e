"""End-to-end: `budgetkg serve` as a real process on a loopback port, queried by real SPARQL clients.

SPARQLWrapper and rdflib's SPARQLStore talk to it over HTTP; a rebuild while serving swaps the data."""

import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetkg.cli import main
from conftest import serving

REPO = Path(__file__).resolve().parents[1]
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"



@pytest.fixture(scope="module")
def served(tmp_path_factory, examples_dir):
    """A store built from two examples and a `budgetkg serve` process on it; yields (url, store, examples)."""
    examples = sorted(examples_dir.glob("*.txt"))
    store_dir = tmp_path_factory.mktemp("served") / "store"
    result = CliRunner().invoke(main, ["build", *map(str, examples[:2]), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    with serving(store_dir) as url:
        yield url, store_dir, examples


def test_sparqlwrapper_select_and_construct(served):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    url, _, _ = served
    client = SPARQLWrapper(url + "/sparql")
    client.setQuery(COUNT_GRAPHS)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "2"
    client.setMethod("POST")
    client.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5")
    client.setReturnFormat(TURTLE)
    from rdflib import Graph
    assert len(Graph().parse(data=client.query().convert(), format="turtle")) == 5


def test_rdflib_sparqlstore(served):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    url, _, _ = served
    graph = Graph(store=SPARQLStore(url + "/sparql", returnFormat="json"))
    rows = list(graph.query("SELECT ?doc WHERE { ?doc a <https://budgetkg.org/def#Disclosure> }"))
    assert len(rows) == 2


def test_csv_over_http_as_in_the_readme(served):
    url, _, _ = served
    query = (REPO / "queries" / "cq03-functional.rq").read_text(encoding="utf-8")
    request = urllib.request.Request(url + "/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        lines = response.read().decode("utf-8").splitlines()
    assert lines[0] == "unit,year,phase,code,name,amount" and len(lines) > 2


def test_rebuild_while_serving_swaps_in_the_new_data(served):
    url, store_dir, examples = served

    def ask():
        query = urllib.parse.urlencode({"query": COUNT_GRAPHS, "format": "csv"})
        with urllib.request.urlopen(f"{url}/sparql?{query}", timeout=20) as response:
            return response.read().decode().splitlines()[1], response.headers["X-Store-Version"]

    before, version = ask()
    result = CliRunner().invoke(main, ["build", *map(str, examples[2:4]), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    after, new_version = ask()
    assert (before, after) == ("2", "4") and int(new_version) > int(version)
    with urllib.request.urlopen(url + "/downloads.json", timeout=20) as response:
        import json
        assert sum(f["path"].startswith("graphs/") for f in json.load(response)["files"]) == 4
