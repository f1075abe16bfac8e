"""Issue 12 chaos test: for 30 s, 16 clients send the real `budgetkg serve` process on 127.0.0.1 a mix of
ordinary queries, queries over the time limit, queries that crash their worker (deep nesting with the
depth guard off, and memory hogs over WORKER_MEMORY) and oversized bodies. Every ordinary query must be
answered correctly, and afterwards the server answers normally with its full pool of workers."""

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from conftest import server_process
from issues_helpers import MEMORY_HOG, SLOW, answer, hog_memory_limit, ordinary, slow_store  # noqa: F401 - fixtures

WINDOW = 30         # seconds during which clients send requests
CLIENTS = 16
WORKERS = 3
MAX_BODY = 300_000
CRASH = "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000  # overflows a worker's stack (guard off here)
HEAVY_STOP = 5      # seconds before the window closes after which only ordinary queries start
CYCLE = ["ordinary"] * 12 + ["timeout", "crash", "memory", "oversized"]
EXPECTED = {"timeout": {503}, "crash": {500, 503}, "memory": {500, 503}, "oversized": {413}}  # 503: time limit first


def send(url, kind, k):
    """Send one request of a kind; return (status, body)."""
    if kind == "ordinary":
        data = urllib.parse.urlencode({"query": ordinary(k), "format": "csv"}).encode()
        request = urllib.request.Request(url + "/sparql", data=data)
    else:
        body = {"timeout": SLOW, "crash": CRASH, "memory": MEMORY_HOG,
                "oversized": "ASK {} #" + "x" * (MAX_BODY + k)}[kind]
        request = urllib.request.Request(url + "/sparql", data=body.encode(),
                                         headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:  # a connection the server closed (e.g. after a huge body) counts as its status
        return 0, str(error).encode()


def client(url, index, stop, outcomes):
    """One client: the CYCLE of kinds from its own offset, until the window closes (the last HEAVY_STOP
    seconds send only ordinary queries, so that the test ends soon after the window)."""
    step = 0
    while (now := time.monotonic()) < stop:
        kind = CYCLE[(index * 5 + step) % len(CYCLE)]
        if now > stop - HEAVY_STOP:
            kind = "ordinary"
        k = (index * 97 + step) % 2000
        status, body = send(url, kind, k)
        outcomes.append((kind, k, status, body))
        step += 1


def worker_children(pid):
    """PIDs of the server's query worker processes."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += (task / "children").read_text().split()
    return [c for c in children if b"budgetkg.server.worker" in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_chaos_then_every_ordinary_query_answered(slow_store, hog_memory_limit):
    settings = {"WORKERS": WORKERS, "QUERY_TIMEOUT": 1, "QUEUE_TIMEOUT": 60, "MAX_QUERY_DEPTH": 0,
                "WORKER_MEMORY": hog_memory_limit, "MAX_BODY": MAX_BODY}
    with server_process(slow_store, probe="/sparql?query=ASK%7B%7D", **settings) as (url, process, _):
        outcomes = []
        stop = time.monotonic() + WINDOW
        threads = [threading.Thread(target=client, args=(url, i, stop, outcomes)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WINDOW + 100)
        assert not any(thread.is_alive() for thread in threads)
        print(f"drained {time.monotonic() - stop:.1f} s after the window")
        counts = Counter((kind, status) for kind, _, status, _ in outcomes)
        print("chaos outcomes:", dict(counts))
        for kind, k, status, body in outcomes:
            if kind == "ordinary":
                assert status == 200, (k, status, body[:300])
                assert answer(body) == k
            else:
                assert status in EXPECTED[kind] | ({0} if kind == "oversized" else set()), (kind, status, body[:300])
        kinds = Counter(kind for kind, _, _, _ in outcomes)
        assert kinds["ordinary"] >= 50 and all(kinds[kind] >= 3 for kind in EXPECTED), kinds
        for k in range(20):  # and afterwards the server answers normally
            status, body = send(url, "ordinary", k)
            assert status == 200 and answer(body) == k
        deadline = time.monotonic() + 20
        while len(worker_children(process.pid)) != WORKERS and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(worker_children(process.pid)) == WORKERS
