"""Query worker processes: each opens the published store version read-only and runs one query at a time.

Workers are separate processes so that a query over its time limit can be killed (pyoxigraph cannot
cancel a running query); a worker that starts a query on a version keeps it until the query ends."""

import ctypes
import os
import resource
import signal
import sys
import threading
from multiprocessing.connection import Connection

import pyoxigraph as ox

from budgetkg.remote_store import RemoteStore, is_store_url
from budgetkg.store import QueryError, StoreError, Versions
from budgetkg.server.results import result_kind, serialize

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
PR_SET_PDEATHSIG = 1
QUERY_STACK = 128 * 1024 * 1024  # stack of the thread that runs queries: the engine recurses on nesting


def die_with_parent(parent_pid):
    """Get SIGKILL when the server process goes (Linux), and exit now if it is already gone.

    The server starts workers from one long-lived thread, so the death signal (tied by Linux to the
    forking thread) comes only when the server process ends."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if parent_pid and os.getppid() != parent_pid:
        os._exit(0)


def limit_memory(limit):
    """Cap this process's address space (RLIMIT_AS) at limit bytes; 0 leaves it as it is."""
    if limit > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def isolate_network():
    """Move this process into an empty network namespace (Linux); return True if that worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))
    except (OSError, AttributeError):
        return False


REMOTE_VERSION = "remote"  # the X-Store-Version of answers from a SPARQL server (it has no versions)


def pointer_key(path):
    """(inode, mtime, size) of the version pointer file, or None: it is replaced atomically (a new inode)
    on every publication, so an unchanged key means an unchanged version, without reading the file."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class Reader:
    """The store version this worker reads, reopened when a new version is published (or a SPARQL server)."""

    def __init__(self, store_dir):
        self.remote_url = str(store_dir) if is_store_url(store_dir) else None
        self.versions = None if self.remote_url else Versions(store_dir)
        self.version = None
        self.pointer_key = None
        self.legacy = self.remote = None

    def store(self):
        """Return (version name, store) for the current version, or (None, None); the store's query()
        takes pyoxigraph's arguments (RemoteStore mirrors them)."""
        if self.remote_url:
            if self.remote is None:
                self.remote = RemoteStore(self.remote_url, check=False)
            return REMOTE_VERSION, self.remote
        key = pointer_key(self.versions.pointer)
        if self.version is not None and key == self.pointer_key:
            return self.version.name, self.version.store  # the pointer file was not replaced: same version
        if self.versions.is_legacy():
            if self.legacy is None:
                self.legacy = ox.Store.read_only(str(self.versions.root))
            return "legacy", self.legacy
        current = self.versions.current()
        if self.version is None or self.version.name != current:
            if self.version is not None:
                self.version.close()
            self.version = self.versions.open_current()
            self.versions.collect()
        self.pointer_key = key  # taken before the pointer was read: a later swap is seen next time
        return (self.version.name, self.version.store) if self.version else (None, None)


def dataset_arguments(job):
    """Keyword arguments for Store.query: protocol dataset, the query's own FROM, or the union."""
    if job["default_graphs"] or job["named_graphs"]:
        return {"default_graph": [ox.NamedNode(iri) for iri in job["default_graphs"]],
                "named_graphs": [ox.NamedNode(iri) for iri in job["named_graphs"]]}
    return {} if job["has_dataset"] else {"use_default_graph_as_union": True}


def run_job(reader, job):
    """Run one query job; return ("ok", kind, fmt, body, truncated, version) or ("error", status, message)."""
    try:
        version, store = reader.store()
    except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
        return "error", 503, f"cannot open the store: {exc}"
    if store is None:
        return "error", 503, "nothing is published yet; run `budgetkg build` or `budgetkg load` first"
    try:
        kwargs = dataset_arguments(job)
    except ValueError as exc:
        return "error", 400, f"invalid graph IRI in default-graph-uri or named-graph-uri: {exc}"
    try:
        result = store.query(job["query"], base_iri=job.get("base_iri"), **kwargs)
        kind = result_kind(result)
        fmt = job["formats"].get(kind)
        if fmt is None:
            return "error", 406, job["not_acceptable"].get(kind, "no acceptable result format")
        body, truncated = serialize(result, fmt, job["max_rows"], job.get("prefixes"))
        return "ok", kind, fmt, body, truncated, version
    except (SyntaxError, QueryError) as exc:
        return "error", 400, f"invalid SPARQL: {exc}"
    except StoreError as exc:  # the SPARQL server behind us is down or refused
        return "error", 503, str(exc)
    except MemoryError:
        return ("error", 503, "memory limit: the query needed more memory than a query worker may use "
                "(WORKER_MEMORY) and was stopped; make it more selective or add LIMIT", "retire")
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return "error", 500, f"query evaluation failed: {exc}"
    finally:
        result = None  # noqa: F841 - drop the iterator before the next job


def apply_update(store_dir, text, base_iri):
    """Apply an update in a new version and publish it with fresh downloads; return (status, message)."""
    from budgetkg.remote_store import open_location
    from budgetkg.server.downloads import write_downloads
    try:
        with open_location(store_dir) as store:
            store.update(text, base_iri=base_iri)
            if store.writing:
                write_downloads(store, store.version_dir / "downloads")
            version = store.writing
        return 200, f"update applied; published version {version}" if version else "update applied"
    except QueryError as exc:
        return 400, f"invalid SPARQL Update: {exc}"
    except StoreError as exc:
        return 503, str(exc)
    except Exception as exc:  # noqa: BLE001 - reported to the operator
        return 500, f"update failed: {exc}"


def serve_jobs(conn, store_dir):
    """Answer jobs from the socket until it closes or a None job arrives."""
    reader = Reader(store_dir)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        if "update" in job:
            conn.send(apply_update(store_dir, job["update"], job["base_iri"]))
        else:
            conn.send(run_job(reader, job))


def worker_main(conn, store_dir, isolate, memory_limit=0, parent_pid=0):
    """Set the safeguards up, say hello, then serve jobs on a thread with a large stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    die_with_parent(parent_pid)
    isolated = isolate_network() if isolate else False
    threading.stack_size(QUERY_STACK)
    limit_memory(memory_limit)
    conn.send(("ready", os.getpid(), isolated))
    thread = threading.Thread(target=serve_jobs, args=(conn, store_dir), name="jobs")
    thread.start()
    thread.join()


if __name__ == "__main__":
    fd, directory, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    memory, parent = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (0, 0)
    worker_main(Connection(fd), directory, mode == "isolate", memory, parent)
