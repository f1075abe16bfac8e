"""The dump parts a build worker writes straight from the mapped triples (`budgetkg.dump_text`) say
exactly what the store answers: the same quads as the store round trip (load into pyoxigraph, dump),
literals in the store's canonical form, Turtle and TriG that parse back to those quads.

The reference for every canonical form is pyoxigraph itself (an in-memory store), never a literal
written in this file; the documents are the shared seeds, read by the real ETL."""

import gzip

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from budgetkg.build_job import canonical_dataset, document_parts, dump, dump_prefixes, nquads_bytes
from budgetkg.dump_text import CANONICAL_FORMS, NotCanonical, canonical_decimal, document_texts
from budgetkg.etl.pipeline import process_file

LEXICAL_FORMS = {  # lexical forms a disclosure can print, canonical or not
    XSD.decimal: ["-0.20", "100.00", "0.00", "-0.00", ".5", "5.", "+3.10", "0012.3400", "1237.62", "-7", "0"],
    XSD.integer: ["007", "+5", "-0", "0", "-012", "2024", "123456789012345678"],
    XSD.boolean: ["1", "0", "true", "false"],
    XSD.gYear: ["2019", "2025"],
    XSD.string: ["预算", ""],
}


def store_form(lexical, datatype):
    """The N-Triples form pyoxigraph's store gives a typed literal (load one quad, dump it)."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                      ox.Literal(lexical, datatype=ox.NamedNode(str(datatype))), ox.NamedNode("http://example.org/g")))
    line = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").strip()
    return line.split(" ", 2)[2].rsplit(" ", 2)[0]


@pytest.mark.parametrize("datatype,lexical", [(dt, lex) for dt, forms in LEXICAL_FORMS.items() for lex in forms])
def test_canonical_form_is_the_stores(datatype, lexical):
    graph = "https://budgetkg.org/doc/x"
    triples = [(URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(lexical, datatype=datatype))]
    nquads, count, _, _ = document_texts(graph, triples, {})
    assert count == 1
    assert nquads.decode("utf-8").split(" ", 2)[2].rsplit(" ", 2)[0] == store_form(lexical, datatype)


@pytest.mark.parametrize("text", ["1e3", "abc", "", ".", "1" * 30 + ".5", "0." + "1" * 25])
def test_a_decimal_the_store_may_keep_otherwise_is_not_guessed(text):
    with pytest.raises(NotCanonical):
        canonical_decimal(text)


def test_an_unknown_datatype_is_not_guessed():
    assert str(XSD.double) not in CANONICAL_FORMS
    triples = [(URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("1.0E0", datatype=XSD.double))]
    with pytest.raises(NotCanonical):
        document_texts("https://budgetkg.org/doc/x", triples, {})


def quads_of(data, rdf_format, graph=None):
    """The quads of a serialisation as N-Quads lines (Turtle triples put into `graph`)."""
    quads = ox.parse(data, rdf_format)
    if graph is not None:
        quads = (ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in quads)
    return {str(q) for q in quads}


@pytest.fixture(scope="module")
def mapped_seeds(seeds_dir):
    return [process_file(path) for path in sorted(seeds_dir.glob("*.txt"))]


def test_seed_texts_equal_the_store_round_trip(mapped_seeds):
    prefixes = dump_prefixes()
    assert len(mapped_seeds) == 5
    for result in mapped_seeds:
        graph = result["graph"]
        nquads, count, turtle, trig = document_texts(graph, result["triples"], prefixes)
        through_store = dump(canonical_dataset(nquads_bytes(graph, result["triples"])[0]), ox.RdfFormat.N_QUADS)
        expected = quads_of(through_store, ox.RdfFormat.N_QUADS)
        assert quads_of(nquads, ox.RdfFormat.N_QUADS) == expected
        assert count == len(expected) == nquads.count(b"\n")
        assert quads_of(turtle, ox.RdfFormat.TURTLE, graph) == expected
        assert quads_of(trig, ox.RdfFormat.TRIG) == expected
        assert turtle.startswith(b"@prefix bkg: <https://budgetkg.org/def#> .")


def test_same_triples_same_bytes(mapped_seeds):
    result = mapped_seeds[0]
    first = document_texts(result["graph"], result["triples"], dump_prefixes())
    again = document_texts(result["graph"], list(result["triples"]), dump_prefixes())
    assert first == again


def test_parts_fall_back_to_the_store_for_other_literals(tmp_path, mapped_seeds):
    result = mapped_seeds[0]
    odd = (URIRef(result["graph"] + "/odd"), URIRef("https://budgetkg.org/def#ratio"), Literal("5E-1", datatype=XSD.double))
    count, parts = document_parts(tmp_path, "t", result["graph"], [*result["triples"], odd])
    nquads = gzip.decompress((tmp_path / "t.nq.gz").read_bytes())
    assert parts["nq.gz"]["size"] == (tmp_path / "t.nq.gz").stat().st_size
    lines = quads_of(nquads, ox.RdfFormat.N_QUADS)
    assert count == len(lines)
    assert store_form("5E-1", XSD.double) in {line.split(" ", 2)[2].rsplit(" ", 2)[0] for line in lines}
    assert quads_of((tmp_path / "t.trig").read_bytes(), ox.RdfFormat.TRIG) == lines
