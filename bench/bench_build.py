"""Benchmark `budgetkg build` end to end against pyoxigraph's bulk load of the same N-Quads.

Usage: python bench/bench_build.py [--count 1000] [--jobs 0] [--corpus DIR]; writes
bench/results/build-<date>.json. Every figure is measured in the same run on the same corpus:

* first build: `budgetkg build CORPUS --store S --jobs J` as a subprocess (imports, pool start,
  extraction, loading, dumps and manifest included);
* bulk load: the N-Quads that build published (its budgetkg.nq.gz, decompressed beforehand, not
  timed) loaded into a fresh on-disk store with `pyoxigraph.Store.bulk_load` (the floor of loading);
* unchanged rebuild: the same command again;
* one changed document: one file edited, the same command again;
* floors: the ETL alone (`process_file`, results dropped) and a worker's whole job (ETL, N-Quads and
  dump parts) mapped over the corpus in the same kind of pool, to show what the build adds to them;
* the CPU floor: the CPU seconds a worker's job costs per document (in-process, on CPU_SAMPLE
  documents) times N, plus the bulk load's own CPU seconds (all its threads), spread over the
  machine's cores, plus the compaction the published store gets: no build that extracts the documents
  and loads their quads on this machine can be faster, so it says whether the 2x goal is reachable here.
Goals (issue 13): first build within 2x of the bulk load; unchanged rebuild below 5 % of the first build."""

import argparse
import datetime
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

from generate_corpus import generate  # noqa: E402

GOAL_BULK_RATIO = 2.0
GOAL_UNCHANGED_SHARE = 0.05
CPU_SAMPLE = 40  # documents whose worker job is timed in-process for the CPU floor
BUILD_TIMEOUT_S = 3600


def budgetkg_build(corpus, store, jobs):
    """Run one `budgetkg build` in a fresh process; return (seconds, its summary line)."""
    command = [sys.executable, "-c", "from budgetkg.cli import main; main()", "build", str(corpus),
               "--store", str(store), "--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"budgetkg build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, done.stdout.strip().splitlines()[-1]


def published_nquads(store, target):
    """Decompress the published budgetkg.nq.gz of a store into target; return its line count."""
    current = (store / "current").read_text(encoding="ascii").strip()
    with gzip.open(store / "versions" / current / "downloads" / "budgetkg.nq.gz", "rb") as source, \
            open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    with open(target, "rb") as fileobj:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fileobj.read(1 << 20), b""))


def bulk_load(nq_path, store_dir):
    """Bulk-load an N-Quads file into a fresh on-disk store, then compact it as the build does before
    publishing; return {seconds, cpu_seconds (all threads), quads, optimize_seconds}."""
    start, cpu = time.perf_counter(), time.process_time()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nq_path), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    store.optimize()  # before anything else reads the store: background compaction would hide its cost
    optimize_seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "quads": len(store), "optimize_seconds": optimize_seconds}


def job_cpu_per_document(paths, sample):
    """CPU seconds of one build worker's job (ETL, N-Quads, dump parts), per document, in this process
    on the first `sample` documents (after one warm-up job: imports and jieba's dictionaries)."""
    from budgetkg.build_job import run_job
    with tempfile.TemporaryDirectory(prefix="bkg-job-cpu-") as spool:
        def job(i, path):
            return {"id": str(i), "files": [str(path)], "join": False, "base": "https://budgetkg.org/", "spool": spool}
        run_job(job(-1, paths[0]))
        start = time.process_time()
        for i, path in enumerate(paths[:sample]):
            run_job(job(i, path))
        return (time.process_time() - start) / min(sample, len(paths))


def edit_one(corpus):
    """Change one document's bytes (a line added at its end), as an editor would."""
    path = sorted(Path(corpus).glob("doc_*.txt"))[0]
    path.write_bytes(path.read_bytes() + "\n（本表据实公开。）\n".encode("utf-8"))


def extract_only(path):
    """Worker function of the ETL floor: read, extract and map one document; drop the result."""
    from budgetkg.etl.pipeline import process_file
    return process_file(path)["figures"]


def job_only(job):
    """Worker function of the worker floor: what a build worker does (ETL, N-Quads, dump parts)."""
    from budgetkg.build_job import run_job
    outcome = run_job(job)
    for part in outcome.get("parts", {}).values():
        Path(part["path"]).unlink()
    return outcome["status"]


def pool_floor(function, items, jobs):
    """Seconds to map function over items in the build's own kind of worker pool (started inside)."""
    from budgetkg.build import worker_pool
    start = time.perf_counter()
    if jobs <= 1:
        list(map(function, items))
    else:
        with worker_pool(jobs) as pool:
            list(pool.map(function, items, chunksize=4))
    return time.perf_counter() - start


def pool_figures(seconds, n, first_s):
    """A pool floor's seconds, documents/s and share of the build (None when it was not measured)."""
    if seconds is None:
        return None
    return {"seconds": round(seconds, 2), "docs_per_s": round(n / seconds, 2), "share_of_build": round(seconds / first_s, 3)}


def run(n, jobs, corpus, seed, floors=True):
    """Generate (or reuse) the corpus and take every measurement; return the report."""
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bkg-build-bench-", dir=os.environ.get("BENCH_TMP")) as tmp:
        tmp = Path(tmp)
        source = Path(corpus) if corpus else tmp / "corpus"
        if len(list(source.glob("doc_*.txt"))) < n:
            generate(source, n, seed)
        work = tmp / "docs"  # a copy: the edit must not touch a reused corpus
        work.mkdir()
        for path in sorted(source.glob("doc_*.txt"))[:n]:
            shutil.copyfile(path, work / path.name)
        store = tmp / "store"
        first_s, first_line = budgetkg_build(work, store, jobs)
        quads = published_nquads(store, tmp / "all.nq")
        bulk = bulk_load(tmp / "all.nq", tmp / "bulk")
        bulk_s, bulk_quads = bulk["seconds"], bulk["quads"]
        unchanged_s, unchanged_line = budgetkg_build(work, store, jobs)
        edit_one(work)
        changed_s, changed_line = budgetkg_build(work, store, jobs)
        workers = jobs or len(os.sched_getaffinity(0))
        paths = sorted(work.glob("doc_*.txt"))
        etl_s = worker_s = None
        if floors:
            etl_s = pool_floor(extract_only, paths, workers)
            spool = tmp / "spool"
            spool.mkdir()
            worker_s = pool_floor(job_only, [{"id": str(i), "files": [str(p)], "join": False,
                                              "base": "https://budgetkg.org/", "spool": str(spool)}
                                             for i, p in enumerate(paths)], workers)
        job_cpu = job_cpu_per_document(paths, CPU_SAMPLE)
    cores = len(os.sched_getaffinity(0))
    floor_s = (n * job_cpu + bulk["cpu_seconds"]) / cores + bulk["optimize_seconds"]
    return {
        "date": datetime.date.today().isoformat(), "documents": n, "jobs": workers,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "pyoxigraph": ox.__version__,
                    "load_average_at_end": os.getloadavg(), "load_average_at_start": load_at_start},
        "first_build": {"seconds": round(first_s, 2), "docs_per_s": round(n / first_s, 2), "summary": first_line},
        "bulk_load": {"seconds": round(bulk_s, 2), "quads": bulk_quads, "quads_in_dump": quads,
                      "quads_per_s": round(bulk_quads / bulk_s)},
        "ratio_build_to_bulk": round(first_s / bulk_s, 2),
        "bulk_load_and_optimize": {"seconds": round(bulk_s + bulk["optimize_seconds"], 2),
                                   "cpu_seconds_of_load": round(bulk["cpu_seconds"], 2),
                                   "optimize_seconds": round(bulk["optimize_seconds"], 2),
                                   "ratio_build_to_it": round(first_s / (bulk_s + bulk["optimize_seconds"]), 2)},
        "cpu_floor": {"job_cpu_ms_per_doc": round(job_cpu * 1000, 1), "cores": cores, "seconds": round(floor_s, 2),
                      "ratio_to_bulk": round(floor_s / bulk_s, 2),
                      "build_over_floor": round(first_s / floor_s, 2)},
        "etl_floor": pool_figures(etl_s, n, first_s),
        "worker_floor": pool_figures(worker_s, n, first_s),
        "unchanged_rebuild": {"seconds": round(unchanged_s, 2), "share_of_first": round(unchanged_s / first_s, 4),
                              "summary": unchanged_line},
        "one_changed_rebuild": {"seconds": round(changed_s, 2), "share_of_first": round(changed_s / first_s, 4),
                                "summary": changed_line},
        "goals": {"bulk_ratio_max": GOAL_BULK_RATIO, "bulk_ok": first_s / bulk_s <= GOAL_BULK_RATIO,
                  "unchanged_share_max": GOAL_UNCHANGED_SHARE,
                  "unchanged_ok": unchanged_s / first_s < GOAL_UNCHANGED_SHARE},
    }


def print_report(r):
    """Print the report as a small table."""
    ok = {True: "ok", False: "MISSED"}
    rows = [
        ("documents, workers", f"{r['documents']}, {r['jobs']}"),
        ("first build", f"{r['first_build']['seconds']} s = {r['first_build']['docs_per_s']} docs/s"),
        ("bulk load of its N-Quads", f"{r['bulk_load']['seconds']} s ({r['bulk_load']['quads']:,} quads, "
                                     f"{r['bulk_load']['quads_per_s']:,}/s)"),
        ("build / bulk load", f"{r['ratio_build_to_bulk']}x (goal <= {GOAL_BULK_RATIO}x: {ok[r['goals']['bulk_ok']]})"),
        ("bulk load + optimize (query-ready)", f"{r['bulk_load_and_optimize']['seconds']} s; build / it = "
                                               f"{r['bulk_load_and_optimize']['ratio_build_to_it']}x"),
        ("CPU floor on this machine", f"{r['cpu_floor']['seconds']} s = (N x {r['cpu_floor']['job_cpu_ms_per_doc']} ms "
                                      f"job CPU + {r['bulk_load_and_optimize']['cpu_seconds_of_load']} s load CPU) / "
                                      f"{r['cpu_floor']['cores']} cores + optimize: {r['cpu_floor']['ratio_to_bulk']}x "
                                      f"the bulk load; the build is {r['cpu_floor']['build_over_floor']}x this floor"),
        *[(label, f"{f['seconds']} s = {f['docs_per_s']} docs/s ({f['share_of_build']:.0%} of the build)")
          for label, f in (("ETL alone, same pool", r["etl_floor"]), ("worker work alone (ETL + parts)", r["worker_floor"]))
          if f is not None],
        ("unchanged rebuild", f"{r['unchanged_rebuild']['seconds']} s = {r['unchanged_rebuild']['share_of_first']:.2%} "
                              f"of the first (goal < {GOAL_UNCHANGED_SHARE:.0%}: {ok[r['goals']['unchanged_ok']]})"),
        ("one document changed", f"{r['one_changed_rebuild']['seconds']} s = "
                                 f"{r['one_changed_rebuild']['share_of_first']:.2%} of the first"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="corpus size N (default 1000)")
    parser.add_argument("--jobs", type=int, default=0, help="build workers (default 0: all cores)")
    parser.add_argument("--corpus", help="corpus folder to reuse (generated there if too small)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-floors", action="store_true",
                        help="skip the two pool floors (each costs about a build's time at large N)")
    parser.add_argument("--out", help="JSON report path (default bench/results/build-<date>-<N>.json)")
    args = parser.parse_args(argv)
    report = run(args.count, args.jobs, args.corpus, args.seed, floors=not args.no_floors)
    print_report(report)
    out = Path(args.out or HERE / "results" / f"build-{report['date']}-{args.count}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
