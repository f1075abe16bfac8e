"""Helpers and fixtures of the issue regression tests (import the fixtures you use): a small generated store whose cross products never finish."""

import time

import pytest

from budgetkg.store import OxigraphStore

EX = "http://example.org/"
TRIPLES = 2000
# Three-way cross product over TRIPLES triples: 8e9 solutions, never finishes within a time limit.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
# The same cross product sorted: every solution is kept in memory until the worker's limit stops it.
MEMORY_HOG = "SELECT ?a ?c ?e WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } ORDER BY ?b ?d ?f"
NESTED = "SELECT * WHERE " + "{" * 20000 + "}" * 20000


def wait_for_full_pool(pool, started, seconds=30):
    """Wait (bounded) until the pool has all its workers live again and started at least `started`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pool.live_workers() == pool.size and pool.started >= started:
            return True
        time.sleep(0.05)
    return False


def ordinary(k):
    """An ordinary query whose only answer is k (the object of <ex:s{k}>)."""
    return f"SELECT ?o WHERE {{ <{EX}s{k}> <{EX}p> ?o }}"


def answer(body):
    """The single ?o value of an ordinary query's CSV result, as an int."""
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "o" and len(lines) == 2, body[:300]
    return int(lines[1])


HOG_HEADROOM = 256 * 1024 ** 2  # address space a memory hog may use beyond what a worker needs anyway


@pytest.fixture(scope="session")
def hog_memory_limit(slow_store):
    """A WORKER_MEMORY (bytes) a little above the peak address space of a worker that ran a query here:
    measured, because the baseline depends on the machine (threads, allocator, libraries)."""
    from pathlib import Path

    from budgetkg.server.pool import WorkerPool
    pool = WorkerPool(slow_store, size=1, memory_limit=0)
    try:
        pool.run({"query": ordinary(1), "default_graphs": [], "named_graphs": [], "has_dataset": False,
                  "formats": {"solutions": "csv"}, "not_acceptable": {}, "max_rows": 10, "prefixes": {}}, 30, 30)
        status = Path(f"/proc/{next(iter(pool.workers)).process.pid}/status").read_text()
    finally:
        pool.close()
    peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmPeak:")).split()[1])
    return peak_kb * 1024 + HOG_HEADROOM


@pytest.fixture(scope="session")
def slow_store(tmp_path_factory):
    """A store with TRIPLES generated triples <ex:s{i}> <ex:p> i in one named graph."""
    path = tmp_path_factory.mktemp("issue12") / "store"
    with OxigraphStore(path) as store:
        store.load("".join(f"<{EX}s{i}> <{EX}p> {i} .\n" for i in range(TRIPLES)).encode(), "ttl", EX + "g")
    return path
