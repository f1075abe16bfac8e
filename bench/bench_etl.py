"""Benchmark the ETL on one core: reading, extract+map, loading into Oxigraph, and peak memory.

Usage: python bench/bench_etl.py [--count 1000] [--corpus DIR]; writes bench/results/etl-<date>.json."""

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

from budgetkg.store import OxigraphStore, TermConverter  # noqa: E402
from budgetkg.etl.pipeline import process_file  # noqa: E402
from generate_corpus import generate  # noqa: E402

GOAL_DOCS_PER_S = 50
GOAL_MEMORY_GROWTH = 0.10  # peak RSS at N may exceed peak RSS at N/4 by at most 10 %


def git_state():
    """The commit the ETL code was measured at, and whether the working tree had changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True).stdout.strip()
    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--porcelain", "--", "budgetkg"))}


def pin_one_core():
    """Run this process (and its children) on a single CPU, if the OS allows it."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    return None


def maxrss_mb():
    """Peak resident set size of this process so far, in MiB.

    VmHWM (Linux) is reset by exec; ru_maxrss would report the parent's peak in a fresh child."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def corpus_paths(corpus, n, seed):
    """Return the first n doc_*.txt of corpus, generating the corpus there if it has fewer."""
    paths = sorted(Path(corpus).glob("doc_*.txt"))[:n]
    return paths if len(paths) == n else generate(corpus, n, seed)


def read_baseline(paths):
    """Open, read and decode every file as UTF-8; return seconds."""
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as f:
            f.read().decode("utf-8")
    return time.perf_counter() - start


def extract_pass(paths):
    """process_file on every document, results dropped; return (wall seconds, CPU seconds)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        try:
            process_file(path)
        except Exception:  # counted and reported by stream_build
            pass
    return time.perf_counter() - wall, time.process_time() - cpu


def stream_build(paths, store_dir, nt_file=None, flush_every=0):
    """Process one document, load it, drop it; optionally also write its triples as N-Triples.

    flush_every=K closes and reopens the store every K documents (close() flushes RocksDB memtables)."""
    stats = {"docs": 0, "triples": 0, "extract_s": 0.0, "load_s": 0.0, "errors": []}
    store = OxigraphStore(store_dir)
    convert = TermConverter()
    for path in paths:
        t0 = time.perf_counter()
        try:
            result = process_file(path)
        except Exception as exc:  # an ETL bug on generated input: report it, skip the file
            stats["errors"].append({"file": str(path), "error": f"{type(exc).__name__}: {exc}"})
            continue
        t1 = time.perf_counter()
        stats["triples"] += store.replace_graph(result["graph"], result["triples"])
        t2 = time.perf_counter()
        stats["docs"] += 1
        stats["extract_s"] += t1 - t0
        stats["load_s"] += t2 - t1
        if flush_every and stats["docs"] % flush_every == 0:
            store.close()
            store = OxigraphStore(store_dir)
        if nt_file is not None:
            nt_file.write("\n".join(dict.fromkeys(map(convert.triple_line, result["triples"]))) + "\n")
        del result
    t0 = time.perf_counter()
    stats["quads_in_store"] = store.count()
    store.close()
    stats["load_s"] += time.perf_counter() - t0
    return stats


def bulk_load_baseline(nt_path, store_dir):
    """Parse and bulk-load one N-Triples file into a fresh pyoxigraph store; return (seconds, quads)."""
    store = ox.Store(str(store_dir))
    start = time.perf_counter()
    store.bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    seconds = time.perf_counter() - start
    return seconds, len(store)


def memory_probe(corpus, n, flush_every=0):
    """Run the streaming build of the first n documents in a fresh process; return its stats."""
    out = subprocess.run([sys.executable, __file__, "--probe", str(n), "--corpus", str(corpus),
                          "--flush-every", str(flush_every)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def probe(corpus, n, flush_every):
    """Child process of memory_probe: print peak RSS before and after a streaming build as JSON."""
    paths = sorted(Path(corpus).glob("doc_*.txt"))[:n]
    with tempfile.TemporaryDirectory() as tmp:
        before = maxrss_mb()
        stats = stream_build(paths, Path(tmp) / "store", flush_every=flush_every)
    print(json.dumps({"n": n, "flush_every": flush_every, "docs": stats["docs"], "triples": stats["triples"],
                      "rss_before_mb": round(before, 1), "peak_rss_mb": round(maxrss_mb(), 1)}))


def run(n, corpus, seed, flush_every):
    """Run every measurement on a corpus of n documents; return the report dict."""
    cpu = pin_one_core()
    with tempfile.TemporaryDirectory(prefix="bkg-bench-") as tmp:
        tmp = Path(tmp)
        corpus = Path(corpus) if corpus else tmp / "corpus"
        t0 = time.perf_counter()
        paths = corpus_paths(corpus, n, seed)
        generate_s = time.perf_counter() - t0
        sizes = sorted({max(1, n // 4), max(1, n // 2), n})
        memory = [memory_probe(corpus, k) for k in sizes]
        memory_flushed = [memory_probe(corpus, k, flush_every) for k in (sizes[0], n)] if flush_every else []
        read_s = read_baseline(paths)
        extract_s, extract_cpu = extract_pass(paths)
        nt_path = tmp / "all.nt"
        with open(nt_path, "w", encoding="utf-8") as nt_file:
            stats = stream_build(paths, tmp / "store", nt_file)
        bulk_s, bulk_quads = bulk_load_baseline(nt_path, tmp / "bulk")
        nt_lines = sum(1 for _ in open(nt_path, "rb"))
    docs = stats["docs"]
    read_rate, extract_rate = len(paths) / read_s, docs / extract_s
    load_rate, bulk_rate = stats["triples"] / stats["load_s"], nt_lines / bulk_s
    growth = memory[-1]["peak_rss_mb"] / memory[0]["peak_rss_mb"] - 1
    flushed_growth = (memory_flushed[-1]["peak_rss_mb"] / memory_flushed[0]["peak_rss_mb"] - 1
                      if memory_flushed else None)
    return {
        "date": datetime.date.today().isoformat(), "documents": len(paths), "processed": docs,
        "machine": {"cpus": os.cpu_count(), "pinned_cpu": cpu, "python": platform.python_version(),
                    "pyoxigraph": ox.__version__, "platform": platform.platform()},
        "git": git_state(),
        "generate_s": round(generate_s, 2),
        "read": {"seconds": round(read_s, 3), "docs_per_s": round(read_rate, 1)},
        "extract_map": {"seconds": round(extract_s, 2), "cpu_seconds": round(extract_cpu, 2),
                        "docs_per_s": round(extract_rate, 1),
                        "in_build_docs_per_s": round(docs / stats["extract_s"], 1),
                        "ratio_to_read": round(extract_rate / read_rate, 5),
                        "triples": stats["triples"], "triples_per_doc": round(stats["triples"] / docs, 1)},
        "load": {"seconds": round(stats["load_s"], 2), "triples_per_s": round(load_rate),
                 "quads_in_store": stats["quads_in_store"]},
        "bulk_load_nt": {"seconds": round(bulk_s, 2), "triples_per_s": round(bulk_rate),
                         "lines": nt_lines, "quads_in_store": bulk_quads},
        "load_ratio_to_bulk": round(load_rate / bulk_rate, 3),
        "memory": memory, "memory_growth": round(growth, 3),
        "memory_flushed": memory_flushed, "memory_flushed_growth": flushed_growth and round(flushed_growth, 3), "bench_peak_rss_mb": round(maxrss_mb(), 1),
        "goals": {"extract_docs_per_s": GOAL_DOCS_PER_S, "extract_ok": extract_rate >= GOAL_DOCS_PER_S,
                  "memory_growth_max": GOAL_MEMORY_GROWTH, "memory_ok": growth <= GOAL_MEMORY_GROWTH},
        "errors": stats["errors"],
    }


def print_report(r):
    """Print the report as a small table."""
    em, ld, bl = r["extract_map"], r["load"], r["bulk_load_nt"]
    rows = [
        ("documents (processed)", f"{r['documents']} ({r['processed']})"),
        ("read baseline", f"{r['read']['docs_per_s']:,.0f} docs/s"),
        ("extract+map", f"{em['docs_per_s']:,.1f} docs/s  (x{em['ratio_to_read']:.4f} of read; "
                        f"goal >= {GOAL_DOCS_PER_S}: {'ok' if r['goals']['extract_ok'] else 'MISSED'})"),
        ("extract+map inside build", f"{em['in_build_docs_per_s']:,.1f} docs/s (sharing the core with RocksDB)"),
        ("triples / doc", f"{em['triples_per_doc']}"),
        ("load (replace_graph)", f"{ld['triples_per_s']:,} triples/s  ({ld['quads_in_store']:,} quads)"),
        ("bulk_load N-Triples", f"{bl['triples_per_s']:,} triples/s  ({bl['lines']:,} lines)"),
        ("load / bulk ratio", f"{r['load_ratio_to_bulk']}"),
    ]
    rows += [(f"peak RSS, N={m['n']}", f"{m['peak_rss_mb']} MiB (at start {m['rss_before_mb']} MiB)")
             for m in r["memory"]]
    rows.append(("peak RSS growth N/4->N", f"{r['memory_growth']:+.1%}  (goal <= "
                 f"{GOAL_MEMORY_GROWTH:.0%}: {'ok' if r['goals']['memory_ok'] else 'MISSED'})"))
    rows += [(f"  closing every {m['flush_every']}, N={m['n']}", f"{m['peak_rss_mb']} MiB")
             for m in r["memory_flushed"]]
    if r["memory_flushed"]:
        rows.append(("  growth N/4->N, closing", f"{r['memory_flushed_growth']:+.1%}"))
    rows.append(("peak RSS of this run", f"{r['bench_peak_rss_mb']} MiB (includes bulk_load)"))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    for e in r["errors"]:
        print(f"ETL ERROR {e['file']}: {e['error']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="corpus size N (default 1000)")
    parser.add_argument("--corpus", help="corpus folder to reuse (generated there if too small)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="JSON report path (default bench/results/etl-<date>.json)")
    parser.add_argument("--flush-every", type=int, default=50,
                        help="extra memory probe closing the store every K docs (0: skip)")
    parser.add_argument("--probe", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        return probe(args.corpus, args.probe, args.flush_every)
    report = run(args.count, args.corpus, args.seed, args.flush_every)
    print_report(report)
    out = Path(args.out or HERE / "results" / f"etl-{report['date']}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
