"""Tests of `budgetkg build` as a parallel, incremental build (issue 13) that joins the files of one
disclosure (issue 11.4), lists what it skips and fails once on a busy store (issue 12.7).

Real ETL on the shared seeds; split files, changed files and unsupported files are written by the tests."""

import gzip
import hashlib
import json
import shutil

import pytest
from rdflib import Dataset, Graph

import budgetkg.build
from budgetkg.cli import main
from budgetkg.store import OxigraphStore, Versions
from budgetkg.server.downloads import dataset_stats
from test_cli import sorted_nquads

SPLIT_SEED = "002_1387b3e8b115f6e3.txt"  # a budget: title and part 1, tables (lines 59-179), narrative
TABLES = slice(58, 179)


def build(runner, store_dir, *paths, options=()):
    return runner.invoke(main, ["build", *map(str, paths), "--store", str(store_dir), *options])


def graphs(store_dir):
    with OxigraphStore(store_dir) as store:
        return store.graphs()


def downloads(store_dir):
    versions = Versions(store_dir)
    return versions.downloads_dir(versions.current())


def select(store_dir, sparql):
    with OxigraphStore(store_dir) as store:
        return [[term.value for term in row] for row in store.query(sparql)]


@pytest.fixture
def counted_jobs(monkeypatch):
    """Count the documents the build reads and extracts (jobs run in-process with --jobs 1)."""
    calls = []
    real = budgetkg.build.run_job

    def counting(job):
        calls.append(job["files"])
        return real(job)

    monkeypatch.setattr(budgetkg.build, "run_job", counting)
    return calls


def copy_seeds(seeds_dir, folder, count):
    folder.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt"))[:count]:
        shutil.copyfile(seed, folder / seed.name)
    return sorted(folder.iterdir())


def test_parallel_build_gives_the_graphs_of_an_in_process_build(runner, seeds_dir, tmp_path):
    parallel = build(runner, tmp_path / "parallel", seeds_dir, options=["--jobs", "2"])
    serial = build(runner, tmp_path / "serial", seeds_dir, options=["--jobs", "1"])
    assert parallel.exit_code == 0 and serial.exit_code == 0, parallel.output + serial.output
    assert "5 published, 0 unchanged, 0 failed, 0 skipped" in parallel.stdout
    quads = sorted_nquads(tmp_path / "parallel")
    assert quads == sorted_nquads(tmp_path / "serial") and len(graphs(tmp_path / "parallel")) == 5
    # the dumps made from per-document parts hold exactly the store's quads
    folder = downloads(tmp_path / "parallel")
    assert sorted(gzip.decompress((folder / "budgetkg.nq.gz").read_bytes()).decode().splitlines()) == quads
    trig = Dataset().parse(data=(folder / "budgetkg.trig").read_bytes(), format="trig")
    assert len(list(trig.quads())) == len(quads)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    with OxigraphStore(tmp_path / "parallel") as store:  # added up from per-graph statistics, as queried
        assert manifest["stats"] == dataset_stats(store)
    for entry in (e for e in manifest["files"] if "graph" in e):
        assert len(Graph().parse(folder / entry["path"], format="turtle")) == entry["triples"]


def test_unchanged_documents_are_not_processed_again(runner, seeds_dir, tmp_path, counted_jobs):
    files = copy_seeds(seeds_dir, tmp_path / "docs", 3)
    store = tmp_path / "store"
    first = build(runner, store, tmp_path / "docs", options=["--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert len(counted_jobs) == 3
    version = Versions(store).current()

    again = build(runner, store, tmp_path / "docs", options=["--jobs", "1"])
    assert again.exit_code == 0, again.output
    assert "0 published, 3 unchanged, 0 failed, 0 skipped" in again.stdout
    assert len(counted_jobs) == 3  # nothing read or extracted
    assert Versions(store).current() == version  # nor a new store version written

    before = {name: set(select(store, f"SELECT ?g WHERE {{ GRAPH ?g {{ ?d <https://budgetkg.org/def#sourceFile> '{name}' }} }}")[0])
              for name in (f.name for f in files)}
    files[1].write_text(files[1].read_text(encoding="utf-8").replace("合计", "合  计", 1), encoding="utf-8")
    changed = build(runner, store, tmp_path / "docs", options=["--jobs", "1"])
    assert changed.exit_code == 0, changed.output
    assert "1 published, 2 unchanged" in changed.stdout
    assert counted_jobs[3:] == [[str(files[1].resolve())]]
    sha = select(store, f"SELECT ?sha WHERE {{ GRAPH ?g {{ ?d <https://budgetkg.org/def#sourceFile> '{files[1].name}' ; "
                        "<https://budgetkg.org/def#sha256> ?sha } }")
    assert sha == [[hashlib.sha256(files[1].read_bytes()).hexdigest()]]

    files[0].unlink()
    kept = build(runner, store, tmp_path / "docs", options=["--jobs", "1"])
    assert kept.exit_code == 0 and len(graphs(store)) == 3  # without --prune a missing file stays published
    pruned = build(runner, store, tmp_path / "docs", options=["--jobs", "1", "--prune"])
    assert pruned.exit_code == 0, pruned.output
    assert "0 published, 2 unchanged, 0 failed, 0 skipped, 1 removed" in pruned.stdout
    gone = next(iter(before[files[0].name]))
    assert gone not in graphs(store) and len(graphs(store)) == 2
    folder = downloads(store)
    dumped = gzip.decompress((folder / "budgetkg.nq.gz").read_bytes()).decode().splitlines()
    assert sorted(dumped) == sorted_nquads(store) and not any(gone in line for line in dumped)
    assert len(list((folder / "graphs").glob("*.ttl"))) == 2
    assert len(counted_jobs) == 4


def test_a_new_etl_version_processes_everything_again(runner, seeds_dir, tmp_path, counted_jobs, monkeypatch):
    copy_seeds(seeds_dir, tmp_path / "docs", 2)
    assert build(runner, tmp_path / "store", tmp_path / "docs", options=["--jobs", "1"]).exit_code == 0
    monkeypatch.setattr("budgetkg.etl.version.etl_version", lambda: "bumped")
    result = build(runner, tmp_path / "store", tmp_path / "docs", options=["--jobs", "1"])
    assert "2 published, 0 unchanged" in result.stdout
    assert len(counted_jobs) == 4


def write_split(seeds_dir, folder):
    """The seed as two files: the explanation (title, part 1, narrative) and the tables alone."""
    lines = (seeds_dir / SPLIT_SEED).read_text(encoding="utf-8").splitlines(keepends=True)
    folder.mkdir()
    (folder / "a_说明.txt").write_text("".join(lines[:TABLES.start] + lines[TABLES.stop:]), encoding="utf-8")
    (folder / "b_公开表.txt").write_text("".join(lines[TABLES]), encoding="utf-8")
    return folder


def test_a_disclosure_split_into_two_files_is_joined(runner, seeds_dir, tmp_path, counted_jobs):
    folder = write_split(seeds_dir, tmp_path / "split")
    result = build(runner, tmp_path / "store", folder, options=["--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "a_说明.txt + b_公开表.txt: 新疆维吾尔自治区喀什地区社会保险管理局 2021 budget" in result.stdout
    assert build(runner, tmp_path / "whole", seeds_dir / SPLIT_SEED, options=["--jobs", "1"]).exit_code == 0
    assert graphs(tmp_path / "store") == graphs(tmp_path / "whole")
    observations = "SELECT ?o WHERE { ?o a <http://purl.org/linked-data/cube#Observation> } ORDER BY ?o"
    assert select(tmp_path / "store", observations) == select(tmp_path / "whole", observations)
    rows = select(tmp_path / "store", """PREFIX bkg: <https://budgetkg.org/def#>
        SELECT ?part ?line ?printed WHERE { ?o bkg:sourcePart ?part ; bkg:sourceLine ?line ; bkg:printedValue ?printed }""")
    assert {part for part, _, _ in rows} == {"a_说明.txt", "b_公开表.txt"}
    tables = (folder / "b_公开表.txt").read_text(encoding="utf-8").splitlines()
    from_tables = [(int(line), printed) for part, line, printed in rows if part == "b_公开表.txt"]
    assert len(from_tables) > 50
    assert all(printed in tables[line - 1] for line, printed in from_tables)  # the line of that file

    again = build(runner, tmp_path / "store", folder, options=["--jobs", "1"])
    assert "0 published, 1 unchanged" in again.stdout
    processed = len(counted_jobs)
    (folder / "b_公开表.txt").write_text((folder / "b_公开表.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = build(runner, tmp_path / "store", folder, options=["--jobs", "1"])
    assert changed.exit_code == 0, changed.output
    assert "1 published, 0 unchanged" in changed.stdout
    assert sorted(map(len, counted_jobs[processed:])) == [1, 1, 2]  # both files, then the two joined
    assert select(tmp_path / "store", observations) == select(tmp_path / "whole", observations)


def test_a_busy_store_fails_once_before_any_work(runner, seeds_dir, tmp_path, counted_jobs):
    copy_seeds(seeds_dir, tmp_path / "docs", 3)
    writer = OxigraphStore(tmp_path / "store")
    writer.begin_write()
    try:
        result = build(runner, tmp_path / "store", tmp_path / "docs", options=["--jobs", "1"])
    finally:
        writer.close(publish=False)
    assert result.exit_code == 1
    assert result.stderr.count("another process is writing") == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not counted_jobs


def test_unsupported_files_are_listed_as_skipped_and_named_ones_fail(runner, seeds_dir, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copyfile(seeds_dir / SPLIT_SEED, folder / SPLIT_SEED)
    (folder / "notes.rtf").write_text("{\\rtf1 notes}", encoding="ascii")
    (folder / ".hidden.txt").write_text("ignored", encoding="ascii")
    result = build(runner, tmp_path / "store", folder, options=["--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert f"skipped {folder / 'notes.rtf'}: unsupported file type '.rtf'" in result.stderr
    assert "1 published, 0 unchanged, 0 failed, 1 skipped" in result.stdout
    named = build(runner, tmp_path / "store", folder / "notes.rtf", folder / SPLIT_SEED, options=["--jobs", "1"])
    assert named.exit_code == 1
    assert f"error: {folder / 'notes.rtf'}: unsupported file type '.rtf'" in named.stderr
    assert named.stderr.splitlines()[-1] == "1 of 2 documents failed: notes.rtf"
    assert "0 published, 1 unchanged, 1 failed" in named.stdout


def test_remove_unpublishes_a_document_by_its_source_file(runner, seeds_dir, tmp_path):
    files = copy_seeds(seeds_dir, tmp_path / "docs", 2)
    assert build(runner, tmp_path / "store", tmp_path / "docs", options=["--jobs", "1"]).exit_code == 0
    before = graphs(tmp_path / "store")
    result = runner.invoke(main, ["remove", str(files[0]), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    after = graphs(tmp_path / "store")
    assert len(after) == 1 and set(after) < set(before)
    assert f"removed <{(set(before) - set(after)).pop()}>" in result.stdout
    assert len(list((downloads(tmp_path / "store") / "graphs").glob("*.ttl"))) == 1
    missing = runner.invoke(main, ["remove", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "store")])
    assert missing.exit_code == 1 and "nope.txt: no published document was built from it" in missing.stderr


def test_a_text_without_metadata_or_tables_is_not_joined(runner, seeds_dir, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copyfile(seeds_dir / SPLIT_SEED, folder / SPLIT_SEED)
    (folder / "poem.txt").write_text("床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。\n", encoding="utf-8")
    result = build(runner, tmp_path / "store", folder, options=["--jobs", "1"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "1 of 2 documents failed: poem.txt"
    assert any(line.startswith("error: ") and "poem.txt" in line for line in result.stderr.splitlines())
    assert not select(tmp_path / "store", "SELECT ?s WHERE { ?s <https://budgetkg.org/def#sourcePart> ?p } LIMIT 1")
