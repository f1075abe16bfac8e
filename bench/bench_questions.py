"""Benchmark the competency questions cq01-cq11 on growing generated corpora, beside their old text.

Usage: python bench/bench_questions.py [--sizes 100,1000,10000] [--repeat 3] [--timeout 120]
       [--cache DIR]; writes bench/results/questions-<date>.json.

Each question runs in its own child process on a read-only store (so a query over --timeout can be
killed: pyoxigraph cannot cancel one), and the time is query + CSV serialisation of every row, the
median of --repeat runs (wall clock and CPU). The old text of the questions whose selection moved to
build time (bench/questions_before/, the version before bkg:canonical) runs on the same store in the
same run, and both answers' SHA-256 are compared: the rewrite must give identical CSV at every size.
An old query is not run again at a larger size once it exceeded --timeout."""

import argparse
import datetime
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERIES = REPO / "queries"
BEFORE = HERE / "questions_before"
GOAL_SECONDS_AT_1000 = 1.0


def measure(store_dir, query_file, repeat):
    """In this process: run one query `repeat` times; return timings, row count and answer hash."""
    import pyoxigraph as ox
    store = ox.Store.read_only(str(store_dir))
    text = Path(query_file).read_text(encoding="utf-8")
    walls, cpus, body = [], [], b""
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        body = store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.CSV)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall_s": round(statistics.median(walls), 4), "min_wall_s": round(min(walls), 4),
            "cpu_s": round(statistics.median(cpus), 4),
            "rows": body.count(b"\n") - 1, "sha256": hashlib.sha256(body).hexdigest()}


def run_child(store_dir, query_file, repeat, timeout):
    """measure() in a child process killed after `timeout` seconds; None when it was killed."""
    command = [sys.executable, __file__, "--measure", str(store_dir), str(query_file), "--repeat", str(repeat)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout)


def questions():
    """[(name, new query file, old query file or None)] for cq01-cq11."""
    return [(path.stem, path, BEFORE / path.name if (BEFORE / path.name).exists() else None)
            for path in sorted(QUERIES.glob("cq*.rq"))]


def growth(report, name, version, sizes):
    """Time ratios between consecutive sizes (and the size ratio), where both were measured."""
    out = []
    for small, large in zip(sizes, sizes[1:]):
        a, b = (report["sizes"][str(n)]["questions"].get(name, {}).get(version) for n in (small, large))
        if a and b:
            out.append({"from": small, "to": large, "size_ratio": large / small,
                        "wall_ratio": round(b["wall_s"] / max(a["wall_s"], 1e-4), 1),
                        "cpu_ratio": round(b["cpu_s"] / max(a["cpu_s"], 1e-4), 1)})
    return out


def print_table(report, sizes):
    """A plain table: per question, new and old CPU time at every size, and the speed-up (old / new)."""
    head = "question".ljust(22) + "".join(f"{f'new@{n}':>11}{f'old@{n}':>11}{'x':>7}" for n in sizes)
    print(head)
    for name, _new, _old in questions():
        line = name.ljust(22)
        for n in sizes:
            row = report["sizes"][str(n)]["questions"][name]
            new, old = row.get("new"), row.get("old")
            new_s = f"{new['cpu_s']:.3f}s" if new else "killed"
            old_s = "same" if old == "same" else (f"{old['cpu_s']:.3f}s" if old else row.get("old_note", "-"))
            ratio = f"{old['cpu_s'] / max(new['cpu_s'], 1e-4):.0f}" if isinstance(old, dict) and new else ""
            line += f"{new_s:>11}{old_s:>11}{ratio:>7}"
        print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes (documents)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a query is killed")
    parser.add_argument("--old-timeout", type=float, help="seconds before an old text is killed (default --timeout)")
    parser.add_argument("--old-up-to", type=int, help="run the old texts only on corpora up to this size")
    parser.add_argument("--jobs", type=int, help="ETL processes for building a corpus (default: all cores)")
    parser.add_argument("--cache", type=Path, default=HERE / "corpus", help="where corpora and stores are kept")
    parser.add_argument("--measure", nargs=2, metavar=("STORE", "QUERY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure, args.repeat)))
        return
    from corpus_store import build
    sizes = [int(n) for n in args.sizes.split(",")]
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
              "cpus": os.cpu_count(), "load_average": os.getloadavg(), "repeat": args.repeat,
              "timeout_s": args.timeout, "old_timeout_s": args.old_timeout or args.timeout, "sizes": {}}
    given_up, old_timeout = set(), args.old_timeout or args.timeout
    for n in sizes:
        store_dir, built = build(n, args.cache, args.jobs)
        print(f"{n} documents: {built}", file=sys.stderr)
        entry = report["sizes"][str(n)] = {"store": built, "questions": {}}
        for name, new_file, old_file in questions():
            row = entry["questions"][name] = {"new": run_child(store_dir, new_file, args.repeat, args.timeout)}
            if old_file is None:
                row["old"] = "same"
            elif args.old_up_to is not None and n > args.old_up_to:
                row["old_note"] = "not run"
            elif name in given_up:
                row["old_note"] = f">{old_timeout:g}s at a smaller size"
            else:
                row["old"] = run_child(store_dir, old_file, 1, old_timeout)
                if row["old"] is None:
                    given_up.add(name)
                    row["old_note"] = f">{old_timeout:g}s"
                elif row["new"]:
                    row["same_answer"] = row["old"]["sha256"] == row["new"]["sha256"]
            print(f"  {name}: {json.dumps(row)}", file=sys.stderr)
        write(report, sizes)
    print_table(report, sizes)


def write(report, sizes):
    """Add the growth ratios and the goal check to the report and write it (after every size)."""
    done = [n for n in sizes if str(n) in report["sizes"]]
    report["growth"] = {name: growth(report, name, "new", done) for name, _, _ in questions()}
    if "1000" in report["sizes"]:
        times = {name: (q["new"] or {}).get("cpu_s") for name, q in report["sizes"]["1000"]["questions"].items()}
        report["goal_under_1s_at_1000"] = all(t is not None and t < GOAL_SECONDS_AT_1000 for t in times.values())
    out = HERE / "results" / f"questions-{datetime.date.today()}-{'_'.join(map(str, sizes))}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
