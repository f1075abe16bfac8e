"""Tests of the server through the Flask test client: protocol matrix, conneg, safety, downloads, VoID.

The app serves the store built from the examples; safety tests use apps with small limits."""

import csv
import gzip
import hashlib
import io

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, VOID

from budgetkg.store import OxigraphStore
from budgetkg.server.protocol import analyse

COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 7"
EX = "http://example.org/"


def rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


# --- protocol: operations -------------------------------------------------------------------------

def test_get_form_post_and_direct_post_agree(client):
    by_get = client.get("/sparql", query_string={"query": COUNT_GRAPHS}, headers={"Accept": "text/csv"})
    by_form = client.post("/sparql", data={"query": COUNT_GRAPHS}, headers={"Accept": "text/csv"})
    direct = client.post("/sparql", data=COUNT_GRAPHS.encode(), content_type="application/sparql-query",
                         headers={"Accept": "text/csv"})
    assert by_get.status_code == by_form.status_code == direct.status_code == 200
    assert by_get.data == by_form.data == direct.data
    table = rows(by_get)
    assert table[0] == ["g", "n"] and len(table) == 6


def test_default_graph_is_the_union_and_dataset_parameters_override_it(client):
    union = rows(client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                            headers={"Accept": "text/csv"}))[1][0]
    graphs = [r[0] for r in rows(client.get("/sparql", query_string={"query": COUNT_GRAPHS, "format": "csv"}))[1:]]
    one = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                              "default-graph-uri": graphs[0], "format": "csv"})
    assert 0 < int(rows(one)[1][0]) < int(union)
    overridden = client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{graphs[1]}> {{ ?s ?p ?o }}",
        "default-graph-uri": graphs[0], "format": "csv"})
    assert rows(overridden) == rows(one)
    from_clause = client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{graphs[0]}> {{ ?s ?p ?o }}", "format": "csv"})
    assert rows(from_clause) == rows(one)
    named_only = client.get("/sparql", query_string={"query": COUNT_GRAPHS, "named-graph-uri": graphs[2],
                                                     "format": "csv"})
    assert [r[0] for r in rows(named_only)[1:]] == [graphs[2]]


@pytest.mark.parametrize("request_kwargs, status", [
    ({"method": "PUT", "query_string": {"query": "ASK {}"}}, 405),
    ({"method": "DELETE"}, 405),
    ({"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ({"method": "GET", "query_string": {"query": "SELEC * {}"}}, 400),
    ({"method": "POST", "data": b"ASK {}", "content_type": "text/plain"}, 415),
    ({"method": "POST", "data": b"ASK {}"}, 415),
    ({"method": "POST", "data": "ASK {}".encode("utf-16"),
      "content_type": "application/sparql-query; charset=UTF-16"}, 400),
    ({"method": "POST", "data": b"ASK { \xff }", "content_type": "application/sparql-query"}, 400),
    ({"method": "POST", "data": b"query=ASK%20%7B%FF%7D", "content_type": "application/x-www-form-urlencoded"}, 400),
    ({"method": "POST", "data": b"format=json", "content_type": "application/x-www-form-urlencoded"}, 400),
])
def test_bad_requests_get_the_right_status(client, request_kwargs, status):
    response = client.open("/sparql", **request_kwargs)
    assert response.status_code == status, response.data
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]


def test_syntax_error_carries_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "invalid SPARQL" in response.get_json()["error"] and "1:" in response.get_json()["error"]


def test_method_not_allowed_names_the_allowed_methods(client):
    response = client.put("/sparql")
    assert response.status_code == 405 and response.headers["Allow"] == "GET, POST, OPTIONS"


# --- protocol: content negotiation ----------------------------------------------------------------

@pytest.mark.parametrize("accept, media_type", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("text/*;q=0.9, application/sparql-results+xml;q=0.1", "text/csv"),
    ("text/html, */*;q=0.8", "application/sparql-results+json"),
])
def test_select_conneg(client, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": COUNT_GRAPHS}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept, fmt, parse_as", [
    ("text/turtle", None, "turtle"), ("application/n-triples", None, "nt"),
    ("application/ld+json", None, "json-ld"), ("application/rdf+xml", None, "xml"),
    ("text/csv", "ttl", "turtle"), (None, "jsonld", "json-ld"),
])
def test_construct_conneg_and_format_parameter(client, accept, fmt, parse_as):
    query = {"query": CONSTRUCT, **({"format": fmt} if fmt else {})}
    response = client.get("/sparql", query_string=query, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.data
    assert len(Graph().parse(data=response.data, format=parse_as)) == 7


def test_results_in_every_select_format_carry_the_same_rows(client):
    query = COUNT_GRAPHS
    as_json = client.get("/sparql", query_string={"query": query, "format": "json"}).get_json()
    as_xml = client.get("/sparql", query_string={"query": query, "format": "xml"}).get_data(as_text=True)
    as_tsv = client.get("/sparql", query_string={"query": query, "format": "tsv"}).get_data(as_text=True)
    graphs = [b["g"]["value"] for b in as_json["results"]["bindings"]]
    assert len(graphs) == 5 and all(f"<uri>{g}</uri>" in as_xml for g in graphs)
    assert [line.split("\t")[0] for line in as_tsv.splitlines()[1:]] == [f"<{g}>" for g in graphs]
    assert as_json["results"]["bindings"][0]["n"]["datatype"].endswith("#integer")


@pytest.mark.parametrize("query, accept, fmt", [
    (COUNT_GRAPHS, "text/turtle", None), (CONSTRUCT, "text/csv", None), ("ASK {}", "text/turtle", None),
    (COUNT_GRAPHS, None, "ttl"), (CONSTRUCT, None, "csv"), (COUNT_GRAPHS, None, "docx"),
])
def test_nothing_acceptable_is_406(client, query, accept, fmt):
    params = {"query": query, **({"format": fmt} if fmt else {})}
    response = client.get("/sparql", query_string=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 406, response.data


def test_service_description_by_conneg(client):
    turtle = client.get("/sparql")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = Graph().parse(data=turtle.data, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef("http://localhost/sparql"), URIRef(sd + "endpoint"), URIRef("http://localhost/sparql")) in graph
    assert len(list(graph.objects(None, URIRef(sd + "name")))) == 5
    as_jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=as_jsonld.data, format="json-ld")) == len(graph)
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html" and b"<form" in page.data


def test_cors_on_reads_and_preflight(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://yasgui.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://yasgui.org",
                                                   "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


# --- safety ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_service_is_refused(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.get_json()["error"]


def test_service_detection_ignores_strings_iris_and_names():
    for query in ['SELECT * { ?s <http://x/SERVICE> "SERVICE" . ?service ?p ex:service }  # SERVICE',
                  "PREFIX service: <http://x/> SELECT * { ?s service:p ?o }"]:
        assert not analyse(query).uses_service, query
    assert analyse("PREFIX select: <x:> CONSTRUCT WHERE { ?s ?p ?o }").form == "graph"
    assert analyse("SELECT * FROM <x:g> { ?s ?p ?o }").has_dataset
    assert not analyse("SELECT * { ?s <x:from> ?o }").has_dataset


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "CLEAR ALL"}},
    {"data": b"DROP ALL", "content_type": "application/sparql-update"},
    {"data": b"DROP ALL", "content_type": "application/sparql-update", "headers": {"Authorization": "Bearer x"}},
])
def test_updates_are_refused(client, request_kwargs):
    response = client.post("/sparql", **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.get_json()["error"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "json"}).get_json()["boolean"]


def test_update_with_operator_token_publishes_a_new_version(make_app, tmp_path):
    with OxigraphStore(tmp_path / "store") as store:
        store.load(f"<{EX}a> <{EX}p> 1 .".encode(), "ttl", EX + "g")
    app = make_app(tmp_path / "store", UPDATE_TOKEN="s3cret")
    client = app.test_client()
    denied = client.post("/sparql", data=f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> 2 }} }}",
                         content_type="application/sparql-update", headers={"Authorization": "Bearer wrong"})
    assert denied.status_code == 403
    update = client.post("/sparql", data=f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> 2 }} }}",
                         content_type="application/sparql-update", headers={"Authorization": "Bearer s3cret"})
    assert update.status_code == 200, update.data
    count = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "format": "csv"})
    assert rows(count)[1] == ["2"]
    assert client.get("/downloads.json").get_json()["stats"]["triples"] == 2


def test_row_cap_truncates_and_says_so(make_app, built_store):
    client = make_app(built_store, MAX_ROWS=3).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }", "format": "csv"})
    assert response.status_code == 200 and len(rows(response)) == 4
    assert response.headers["X-Result-Truncated"].startswith("true")
    graph = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "nt"})
    assert len(graph.get_data(as_text=True).splitlines()) == 3
    small = client.get("/sparql", query_string={"query": COUNT_GRAPHS.replace("ORDER BY ?g", "LIMIT 2"),
                                                "format": "csv"})
    assert "X-Result-Truncated" not in small.headers


def test_request_body_cap(make_app, built_store):
    client = make_app(built_store, MAX_BODY=1000).test_client()
    big = "ASK {} #" + "x" * 2000
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.post("/sparql", data="ASK {}", content_type="application/sparql-query").status_code == 200


@pytest.fixture(scope="module")
def slow_store(tmp_path_factory):
    """A store with 2,000 generated triples: a three-way cross product over them never finishes."""
    path = tmp_path_factory.mktemp("slow") / "store"
    with OxigraphStore(path) as store:
        store.load("".join(f"<{EX}s{i}> <{EX}p> {i} .\n" for i in range(2000)).encode(), "ttl", EX + "g")
    return path


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


def test_timeout_kills_the_query_and_others_keep_working(make_app, slow_store):
    import threading
    import time
    app = make_app(slow_store, QUERY_TIMEOUT=1.5, WORKERS=2)
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # pool started
    results = {}

    def slow():
        results["slow"] = app.test_client().get("/sparql", query_string={"query": SLOW})

    thread = threading.Thread(target=slow)
    started = time.monotonic()
    thread.start()
    time.sleep(0.2)
    quick = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "format": "csv"})
    quick_time = time.monotonic() - started
    thread.join(10)
    assert rows(quick)[1] == ["2000"] and quick_time < 1.4
    slow_response = results["slow"]
    assert slow_response.status_code == 503
    assert "timed out" in slow_response.get_json()["error"]
    assert 1.4 < time.monotonic() - started < 6
    time.sleep(1)  # the killed worker is replaced
    again = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "format": "csv"})
    assert rows(again)[1] == ["2000"]


# --- downloads and descriptions --------------------------------------------------------------------

def test_downloads_list_files_with_sizes_and_hashes(client):
    listing = client.get("/downloads.json").get_json()
    paths = [f["path"] for f in listing["files"]]
    assert {"budgetkg.nq.gz", "budgetkg.trig", "ontology/budgetkg.ttl"} <= set(paths)
    assert sum(p.startswith("graphs/") for p in paths) == 5
    for entry in listing["files"]:
        data = client.get("/downloads/" + entry["path"]).data
        assert len(data) == entry["size"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
    page = client.get("/downloads", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and b"budgetkg.trig" in page.data
    assert client.get("/downloads", headers={"Accept": "application/json"}).get_json() == listing


def test_dumps_hold_the_whole_dataset(client):
    listing = client.get("/downloads.json").get_json()
    nquads = gzip.decompress(client.get("/downloads/budgetkg.nq.gz").data).decode()
    assert len(nquads.splitlines()) == listing["stats"]["triples"]
    from rdflib import Dataset
    trig = Dataset().parse(data=client.get("/downloads/budgetkg.trig").data, format="trig")
    assert len(list(trig.quads())) == listing["stats"]["triples"]
    per_graph = sum(len(Graph().parse(data=client.get("/downloads/" + f["path"]).data, format="turtle"))
                    for f in listing["files"] if f["path"].startswith("graphs/"))
    assert per_graph == listing["stats"]["triples"]


def test_downloads_support_etag_and_range(client):
    first = client.get("/downloads/budgetkg.trig")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert client.get("/downloads/budgetkg.trig", headers={"If-None-Match": etag}).status_code == 304
    part = client.get("/downloads/budgetkg.trig", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == first.data[10:20]
    assert client.get("/downloads/../current").status_code == 404
    assert client.get("/downloads/nope.ttl").status_code == 404


def test_void_description(client):
    response = client.get("/.well-known/void")
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    dataset = URIRef("http://localhost/.well-known/void#budgetkg")
    stats = client.get("/downloads.json").get_json()["stats"]
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    assert graph.value(dataset, VOID.triples).toPython() == stats["triples"]
    assert len(list(graph.objects(dataset, VOID.classPartition))) == len(stats["classes"])
    sources = set(graph.objects(dataset, URIRef("http://www.w3.org/ns/prov#hadPrimarySource")))
    assert len(sources) == 5
    assert len(list(graph.objects(dataset, DCAT.distribution))) == len(client.get("/downloads.json").get_json()["files"])
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    as_jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=as_jsonld.data, format="json-ld")) == len(graph)
    as_nt = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert as_nt.mimetype == "application/n-triples"


def test_home_links_the_description(client):
    page = client.get("/", headers={"Accept": "text/html"})
    assert b"/.well-known/void" in page.data and 'rel="describedby"' in page.headers["Link"]
    assert client.get("/", headers={"Accept": "application/json"}).get_json()["links"]["sparql"] == "/sparql"


def test_errors_render_as_html_or_json(client):
    assert client.get("/nope", headers={"Accept": "text/html"}).mimetype == "text/html"
    body = client.get("/nope", headers={"Accept": "application/json"}).get_json()
    assert body == {"ok": False, "status": 404, "title": "Not Found", "error": body["error"]}


def test_empty_store_answers_503_and_404(make_app, tmp_path):
    client = make_app(tmp_path / "empty").test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 503
    assert client.get("/downloads.json").status_code == 404


# --- settings -------------------------------------------------------------------------------------

def test_settings_layer_defaults_then_toml_then_environment(tmp_path, monkeypatch):
    from budgetkg.server import create_app
    config_file = tmp_path / "budgetkg.toml"
    config_file.write_text('query_timeout = 12\nmax_rows = 500\nfindings_wait = 1\n', encoding="utf-8")
    monkeypatch.setenv("BUDGETKG_CONFIG", str(config_file))
    monkeypatch.setenv("BUDGETKG_MAX_ROWS", "70")
    settings = create_app({"STORE": str(tmp_path / "store")}).config
    assert settings["QUERY_TIMEOUT"] == 12.0 and settings["QUEUE_TIMEOUT"] == 12.0
    assert settings["MAX_ROWS"] == 70 and settings["FINDINGS_WAIT"] == 1.0
    assert settings["MAX_CONTENT_LENGTH"] == 1024 * 1024 and settings["UPDATE_TOKEN"] is None
