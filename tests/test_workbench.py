"""Tests of the query workbench: examples from queries/, URLs that carry the query, offline assets.

The in-browser run is tested in test_browser.py; here the page and its static files."""

import re

from budgetkg.server.workbench import examples


def test_examples_are_the_competency_questions_with_descriptions():
    menu = examples()
    ids = [e["id"] for e in menu]
    assert "cq01-documents" in ids and "cq03-functional" in ids and ids == sorted(ids)
    cq02 = next(e for e in menu if e["id"] == "cq02-totals")
    assert cq02["title"].startswith("CQ02") and "widest scope" in cq02["description"]
    assert "SELECT" in cq02["query"]


def test_page_lists_examples_and_carries_the_query(client):
    html = client.get("/query", query_string={"example": "cq03-functional"},
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "CQ01" in html and "CQ03" in html and 'class="example active"' in html
    assert "item:functional_expenditure" in html and "/sparql?query=" in html
    shared = client.get("/query", query_string={"query": "ASK { <x:a> ?p \"<b>\" }"},
                        headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "ASK { &lt;x:a&gt; ?p &#34;&lt;b&gt;&#34; }" in shared


def test_json_twin_and_unknown_example(client):
    body = client.get("/query", query_string={"example": "cq01-documents", "run": "1"},
                      headers={"Accept": "application/json"}).get_json()
    assert body["run"] is True and body["query"].startswith("# CQ01") and len(body["examples"]) >= 6
    assert client.get("/query", query_string={"example": "nope"}).status_code == 404


def test_workbench_works_offline(client):
    html = client.get("/query", headers={"Accept": "text/html"}).get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert assets and all(a.startswith("/static/") for a in assets)
    for asset in assets:
        body = client.get(asset).get_data(as_text=True)
        assert not re.search(r"https?://(?!budgetkg\.org)", body.replace("http://www.w3.org/2000/svg", ""))
    script = client.get("/static/workbench.js").get_data(as_text=True)
    assert "function highlight" in script and "results-table" in script


def test_download_links_return_csv_and_json(client):
    query = examples()[0]["query"]
    csv = client.get("/sparql", query_string={"query": query, "format": "csv"})
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and csv.data.startswith(b"unit,year,phase")
    as_json = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert len(as_json.get_json()["results"]["bindings"]) == 5
