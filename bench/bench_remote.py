"""Benchmark the remote store: cq01-cq11 through a private Virtuoso and through the embedded store, same data, same run.

Usage: python bench/bench_remote.py [--docs 100] [--repeat 3]. The documents (the five seeds, plus --docs
generated ones) are extracted once and published into both stores; each question is answered once to warm
up, then --repeat times per store, alternating, and the median wall time of query + CSV serialisation is
reported with the ratio Virtuoso / embedded. The answers are compared byte for byte. Loopback only, bounded."""

import argparse
import datetime
import json
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from budgetkg import virtuoso  # noqa: E402
from budgetkg.remote_store import RemoteStore  # noqa: E402
from budgetkg.store import OxigraphStore, format_results  # noqa: E402
from budgetkg.etl.pipeline import process_file  # noqa: E402
from generate_corpus import generate  # noqa: E402

QUERIES = sorted((REPO / "queries").glob("cq*.rq"))
BASE = "https://budgetkg.org/"
RESULTS = HERE / "results"


def publish(paths, stores):
    """Extract each document once and publish it into every store; return seconds spent per store."""
    spent = {name: 0.0 for name in stores}
    for path in paths:
        result = process_file(path, base=BASE)
        triples = list(result["triples"])
        for name, store in stores.items():
            started = time.perf_counter()
            store.replace_graph(result["graph"], triples)
            spent[name] += time.perf_counter() - started
    return spent


def answer(store, text):
    """Run a question and serialise it to CSV (forces full evaluation); return (seconds, bytes)."""
    started = time.perf_counter()
    body = format_results(store.query(text), "csv")
    return time.perf_counter() - started, body


def measure(stores, repeat, remote_only=(), skip=()):
    """Per question: rows, median seconds per store, identical answers? Questions named in remote_only
    are run on Virtuoso alone (the embedded store takes minutes on them beyond a few dozen documents)."""
    table = []
    for query in QUERIES:
        if query.stem.startswith(tuple(skip)):
            continue
        text = query.read_text(encoding="utf-8")
        running = {name: store for name, store in stores.items()
                   if name == "virtuoso" or not query.stem.startswith(tuple(remote_only))}
        bodies = {name: answer(store, text)[1] for name, store in running.items()}  # warm-up
        times = {name: [] for name in running}
        for _ in range(repeat):
            for name, store in running.items():
                times[name].append(answer(store, text)[0])
        table.append({"query": query.stem, "rows": bodies["virtuoso"].count(b"\n") - 1,
                      "same": len(set(bodies.values())) == 1 if len(bodies) > 1 else None,
                      "embedded_s": None, **{f"{name}_s": statistics.median(values) for name, values in times.items()}})
        print(f"{query.stem}: " + ", ".join(f"{name} {table[-1][name + '_s'] * 1000:.1f} ms" for name in running),
              file=sys.stderr, flush=True)
    return table


def git_commit():
    """The commit being measured (and whether the tree had changes)."""
    def run(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()
    return run("rev-parse", "--short", "HEAD") + ("+dirty" if run("status", "--porcelain") else "")


def cell(value, scale, digits):
    """A table cell: the scaled value with the given decimals, or "-" when not measured."""
    return "-" if value is None else f"{value * scale:.{digits}f}"


def report(table, docs, quads, spent):
    """Print a markdown table (ratio = Virtuoso / embedded; "-" where only Virtuoso ran)."""
    print(f"\n{docs} documents, {quads} quads; publish (replace_graph) embedded {spent['embedded']:.2f} s, "
          f"Virtuoso {spent['virtuoso']:.2f} s (ratio {spent['virtuoso'] / spent['embedded']:.2f})")
    print("| question | rows | embedded ms | Virtuoso ms | ratio | same answer |\n|---|---:|---:|---:|---:|---|")
    for row in table:
        ratio = row["virtuoso_s"] / row["embedded_s"] if row["embedded_s"] else None
        print(f"| {row['query']} | {row['rows']} | {cell(row['embedded_s'], 1000, 1)} | {cell(row['virtuoso_s'], 1000, 1)} "
              f"| {cell(ratio, 1, 2)} | {'-' if row['same'] is None else 'yes' if row['same'] else 'NO'} |")
    compared = [row for row in table if row["embedded_s"] is not None]
    total = {name: sum(r[f"{name}_s"] for r in compared) for name in ("embedded", "virtuoso")}
    print(f"| {len(compared)} on both | | {total['embedded'] * 1000:.1f} | {total['virtuoso'] * 1000:.1f} "
          f"| {total['virtuoso'] / total['embedded']:.2f} | |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=0, help="generated documents added to the five seeds")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per question and store")
    parser.add_argument("--remote-only", nargs="*", default=[], metavar="CQ",
                        help="questions (e.g. cq08) run on Virtuoso alone")
    parser.add_argument("--skip", nargs="*", default=[], metavar="CQ", help="questions not run at all")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # `timeout` still stops Virtuoso and removes the temp dir
    with tempfile.TemporaryDirectory(prefix="bench-remote-") as tmp:
        tmp = Path(tmp)
        paths = sorted((REPO / "examples").glob("*.txt")) + generate(tmp / "corpus", args.docs)
        with virtuoso.running(tmp / "virtuoso") as server:
            embedded = OxigraphStore(tmp / "store")
            stores = {"embedded": embedded, "virtuoso": RemoteStore(server.sparql_url)}
            spent = publish(paths, stores)
            embedded.close()  # publish the version, then read it like `budgetkg query` does
            stores["embedded"] = OxigraphStore(tmp / "store")
            quads = stores["embedded"].count()
            assert stores["virtuoso"].count() == quads, "Virtuoso holds other quads than the embedded store"
            table = measure(stores, args.repeat, args.remote_only, args.skip)
            stores["embedded"].close()
    report(table, len(paths), quads, spent)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"remote-{stamp}.json"
    out.write_text(json.dumps({"commit": git_commit(), "python": platform.python_version(), "docs": len(paths),
                               "quads": quads, "repeat": args.repeat, "publish_s": spent, "questions": table},
                              indent=1), encoding="utf-8")
    print(f"wrote {out}")
    if any(row["same"] is False for row in table):
        sys.exit(1)


if __name__ == "__main__":
    main()
