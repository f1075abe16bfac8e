"""Tests of the entity pages: conneg on every kind of page, 404s, escaping, and the specialised pages.

The app serves the store built from the examples (the seeds); escaping uses a small inline Turtle graph."""

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import SCRIPT

BASE = "https://budgetkg.org/"
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
             "application/rdf+xml": "xml"}


def sparql_rows(client, query):
    """Rows of a SELECT on /sparql as lists of values."""
    body = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"}).get_json()
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def first(client, cls, extra=""):
    """Some IRI of a class (with an extra pattern on ?s)."""
    rows = sparql_rows(client, f"SELECT ?s WHERE {{ ?s a <{cls}> . {extra} }} ORDER BY ?s LIMIT 1")
    assert rows, f"no {cls} in the built examples"
    return rows[0]["s"]


def path_of(iri):
    return "/" + iri[len(BASE):]


@pytest.fixture(scope="module")
def samples(app):
    """One IRI of every kind of page, from the built examples."""
    client = app.test_client()
    bkg = BASE + "def#"
    return {
        "unit": first(client, bkg + "BudgetUnit"),
        "document": first(client, bkg + "Disclosure"),
        "project": first(client, bkg + "Project", f"?i <{bkg}project> ?s ."),
        "indicator": first(client, bkg + "PerformanceIndicator"),
        "legal": first(client, "http://data.europa.eu/eli/ontology#LegalResource"),
        "observation": first(client, bkg + "AmountObservation"),
        "division": first(client, bkg + "InternalDivision"),
        "concept": BASE + "code/functional/208",
        "item": BASE + "code/item/basic_expenditure",
        "term": BASE + "def#Project",
    }


def page_path(iri):
    return "/def/Project" if iri.endswith("#Project") else path_of(iri)


@pytest.mark.parametrize("kind", ["unit", "document", "project", "indicator", "legal", "observation", "division",
                                  "concept", "item", "term"])
def test_every_kind_of_page_negotiates_html_json_and_rdf(client, samples, kind):
    iri = samples[kind]
    path = page_path(iri)
    page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"] and 'rel="alternate"' in page.headers["Link"]
    for media, fmt in RDF_TYPES.items():
        response = client.get(path, headers={"Accept": media})
        assert response.status_code == 200 and response.mimetype == media, (kind, media)
        assert "Accept" in response.headers["Vary"]
        graph = Graph().parse(data=response.data, format=fmt)
        assert (URIRef(iri), None, None) in graph, (kind, media)
    for twin, fmt in ((".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld"), (".rdf", "xml")):
        graph = Graph().parse(data=client.get(path + twin).data, format=fmt)
        assert (URIRef(iri), None, None) in graph
    assert client.get(path, query_string={"format": "nt"}).mimetype == "application/n-triples"
    as_json = client.get(path + ".json").get_json()
    assert as_json["iri"] == iri and as_json["properties"]
    assert client.get(path, headers={"Accept": "application/json"}).get_json()["iri"] == iri


def test_turtle_beats_html_by_q_values_and_nothing_acceptable_is_406(client, samples):
    path = path_of(samples["unit"])
    assert client.get(path, headers={"Accept": "text/html;q=0.5, text/turtle"}).mimetype == "text/turtle"
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert client.get(path, query_string={"format": "docx"}).status_code == 406


def test_unknown_iris_get_a_helpful_404(client):
    page = client.get("/unit/000000000000", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "https://budgetkg.org/unit/000000000000" in text and "/search?q=" in text
    assert client.get("/unit/000000000000", headers={"Accept": "application/json"}).get_json()["status"] == 404
    assert client.get("/unit/000000000000", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/code/functional/999999999").status_code == 404


def test_resource_page_describes_any_iri(client, samples):
    page = client.get("/resource", query_string={"iri": samples["unit"]}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "format=ttl" in page.get_data(as_text=True)
    assert client.get("/resource", query_string={"iri": "urn:x:nothing"}).status_code == 404


def test_every_seed_unit_page_shows_its_figures_and_a_chart(client):
    units = client.get("/", headers={"Accept": "application/json"}).get_json()["units"]
    assert len(units) == 5
    for unit in units:
        data = client.get(unit["href"] + ".json").get_json()
        assert data["kind"] == "unit" and data["sections"]["documents"], unit["label"]
        items = {f["item"]["iri"].rsplit("/", 1)[-1] for f in data["sections"]["figures"]}
        assert {"expenditure_this_year", "basic_expenditure"} <= items, unit["label"]
        html = client.get(unit["href"], headers={"Accept": "text/html"}).get_data(as_text=True)
        assert '<svg class="chart"' in html and "<rect" in html, unit["label"]
        assert "基本支出" in html and 'class="data figures"' in html


def test_unit_figures_follow_cq02(client):
    rows = {(r["unit"], r["year"], r["phase"], r["item"]): r["amount"]
            for r in sparql_rows(client, Path("queries/cq02-totals.rq").read_text(encoding="utf-8"))}
    units = client.get("/", headers={"Accept": "application/json"}).get_json()["units"]
    for unit in units:
        data = client.get(unit["href"] + ".json").get_json()
        document = data["sections"]["documents"][0]
        for figure in data["sections"]["figures"]:
            key = (unit["label"], document["year"], document["phase_key"], figure["item"]["iri"].rsplit("/", 1)[-1])
            if key in rows:
                assert figure["cells"][0]["amount"] == rows[key], key


def test_legal_document_cited_by_two_units_lists_both(client):
    shared = sparql_rows(client, Path("queries/cq10-shared-legal.rq").read_text(encoding="utf-8"))
    numbered = [r for r in shared if r.get("number")]
    assert numbered, "cq10 finds no shared numbered legal document"
    legal = sparql_rows(client, f"""SELECT ?l WHERE {{ ?l <http://data.europa.eu/eli/ontology#id_local>
                                    "{numbered[0]['number']}" }}""")[0]["l"]
    data = client.get(path_of(legal) + ".json").get_json()
    assert data["kind"] == "legal" and len(data["sections"]["units"]) >= 2
    html = client.get(path_of(legal), headers={"Accept": "text/html"}).get_data(as_text=True)
    for unit in data["sections"]["units"]:
        assert unit["label"] in html


def test_project_page_has_budget_executed_indicators_and_legal_basis(client):
    bkg = BASE + "def#"
    project = sparql_rows(client, f"""SELECT ?p WHERE {{ ?p <{bkg}legalBasis> ?l . ?i <{bkg}project> ?p ;
        <{bkg}targetText> ?t . ?o <{bkg}project> ?p ; <{bkg}item> <{BASE}code/item/project_executed> }}
        ORDER BY ?p LIMIT 1""")
    assert project, "no project with legal basis, indicators and an executed amount"
    data = client.get(path_of(project[0]["p"]) + ".json").get_json()
    sections = data["sections"]
    assert data["kind"] == "project" and sections["legal"] and sections["context"]
    assert any("executed" in m["label"] for m in sections["money"]) and sections["chart"]
    assert sections["indicators"] and all(i["indicator"]["label"] for i in sections["indicators"])
    assert any(i["target"] for i in sections["indicators"])
    html = client.get(path_of(project[0]["p"]), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="data indicators"' in html and "目标 target" in html


def test_classification_concept_lists_amounts_across_units(client):
    data = client.get("/code/functional/208.json").get_json()
    assert data["kind"] == "concept" and data["sections"]["units"] >= 2
    assert any(a["own"] for a in data["sections"]["amounts"]) and any(not a["own"] for a in data["sections"]["amounts"])
    assert data["sections"]["chart"].startswith("<svg")


def test_document_page_lists_figures_projects_legal_references_and_graph(client, samples):
    data = client.get("/doc/9cc18e5b6d8d/2020/budget.json").get_json()
    sections = data["sections"]
    assert data["kind"] == "document" and len(sections["figures"]) > 50 and sections["projects"]
    assert sections["legal"] and sections["download"].startswith("/downloads/graphs/")
    assert client.get(sections["download"]).status_code == 200


def test_document_page_shows_validation_findings(make_app, built_store):
    pytest.importorskip("budgetkg.validate")
    client = make_app(built_store, FINDINGS_WAIT=120).test_client()
    found = client.get("/doc/9cc18e5b6d8d/2020/budget.json").get_json()["sections"]["findings"]
    assert found["status"] == "done", found
    assert any(item["line"] == 1663 and "1237.62" in (item["value"] or "") for item in found["items"])
    html = client.get("/doc/9cc18e5b6d8d/2020/budget", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="data findings"' in html and "1663" in html


def test_observation_page_shows_provenance_and_its_queries(client, samples):
    data = client.get(path_of(samples["observation"]) + ".json").get_json()
    provenance = data["provenance"]
    assert provenance["documents"] and provenance["line"] and provenance["section"] and provenance["text"]
    html = client.get(path_of(samples["observation"]), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="source-line"' in html and "/query?query=" in html


def test_ontology_page_has_anchors_and_rdf(client):
    html = client.get("/def", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="Project"' in html and 'id="amount"' in html and 'href="/def/Project"' in html
    graph = Graph().parse(data=client.get("/def", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert (URIRef("https://budgetkg.org/def"), None, None) in graph
    assert len(Graph().parse(data=client.get("/def.nt").data, format="nt")) == len(graph)
    assert client.get("/def/Project.json").get_json()["label"].startswith("项目")


def test_home_page_shows_counts_units_and_years(client):
    data = client.get("/", headers={"Accept": "application/json"}).get_json()
    assert data["counts"]["documents"] == 5 and data["counts"]["units"] == 5 and data["counts"]["observations"] > 100
    assert data["years"] == sorted(data["years"]) and "2019" in data["years"]
    html = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    for target in ("/search", "/query", "/downloads", "/.well-known/void"):
        assert f'href="{target}"' in html
    assert all(unit["label"] in html for unit in data["units"])


def test_empty_store_home_page_says_nothing_is_published(make_app, tmp_path):
    client = make_app(tmp_path / "nothing").test_client()
    page = client.get("/", headers={"Accept": "application/json"})
    assert page.status_code == 200 and "nothing is published" in page.get_json()["message"]


def test_literals_with_script_come_out_inert(inline_client):
    paths = ["/unit/evil", "/doc/evil/2024/budget", "/doc/evil/2024/budget/project/p1", "/legal/evil", "/",
             "/search?q=养老保险"]
    for path in paths:
        page = inline_client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        assert SCRIPT not in html and "<script>alert" not in html, path
        assert "&lt;script&gt;" in html, path
    as_json = inline_client.get("/unit/evil.json").get_json()
    assert SCRIPT in json.dumps(as_json, ensure_ascii=False)


def test_inline_graph_specialised_pages(inline_client):
    legal = inline_client.get("/legal/evil.json").get_json()
    assert legal["kind"] == "legal" and [u["iri"] for u in legal["sections"]["units"]] == [BASE + "unit/evil"]
    project = inline_client.get("/doc/evil/2024/budget/project/p1.json").get_json()
    assert project["kind"] == "project" and project["sections"]["legal"][0]["iri"] == BASE + "legal/evil"


def test_pages_run_their_queries_under_the_time_limit(make_app, built_store):
    client = make_app(built_store, QUERY_TIMEOUT=0.000001, WORKERS=1).test_client()
    response = client.get("/unit/406d7a14973f", headers={"Accept": "text/html"})
    assert response.status_code == 503 and "timed out" in response.get_data(as_text=True)
