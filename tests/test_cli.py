"""Tests of the budgetkg command line (build, query, export) through click's CliRunner.

They run the real ETL (etl.pipeline) on the example disclosures and on deliberately bad inputs."""

import gzip
import io
import json

from rdflib import Graph

from budgetkg.cli import main
from budgetkg.dumps import graph_file_names
from budgetkg.store import OxigraphStore

GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
POEM = "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。\n"


def build(runner, store_dir, *paths, options=()):
    return runner.invoke(main, ["build", *map(str, paths), "--store", str(store_dir), *options])


def query(runner, store_dir, sparql, *options):
    return runner.invoke(main, ["query", sparql, "--store", str(store_dir), *options])


def graphs_and_count(store_dir):
    with OxigraphStore(store_dir) as store:
        return store.graphs(), store.count()


def sorted_nquads(store_dir):
    buffer = io.BytesIO()
    with OxigraphStore(store_dir) as store:
        store.dump_nquads(buffer)
    return sorted(buffer.getvalue().decode("utf-8").splitlines())


def graph_of(path):
    """The graph IRI the real ETL gives this document."""
    from budgetkg.etl.pipeline import process_file
    return process_file(path)["graph"]


def assert_clean_exit(result, code):
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit) or (code == 0 and result.exception is None), result.exception


# --- build -----------------------------------------------------------------------------------------

def test_build_examples_prints_one_summary_per_document(built_store_run, examples_dir):
    store_dir, result = built_store_run
    names = sorted(p.name for p in examples_dir.glob("*.txt"))
    assert len(names) == 5
    lines = result.stdout.splitlines()
    for name in names:
        summaries = [line for line in lines if line.startswith(name)]
        assert len(summaries) == 1, result.stdout
        assert "triples" in summaries[0] and "figures" in summaries[0] and "warnings" in summaries[0]
    graphs, count = graphs_and_count(store_dir)
    assert len(graphs) == 5 and count > 0


def test_build_is_deterministic(runner, built_store, examples_dir, tmp_path):
    assert_clean_exit(build(runner, tmp_path / "again", examples_dir), 0)
    assert sorted_nquads(tmp_path / "again") == sorted_nquads(built_store)


def test_rebuild_replaces_rather_than_duplicates(runner, examples_dir, tmp_path):
    example = sorted(examples_dir.glob("*.txt"))[0]
    assert_clean_exit(build(runner, tmp_path / "store", example), 0)
    first = graphs_and_count(tmp_path / "store")
    assert_clean_exit(build(runner, tmp_path / "store", example), 0)
    assert graphs_and_count(tmp_path / "store") == first


def make_bad_batch(folder, examples):
    """One good example, the bad inputs of the brief, and a GBK copy; failures sort first."""
    folder.mkdir()
    lines = examples[1].read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "1_truncated.txt").write_text("".join(lines[:30]), encoding="utf-8")
    (folder / "2_empty.txt").write_bytes(b"")
    (folder / "3_binary.txt").write_bytes(bytes(range(256)) * 8 + b"\x00\x00\x00PK\x03\x04")
    (folder / "4_poem.txt").write_text(POEM, encoding="utf-8")
    (folder / "5_gbk.txt").write_bytes(examples[2].read_text(encoding="utf-8").encode("gb18030"))
    (folder / "6_good.txt").write_bytes(examples[0].read_bytes())
    return folder


def test_bad_inputs_fail_alone_and_good_ones_are_published(runner, examples_dir, tmp_path):
    batch = make_bad_batch(tmp_path / "batch", sorted(examples_dir.glob("*.txt")))
    result = build(runner, tmp_path / "store", batch)
    assert_clean_exit(result, 1)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    for name in ("2_empty.txt", "3_binary.txt", "4_poem.txt"):
        assert any(name in line for line in errors), result.stderr
    assert "1_truncated.txt" in result.output  # published with warnings or failed: either way named
    failed_line = result.stderr.splitlines()[-1]
    assert "of 6 documents failed:" in failed_line
    for name in ("2_empty.txt", "3_binary.txt", "4_poem.txt"):
        assert name in failed_line
    for name in ("5_gbk.txt", "6_good.txt"):
        assert name not in failed_line
        assert any(line.startswith(name) for line in result.stdout.splitlines()), result.stdout
    published = query(runner, tmp_path / "store", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert_clean_exit(published, 0)
    assert graph_of(batch / "6_good.txt") in published.stdout
    assert graph_of(batch / "5_gbk.txt") in published.stdout


def test_failed_rebuild_keeps_previously_published_graph(runner, examples_dir, tmp_path):
    document = tmp_path / "docs" / "report.txt"
    document.parent.mkdir()
    document.write_bytes(sorted(examples_dir.glob("*.txt"))[3].read_bytes())
    graph = graph_of(document)
    assert_clean_exit(build(runner, tmp_path / "store", document.parent), 0)
    before = sorted_nquads(tmp_path / "store")
    for broken in (POEM.encode("utf-8"), b"", b"\x00\x01binary\x00" * 50):
        document.write_bytes(broken)
        result = build(runner, tmp_path / "store", document.parent)
        assert_clean_exit(result, 1)
        assert "report.txt" in result.stderr
        assert sorted_nquads(tmp_path / "store") == before
    assert graph in graphs_and_count(tmp_path / "store")[0]


def test_strict_refuses_documents_with_warnings(runner, examples_dir, tmp_path):
    from budgetkg.etl.pipeline import process_file
    examples = sorted(examples_dir.glob("*.txt"))
    warned = {p.name: process_file(p)["warnings"] for p in examples}
    result = build(runner, tmp_path / "store", examples_dir, options=["--strict"])
    assert_clean_exit(result, 1 if any(warned.values()) else 0)
    for name, warnings in warned.items():
        for warning in warnings:
            where = f"{name}:{warning['line']}: " if warning["line"] else f"{name}: "
            assert where + warning["message"] in result.stderr
        published = any(line.startswith(name) for line in result.stdout.splitlines())
        assert published == (not warnings), name


def test_build_without_documents_is_a_clean_error(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = build(runner, tmp_path / "store", tmp_path / "empty")
    assert_clean_exit(result, 1)
    assert "no documents" in result.stderr


def test_unopenable_store_is_a_clean_error(runner, examples_dir, tmp_path):
    (tmp_path / "file").write_text("x")
    result = build(runner, tmp_path / "file" / "store", examples_dir)
    assert_clean_exit(result, 1)
    assert "cannot open store" in result.stderr


# --- query -----------------------------------------------------------------------------------------

def test_query_csv_is_the_default(runner, built_store):
    result = query(runner, built_store, GRAPH_COUNTS)
    assert_clean_exit(result, 0)
    rows = result.stdout.splitlines()
    assert rows[0] == "g,n" and len(rows) == 6
    assert all(row.split(",")[1].isdigit() for row in rows[1:])


def test_query_json_and_tsv(runner, built_store):
    as_json = json.loads(query(runner, built_store, GRAPH_COUNTS, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["g", "n"]
    assert len(as_json["results"]["bindings"]) == 5
    tsv = query(runner, built_store, GRAPH_COUNTS, "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?g\t?n" and len(tsv) == 6 and tsv[1].startswith("<")


def test_query_from_rq_file_and_env_store(runner, built_store, tmp_path):
    rq = tmp_path / "count.rq"
    rq.write_text("ASK { ?s ?p ?o }", encoding="utf-8")  # default graph = union of the named graphs
    result = runner.invoke(main, ["query", str(rq)], env={"BUDGETKG_STORE": str(built_store)})
    assert_clean_exit(result, 0)
    assert result.stdout.strip() == "true"


def test_construct_gives_turtle_or_ntriples(runner, built_store):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
    ttl = query(runner, built_store, construct)
    assert_clean_exit(ttl, 0)
    assert 0 < len(Graph().parse(data=ttl.stdout, format="turtle")) <= 5
    nt = query(runner, built_store, construct, "--format", "nt")
    assert 0 < len(Graph().parse(data=nt.stdout, format="nt")) <= 5


def test_bad_query_exits_2_with_message(runner, built_store):
    result = query(runner, built_store, "SELEC ?s WHERE { ?s ?p ?o }")
    assert_clean_exit(result, 2)
    assert "invalid SPARQL" in result.stderr and not result.stdout


def test_mismatched_format_exits_2(runner, built_store):
    result = query(runner, built_store, GRAPH_COUNTS, "--format", "ttl")
    assert_clean_exit(result, 2)
    assert "csv, tsv or json" in result.stderr


def test_missing_query_file_and_missing_store_are_clean_errors(runner, built_store, tmp_path):
    missing_file = query(runner, built_store, str(tmp_path / "nope.rq"))
    assert_clean_exit(missing_file, 1)
    assert "query file not found" in missing_file.stderr
    missing_store = query(runner, tmp_path / "no-store", "ASK {}")
    assert_clean_exit(missing_store, 1)
    assert "no store" in missing_store.stderr


# --- export ----------------------------------------------------------------------------------------

def test_export_writes_nquads_and_one_turtle_per_graph(runner, built_store, tmp_path):
    out = tmp_path / "export"
    result = runner.invoke(main, ["export", "--store", str(built_store), "--out", str(out)])
    assert_clean_exit(result, 0)
    graphs, count = graphs_and_count(built_store)
    turtle_files = sorted((out / "graphs").glob("*.ttl"))
    assert len(turtle_files) == 5
    assert sorted(f.name for f in turtle_files) == sorted(graph_file_names(graphs).values())
    assert sum(len(Graph().parse(f, format="turtle")) for f in turtle_files) == count
    assert "budgetkg.nq.gz" in result.stdout and str(count) in result.stdout
    with OxigraphStore(tmp_path / "reloaded") as reloaded:
        reloaded.load(gzip.decompress((out / "budgetkg.nq.gz").read_bytes()), "nq")
        assert reloaded.count() == count
        assert reloaded.graphs() == graphs


def test_graph_file_names_are_safe_unique_and_stable():
    iris = ["https://budgetkg.org/graph/a/b", "https://other.org/graph/a/b", "https://budgetkg.org/graph/x%20y"]
    names = graph_file_names(iris)
    assert names == graph_file_names(reversed(iris))
    assert names["https://budgetkg.org/graph/a/b"] == "graph_a_b.ttl"
    assert len(set(names.values())) == 3
    assert all("/" not in n and " " not in n and "%" not in n for n in names.values())


def test_second_file_of_the_same_disclosure_is_joined_not_swapped_in(runner, examples_dir, tmp_path):
    seed = sorted(examples_dir.glob("*.txt"))[4].read_bytes()
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a_report.txt").write_bytes(seed)
    (folder / "b_tables.txt").write_bytes(seed.replace("部门".encode(), "单位".encode(), 1))
    result = build(runner, tmp_path / "store", folder)
    assert_clean_exit(result, 0)
    assert "a_report.txt + b_tables.txt: 攀枝花市社会保险事务中心 2019 final" in result.stdout
    graphs, _ = graphs_and_count(tmp_path / "store")
    assert graphs == [graph_of(folder / "a_report.txt")]
    parts = query(runner, tmp_path / "store", "SELECT DISTINCT ?part WHERE { ?s <https://budgetkg.org/def#sourcePart> ?part } ORDER BY ?part")
    assert parts.stdout.split() == ["part", "a_report.txt", "b_tables.txt"]
