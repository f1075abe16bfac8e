"""`budgetkg build`: extract documents in a process pool and stream their quads into the store.

Steps: find the files (unsupported ones in folders are listed as skipped); hash them and leave every
graph whose files, ETL version and base are unchanged as it is (`budgetkg.build_state`); take the
writer lock (a busy store fails here, once); run one job per changed file in worker processes
(`budgetkg.build_job`, at most IN_FLIGHT_PER_WORKER results waiting per worker, so memory stays flat);
load finished documents in the background (`budgetkg.build_loader`: one streaming bulk load for new
graphs, batches for replaced ones); then join the files of one
disclosure given together (`etl.join`) and re-run them as one job; unpublish superseded (and with
prune, removed) graphs; write the dumps from per-document parts (`budgetkg.dumps`). Everything goes
into a new store version, published when the store is closed. A document that fails keeps the graph
published before; a store failure raises StoreError and the caller discards the version."""

import gzip
import multiprocessing
import shutil
import tempfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from budgetkg.build_job import run_job
from budgetkg.build_loader import StoreWriter
from budgetkg.build_state import BuildState, file_sha256
from budgetkg.dumps import PartsLayout, adopt_parts, graph_file_stem, unique_stem
from budgetkg.publish import publish_dumps

IN_FLIGHT_PER_WORKER = 2
POOL_PRELOAD = ["budgetkg.build_job", "budgetkg.etl.join", "budgetkg.build_preload"]


@dataclass
class Outcome:
    """What a build did, for its summary."""
    published: list = field(default_factory=list)  # graph IRIs written by this build
    unchanged: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # source paths
    skipped: list = field(default_factory=list)  # (path, reason)
    blank: list = field(default_factory=list)  # source paths holding no figures (blank templates)
    removed: list = field(default_factory=list)  # graph IRIs unpublished
    files: int = 0
    quads: int = 0


class Reporter:
    """How the build talks: lines on stdout/stderr and progress bars (the CLI overrides these)."""

    def line(self, message, err=False):
        """Print one line."""

    def progress(self, label, length):
        """A context manager whose value is called with the number of steps done since the last call."""
        from contextlib import nullcontext
        return nullcontext(lambda steps=1: None)


def summary_line(name, result):
    """One line per published document: file, unit, year, phase (and level when it is a unit's own
    disclosure, 单位预算/决算) and counts."""
    meta = result.get("meta", {})
    level = f" ({meta['level']})" if meta.get("level") not in (None, "department") else ""
    return (f"{name}: {meta.get('unit', '?')} {meta.get('year', '?')} {meta.get('phase', '?')}{level}, "
            f"{result['quads']} triples, {result.get('figures', 0)} figures, "
            f"{len(result.get('warnings', []))} warnings")


def worker_pool(jobs):
    """A process pool of `jobs` workers started from a fork server (no store or threads inherited)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(POOL_PRELOAD)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def run_jobs(jobs, workers, pool_box):
    """Yield the outcome of every job; with workers > 1 in the pool held in pool_box[0], at most
    IN_FLIGHT_PER_WORKER per worker submitted ahead. A dead worker fails its jobs, not the build."""
    if workers <= 1:
        for job in jobs:
            yield run_job(job)
        return
    jobs, pending = iter(jobs), {}
    while True:
        while len(pending) < workers * IN_FLIGHT_PER_WORKER:
            job = next(jobs, None)
            if job is None:
                break
            pending[pool_box[0].submit(run_job, job)] = job
        if not pending:
            return
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            job = pending.pop(future)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                yield {**job, "status": "error", "error": f"{', '.join(job['files'])}: the worker process died"}
                yield from restart_pool(pool_box, workers, pending)
                break
            yield outcome


def restart_pool(pool_box, workers, pending):
    """Replace a broken pool; yield the results that were finished, submit the other jobs again."""
    pool_box[0].shutdown(wait=False, cancel_futures=True)
    pool_box[0] = worker_pool(workers)
    for future, job in list(pending.items()):
        del pending[future]
        if future.done() and future.exception() is None:
            yield future.result()
        else:
            pending[pool_box[0].submit(run_job, job)] = job


class Build:
    """One run of `budgetkg build` over a store (see the module docstring)."""

    def __init__(self, store, base, etl, strict=False, workers=1, reporter=None):
        self.store, self.base, self.etl, self.strict, self.workers = store, base, etl, strict, workers
        self.report = reporter or Reporter()
        published_dir, _ = store.build_dirs()
        self.previous_dir = published_dir
        self.previous = BuildState.load(published_dir)
        self.state = BuildState(graphs=dict(self.previous.graphs))
        self.outcome = Outcome()
        self.claims = {}  # graph IRI -> resolved paths claiming it in this build
        self.keys = {}  # resolved path -> disclosure key (tuple) or None
        self.no_metadata = {}  # resolved path -> error message
        self.writer = None  # a StoreWriter while run() goes on: documents load in the background
        self.layout, self.used_stems = None, set()
        self.listed = set()  # the graphs in self.outcome.published
        self.spool = None
        self.next_id = 0
        self.given, self.unchanged_paths = {}, set()

    # --- planning -----------------------------------------------------------------------------

    def plan(self, files):
        """Hash the files; return the resolved paths to process (the rest belong to unchanged graphs)."""
        given = {str(Path(p).resolve()): file_sha256(p) for p in files}
        self.given = given
        self.outcome.files = len(given)
        for iri in sorted(self.previous.graphs):
            if self.previous.is_current(iri, given, self.etl, self.base):
                entry = self.previous.graphs[iri]
                self.outcome.unchanged.append(iri)
                self.claims[iri] = [f["path"] for f in entry["files"]]
                for f in entry["files"]:
                    self.keys[f["path"]] = tuple(entry["key"])
        self.unchanged_paths = set(self.keys)
        return [p for p in sorted(given) if p not in self.keys]

    def prunable(self):
        """True when a graph of the previous build is not claimed by the files given (for --prune)."""
        return any(iri not in self.claims for iri in self.previous.graphs)

    # --- jobs ---------------------------------------------------------------------------------

    def job(self, files, join=False):
        self.next_id += 1
        return {"id": str(self.next_id), "files": list(files), "join": join, "base": self.base,
                "spool": str(self.spool)}

    def run(self, to_process, prune=False):
        """Process the planned files, join split disclosures, unpublish what is gone; write dumps."""
        _, version_dir = self.store.build_dirs()
        self.spool = (version_dir / "spool") if version_dir else Path(tempfile.mkdtemp(prefix="bkg-spool-"))
        self.spool.mkdir(parents=True, exist_ok=True)
        self.workers = min(self.workers, len(to_process) or 1)  # one changed document: no pool to start
        pool_box = [worker_pool(self.workers)] if self.workers > 1 else [None]
        try:
            self.layout = PartsLayout(version_dir) if version_dir else None
            if self.layout is not None:
                self.layout.make()
            self.used_stems = self.state.used_stems()
            with self.report.progress("building", len(to_process)) as step, \
                    StoreWriter(self.store, self.store.graphs()) as self.writer:
                for outcome in run_jobs([self.job([p]) for p in to_process], self.workers, pool_box):
                    self.single(outcome)
                    step(1)
                self.writer.drain()  # joined disclosures replace graphs loaded above
                joins = self.join_jobs()
                for outcome in run_jobs(joins, self.workers, pool_box):
                    self.joined(outcome)
                    step(1)
            for path, message in sorted(self.no_metadata.items()):
                self.fail([path], f"{message} (and no other disclosure given from its folder to join)")
            self.unpublish(prune)
            fresh = set(self.outcome.published)
            self.outcome.quads = publish_dumps(self.store, self.state, self.previous_dir, fresh, self.report)
        finally:
            self.writer = None
            if pool_box[0] is not None:
                pool_box[0].shutdown()
            shutil.rmtree(self.spool, ignore_errors=True)
        return self.outcome

    def single(self, outcome):
        """Handle the outcome of a one-file job."""
        path = outcome["files"][0]
        if outcome["status"] == "no-metadata" and outcome["tables"]:  # e.g. the tables of a disclosure
            self.no_metadata[path] = outcome["error"]
            self.keys[path] = None
            return
        if outcome["status"] == "blank":  # reported, not published, not a failure
            self.outcome.blank.append(path)
            self.report.line(f"not published: {outcome['error']}", err=True)
            return
        if outcome["status"] != "ok":
            return self.fail([path], outcome["error"])
        self.keys[path] = tuple(outcome["key"])
        graph = outcome["graph"]
        if graph in self.claims:  # a second file of one disclosure: joined below
            self.discard_spool(outcome)
            self.claims[graph].append(path)
            return
        if self.publishable(outcome, [path]):
            self.claims[graph] = [path]

    def publishable(self, outcome, paths):
        """Print warnings; queue the document for loading unless --strict refuses it."""
        for warning in outcome["warnings"]:
            self.report.line(f"{warning['where']}: {warning['message']}", err=True)
        if self.strict and outcome["warnings"]:
            self.discard_spool(outcome)
            self.fail(paths, f"{outcome['name']}: {len(outcome['warnings'])} warning(s) with --strict; not published")
            return False
        self.enqueue(outcome, paths)
        return True

    def join_jobs(self):
        """Jobs for the groups of files of one disclosure (etl.join rules) that hold a changed file."""
        from budgetkg.etl.join import group_files

        groups, _ = group_files(self.keys)
        jobs = []
        for key, paths in sorted(groups.items(), key=lambda kv: kv[1]):
            if len(paths) < 2 or all(p in self.unchanged_paths for p in paths):
                continue
            for path in paths:
                self.no_metadata.pop(path, None)
            jobs.append(self.job(paths, join=True))
        return jobs

    def joined(self, outcome):
        """Handle the outcome of a job joining several files into one disclosure."""
        paths = outcome["files"]
        names = ", ".join(Path(p).name for p in paths)
        claimed = next((iri for iri, owners in self.claims.items() if set(owners) & set(paths)), None)
        if outcome["status"] == "ok" and claimed is not None and outcome["graph"] != claimed:
            self.discard_spool(outcome)
            outcome = {**outcome, "status": "error",
                       "error": f"{names}: joined, these files give another disclosure "
                                f"({' '.join(map(str, outcome['key']))}) than alone"}
        if outcome["status"] != "ok":
            self.restore(claimed)
            return self.fail(paths, outcome["error"])
        if claimed in self.outcome.unchanged:
            self.outcome.unchanged.remove(claimed)
        self.unlist(outcome["graph"])
        if self.publishable(outcome, paths):
            self.claims[outcome["graph"]] = list(paths)

    def unlist(self, graph):
        """Take a graph off the list of graphs this build publishes."""
        if graph in self.listed:
            self.listed.discard(graph)
            self.outcome.published.remove(graph)

    def restore(self, graph):
        """After a failed join: give the graph back the content it had before this build."""
        if graph is None or graph in self.outcome.unchanged or graph not in self.listed:
            return
        if self.writer is not None:
            self.writer.drain()  # the graph's new quads must be in before the old ones go back
        self.unlist(graph)
        del self.claims[graph]
        before = self.previous.graphs.get(graph)
        part = self.previous_dir / "parts" / f"{before['stem']}.nq.gz" if before and self.previous_dir else None
        if part is not None and part.is_file():
            self.store.replace_graphs_nquads([graph], gzip.decompress(part.read_bytes()))
            self.state.graphs[graph] = before
        else:
            self.store.remove_graph(graph)
            self.state.graphs.pop(graph, None)

    def fail(self, paths, message):
        self.outcome.failed.extend(paths)
        self.report.line(f"error: {message}", err=True)

    def discard_spool(self, outcome):
        for part in outcome.get("parts", {}).values():
            Path(part["path"]).unlink(missing_ok=True)

    # --- loading ------------------------------------------------------------------------------

    def enqueue(self, outcome, paths):
        """Hand a finished document to the store writer (it loads in the background) and record it in
        the state. A load that fails fails the build and its version is discarded, so the state may
        run ahead of the store."""
        nquads = Path(outcome["parts"]["nq"]["path"])
        self.writer.add(outcome["graph"], nquads.read_bytes())
        nquads.unlink(missing_ok=True)
        self.record(outcome, paths)
        if outcome["graph"] not in self.listed:  # a set: the list is long in a national build
            self.listed.add(outcome["graph"])
            self.outcome.published.append(outcome["graph"])
        self.report.line(summary_line(outcome["name"], outcome))

    def record(self, outcome, paths):
        """Put a loaded document's dump parts in place and its entry in the build state."""
        graph = outcome["graph"]
        old = self.state.graphs.get(graph)
        stem = old["stem"] if old else unique_stem(graph_file_stem(graph), graph, self.used_stems)
        self.used_stems.add(stem)
        if self.layout is not None:
            adopt_parts(self.layout, stem, outcome["parts"])
        else:
            self.discard_spool(outcome)
        self.state.graphs[graph] = {
            "files": [{"path": p, "sha256": self.given[p]} for p in paths], "key": list(outcome["key"]),
            "etl": self.etl, "base": self.base, "stem": stem, "quads": outcome["quads"], "name": outcome["name"],
            "parts": {k: {"size": v["size"], "sha256": v["sha256"]} for k, v in outcome["parts"].items() if k != "nq"}}

    # --- unpublishing -------------------------------------------------------------------------

    def unpublish(self, prune):
        """Remove graphs of the previous build that no file claims any more: superseded ones (all their
        files were given and now publish elsewhere) always, the rest (files not given) with prune.
        A graph one of whose files failed in this build stays."""
        failed = set(self.outcome.failed)
        for iri in sorted(self.previous.graphs):
            if iri in self.claims or iri not in self.state.graphs:
                continue
            files = [f["path"] for f in self.previous.graphs[iri]["files"]]
            if failed & set(files):
                continue
            if prune or all(p in self.given for p in files):
                self.remove(iri)

    def remove(self, iri):
        """Unpublish one graph."""
        self.store.remove_graph(iri)
        self.state.graphs.pop(iri, None)
        self.outcome.removed.append(iri)


def remove_sources(store, targets, reporter=None):
    """Unpublish the graphs built from the given source files or folders (or given as graph IRIs);
    return (removed graph IRIs, targets that matched nothing)."""
    reporter = reporter or Reporter()
    published_dir, _ = store.build_dirs()
    previous = BuildState.load(published_dir)
    state = BuildState(graphs=dict(previous.graphs))
    graphs, unmatched = [], []
    for target in targets:
        resolved = Path(target).resolve()
        found = [iri for iri, entry in previous.graphs.items() if iri == target or any(
            Path(f["path"]) == resolved or resolved in Path(f["path"]).parents for f in entry["files"])]
        if not found and target in store.graphs():
            found = [target]
        graphs.extend(iri for iri in found if iri not in graphs)
        if not found:
            unmatched.append(target)
    if not graphs:
        return [], unmatched
    store.begin_write()
    for iri in graphs:
        store.remove_graph(iri)
        state.graphs.pop(iri, None)
    publish_dumps(store, state, published_dir, set(), reporter)
    return graphs, unmatched
