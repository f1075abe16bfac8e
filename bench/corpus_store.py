"""A store of N generated documents for the query benchmarks, built fast and cached on disk.

The documents come from generate_corpus.py and go through the real ETL (process_file, in a process
pool over all cores); their quads are written as one N-Quads file and bulk-loaded into a plain
pyoxigraph store, the fastest path to a large store (the benchmarks measure questions, not builds).
A cached store is reused when its marker names the same document count and ETL commit."""

import json
import os
import shutil
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

from budgetkg.store import TermConverter  # noqa: E402
from budgetkg.etl.pipeline import process_file  # noqa: E402
from generate_corpus import generate  # noqa: E402

CHUNK = 8  # documents per task handed to a pool process
MARKER = "corpus-store.json"


def etl_commit():
    """The git trees of etl/ and budgetkg/ (what the stored graphs depend on; '-dirty' with
    uncommitted changes there), so that commits elsewhere keep a cached store valid."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--", "budgetkg")
    trees = "-".join(git("rev-parse", "--short", f"HEAD:{path}") for path in ("budgetkg",))
    return trees + ("-dirty" if dirty else "")


def document_nquads(path):
    """One document through the ETL, as N-Quads text (empty if the document fails)."""
    try:
        result = process_file(path)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the benchmark
        print(f"{path}: {exc}", file=sys.stderr)
        return ""
    convert = TermConverter()
    graph = convert.iri(result["graph"])
    return "".join(convert.triple_line(t)[:-1] + graph + " .\n" for t in dict.fromkeys(result["triples"]))


def build(count, root, jobs=None):
    """Return (store directory, build report) for `count` documents under root (cached)."""
    root = Path(root)
    store_dir, marker = root / f"store-{count}", root / f"store-{count}" / MARKER
    wanted = {"documents": count, "etl": etl_commit(), "optimized": True}
    if marker.exists() and not wanted["etl"].endswith("-dirty"):
        report = json.loads(marker.read_text(encoding="utf-8"))
        if {k: report.get(k) for k in wanted} == wanted:
            return store_dir, {**report, "cached": True}
    corpus = root / f"corpus-{count}"
    started = time.perf_counter()
    paths = sorted(corpus.glob("doc_*.txt")) if corpus.exists() else []
    if len(paths) != count:
        shutil.rmtree(corpus, ignore_errors=True)
        paths = generate(corpus, count)
    generated = time.perf_counter()
    nquads = root / f"corpus-{count}.nq"
    with Pool(jobs or os.cpu_count()) as pool, open(nquads, "w", encoding="utf-8") as out:
        for text in pool.imap(document_nquads, [str(p) for p in paths], chunksize=CHUNK):
            out.write(text)
    mapped = time.perf_counter()
    shutil.rmtree(store_dir, ignore_errors=True)
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    loaded = time.perf_counter()
    store.optimize()  # compact the bulk-loaded files: un-compacted, every lookup costs 2-3x more at 1,000 docs
    store.flush()
    quads = len(store)
    del store
    nquads.unlink()
    done = time.perf_counter()
    report = {**wanted, "quads": quads, "generate_s": round(generated - started, 1),
              "etl_s": round(mapped - generated, 1), "bulk_load_s": round(loaded - mapped, 1),
              "optimize_s": round(done - loaded, 1)}
    marker.write_text(json.dumps(report), encoding="utf-8")
    return store_dir, {**report, "cached": False}
