"""The remote store (issue 13): budgetkg on a real Virtuoso through the SPARQL 1.1 Protocol and the Graph Store
HTTP Protocol, compared with the embedded store on the same documents.

The Virtuoso is private to the test session (tests/conftest.py: own ini, loopback ports, stopped afterwards)."""

import csv
import gzip
import io
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from budgetkg.cli import main
from budgetkg.remote_store import RemoteStore, endpoints_for, query_form
from budgetkg.store import OxigraphStore, QueryError, StoreError
from conftest import free_port, serving

QUERIES = sorted((Path(__file__).resolve().parents[1] / "queries").glob("cq*.rq"))
DOC_PREFIX = "https://budgetkg.org/doc/"
EX = "http://example.org/remote-test/"


def cli_csv(runner, store, query):
    """Run a query through `budgetkg query --format csv`; return the CSV text."""
    result = runner.invoke(main, ["query", str(query), "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return result.stdout


def triple(s, p, o):
    return URIRef(EX + s), URIRef(EX + p), o


def values(store, graph):
    """The objects of a test graph's triples, as strings, sorted."""
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return sorted(row[0].value for row in rows)


# --- pure functions ----------------------------------------------------------------------------------

def test_query_form_skips_the_prologue():
    assert query_form("PREFIX a: <http://x/#y>\n# SELECT in a comment\nCONSTRUCT { } WHERE { }") == "CONSTRUCT"
    assert query_form("BASE <http://x/>ask { }") == "ASK"
    assert [query_form(q.read_text(encoding="utf-8")) for q in QUERIES] == ["SELECT"] * len(QUERIES)


def test_endpoints_follow_virtuoso_layout_and_settings():
    anonymous = endpoints_for("http://127.0.0.1:8890/sparql", env={})
    assert (anonymous.update, anonymous.graph_store, anonymous.user) == (
        "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql-graph-crud", None)
    secured = endpoints_for("http://dba:s%40cret@127.0.0.1:8890/sparql", env={})
    assert (secured.query, secured.update, secured.graph_store, secured.user, secured.password) == (
        "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql-auth",
        "http://127.0.0.1:8890/sparql-graph-crud-auth", "dba", "s@cret")
    fuseki = endpoints_for("http://127.0.0.1:3030/ds/sparql", env={
        "BUDGETKG_STORE_GSP": "http://127.0.0.1:3030/ds/data", "BUDGETKG_STORE_UPDATE": "http://127.0.0.1:3030/ds/update"})
    assert (fuseki.update, fuseki.graph_store) == ("http://127.0.0.1:3030/ds/update", "http://127.0.0.1:3030/ds/data")
    with pytest.raises(StoreError, match="not the URL of a SPARQL endpoint"):
        endpoints_for("http://", env={})


# --- the competency questions: Virtuoso and the embedded store answer alike ----------------------------

@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_competency_question_same_rows(runner, built_store, virtuoso_store, query):
    embedded, remote = cli_csv(runner, built_store, query), cli_csv(runner, virtuoso_store, query)
    rows = list(csv.reader(io.StringIO(embedded)))
    assert len(rows) > 1, f"{query.name} has no rows on the examples: the comparison would prove nothing"
    assert list(csv.reader(io.StringIO(remote))) == rows


def test_document_graphs_and_counts_match(built_store, virtuoso_store):
    remote = RemoteStore(virtuoso_store)
    with OxigraphStore(built_store) as embedded:
        documents = embedded.graphs()
        assert len(documents) == 5
        assert [g for g in remote.graphs() if g.startswith(DOC_PREFIX)] == documents
        assert all(not g.startswith("http://www.openlinksw.com/") for g in remote.graphs())
        assert {g: remote.count(g) for g in documents} == {g: embedded.count(g) for g in documents}


def test_export_from_virtuoso_holds_the_same_quads(runner, built_store, virtuoso_store, tmp_path):
    result = runner.invoke(main, ["export", "--store", virtuoso_store, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with gzip.open(tmp_path / "budgetkg.nq.gz") as fileobj:
        exported = {q for q in ox.parse(fileobj.read(), format=ox.RdfFormat.N_QUADS)
                    if q.graph_name.value.startswith(DOC_PREFIX)}
    with OxigraphStore(built_store) as embedded:
        expected = {q for q in embedded._store if q.graph_name.value.startswith(DOC_PREFIX)}
        turtle = io.BytesIO()
        embedded.dump_graph_turtle(embedded.graphs()[0], turtle)
    assert exported == expected
    first = sorted(tmp_path.glob("graphs/*.ttl"))[0]
    assert set(ox.parse(first.read_bytes(), format=ox.RdfFormat.TURTLE)) == set(
        ox.parse(turtle.getvalue(), format=ox.RdfFormat.TURTLE))


# --- writing through the Graph Store Protocol ------------------------------------------------------------

def test_replace_graph_swaps_the_whole_graph_and_keeps_it_on_bad_input(virtuoso):
    store, graph = RemoteStore(virtuoso.sparql_url), EX + "graph/replace"
    assert store.replace_graph(graph, [triple("a", "p", Literal("1")), triple("b", "p", Literal("2"))]) == 2
    assert store.replace_graph(graph, [triple("c", "p", Literal("3"))]) == 1
    assert values(store, graph) == ["3"]

    def failing():
        yield triple("d", "p", Literal("4"))
        raise ValueError("the ETL broke half-way")

    with pytest.raises(StoreError, match="cannot convert triples"):
        store.replace_graph(graph, failing())
    with pytest.raises(StoreError, match="cannot read the Turtle"):
        store.replace_graph_turtle(graph, b"<http://example.org/x> <http://example.org/p> .")
    with pytest.raises(StoreError, match="also hold graphs"):
        store.replace_graph_nquads(graph, f'<{EX}s> <{EX}p> "5" <{EX}other> .\n'.encode())
    assert values(store, graph) == ["3"]
    assert store.replace_graph_nquads(graph, f'<{EX}s> <{EX}p> "6" <{graph}> .\n'.encode()) == 1
    assert values(store, graph) == ["6"]
    assert store.replace_graph_turtle(graph, f'<{EX}s> <{EX}p> "7", "8" .'.encode()) == 2
    assert values(store, graph) == ["7", "8"]
    store.delete_graph(graph)
    assert graph not in store.graphs() and store.count(graph) == 0
    store.delete_graph(graph)  # deleting a graph that is not there is not an error


def test_load_adds_triples_to_a_graph_and_quads_to_theirs(virtuoso, runner, tmp_path):
    store, graph, other = RemoteStore(virtuoso.sparql_url), EX + "graph/load", EX + "graph/load-other"
    path = tmp_path / "data.ttl"
    path.write_text(f'@prefix ex: <{EX}> . ex:s ex:p "一" .', encoding="utf-8")
    result = runner.invoke(main, ["load", str(path), "--graph", graph, "--store", virtuoso.sparql_url])
    assert result.exit_code == 0, result.output
    store.load(f'<{EX}s> <{EX}p> "二" <{graph}> .\n<{EX}s> <{EX}p> "三" <{other}> .\n', fmt="nq")
    assert values(store, graph) == ["一", "二"] and values(store, other) == ["三"]
    with pytest.raises(StoreError, match="cannot load"):
        store.load(b"not turtle at all", fmt="ttl", graph_iri=graph)
    assert values(store, graph) == ["一", "二"]
    result = runner.invoke(main, ["load", str(path), "--graph", graph, "--replace", "--store", virtuoso.sparql_url])
    assert result.exit_code == 0, result.output
    assert values(store, graph) == ["一"]
    for iri in (graph, other):
        store.delete_graph(iri)


def test_digest_credentials_write_and_wrong_ones_are_refused(virtuoso):
    graph = EX + "graph/digest"
    host = urllib.parse.urlsplit(virtuoso.sparql_url).netloc
    admin = RemoteStore(f"http://dba:dba@{host}/sparql")
    assert admin.endpoints.graph_store.endswith("/sparql-graph-crud-auth")
    assert admin.replace_graph(graph, [triple("s", "p", Literal("ok"))]) == 1
    assert values(RemoteStore(virtuoso.sparql_url), graph) == ["ok"]
    intruder = RemoteStore(f"http://dba:wrong@{host}/sparql")
    with pytest.raises(StoreError, match=r"sparql-graph-crud-auth refused PUT \(HTTP 401\)"):
        intruder.replace_graph(graph, [triple("s", "p", Literal("bad"))])
    admin.delete_graph(graph)


# --- reading ---------------------------------------------------------------------------------------------

def test_construct_ask_and_dataset_arguments(virtuoso_store):
    store = RemoteStore(virtuoso_store)
    document = next(g for g in store.graphs() if g.startswith(DOC_PREFIX))
    constructed = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{document}> {{ ?s ?p ?o }} }}")
    assert isinstance(constructed, ox.QueryTriples) and len(list(constructed)) == store.count(document)
    assert bool(store.query("PREFIX bkg: <https://budgetkg.org/def#> ASK { ?d a bkg:Disclosure }"))
    assert not bool(store.query("ASK { <http://example.org/none> ?p ?o }"))
    only = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode(document)])
    assert int(next(iter(only))[0].value) == store.count(document)


def test_invalid_query_and_down_server_give_clear_errors(runner, virtuoso_store):
    with pytest.raises(QueryError, match="HTTP 400"):
        RemoteStore(virtuoso_store).query("SELEC ?x")
    result = runner.invoke(main, ["query", "SELEC ?x", "--store", virtuoso_store])
    assert result.exit_code == 2 and "invalid SPARQL" in result.stderr
    down = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL store at {down}"):
        RemoteStore(down)
    result = runner.invoke(main, ["query", "ASK { }", "--store", down])
    assert result.exit_code == 1 and f"cannot reach the SPARQL store at {down}" in result.output


# --- budgetkg serve in front of Virtuoso ------------------------------------------------------------------

def test_serve_fronts_virtuoso(runner, built_store, virtuoso_store):
    query = next(q for q in QUERIES if q.name.startswith("cq03"))
    expected = list(csv.reader(io.StringIO(cli_csv(runner, built_store, query))))
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with serving(virtuoso_store, probe="/sparql?query=ASK%7B%7D") as url:
        body = urllib.parse.urlencode({"query": query.read_text(encoding="utf-8")}).encode()
        request = urllib.request.Request(url + "/sparql", data=body, headers={"Accept": "text/csv"})
        with opener.open(request, timeout=60) as response:
            rows = list(csv.reader(io.StringIO(response.read().decode("utf-8"))))
            assert response.headers["X-Store-Version"] == "remote"
        assert rows == expected
        service = urllib.parse.urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(f"{url}/sparql?{service}", timeout=30)
        assert refused.value.code == 403
