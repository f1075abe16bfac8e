"""Tests of jieba-tokenised search: whole-word matching, ranking, highlighting, HTML/JSON, the SPARQL pattern.

Index unit tests use made-up entries; the rest search the store built from the examples (the seeds)."""

import json

from budgetkg.server.search import Index, highlight, query_terms


def entry(label, text="", kind="project"):
    return {"kind": kind, "label": label, "doc": None, "doc_label": None,
            "fields": [(label, 3.0, True)] + ([(text, 1.0, False)] if text else [])}


def test_whole_words_match_inside_chinese_text():
    index = Index({"a": entry("企业职工养老保险基金征缴金额"), "b": entry("医疗保险经办"), "c": entry("保养险")})
    assert [hit for hit, _ in index.search(query_terms("养老保险"))] == ["a"]
    assert index.search(query_terms("老保")) == []  # not a word: no substring matches
    assert {hit for hit, _ in index.search(query_terms("保险"))} == {"a", "b"}


def test_every_word_must_match_and_labels_outrank_texts():
    index = Index({"label": entry("养老保险信息化建设"), "text": entry("系统运维", "养老保险 信息化 相关工作"),
                   "one": entry("养老保险待遇")})
    ranked = [hit for hit, _ in index.search(query_terms("养老保险信息化"))]
    assert ranked == ["label", "text"]
    assert [hit for hit, _ in index.search(query_terms("养老保险"), kind="indicator")] == []


def test_highlight_marks_the_words_and_cuts_a_snippet():
    segments, offsets = highlight("A" * 100 + "养老保险基金" + "B" * 100, ["养老保险"], width=40)
    assert ("养老保险", True) in segments and segments[0] == ("…", False) and segments[-1] == ("…", False)
    assert offsets == [(100, 104)]


def test_search_finds_projects_and_indicators_from_several_documents(client):
    body = client.get("/search.json", query_string={"q": "养老保险", "limit": 500}).get_json()
    documents = {kind: {hit["context"]["iri"] for hit in body["results"] if hit["kind"] == kind and hit["context"]}
                 for kind in ("project", "indicator")}
    assert len(documents["project"]) >= 2 and len(documents["indicator"]) >= 2
    assert body["total"] == len(body["results"]) and all("养老保险" in hit["matched_label"] + hit["snippet"]
                                                          for hit in body["results"])
    scores = [hit["score"] for hit in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_covers_units_legal_documents_and_concepts(client):
    def kinds(q):
        return {hit["kind"] for hit in client.get("/search.json", query_string={"q": q}).get_json()["results"]}
    assert "unit" in kinds("社会保险管理局")
    assert "legal" in kinds("全民参保计划")
    assert "concept" in kinds("社会保障和就业支出")


def test_kind_filter_paging_and_facets(client):
    everything = client.get("/search.json", query_string={"q": "养老保险"}).get_json()
    only = client.get("/search.json", query_string={"q": "养老保险", "kind": "indicator", "limit": 3}).get_json()
    assert only["total"] == everything["facets"]["indicator"] and len(only["results"]) == 3
    assert {hit["kind"] for hit in only["results"]} == {"indicator"}
    assert client.get("/search.json", query_string={"q": "x", "kind": "nope"}).status_code == 400


def test_search_html_highlights_and_escapes(client):
    html = client.get("/search", query_string={"q": "养老保险"}, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<mark>养老保险</mark>" in html and 'class="hit' in html
    evil = client.get("/search", query_string={"q": "<script>alert(1)</script>"},
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in evil and "&lt;script&gt;" in evil


def test_search_hits_join_sparql_through_the_values_pattern(client):
    body = client.get("/search.json", query_string={"q": "养老保险", "kind": "project"}).get_json()
    rows = client.get("/sparql", query_string={"query": body["sparql"]},
                      headers={"Accept": "application/json"}).get_json()["results"]["bindings"]
    assert {row["hit"]["value"] for row in rows} == {hit["iri"] for hit in body["results"]}


def test_empty_query_returns_no_results(client):
    body = client.get("/search", headers={"Accept": "application/json"}).get_json()
    assert body["results"] == [] and body["total"] == 0
    assert json.loads(client.get("/search.json?q=%20").data)["terms"] == []
