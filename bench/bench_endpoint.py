"""Benchmark `budgetkg serve` against Oxigraph's own server (`oxigraph serve-read-only`) on the same data.

Usage: python bench/bench_endpoint.py [--store DIR] [--requests 2000] [--seconds 10] [--clients 1,16]
       [--workers N] [--fronts serve,gunicorn:2]; writes bench/results/endpoint-<date>.json. Needs the
       `oxigraph` CLI (pip install -e '.[bench]'); a gunicorn front needs gunicorn ('.[prod]').

Fronts: `serve` is `budgetkg serve` (waitress, one process); `serve@DIR` the same command running the
budgetkg package of another checkout in DIR (e.g. `git archive OLD budgetkg | tar -x -C DIR`), to
measure before and after in one run; `gunicorn:N` runs the app in N gunicorn processes (gthread
workers), each with its own pool of --workers / N query workers.

Both servers listen on 127.0.0.1 only. The data is the budgetkg store (default: the examples built
into a temp dir), dumped as N-Quads and loaded with `oxigraph load`; Oxigraph serves it with
--union-default-graph, as budgetkg does. Every load phase is bounded by --requests and --seconds; the
client threads are spread over up to --client-processes processes so that the Python client is not the
bottleneck, and the servers are measured alternately, query by query and within each query in --rounds
turns, in the same run."""

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

from bench_server import QUERIES, request_for, run_clients, start_server, summarise, write_report  # noqa: E402
from budgetkg.store import Versions  # noqa: E402

GOALS = {"small_select": {"throughput_ratio": 0.7, "p50_ratio": 1.5},  # budgetkg / oxigraph
         "heavy": {"throughput_ratio": 1 / 1.1, "p50_ratio": 1.1}}
PATHS = {"oxigraph": "/query"}  # every budgetkg front answers at /sparql
GUNICORN_THREADS = 16  # request threads per gunicorn process
WARMUP = 20  # requests per server and query before measuring


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_oxigraph(store_dir, work, port):
    """Dump the budgetkg store as N-Quads, load it with `oxigraph load`, serve it read-only."""
    cli = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    dump, location = work / "dump.nq", work / "oxigraph"
    version = Versions(store_dir).open_current()
    version.store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    version.close()
    subprocess.run([cli, "load", "--location", str(location), "--file", str(dump)], check=True,
                   capture_output=True)
    process = subprocess.Popen([cli, "serve-read-only", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(process, port, "/query?query=ASK%7B%7D")
    return process


def start_gunicorn(store_dir, port, processes, workers, timeout):
    """Serve the app in `processes` gunicorn processes, each with max(1, workers // processes) query workers."""
    env = {**os.environ, "BUDGETKG_STORE": str(store_dir), "BUDGETKG_WORKERS": str(max(1, workers // processes)),
           "BUDGETKG_QUERY_TIMEOUT": str(timeout)}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(processes), "--worker-class",
                                "gthread", "--threads", str(GUNICORN_THREADS), "--bind", f"127.0.0.1:{port}",
                                "budgetkg.server:create_app()"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(process, port, "/sparql?query=ASK%7B%7D")
    return process


def wait_until_up(process, port, path):
    """Poll path on 127.0.0.1:port until it answers (bounded); kill the process if it never does."""
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server on port {port} did not start")


def start_front(front, store_dir, port, workers, baseline_workers):
    """Start one budgetkg front: `serve`, `serve@DIR` (the budgetkg package of the checkout in DIR: a
    baseline in the same run) or `gunicorn:N`."""
    if front == "serve" or front.startswith("serve@"):
        code = front.partition("@")[2] or None
        return start_server(store_dir, port, baseline_workers if code else workers, timeout=30, code=code)
    name, _, processes = front.partition(":")
    if name != "gunicorn" or not processes.isdigit():
        raise SystemExit(f"unknown front {front!r}: use serve, serve@DIR or gunicorn:N")
    return start_gunicorn(store_dir, port, int(processes), workers, timeout=30)


def _client_share(args):
    port, request, clients, requests, seconds = args
    return run_clients(port, request, clients, requests, seconds)


def measure(pool, port, request, clients, requests, seconds):
    """One bounded load phase with `clients` clients spread over the pool's processes:
    (latencies of answers, latencies of failures, elapsed seconds)."""
    procs = min(clients, pool._processes)  # noqa: SLF001 - the pool's size, as created
    shares = [(port, request, clients // procs + (i < clients % procs),
               requests // procs + (i < requests % procs), seconds) for i in range(procs)]
    latencies, errors, elapsed = [], [], 0.0
    for ok, failed, took in pool.map(_client_share, shares):
        latencies += ok
        errors += failed
        elapsed = max(elapsed, took)
    return latencies, errors, elapsed


def measure_alternately(pool, ports, paths, query, fmt, clients, args):
    """Each server's summary over `args.rounds` rounds, the servers taking turns in every round, so that
    a change of machine load during the run weighs on all of them alike."""
    phases = {server: ([], [], 0.0) for server in ports}
    for server, port in ports.items():
        warm = max(WARMUP, 2 * clients)  # over `clients` connections: every process of a front warms up
        run_clients(port, request_for(query, fmt, paths.get(server, "/sparql")), min(clients, warm), warm,
                    args.seconds)
    for _ in range(args.rounds):
        for server, port in ports.items():
            ok, failed, took = measure(pool, port, request_for(query, fmt, paths.get(server, "/sparql")), clients,
                                       args.requests // args.rounds, args.seconds / args.rounds)
            latencies, errors, elapsed = phases[server]
            phases[server] = (latencies + ok, errors + failed, elapsed + took)
    return {server: summarise(*phase) for server, phase in phases.items()}


def ratios(ours, theirs):
    """budgetkg / oxigraph: throughput (higher is better) and p50 latency (lower is better)."""
    return {"throughput_ratio": round(ours["throughput_per_s"] / theirs["throughput_per_s"], 2),
            "p50_ratio": round(ours["p50_ms"] / theirs["p50_ms"], 2) if theirs["p50_ms"] else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing budgetkg store (default: build the examples)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per load phase (bounded)")
    parser.add_argument("--seconds", type=float, default=10, help="time bound per load phase")
    parser.add_argument("--clients", default="1,16", help="client counts")
    parser.add_argument("--rounds", type=int, default=3, help="turns per load phase (the servers alternate)")
    parser.add_argument("--client-processes", type=int, default=2, help="processes the clients run in")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="budgetkg query workers (the server's default: 2 per CPU)")
    parser.add_argument("--baseline-workers", type=int, default=max(2, os.cpu_count() or 1),
                        help="query workers of a serve@DIR front (the default before it became 2 per CPU)")
    parser.add_argument("--fronts", default="serve", help="budgetkg fronts to measure: serve, serve@DIR, gunicorn:N")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-endpoint-"))
    store_dir = args.store
    if store_dir is None:
        store_dir = work / "store"
        subprocess.run([sys.executable, "-c", "from budgetkg.cli import main; main()", "build",
                        str(REPO / "examples"), "--store", str(store_dir)], check=True, capture_output=True)
    fronts = {("budgetkg" if front == "serve" else f"budgetkg-{front}"): front for front in args.fronts.split(",")}
    ports = {server: free_port() for server in ["oxigraph", *fronts]}
    servers = {}
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
              "cpus": os.cpu_count(), "workers": args.workers, "baseline_workers": args.baseline_workers,
              "requests": args.requests, "rounds": args.rounds,
              "seconds": args.seconds, "fronts": fronts, "goals": GOALS, "load_average": {"start": os.getloadavg()},
              "queries": {}}
    try:
        servers["oxigraph"] = start_oxigraph(store_dir, work, ports["oxigraph"])
        for server, front in fronts.items():
            servers[server] = start_front(front, store_dir, ports[server], args.workers, args.baseline_workers)
        with Pool(args.client_processes) as pool:
            for name, (query, fmt) in QUERIES.items():
                entry = report["queries"][name] = {}
                for clients in (int(c) for c in args.clients.split(",")):
                    row = entry[f"{clients}_clients"] = measure_alternately(pool, ports, PATHS, query, fmt,
                                                                            clients, args)
                    for server in fronts:
                        row["ratio" if server == "budgetkg" else f"ratio-{fronts[server]}"] = ratios(
                            row[server], row["oxigraph"])
                    print(f"{name} {clients} clients: {json.dumps(row)}", file=sys.stderr)
        report["load_average"]["end"] = os.getloadavg()
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    write_report(report, "endpoint")


if __name__ == "__main__":
    main()
