"""The WSGI fast path for /sparql queries (budgetkg/server/fastpath.py) answers exactly as the Flask view:
same status, headers and body for the same request, errors included; what it does not take goes to Flask."""

import pytest

from budgetkg.server.fastpath import SparqlFastPath

from test_server import SLOW, slow_store  # noqa: F401 - the module fixture, shared

SELECT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
JSON, CSV, TURTLE, HTML = "application/sparql-results+json", "text/csv", "text/turtle", "text/html"
FORM = "application/x-www-form-urlencoded"

# (method, path, keyword arguments of the test client's open(), expected status)
REQUESTS = [
    ("GET", "/sparql", {"query_string": {"query": SELECT}, "headers": {"Accept": JSON}}, 200),
    ("GET", "/sparql/", {"query_string": {"query": SELECT, "format": "tsv"}}, 200),
    ("POST", "/sparql", {"data": {"query": SELECT}, "headers": {"Accept": CSV}}, 200),
    ("POST", "/sparql", {"data": SELECT, "content_type": "application/sparql-query; charset=UTF-8"}, 200),
    ("POST", "/sparql", {"data": CONSTRUCT, "content_type": "application/sparql-query",
                         "headers": {"Accept": TURTLE}}, 200),
    ("GET", "/sparql", {"query_string": {"query": "ASK { ?s ?p ?o }", "format": "xml"}}, 200),
    ("GET", "/sparql", {"query_string": {"query": "SELECT ?u { BIND(<relative> AS ?u) }", "format": "csv"},
                        "headers": {"Host": "data.example.org:8443"}}, 200),
    ("GET", "/sparql", {"query_string": {"query": SELECT, "default-graph-uri": "not an iri"}}, 400),
    ("GET", "/sparql", {"query_string": {"query": "SELEC ?x {"}}, 400),
    ("GET", "/sparql", {"query_string": {"query": "SELEC ?x {"}, "headers": {"Accept": HTML}}, 400),
    ("GET", "/sparql", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ("POST", "/sparql", {"data": {"query": "INSERT DATA { <a:a> <a:b> <a:c> }"}}, 400),
    ("POST", "/sparql", {"data": "ASK {}", "content_type": "application/sparql-query",
                         "query_string": {"query": "ASK {}"}}, 400),
    ("POST", "/sparql", {"data": "ASK {}", "content_type": "application/sparql-query; charset=latin-1"}, 400),
    ("POST", "/sparql", {"data": "INSERT DATA { <a:a> <a:b> <a:c> }",
                         "content_type": "application/sparql-update"}, 403),
    ("POST", "/sparql", {"data": {"update": "INSERT DATA { <a:a> <a:b> <a:c> }"}}, 403),
    ("GET", "/sparql", {"query_string": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}, 403),
    ("GET", "/sparql", {"query_string": {"query": SELECT}, "headers": {"Accept": "image/png"}}, 406),
    ("GET", "/sparql", {"query_string": {"query": SELECT, "format": "ttl"}}, 406),
    ("GET", "/sparql", {"query_string": {"query": "SELECT * {" + "{" * 1100 + "}" * 1100 + "}"}}, 400),
    ("POST", "/sparql", {"data": "ASK {}", "content_type": "text/plain"}, 415),
    ("POST", "/sparql", {"data": {"query": "ASK {} #" + "x" * 2000}}, 413),
    ("OPTIONS", "/sparql", {}, 204),
    ("GET", "/sparql", {"query_string": {"query": "SELECT * { ?s ?p ?o }", "format": "csv"}}, 200),
]


@pytest.fixture(scope="module")
def apps(make_app, built_store):
    """The same settings with and without the fast path (small row and body caps, to reach those paths)."""
    settings = {"MAX_ROWS": 3, "MAX_BODY": 1000}
    return {"fast": make_app(built_store, **settings), "flask": make_app(built_store, FAST_PATH=False, **settings)}


def answer(app, method, path, kwargs):
    """(status, sorted headers, body) of a request through the app's whole WSGI stack."""
    response = app.test_client().open(path, method=method, **kwargs)
    return response.status_code, sorted(response.headers.items()), response.get_data()


def assert_same(apps, method, path, kwargs, status):
    fast, flask = (answer(apps[name], method, path, kwargs) for name in ("fast", "flask"))
    assert fast[0] == status, fast[2][:300]
    assert fast == flask


@pytest.mark.parametrize("method, path, kwargs, status", REQUESTS)
def test_fast_path_answers_as_the_flask_view(apps, method, path, kwargs, status):
    assert_same(apps, method, path, kwargs, status)


def test_fast_path_keeps_every_header_of_a_result(apps):
    status, headers, body = answer(apps["fast"], "GET", "/sparql",
                                   {"query_string": {"query": "SELECT * { ?s ?p ?o }", "format": "csv"}})
    names = dict(headers)
    assert status == 200 and names["X-Result-Truncated"] == "true; max-rows=3"
    assert names["Content-Type"] == "text/csv; charset=utf-8" and names["Vary"] == "Accept"
    assert names["X-Store-Version"] and names["Content-Length"] == str(len(body))
    assert names["Access-Control-Allow-Origin"] == "*" and "X-Store-Version" in names["Access-Control-Expose-Headers"]
    assert names["X-Frame-Options"] == "DENY" and names["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in names["Content-Security-Policy"] and names["Referrer-Policy"]


def counting_flask(app):
    """Count the requests the fast path hands to Flask."""
    fast = app.wsgi_app
    assert isinstance(fast, SparqlFastPath)
    calls, flask_wsgi = [], fast.flask_wsgi

    def counted(environ, start_response):
        calls.append(environ["REQUEST_METHOD"] + " " + environ["PATH_INFO"])
        return flask_wsgi(environ, start_response)

    fast.flask_wsgi = counted
    return calls, lambda: setattr(fast, "flask_wsgi", flask_wsgi)


def test_queries_bypass_flask_and_everything_else_reaches_it(make_app, built_store):
    app = make_app(built_store)
    calls, restore = counting_flask(app)
    client = app.test_client()
    try:
        assert client.get("/sparql", query_string={"query": SELECT}).status_code == 200
        assert client.post("/sparql", data={"query": SELECT}).status_code == 200
        assert client.get("/sparql", query_string={"query": "SELEC"}).status_code == 400  # rendered, not re-run
        assert calls == []
        assert client.get("/sparql").status_code == 200  # the service description
        assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
        assert client.get("/downloads.json").status_code == 200
        assert calls == ["GET /sparql", "POST /sparql", "GET /downloads.json"]
    finally:
        restore()


def test_untrusted_hosts_are_refused_on_the_fast_path_too(make_app, built_store):
    apps = {"fast": make_app(built_store, TRUSTED_HOSTS=["data.example.org"]),
            "flask": make_app(built_store, TRUSTED_HOSTS=["data.example.org"], FAST_PATH=False)}
    query = {"query": "SELECT ?u { BIND(<x> AS ?u) }", "format": "csv"}
    assert_same(apps, "GET", "/sparql", {"query_string": query, "headers": {"Host": "evil.example"}}, 400)
    assert_same(apps, "POST", "/sparql", {"data": query, "headers": {"Host": "evil.example"}}, 400)
    assert_same(apps, "GET", "/sparql", {"query_string": query, "headers": {"Host": "data.example.org"}}, 200)
    apps = {"fast": make_app(built_store, TRUSTED_HOSTS=["data.example.org"], BASE_URL="https://data.example.org/"),
            "flask": make_app(built_store, TRUSTED_HOSTS=["data.example.org"], BASE_URL="https://data.example.org/",
                              FAST_PATH=False)}
    assert_same(apps, "GET", "/sparql", {"query_string": query, "headers": {"Host": "evil.example"}}, 400)


def test_fast_path_timeout_is_the_same_503(make_app, slow_store):  # noqa: F811 - the fixture
    fast = make_app(slow_store, QUERY_TIMEOUT=1)
    flask = make_app(slow_store, QUERY_TIMEOUT=1, FAST_PATH=False)
    answers = [answer(app, "GET", "/sparql", {"query_string": {"query": SLOW}}) for app in (fast, flask)]
    assert answers[0][0] == 503 and dict(answers[0][1])["Retry-After"] == "1"
    assert answers[0] == answers[1]
    assert b"timed out" in answers[0][2]
    # the killed worker is replaced and the next query answers
    assert answer(fast, "GET", "/sparql", {"query_string": {"query": "ASK {}"}})[0] == 200
