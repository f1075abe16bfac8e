"""A self-healing pool of query worker processes with per-query time and memory limits.

Every worker process is started from one long-lived thread (Spawner): Linux sends a child's parent-death
signal (PR_SET_PDEATHSIG) when the *thread* that forked it exits, so workers started from short-lived
threads were killed right after they started. A keeper thread keeps `size` live workers at all times,
requests never get a dead worker, and a worker that dies is diagnosed (time limit, memory limit, crash)."""

import os
import queue
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection

from budgetkg.server.errors import HTTPError, ServiceUnavailable

HEAL_INTERVAL = 0.5       # seconds between the keeper's checks for dead workers
START_TIMEOUT = 60        # seconds a new worker may take to say hello
RETRY_BACKOFF = (0.5, 5)  # first and longest wait after a worker failed to start
EXIT_WAIT = 2             # seconds to wait for a dying worker's exit status
LOG_TAIL = 4096           # bytes of a dead worker's stderr kept for the diagnosis
MEMORY_MARKERS = ("memory allocation of", "std::bad_alloc", "MemoryError", "Cannot allocate memory")


class InternalError(HTTPError):
    """The query crashed its worker for a reason that is not a limit."""
    status, title = 500, "Internal Server Error"


@dataclass(frozen=True)
class WorkerOptions:
    """How workers start: network isolation and the address-space limit in bytes (0: none)."""

    isolate: bool = True
    memory_limit: int = 0


class Spawner:
    """One long-lived daemon thread that starts every child process of this server process."""

    def __init__(self):
        self.pid = os.getpid()
        self.requests = queue.Queue()
        threading.Thread(target=self._loop, name="budgetkg-spawner", daemon=True).start()

    def _loop(self):
        while True:
            args, kwargs, future = self.requests.get()
            try:
                future.set_result(subprocess.Popen(*args, **kwargs))
            except Exception as exc:  # noqa: BLE001 - handed to the caller; the spawner must live on
                future.set_exception(exc)

    def popen(self, *args, **kwargs):
        """subprocess.Popen(*args, **kwargs), run on the spawner thread."""
        future = Future()
        self.requests.put((args, kwargs, future))
        return future.result()


_SPAWNER = {"spawner": None}
_SPAWNER_LOCK = threading.Lock()


def spawner():
    """This process's Spawner (a fresh one after fork: threads do not survive it)."""
    with _SPAWNER_LOCK:
        current = _SPAWNER["spawner"]
        if current is None or current.pid != os.getpid():
            current = _SPAWNER["spawner"] = Spawner()
        return current


def signal_name(returncode):
    """'SIGKILL' for -9, 'exit status 1' for 1."""
    if returncode is not None and returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit status {returncode}"


class Worker:
    """One worker process (`python -m server.worker`), the parent's end of its socket and its stderr log."""

    def __init__(self, store_dir, options=WorkerOptions()):
        ours, theirs = socket.socketpair()
        self.log = tempfile.TemporaryFile()
        command = [sys.executable, "-m", "budgetkg.server.worker", str(theirs.fileno()), str(store_dir),
                   "isolate" if options.isolate else "open", str(options.memory_limit), str(os.getpid())]
        env = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
        try:
            self.process = spawner().popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                           stderr=self.log, env=env)
        except BaseException:
            ours.close()
            self.log.close()
            raise
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.poller = select.poll()  # one poll object per worker, not a selector built on every wait
        self.poller.register(self.conn.fileno(), select.POLLIN)
        self.isolated = None
        self.killed = False

    def wait_ready(self, timeout=START_TIMEOUT):
        """Wait for the worker's hello; return False if it did not start."""
        try:
            if not self.conn.poll(timeout):
                return False
            _, _, self.isolated = self.conn.recv()
            return True
        except (EOFError, OSError):
            return False

    def answered(self, timeout):
        """Wait up to timeout seconds for the reply (or the worker's death: EOF); True if one came."""
        return bool(self.poller.poll(max(0.0, timeout) * 1000))

    def alive(self):
        """True while the process runs."""
        return self.process.poll() is None

    def kill(self):
        """Kill the process (a query cannot be stopped any other way), reap it, close its socket and log."""
        self.killed = True
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()
        self.log.close()

    def stderr_tail(self):
        """The last LOG_TAIL bytes the worker wrote to stderr, as text."""
        try:
            self.log.seek(0, os.SEEK_END)
            self.log.seek(max(0, self.log.tell() - LOG_TAIL))
            return self.log.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def death(self):
        """The error for a client whose query was running when this worker died unasked."""
        try:
            returncode = self.process.wait(EXIT_WAIT)
        except subprocess.TimeoutExpired:
            returncode = None
        tail = self.stderr_tail()
        how = signal_name(returncode)
        print(f"budgetkg: query worker {self.process.pid} died ({how})"
              + (f": {tail.strip().splitlines()[0][:300]}" if tail.strip() else ""), file=sys.stderr)
        if any(marker in tail for marker in MEMORY_MARKERS):
            return ServiceUnavailable("memory limit: the query needed more memory than a query worker may use "
                                      "(WORKER_MEMORY) and was stopped; make it more selective or add LIMIT")
        if returncode == -signal.SIGSEGV:
            return InternalError("query too complex: it crashed its query worker (SIGSEGV, a stack overflow "
                                 "in the SPARQL engine on deeply nested or long chained patterns); simplify it")
        if returncode == -signal.SIGKILL:
            return ServiceUnavailable("the query worker was killed from outside (SIGKILL: the system's "
                                      "out-of-memory killer or an operator) while running this query; "
                                      "the query was not answered", {"Retry-After": "1"})
        return InternalError(f"the query crashed its query worker ({how}); the query was not answered")


class WorkerPool:
    """size worker processes over one store directory, kept alive by a keeper thread."""

    def __init__(self, store_dir, size=2, isolate=True, memory_limit=0, start_timeout=START_TIMEOUT):
        self.store_dir, self.size = store_dir, size
        self.options = WorkerOptions(isolate, memory_limit)
        self.start_timeout = start_timeout
        self.pid = os.getpid()
        self.idle = queue.SimpleQueue()  # C-implemented: cheaper get/put than Queue on every request
        self.workers = set()      # live or starting workers the pool owns
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.filled = threading.Event()
        self.closed = False
        self.started = 0          # workers started over the pool's life (the first `size` included)
        threading.Thread(target=self._keep, name="budgetkg-pool-keeper", daemon=True).start()
        self.filled.wait(start_timeout + 5)

    # --- the keeper --------------------------------------------------------------------------------

    def _keep(self):
        """Replace dead workers for as long as the pool is open, with a backoff when starts fail."""
        backoff = RETRY_BACKOFF[0]
        while not self.closed:
            try:
                failed = self._heal()
            except Exception as exc:  # noqa: BLE001 - the keeper must outlive any one failure
                print(f"budgetkg: the worker pool keeper failed once: {exc!r}", file=sys.stderr)
                failed = True
            self.filled.set()
            backoff = min(RETRY_BACKOFF[1], backoff * 2) if failed else RETRY_BACKOFF[0]
            self.wake.wait(backoff if failed else HEAL_INTERVAL)
            self.wake.clear()

    def _heal(self):
        """Forget dead workers and start as many as are missing; return True if a start failed."""
        with self.lock:
            self.workers = {w for w in self.workers if w.alive()}
            missing = self.size - len(self.workers)
        fresh = []
        for _ in range(max(0, missing)):
            try:
                fresh.append(Worker(self.store_dir, self.options))
            except OSError as exc:
                print(f"budgetkg: cannot start a query worker: {exc}", file=sys.stderr)
        failed = len(fresh) < missing
        for worker in fresh:
            if worker.wait_ready(self.start_timeout) and not self.closed:
                with self.lock:
                    self.workers.add(worker)
                    self.started += 1
                self.idle.put(worker)
            else:
                failed = not self.closed
                if failed:
                    print(f"budgetkg: a query worker did not start: {worker.stderr_tail()[-500:]}",
                          file=sys.stderr)
                worker.kill()
        return failed

    def _retire(self, worker):
        """Kill a worker and let the keeper start its replacement at once."""
        with self.lock:
            self.workers.discard(worker)
        worker.kill()
        self.wake.set()

    # --- requests ----------------------------------------------------------------------------------

    @property
    def network_isolated(self):
        """True when every started worker runs without network access."""
        with self.lock:
            return bool(self.workers) and all(w.isolated for w in self.workers if w.isolated is not None)

    def live_workers(self):
        """Number of workers whose process runs."""
        with self.lock:
            return sum(w.alive() for w in self.workers)

    def _take(self, deadline, queue_timeout):
        """An idle live worker; dead ones found on the way are retired. ServiceUnavailable when none comes."""
        while True:
            try:
                worker = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise ServiceUnavailable(f"all {self.size} query workers stayed busy for {queue_timeout:g} s; "
                                         "try again later", {"Retry-After": "5"}) from None
            with self.lock:
                owned = worker in self.workers
            if owned and worker.alive():
                return worker
            self._retire(worker)

    def _send(self, job, queue_timeout):
        """Hand the job to a live worker; a worker that died idle is replaced and the next one tried."""
        deadline = time.monotonic() + queue_timeout
        while True:
            worker = self._take(deadline, queue_timeout)
            try:
                worker.conn.send(job)
                return worker
            except OSError:  # it died between the check and the send: the job never reached it
                self._retire(worker)

    def run(self, job, timeout, queue_timeout):
        """Run a job on an idle worker; the reply tuple, or an HTTPError saying what stopped the query."""
        worker = self._send(job, queue_timeout)
        try:
            reply = worker.conn.recv() if worker.answered(timeout) else None
        except (EOFError, OSError):
            error = worker.death()
            self._retire(worker)
            raise error from None
        if reply is None:
            self._retire(worker)
            raise ServiceUnavailable(f"time limit: the query timed out after {timeout:g} s (QUERY_TIMEOUT) and "
                                     "was stopped; add LIMIT or make it more selective",
                                     {"Retry-After": "1"})
        if reply[0] == "error" and len(reply) > 3 and reply[3] == "retire":
            self._retire(worker)  # e.g. a MemoryError: the worker's heap may be fragmented, start afresh
        else:
            self.idle.put(worker)
        return reply

    def close(self):
        """Stop the keeper and every worker."""
        self.closed = True
        self.wake.set()
        with self.lock:
            workers = list(self.workers)
            self.workers.clear()
        for worker in workers:
            worker.kill()
