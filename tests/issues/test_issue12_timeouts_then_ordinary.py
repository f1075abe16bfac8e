"""Issue 12: after two queries hit the time limit, every later query was answered 503 (the replacement
workers were killed by PR_SET_PDEATHSIG at once). Now the pool heals and all 20 ordinary queries answer."""

from issues_helpers import SLOW, answer, ordinary, slow_store, wait_for_full_pool  # noqa: F401 - fixture


def test_two_timeouts_then_twenty_ordinary_queries_are_all_answered(make_app, slow_store):
    app = make_app(slow_store, QUERY_TIMEOUT=1, QUEUE_TIMEOUT=20, WORKERS=2)
    client = app.test_client()
    for _ in range(2):
        response = client.get("/sparql", query_string={"query": SLOW})
        assert response.status_code == 503
        assert "time limit" in response.get_json()["error"]
    answers = []
    for k in range(20):
        response = client.get("/sparql", query_string={"query": ordinary(k), "format": "csv"})
        assert response.status_code == 200, response.data
        answers.append(answer(response.data))
    assert answers == list(range(20))
    pool = app.extensions["budgetkg"]["pool"]()
    assert wait_for_full_pool(pool, started=4)  # both killed workers were replaced
