"""Issue 12: one query took a worker to 6 GB with no limit. Now each worker has an address-space limit
(WORKER_MEMORY): a memory-hungry query is stopped there with a clear 503, and the next query is answered."""

from issues_helpers import (MEMORY_HOG, answer, hog_memory_limit, ordinary, slow_store,  # noqa: F401 - fixtures
                            wait_for_full_pool)
from budgetkg.server.limits import parse_size


def test_memory_hungry_query_stops_at_the_limit_and_the_next_is_answered(make_app, slow_store, hog_memory_limit):
    megabytes = hog_memory_limit // 1024 ** 2
    app = make_app(slow_store, WORKERS=1, WORKER_MEMORY=f"{megabytes}M", QUERY_TIMEOUT=60)
    assert app.config["WORKER_MEMORY"] == parse_size(f"{megabytes}M") == megabytes * 1024 ** 2
    client = app.test_client()
    response = client.get("/sparql", query_string={"query": MEMORY_HOG})
    assert response.status_code == 503, response.data
    assert "memory limit" in response.get_json()["error"]
    after = client.get("/sparql", query_string={"query": ordinary(42), "format": "csv"})
    assert after.status_code == 200 and answer(after.data) == 42
    assert wait_for_full_pool(app.extensions["budgetkg"]["pool"](), started=2)


def test_default_memory_limit_is_a_share_of_ram(make_app, slow_store):
    from budgetkg.server.limits import MIN_WORKER_MEMORY, physical_memory
    app = make_app(slow_store, WORKERS=4)
    limit = app.config["WORKER_MEMORY"]
    assert MIN_WORKER_MEMORY <= limit and (limit == MIN_WORKER_MEMORY or limit <= physical_memory() // 2 // 4)
