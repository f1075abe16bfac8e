"""Benchmark `budgetkg serve` against the same queries run directly on pyoxigraph, in the same run.

Usage: python bench/bench_server.py [--requests 400] [--clients 32] [--seconds 10]; loopback only, bounded."""

import argparse
import datetime
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402

from budgetkg.store import Versions  # noqa: E402
from budgetkg.server.results import serialize  # noqa: E402

QUERIES = {
    "small_select": ("PREFIX bkg: <https://budgetkg.org/def#> SELECT ?doc ?unit WHERE "
                     "{ ?doc a bkg:Disclosure ; bkg:budgetUnit ?unit }", "json"),
    "cq03_functional": ((REPO / "queries" / "cq03-functional.rq").read_text(encoding="utf-8"), "csv"),
    "construct": ("CONSTRUCT { ?o ?p ?v } WHERE { ?o a <http://purl.org/linked-data/cube#Observation> ; ?p ?v } "
                  "LIMIT 500", "ttl"),
}
MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv", "ttl": "text/turtle"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


def percentile(values, q):
    """The q-th percentile (nearest rank) of a list of numbers."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def direct(store, query, fmt, count, max_rows):
    """Latencies of the query run in-process on pyoxigraph and serialised like the server does."""
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        serialize(store.query(query, use_default_graph_as_union=True), fmt, max_rows)
        latencies.append(time.perf_counter() - started)
    return latencies


def request_for(query, fmt, path="/sparql"):
    """(method, path, body, headers) of a protocol POST of `query` (None: GET a small static file)."""
    if query is None:
        return "GET", "/static/style.css", None, {}
    body = urllib.parse.urlencode({"query": query}).encode()
    return "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "Accept": MEDIA[fmt]}


def run_clients(port, request, clients, requests, seconds):
    """Send `requests` requests from `clients` keep-alive threads (stops after `seconds`).

    Returns (latencies of 200 answers, latencies of failures, elapsed seconds)."""
    method, path, body, headers = request
    latencies, errors, lock = [], [], threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                (latencies if ok else errors).append(time.perf_counter() - started)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def summarise(latencies, errors, elapsed):
    """Request count, errors, throughput and p50/p99 latency of one load phase."""
    return {"requests": len(latencies), "errors": len(errors), "seconds": round(elapsed, 3),
            "throughput_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
            "p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None}


def load(port, query, fmt, clients, requests, seconds):
    """Run `requests` POSTs from `clients` keep-alive threads (stops after `seconds`); return stats.

    query None: GET a small static file instead (the HTTP floor: Flask and the socket, no query)."""
    return summarise(*run_clients(port, request_for(query, fmt), clients, requests, seconds))


def start_server(store_dir, port, workers, timeout, code=None):
    """Start `budgetkg serve` on 127.0.0.1 and wait until it answers; code: another checkout's directory
    whose budgetkg package runs instead (a baseline measured in the same run)."""
    env = {**os.environ, "BUDGETKG_WORKERS": str(workers), "BUDGETKG_QUERY_TIMEOUT": str(timeout)}
    if code:
        env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])])
    process = subprocess.Popen([sys.executable, "-c", "from budgetkg.cli import main; main()", "serve",
                                "--store", str(store_dir), "--port", str(port), "--host", "127.0.0.1"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=code)  # `python -c` puts the working directory first on sys.path
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="requests per load phase (bounded)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10, help="time bound per load phase")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="server query workers")
    parser.add_argument("--store", type=Path, help="an existing store (default: build the examples)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
    store_dir = args.store
    if store_dir is None:
        store_dir = tmp / "store"
        subprocess.run([sys.executable, "-c", "from budgetkg.cli import main; main()", "build",
                        str(REPO / "examples"), "--store", str(store_dir)], check=True, capture_output=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = start_server(store_dir, port, args.workers, timeout=2)
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
              "cpus": os.cpu_count(), "workers": args.workers, "clients": args.clients, "queries": {}}
    try:
        version = Versions(store_dir).open_current()
        floor = load(port, None, None, 1, min(args.requests, 200), args.seconds)
        report["http_floor_1_client"] = floor
        for name, (query, fmt) in QUERIES.items():
            baseline = direct(version.store, query, fmt, min(args.requests, 200), 10000)
            single = load(port, query, fmt, 1, min(args.requests, 200), args.seconds)
            loaded = load(port, query, fmt, args.clients, args.requests, args.seconds)
            base_p50 = statistics.median(baseline)
            report["queries"][name] = {
                "direct_p50_ms": round(base_p50 * 1000, 3),
                "direct_throughput_per_s": round(len(baseline) / sum(baseline), 1),
                "server_1_client": single, f"server_{args.clients}_clients": loaded,
                "latency_ratio_1_client": round(single["p50_ms"] / 1000 / base_p50, 2),
                "latency_ratio_over_http_floor": round(single["p50_ms"] / floor["p50_ms"], 2),
                "throughput_ratio_direct_over_server": round(len(baseline) / sum(baseline)
                                                             / loaded["throughput_per_s"], 2)}
        version.close()
        quiet = load(port, QUERIES["small_select"][0], "json", 4, args.requests, args.seconds)
        slow_done = {}
        slow = threading.Thread(target=lambda: slow_done.update(load(port, SLOW, "json", 1, 1, 30)))
        slow.start()
        time.sleep(0.1)
        busy = load(port, QUERIES["small_select"][0], "json", 4, args.requests, args.seconds)
        slow.join()
        report["timeout"] = {"quiet_small_select": quiet, "small_select_beside_a_timing_out_query": busy,
                             "slow_query_errors": slow_done.get("errors")}
    finally:
        server.terminate()
        server.wait(10)
    write_report(report, "server")


def write_report(report, kind):
    """Print the report and write it to bench/results/<kind>-<date>.json."""
    out = HERE / "results" / f"{kind}-{datetime.date.today()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps(report, indent=1))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
