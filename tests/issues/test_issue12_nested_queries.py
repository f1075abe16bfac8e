"""Issue 12: a query nested 20,000 braces deep crashed its worker in about 20 ms, and after two of them
the endpoint answered 503 for good. Now such queries are refused with 400 before a worker sees them, and
even with the guard turned off the crashed workers are replaced and later queries are answered."""

from issues_helpers import NESTED, answer, ordinary, slow_store, wait_for_full_pool  # noqa: F401 - fixture
from budgetkg.server.protocol import analyse


def test_four_nested_queries_are_refused_and_ordinary_queries_answered(make_app, slow_store):
    app = make_app(slow_store, WORKERS=2)
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    pool = app.extensions["budgetkg"]["pool"]()
    started = pool.started
    for request in ({"query_string": {"query": NESTED}}, {"data": {"query": NESTED}}) * 2:
        response = client.open("/sparql", method="POST" if "data" in request else "GET", **request)
        assert response.status_code == 400
        assert "query too complex" in response.get_json()["error"]
        assert "MAX_QUERY_DEPTH" in response.get_json()["error"]
    assert pool.started == started  # no worker saw them
    for k in (3, 1, 4, 1, 5):
        response = client.get("/sparql", query_string={"query": ordinary(k), "format": "csv"})
        assert response.status_code == 200 and answer(response.data) == k


def test_with_the_guard_off_crashed_workers_are_replaced(make_app, slow_store):
    app = make_app(slow_store, WORKERS=2, MAX_QUERY_DEPTH=0)
    client = app.test_client()
    deep = "SELECT * WHERE " + "{" * 100000 + "}" * 100000  # overflows even the workers' large stack
    for _ in range(4):
        response = client.post("/sparql", data=deep, content_type="application/sparql-query")
        assert response.status_code == 500, response.data
        assert "query too complex" in response.get_json()["error"]
    for k in range(10):
        response = client.get("/sparql", query_string={"query": ordinary(k), "format": "csv"})
        assert response.status_code == 200 and answer(response.data) == k
    assert wait_for_full_pool(app.extensions["budgetkg"]["pool"](), started=6)


def test_depth_counts_nesting_and_chains_but_not_values_rows():
    assert analyse(NESTED).depth > 20000
    chained = "SELECT * WHERE { " + " ".join(["OPTIONAL { ?s ?p ?o }"] * 3000) + " }"
    assert analyse(chained).depth > 3000
    values = "SELECT * WHERE { VALUES (?a ?b) { " + " ".join(f"({i} {i}.5)" for i in range(30000)) + " } }"
    assert analyse(values).depth < 10
    strings = 'SELECT * WHERE { ?s ?p "' + "{" * 5000 + '" } # ' + "(" * 5000
    assert analyse(strings).depth < 10


def test_the_competency_questions_are_well_inside_the_default_limit():
    from pathlib import Path

    from budgetkg.server.limits import DEFAULT_MAX_QUERY_DEPTH
    queries = sorted((Path(__file__).resolve().parents[2] / "queries").glob("*.rq"))
    assert queries
    for path in queries:
        assert analyse(path.read_text(encoding="utf-8")).depth < DEFAULT_MAX_QUERY_DEPTH // 10, path.name
