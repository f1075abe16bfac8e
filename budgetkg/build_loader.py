"""The store side of `budgetkg build`: loads run on one background thread while the workers extract.

pyoxigraph's ``bulk_load`` (and the remote store's HTTP requests) release the GIL, so the build's
main thread keeps handing out jobs and collecting results while a batch is ingested: extraction and
loading overlap instead of taking turns. At most MAX_QUEUED batches wait (their N-Quads are in spool
files, so memory stays flat); tasks run one at a time in submission order. The first failure stops
the loader; it is raised in the build's thread at the next submit or drain, and later tasks are
dropped (the version being written is then discarded by the caller)."""

import queue
import threading

MAX_QUEUED = 2


class Loader:
    """One background thread running store tasks (callables) in order."""

    def __init__(self, max_queued=MAX_QUEUED):
        self._tasks = queue.Queue(maxsize=max_queued)
        self._error = None
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="budgetkg-loader", daemon=True)
        self._thread.start()

    def _loop(self):
        while True:
            task = self._tasks.get()
            try:
                if task is None:
                    return
                if self._error is None and not self._stopped:
                    task()
            except BaseException as exc:  # noqa: BLE001 - handed to the build's thread
                self._error = exc
            finally:
                self._tasks.task_done()

    def _raise(self):
        if self._error is not None:
            raise self._error

    def submit(self, task):
        """Queue a task (blocks while MAX_QUEUED wait); raise the failure of an earlier one."""
        self._raise()
        self._tasks.put(task)

    def drain(self):
        """Wait until every queued task ran; raise the first failure."""
        self._tasks.join()
        self._raise()

    def close(self, cancel=False):
        """Stop the thread after the queued tasks (or, with cancel, dropping them)."""
        self._stopped = cancel
        self._tasks.put(None)
        self._thread.join()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc_info):
        self.close(cancel=exc_type is not None)
