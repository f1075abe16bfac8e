"""Issue 12 in a real browser (Debian's headless Chromium against `budgetkg serve`): a workbench share link
whose query yields a javascript: IRI shows it as text, and pages under the strict CSP log no console error."""

import re
import urllib.parse

import pytest

from conftest import serving
from test_browser import run_chromium_logged

CONSOLE = re.compile(r"^.*:CONSOLE[:(].*$", re.M)
LOGGING = ("--enable-logging=stderr", "--log-level=0", "--virtual-time-budget=15000")
SHARED_QUERY = """SELECT ?x ?y WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x)
  BIND(<https://example.org/ok> AS ?y) }"""


@pytest.fixture(scope="module")
def served(built_store):
    """`budgetkg serve` on a loopback port over the store built from the examples; yields its URL."""
    with serving(built_store, probe="/query") as url:
        yield url


def test_shared_javascript_iri_renders_as_text(served, tmp_path):
    link = served + "/query?" + urllib.parse.urlencode({"query": SHARED_QUERY, "run": "1"})
    dom, log = run_chromium_logged(tmp_path, link, *LOGGING, "--dump-dom")
    table = re.search(r'<table class="data results" id="results-table">(.*?)</table>', dom, re.S)
    assert table, "the workbench did not run the shared query:\n" + dom[-3000:]
    assert '<span class="iri">javascript:alert(document.domain)</span>' in table.group(1)
    assert '<a href="https://example.org/ok">https://example.org/ok</a>' in table.group(1)
    assert not re.search(r"href=\"\s*javascript:", dom, re.I)
    assert not CONSOLE.findall(log), CONSOLE.findall(log)


@pytest.mark.parametrize("path", ["/", "/query?example=cq01-documents&run=1", "/unit/9cc18e5b6d8d",
                                  "/search?q=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9", "/sparql"])
def test_pages_load_under_the_csp_with_no_console_error(served, tmp_path, path):
    dom, log = run_chromium_logged(tmp_path, served + path, *LOGGING, "--dump-dom")
    assert "<h1>" in dom
    assert not CONSOLE.findall(log), CONSOLE.findall(log)


def test_the_console_check_sees_a_csp_violation(tmp_path):
    page = ("data:text/html,<meta http-equiv='Content-Security-Policy' content=\"script-src 'none'\">"
            "<script>document.title='ran'</script><h1>control</h1>")
    _, log = run_chromium_logged(tmp_path, page, *LOGGING, "--dump-dom")
    assert any("Content Security Policy" in line for line in CONSOLE.findall(log))
