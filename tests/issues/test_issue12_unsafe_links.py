"""Issue 12: a javascript: IRI (from `budgetkg load`, or made by any query with BIND(IRI(...))) became a
clickable <a href="javascript:...">. Now only http, https and relative IRIs become links; others are text."""

import re

import pytest
from click.testing import CliRunner

from budgetkg.cli import main
from budgetkg.server import links, security

UNSAFE_TTL = """@prefix bkg: <https://budgetkg.org/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://budgetkg.org/unit/js> a bkg:BudgetUnit ; skos:prefLabel "养老保险脚本中心"@zh ;
  rdfs:seeAlso <javascript:alert(1)>, <JavaScript:alert(3)>, <data:text/html,%3Cb%3Ex>, <https://example.org/ok> .
<javascript:alert(2)> a bkg:BudgetUnit ; skos:prefLabel "养老保险 evil" .
"""
UNSAFE_HREF = re.compile(r"""href\s*=\s*["']?\s*(?!https?:|/|#|\?)[a-z][a-z0-9+.-]*:""", re.I)


@pytest.fixture(scope="module")
def unsafe_client(tmp_path_factory, make_app):
    """A test client over a store holding javascript: and data: IRIs, loaded with `budgetkg load`."""
    folder = tmp_path_factory.mktemp("unsafe")
    (folder / "unsafe.ttl").write_text(UNSAFE_TTL, encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(folder / "unsafe.ttl"), "--graph", "https://budgetkg.org/doc/js",
                                       "--store", str(folder / "store")])
    assert result.exit_code == 0, result.output
    return make_app(folder / "store", WORKERS=1).test_client()


@pytest.mark.parametrize("value, safe", [
    ("https://example.org/a", True), ("http://example.org/a", True), ("/unit/x", True), ("#frag", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False), ("\x01javascript:alert(1)", False), ("data:text/html,x", False),
    ("vbscript:msgbox", False), ("file:///etc/passwd", False), ("urn:isbn:123", False),
])
def test_only_http_https_and_relative_references_may_be_links(value, safe):
    assert (security.safe_href(value) is not None) is safe


def test_entity_page_shows_unsafe_iris_as_text(unsafe_client):
    html = unsafe_client.get("/unit/js", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="https://example.org/ok"' in html
    assert not UNSAFE_HREF.search(html), UNSAFE_HREF.search(html)
    assert '<span class="iri" title="javascript:alert(1)">' in html
    assert '<span class="iri" title="data:text/html,%3Cb%3Ex">' in html


def test_search_and_home_never_link_an_unsafe_iri(unsafe_client):
    for path in ("/search?q=养老保险", "/"):
        html = unsafe_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert not UNSAFE_HREF.search(html), (path, UNSAFE_HREF.search(html))
    hits = unsafe_client.get("/search.json?q=养老保险").get_json()["results"]
    evil = [hit for hit in hits if hit["iri"] == "javascript:alert(2)"]
    assert evil and evil[0]["href"] is None


def test_links_of_the_pages_module(app):
    with app.test_request_context("/"):
        assert links.href("javascript:alert(1)") is None
        assert links.link("data:text/html,x")["href"] is None
        assert links.href("https://budgetkg.org/unit/abc") == "/unit/abc"
        assert links.href("https://example.org/x") == "https://example.org/x"
