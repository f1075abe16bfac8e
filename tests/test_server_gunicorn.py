"""The multi-process front (docs/server.md, "Production"): the app in two gunicorn processes keeps the
guarantees of `budgetkg serve`: every query in a killable worker with its time limit (503, then the next
query answers), the same headers, and every process answers."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import server_process
from test_server import SLOW, slow_store  # noqa: F401 - the module fixture, shared

pytest.importorskip("gunicorn")
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


def get(url, query, accept="text/csv"):
    """(status, headers, body text) of a GET /sparql?query=…"""
    request = urllib.request.Request(f"{url}/sparql?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


def test_gunicorn_front_keeps_the_limits_and_headers(slow_store):  # noqa: F811 - the fixture
    with server_process(slow_store, probe="/sparql?query=ASK%7B%7D", gunicorn_processes=2, WORKERS=1,
                        QUERY_TIMEOUT=1.5) as (url, _, log):
        status, headers, body = get(url, COUNT)
        assert status == 200 and body.splitlines() == ["n", "2000"], body
        assert headers["X-Store-Version"] and headers["Vary"] == "Accept"
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Access-Control-Allow-Origin"] == "*"
        status, headers, body = get(url, SLOW, accept="application/json")
        assert status == 503 and "timed out" in json.loads(body)["error"], body
        assert headers["Retry-After"] == "1"
        # each connection may land on either process; all of them answer, the killed worker's included
        answers = [get(url, COUNT) for _ in range(8)]
        assert all(answer[0] == 200 and answer[2].splitlines()[1] == "2000" for answer in answers), answers
        status, _, body = get(url, "SELEC ?x {")
        assert status == 400 and "invalid SPARQL" in body
