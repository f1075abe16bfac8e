"""Native result serialisation with a row cap (server/results.py): same answers as the term-by-term
writer, exactly max_rows rows when cut, valid documents, and literals that look like row syntax.
(The term-by-term XML writer does not escape a carriage return, so XML is compared with the whole
native result only.)"""

import csv
import io
import json

import pyoxigraph as ox
import pytest

from budgetkg.server.results import RESULTS_FORMATS, serialize, write_solutions

# Every 3rd literal carries what the row counter looks for (",{", "[{", "<result>", newlines, quotes).
TRICKY = 'v{i},{{[{{\n<result>"é\r\n'
QUERY = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?s"
ROWS = 300


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    for i in range(ROWS):
        value = ox.Literal(TRICKY.format(i=i)) if i % 3 == 0 else ox.Literal(f"w{i}", language="zh")
        s.add(ox.Quad(ox.NamedNode(f"http://example.org/{i:04d}"), ox.NamedNode("http://example.org/p"),
                      value, ox.DefaultGraph()))
    return s


def decoded(body, fmt):
    """Rows of a serialised result as lists of (variable, value) pairs, parsed independently."""
    if fmt == "json":
        return [sorted((k, v["value"]) for k, v in row.items()) for row in json.loads(body)["results"]["bindings"]]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))[1:]
    solutions = ox.parse_query_results(body, format=RESULTS_FORMATS[fmt])
    names = [v.value for v in solutions.variables]
    return [sorted((n, str(row[n])) for n in names if row[n] is not None) for row in solutions]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("cap", [0, 1, 7, ROWS - 1, ROWS, ROWS + 50])
def test_capped_rows_are_the_first_rows_of_the_whole_result(store, fmt, cap):
    body, truncated = serialize(store.query(QUERY), fmt, cap)
    whole = decoded(store.query(QUERY).serialize(format=RESULTS_FORMATS[fmt]), fmt)
    assert truncated == (cap < ROWS)
    assert decoded(body, fmt) == whole[:cap]


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_native_rows_match_the_term_by_term_writer(store, fmt):
    body, truncated = serialize(store.query(QUERY), fmt, 100)
    reference, ref_truncated = write_solutions(store.query(QUERY), fmt, 100)
    assert truncated and ref_truncated
    assert decoded(body, fmt) == decoded(reference, fmt)


def test_uncapped_result_is_pyoxigraphs_own_bytes(store):
    body, truncated = serialize(store.query(QUERY), "json", ROWS)
    assert not truncated
    assert body == store.query(QUERY).serialize(format=ox.QueryResultsFormat.JSON)


def test_construct_turtle_uses_the_default_prefixes():
    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode("https://budgetkg.org/def#x"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                  ox.Literal("x"), ox.DefaultGraph()))
    body, truncated = serialize(s.query("CONSTRUCT WHERE { ?s ?p ?o }"), "ttl", 10)
    assert not truncated and b"@prefix skos:" in body and b"skos:prefLabel" in body
