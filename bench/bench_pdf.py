"""Benchmark PDF reading on one core: budgetkg's read + extract + map of each corpus PDF beside raw
pdfplumber table extraction of the same pages, measured in the same run, and the whole build of a
folder of PDFs (documents/s).

Usage: python bench/bench_pdf.py [--corpus ../shared/corpus] [--repeat 3]; writes
bench/results/pdf-<date>.json. Goal: read + extract + map within 1.5x of the raw extraction."""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import pdfplumber  # noqa: E402

from budgetkg.etl.pipeline import process_document  # noqa: E402
from budgetkg.etl.read import InputError  # noqa: E402
from budgetkg.etl.readers import read_file  # noqa: E402

GOAL_RATIO = 1.5


def raw_extraction(path):
    """The peer: pdfplumber's own table extraction of every page (the least any PDF ETL must do)."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
        return len(pdf.pages)


def ours(path):
    """budgetkg: read (tables, text, headings), extract and map to triples (a blank template stops
    after extraction: it holds no figures)."""
    document = read_file(path)
    try:
        process_document(document, "https://budgetkg.org/")
    except InputError:
        pass


def best_of(fn, path, repeat):
    """The fastest of ``repeat`` runs (CPU time of this process, so other load on the machine matters less)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn(path)
        times.append(time.process_time() - start)
    return min(times)


def build_folder(corpus, store):
    """Whole `budgetkg build` of the folder's PDFs on one core, wall seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from budgetkg.cli import main; main()", "build",
                    *sorted(map(str, corpus.glob("*.pdf"))), "--store", str(store)],
                   cwd=HERE.parent, capture_output=True, check=False)  # inherits the one-core affinity
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    pdfs = sorted(args.corpus.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs in {args.corpus}")
    rows, total_pages, total_raw, total_ours = [], 0, 0.0, 0.0
    print(f"{'document':58} {'pages':>5} {'raw s':>7} {'ours s':>7} {'ratio':>6}")
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        raw, mine = best_of(raw_extraction, path, args.repeat), best_of(ours, path, args.repeat)
        rows.append({"document": path.name, "pages": pages, "raw_s": raw, "ours_s": mine, "ratio": mine / raw})
        total_pages, total_raw, total_ours = total_pages + pages, total_raw + raw, total_ours + mine
        print(f"{path.name:58} {pages:5d} {raw:7.2f} {mine:7.2f} {mine / raw:6.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        build_s = build_folder(args.corpus, Path(tmp) / "store")
    summary = {"pages": total_pages, "raw_pages_per_s": total_pages / total_raw,
               "ours_pages_per_s": total_pages / total_ours, "ratio": total_ours / total_raw,
               "goal_ratio": GOAL_RATIO, "build_documents": len(pdfs), "build_s": build_s,
               "build_documents_per_s": len(pdfs) / build_s}
    print(f"total: {total_pages} pages; raw {summary['raw_pages_per_s']:.1f} pages/s, ours "
          f"{summary['ours_pages_per_s']:.1f} pages/s: {summary['ratio']:.2f}x (goal <= {GOAL_RATIO}x); "
          f"build of {len(pdfs)} PDFs {build_s:.1f} s = {summary['build_documents_per_s']:.2f} documents/s")
    out = HERE / "results" / f"pdf-{datetime.date.today()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "documents": rows}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
