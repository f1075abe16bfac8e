"""Issue 12: a worker that died was never replaced for good and the pool handed requests to dead workers.
Now a worker killed with SIGKILL from outside, idle or in the middle of a query, is replaced."""

import os
import signal
import threading
import time

from issues_helpers import SLOW, answer, ordinary, slow_store, wait_for_full_pool  # noqa: F401 - fixture
from budgetkg.server.pool import WorkerPool


def job(query):
    """A worker job for a SELECT answered as CSV."""
    return {"query": query, "default_graphs": [], "named_graphs": [], "has_dataset": False,
            "formats": {"solutions": "csv", "boolean": "json", "graph": "nt"}, "not_acceptable": {},
            "max_rows": 100, "prefixes": {}}


def kill_and_wait(worker):
    """SIGKILL the worker's process as an outsider would, and wait until it is gone."""
    os.kill(worker.process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while worker.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def test_idle_worker_killed_from_outside_is_replaced(slow_store):
    pool = WorkerPool(slow_store, size=2)
    try:
        pids = {w.process.pid for w in pool.workers}
        for worker in list(pool.workers):
            kill_and_wait(worker)
        for k in range(6):  # never handed to a dead worker: no error even before the replacements are up
            assert answer(pool.run(job(ordinary(k)), 20, 20)[3]) == k
        assert wait_for_full_pool(pool, started=4)
        assert not pids & {w.process.pid for w in pool.workers}
    finally:
        pool.close()


def test_worker_killed_during_a_query_gives_a_clear_error_and_is_replaced(slow_store):
    pool = WorkerPool(slow_store, size=1)
    try:
        worker = next(iter(pool.workers))
        errors = []

        def slow():
            try:
                pool.run(job(SLOW), 30, 30)
            except Exception as exc:  # noqa: BLE001 - the error is what the test looks at
                errors.append(exc)

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.5)
        kill_and_wait(worker)
        thread.join(10)
        assert errors and errors[0].status == 503 and "killed from outside" in errors[0].message
        assert answer(pool.run(job(ordinary(7)), 20, 20)[3]) == 7
        assert wait_for_full_pool(pool, started=2)
    finally:
        pool.close()
