"""Issue 12: no Content-Security-Policy, X-Content-Type-Options, X-Frame-Options / frame-ancestors or
Referrer-Policy header. Now every response carries them, and no page needs inline script or style."""

import re

import pytest

from budgetkg.server.security import HEADERS

PATHS = ["/", "/query", "/query?example=cq01-documents", "/search?q=社会保险", "/sparql", "/sparql?query=ASK{}",
         "/downloads", "/downloads.json", "/.well-known/void", "/def", "/static/style.css",
         "/static/workbench.js", "/nope", "/unit/nope"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("accept", ["text/html", "*/*"])
def test_every_response_carries_the_security_headers(client, path, accept):
    response = client.get(path, headers={"Accept": accept})
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (path, name, response.status_code)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_errors_and_refusals_carry_them_too(client):
    for response in (client.put("/sparql"), client.post("/sparql", data={"update": "CLEAR ALL"}),
                     client.get("/sparql", query_string={"query": "SELEC"})):
        assert response.status_code >= 400 and response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/query?example=cq01-documents", "/search?q=社会保险", "/sparql",
                                  "/downloads", "/def", "/nope", "/unit/9cc18e5b6d8d"])
def test_pages_have_no_inline_script_handlers_or_styles(client, path):
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<" in html
    for pattern in (INLINE_SCRIPT, INLINE_HANDLER, STYLE):
        assert not pattern.search(html), (path, pattern.search(html))
