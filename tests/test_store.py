"""Tests of the on-disk OxigraphStore: atomic graph replacement, import, dump and queries.

No ETL involved: triples are made by hand with rdflib terms."""

import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from budgetkg.store import (FormatError, OxigraphStore, QueryError, StoreError,
                            default_result_format, format_results)

EX = "http://example.org/"
G1, G2 = EX + "graph/one", EX + "graph/two"


def make_triples(n, tag):
    """n distinct triples whose subjects carry the tag."""
    return [(URIRef(f"{EX}{tag}/{i}"), URIRef(EX + "value"), Literal(f"{i}.50", datatype=XSD.decimal))
            for i in range(n)]


def ask(store, sparql):
    return bool(store.query(sparql))


@pytest.fixture
def store(tmp_path):
    with OxigraphStore(tmp_path / "store") as opened:
        yield opened


def test_replace_graph_replaces_old_triples(store):
    assert store.replace_graph(G1, make_triples(10, "old")) == 10
    assert store.count(G1) == 10
    store.replace_graph(G1, make_triples(4, "new"))
    assert store.count(G1) == 4
    assert not ask(store, f"ASK {{ <{EX}old/0> ?p ?o }}")
    assert ask(store, f"ASK {{ GRAPH <{G1}> {{ <{EX}new/3> ?p ?o }} }}")


def test_replace_graph_leaves_other_graphs_alone(store):
    store.replace_graph(G1, make_triples(3, "a"))
    store.replace_graph(G2, make_triples(5, "b"))
    store.replace_graph(G1, make_triples(2, "c"))
    assert store.count(G2) == 5
    assert store.count() == 7


def test_replace_graph_counts_distinct_triples(store):
    triples = make_triples(3, "dup")
    assert store.replace_graph(G1, triples + triples) == 3
    assert store.count(G1) == 3


def test_iterable_failing_midway_keeps_old_graph(store):
    store.replace_graph(G1, make_triples(6, "old"))

    def broken():
        yield from make_triples(3, "new")
        raise RuntimeError("extraction blew up")

    with pytest.raises(RuntimeError, match="blew up"):
        store.replace_graph(G1, broken())
    assert store.count(G1) == 6
    assert ask(store, f"ASK {{ <{EX}old/5> ?p ?o }}")
    assert not ask(store, f"ASK {{ <{EX}new/0> ?p ?o }}")


@pytest.mark.parametrize("bad", [
    (URIRef(EX + "s"), URIRef(EX + "p"), URIRef("not an iri")),
    (URIRef(EX + "s"), URIRef(EX + "p"), 42),
])
def test_invalid_term_keeps_old_graph(store, bad):
    store.replace_graph(G1, make_triples(6, "old"))
    with pytest.raises(StoreError, match="graph/one"):
        store.replace_graph(G1, make_triples(3, "new") + [bad])
    assert store.count(G1) == 6
    assert not ask(store, f"ASK {{ <{EX}new/0> ?p ?o }}")


def test_literals_survive_exactly(store):
    values = [Literal("1089.74", datatype=XSD.decimal), Literal("社会保险管理局", lang="zh"),
              Literal('quote " backslash \\ \\u0022 newline\nend'), Literal("12", datatype=XSD.integer)]
    p = URIRef(EX + "p")
    store.replace_graph(G1, [(URIRef(f"{EX}s{i}"), p, v) for i, v in enumerate(values)])
    buffer = io.BytesIO()
    store.dump_graph_turtle(G1, buffer)
    data = Graph().parse(data=buffer.getvalue().decode("utf-8"), format="turtle")
    assert sorted(data.objects(None, p)) == sorted(values)


def _dump(store):
    buffer = io.BytesIO()
    store.dump_nquads(buffer)
    return buffer.getvalue()


def test_graphs_lists_named_graphs_sorted(store):
    store.replace_graph(G2, make_triples(1, "b"))
    store.replace_graph(G1, make_triples(1, "a"))
    assert store.graphs() == [G1, G2]


def test_dump_nquads_round_trip(store, tmp_path):
    store.replace_graph(G1, make_triples(7, "a"))
    store.replace_graph(G2, make_triples(5, "b"))
    with OxigraphStore(tmp_path / "copy") as copy:
        copy.load(_dump(store), "nq")
        assert copy.count() == store.count() == 12
        assert copy.graphs() == store.graphs()
        assert sorted(_dump(copy).splitlines()) == sorted(_dump(store).splitlines())


def test_load_turtle_file_into_named_graph(store, tmp_path):
    ttl = tmp_path / "vocab.ttl"
    ttl.write_text(f"@prefix ex: <{EX}> .\nex:a ex:p 1.5, 2.5 .\nex:b ex:q \"x\"@zh .\n", encoding="utf-8")
    store.load(ttl, "ttl", G1)
    assert store.graphs() == [G1]
    assert store.count(G1) == 3
    store.load(str(ttl), None, G2)  # format guessed from the extension
    assert store.count(G2) == 3


def test_load_bad_data_raises_and_writes_nothing(store):
    with pytest.raises(StoreError):
        store.load(b"<http://example.org/a> <http://example.org/p> .", "nt", G1)
    with pytest.raises(StoreError, match="unknown RDF format"):
        store.load(b"", "docx", G1)
    assert store.count() == 0


def test_dump_graph_turtle_parses_back(store):
    store.replace_graph(G1, make_triples(4, "a"))
    store.replace_graph(G2, make_triples(2, "b"))
    buffer = io.BytesIO()
    store.dump_graph_turtle(G1, buffer, {"ex": EX})
    text = buffer.getvalue().decode("utf-8")
    assert "@prefix ex:" in text
    assert len(Graph().parse(data=text, format="turtle")) == 4


def test_data_persists_after_reopening(tmp_path):
    with OxigraphStore(tmp_path / "store") as first:
        first.replace_graph(G1, make_triples(3, "a"))
    with OxigraphStore(tmp_path / "store") as second:
        assert second.count(G1) == 3


def test_unopenable_store_raises_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open store"):
        OxigraphStore(blocker / "store")


def test_query_sees_union_of_named_graphs(store):
    store.replace_graph(G1, make_triples(2, "a"))
    store.replace_graph(G2, make_triples(3, "b"))
    rows = list(store.query("SELECT ?s WHERE { ?s ?p ?o }"))
    assert len(rows) == 5


def test_query_syntax_error_raises_query_error(store):
    with pytest.raises(QueryError) as caught:
        store.query("SELEC ?s WHERE { ?s ?p ?o }")
    assert isinstance(caught.value, StoreError)
    assert "1:" in str(caught.value)  # the parser's position and message


def test_format_results_for_select(store):
    store.replace_graph(G1, [(URIRef(EX + "a"), URIRef(EX + "amount"), Literal("1089.74", datatype=XSD.decimal))])
    select = "SELECT ?s ?v WHERE { ?s ?p ?v }"
    assert default_result_format(store.query(select)) == "csv"
    assert format_results(store.query(select), "csv") == b"s,v\r\nhttp://example.org/a,1089.74\r\n"
    tsv = format_results(store.query(select), "tsv").decode()
    assert tsv.splitlines()[0] == "?s\t?v" and "<http://example.org/a>" in tsv
    parsed = json.loads(format_results(store.query(select), "json"))
    assert parsed["results"]["bindings"][0]["v"]["value"] == "1089.74"
    assert json.loads(format_results(store.query("ASK { ?s ?p ?o }"), "json"))["boolean"] is True
    with pytest.raises(FormatError, match="SELECT"):
        format_results(store.query(select), "ttl")


def test_format_results_for_construct(store):
    store.replace_graph(G1, make_triples(3, "a"))
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert default_result_format(store.query(construct)) == "ttl"
    ttl = format_results(store.query(construct), "ttl").decode()
    assert len(Graph().parse(data=ttl, format="turtle")) == 3
    assert len(format_results(store.query(construct), "nt").decode().splitlines()) == 3
    with pytest.raises(FormatError, match="CONSTRUCT"):
        format_results(store.query(construct), "csv")


# --- versions: build into a new version, publish atomically, collect unused old ones ---------------

def test_writes_are_invisible_until_close_publishes_them(tmp_path):
    from budgetkg.store import Versions
    with OxigraphStore(tmp_path / "store") as first:
        first.replace_graph(G1, make_triples(3, "a"))
    versions = Versions(tmp_path / "store")
    published = versions.current()
    writer = OxigraphStore(tmp_path / "store")
    writer.replace_graph(G2, make_triples(4, "b"))
    assert versions.current() == published  # still building
    with OxigraphStore(tmp_path / "store") as reader:
        assert reader.graphs() == [G1]
    writer.close()
    assert int(versions.current()) > int(published)
    with OxigraphStore(tmp_path / "store") as reader:
        assert reader.graphs() == [G1, G2]


def test_exception_inside_with_discards_the_new_version(tmp_path):
    from budgetkg.store import Versions
    with OxigraphStore(tmp_path / "store") as first:
        first.replace_graph(G1, make_triples(3, "a"))
    published = Versions(tmp_path / "store").current()
    with pytest.raises(KeyboardInterrupt):
        with OxigraphStore(tmp_path / "store") as store:
            store.replace_graph(G1, make_triples(9, "half"))
            raise KeyboardInterrupt
    assert Versions(tmp_path / "store").current() == published
    assert Versions(tmp_path / "store").names() == [int(published)]
    with OxigraphStore(tmp_path / "store") as reader:
        assert reader.count(G1) == 3


def test_a_reader_keeps_its_version_until_it_lets_go(tmp_path):
    from budgetkg.store import Versions
    with OxigraphStore(tmp_path / "store") as store:
        store.replace_graph(G1, make_triples(3, "old"))
    versions = Versions(tmp_path / "store")
    in_flight = versions.open_current()  # what a query worker holds while a query runs
    with OxigraphStore(tmp_path / "store") as store:
        store.replace_graph(G1, make_triples(5, "new"))
    assert len(in_flight.store) == 3  # the old data, complete
    assert int(in_flight.name) in versions.names()  # not collected while held
    in_flight.close()
    versions.collect()
    assert versions.names() == [int(versions.current())]


def test_second_writer_is_refused_cleanly(tmp_path):
    with OxigraphStore(tmp_path / "store") as first:
        first.replace_graph(G1, make_triples(1, "a"))
        with OxigraphStore(tmp_path / "store") as second:
            with pytest.raises(StoreError, match="another process is writing"):
                second.replace_graph(G2, make_triples(1, "b"))
    with OxigraphStore(tmp_path / "store") as reader:
        assert reader.graphs() == [G1]
