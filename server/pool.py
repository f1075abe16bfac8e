"""A pool of query worker processes with per-query time limits: a query over time kills its worker.

Requests take an idle worker (waiting at most queue_timeout), so concurrent queries run in parallel."""

import os
import queue
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from server.errors import ServiceUnavailable


class Worker:
    """One worker process (`python -m server.worker`) and the parent's end of its socket."""

    def __init__(self, store_dir, isolate):
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "server.worker", str(theirs.fileno()), str(store_dir),
                   "isolate" if isolate else "open"]
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.isolated = None

    def wait_ready(self, timeout=60):
        """Wait for the worker's hello; return False if it did not start."""
        if not self.conn.poll(timeout):
            return False
        _, _, self.isolated = self.conn.recv()
        return True

    def kill(self):
        """Kill the process (a query cannot be stopped any other way) and reap it."""
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class WorkerPool:
    """size worker processes over one store directory."""

    def __init__(self, store_dir, size=2, isolate=True):
        self.store_dir, self.size, self.isolate = store_dir, size, isolate
        self.pid = os.getpid()
        self.idle = queue.Queue()
        self.workers = set()
        self.lock = threading.Lock()
        self.closed = False
        started = [self._spawn() for _ in range(size)]
        for worker in started:
            self._admit(worker)

    def _spawn(self):
        worker = Worker(self.store_dir, self.isolate)
        with self.lock:
            self.workers.add(worker)
        return worker

    def _admit(self, worker):
        if worker.wait_ready() and not self.closed:
            self.idle.put(worker)
        else:
            self._drop(worker)

    def _drop(self, worker):
        with self.lock:
            self.workers.discard(worker)
        worker.kill()

    def _replace(self, worker):
        """Kill a worker and start its replacement in the background."""
        self._drop(worker)
        if not self.closed:
            threading.Thread(target=lambda: self._admit(self._spawn()), daemon=True).start()

    @property
    def network_isolated(self):
        """True when every started worker runs without network access."""
        with self.lock:
            return bool(self.workers) and all(w.isolated for w in self.workers if w.isolated is not None)

    def run(self, job, timeout, queue_timeout):
        """Run a job on an idle worker; ServiceUnavailable on timeout or when all workers stay busy."""
        try:
            worker = self.idle.get(timeout=queue_timeout)
        except queue.Empty:
            raise ServiceUnavailable(f"all {self.size} query workers stayed busy for {queue_timeout:g} s; "
                                     "try again later", {"Retry-After": "5"})
        try:
            worker.conn.send(job)
            if worker.conn.poll(timeout):
                reply = worker.conn.recv()
                self.idle.put(worker)
                return reply
        except (EOFError, OSError):
            self._replace(worker)
            raise ServiceUnavailable("the query worker died (out of memory?); the query was not answered")
        self._replace(worker)
        raise ServiceUnavailable(f"query timed out: it ran longer than the {timeout:g} s limit and was "
                                 "stopped; add LIMIT or make it more selective", {"Retry-After": "1"})

    def close(self):
        """Stop every worker."""
        self.closed = True
        with self.lock:
            workers = list(self.workers)
            self.workers.clear()
        for worker in workers:
            worker.kill()
