"""The graph store: one named graph per published document, queried with SPARQL 1.1.

GraphStore is the interface (a remote SPARQL store can implement it later); OxigraphStore is on disk."""

import fcntl
import os
import shutil
from abc import ABC, abstractmethod
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import BNode, Literal, URIRef

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
}
RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


FLUSH_EVERY = 50  # documents between flushes of the write buffer during a build
SMALL_LOAD_BYTES = 4 << 20  # N-Quads loaded in one transaction; above, bulk-loaded (then compacted at publish)


class StoreError(Exception):
    """The store could not be opened, read or written."""


class QueryError(StoreError):
    """A SPARQL query was rejected; the message is the parser's."""


class FormatError(StoreError):
    """A result format that does not fit the query form (e.g. Turtle for a SELECT)."""


class GraphStore(ABC):
    """A quad store holding one named graph per published document."""

    @abstractmethod
    def replace_graph(self, graph_iri, triples):
        """Atomically replace the named graph with the triples; on any error the old graph stays."""

    @abstractmethod
    def load(self, path_or_data, fmt=None, graph_iri=None):
        """Import an RDF file or bytes (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML)."""

    @abstractmethod
    def query(self, sparql):
        """Run a SPARQL query over the union of all graphs; raise QueryError if it is invalid."""

    @abstractmethod
    def graphs(self):
        """Return the IRIs of the named graphs, sorted."""

    @abstractmethod
    def dump_nquads(self, fileobj):
        """Write every quad as N-Quads to a binary file object."""

    @abstractmethod
    def dump_graph_turtle(self, graph_iri, fileobj, prefixes=None):
        """Write one named graph as Turtle to a binary file object."""

    @abstractmethod
    def count(self, graph_iri=None):
        """Return the number of quads in the store, or of triples in one named graph."""

    @abstractmethod
    def close(self):
        """Release the store (flushes writes and its lock)."""

    # --- bulk paths of `budgetkg build` (defaults on the methods above; backends may do better) ---

    def begin_write(self):
        """Start writing now (take the writer lock), so a busy store fails before any work is done."""

    def replace_graphs_nquads(self, graph_iris, data):
        """Replace each named graph of graph_iris by its quads in data (N-Quads bytes holding quads of
        those graphs only); return the number of quads given. A graph without quads in data is emptied."""
        quads = list(ox.parse(data, ox.RdfFormat.N_QUADS)) if data else []
        by_graph = {iri: [] for iri in graph_iris}
        for quad in quads:
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        for iri, triples in by_graph.items():
            self.replace_graph(iri, [(t.subject, t.predicate, t.object) for t in triples])
        return len(quads)

    def remove_graph(self, graph_iri):
        """Delete a named graph (unpublish a document)."""
        self.replace_graph(graph_iri, [])

    def build_dirs(self):
        """(published, writing): folders holding the build state and dump parts of the published
        version and of the one being written; (None, None) when the backend keeps none (every build
        then processes every document)."""
        return None, None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class TermConverter:
    """Convert rdflib terms to N-Triples syntax through pyoxigraph terms, which validates them."""

    def __init__(self):
        self._iris = {}

    def iri(self, value):
        """Return the N-Triples form of an IRI (cached: IRIs repeat a lot within a document)."""
        text = self._iris.get(value)
        if text is None:
            text = self._iris[value] = str(ox.NamedNode(str(value)))
        return text

    def term(self, term):
        """Return the N-Triples form of an rdflib (or pyoxigraph) term."""
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            if term.language:
                return str(ox.Literal(str(term), language=term.language))
            if term.datatype is not None:
                return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
            return str(ox.Literal(str(term)))
        if isinstance(term, BNode):
            return str(ox.BlankNode(str(term)))
        if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            return str(term)
        raise TypeError(f"not an RDF term: {term!r}")

    def triple_line(self, triple):
        """Return one triple as an N-Triples statement."""
        s, p, o = triple
        return f"{self.term(s)} {self.iri(p)} {self.term(o)} ."


class Version:
    """One published version opened read-only; holds a shared lock so it is not collected."""

    def __init__(self, name, path, store, lock_fd):
        self.name, self.path, self.store, self._lock_fd = name, path, store, lock_fd

    def close(self):
        """Drop the store and release the reader lock."""
        self.store = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None


class Versions:
    """The versioned layout of a store directory: `versions/<n>/{data,downloads}` and `current`.

    Writers build version n+1 beside the published one (under `write.lock`) and publish it by
    replacing the `current` pointer file atomically; readers open `versions/<current>/data`
    read-only under a shared lock on `versions/<n>/readers.lock`; versions older than the
    current one that no reader holds are deleted. A directory holding a pre-versioning store
    (RocksDB files at the top) is "legacy" and is read and written in place."""

    def __init__(self, root):
        self.root = Path(root)
        self.versions = self.root / "versions"
        self.pointer = self.root / "current"

    def is_legacy(self):
        """True for a plain pyoxigraph store directory made before versioning."""
        return not self.versions.is_dir() and any(
            (self.root / marker).exists() for marker in ("CURRENT", "IDENTITY", "OPTIONS"))

    def data_dir(self, name):
        """The RocksDB directory of a version."""
        return self.versions / str(name) / "data"

    def downloads_dir(self, name):
        """The directory holding a version's dumps."""
        return self.versions / str(name) / "downloads"

    def current(self):
        """Return the name of the published version, or None when nothing is published."""
        try:
            return self.pointer.read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return None

    def names(self):
        """Return the numeric version names present on disk, ascending."""
        if not self.versions.is_dir():
            return []
        return sorted((int(p.name) for p in self.versions.iterdir() if p.name.isdigit()))

    def open_current(self, attempts=5):
        """Open the published version read-only, or return None if there is none."""
        for _ in range(attempts):
            name = self.current()
            if name is None:
                return None
            try:
                fd = os.open(self.versions / name / "readers.lock", os.O_RDONLY)
            except FileNotFoundError:
                continue  # collected between reading the pointer and opening it: read it again
            fcntl.flock(fd, fcntl.LOCK_SH)
            data = self.data_dir(name)
            if not data.is_dir():
                os.close(fd)
                continue
            try:
                return Version(name, data, ox.Store.read_only(str(data)), fd)
            except OSError as exc:
                os.close(fd)
                raise StoreError(f"cannot open store version {data}: {exc}") from exc
        raise StoreError(f"store at {self.root} keeps changing; cannot open the current version")

    def lock_writer(self):
        """Take the exclusive writer lock (non-blocking); return its descriptor."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(f"another process is writing the store at {self.root}; try again later")
        return fd

    def begin(self):
        """Create the directory of the next version (writer lock held); return its name."""
        current = self.current()
        for stale in self.names():  # unpublished leftovers of a crashed writer
            if current is None or stale > int(current):
                shutil.rmtree(self.versions / str(stale), ignore_errors=True)
        name = str(max([int(current or 0), *self.names()]) + 1)
        (self.versions / name).mkdir(parents=True)
        (self.versions / name / "readers.lock").touch()
        return name

    def publish(self, name):
        """Point `current` at the version (atomic rename), then collect unused old versions."""
        tmp = self.root / "current.tmp"
        tmp.write_text(name + "\n", encoding="ascii")
        with open(tmp, "rb") as fileobj:
            os.fsync(fileobj.fileno())
        os.replace(tmp, self.pointer)
        self.collect()

    def discard(self, name):
        """Delete an unpublished version."""
        shutil.rmtree(self.versions / name, ignore_errors=True)

    def collect(self):
        """Delete versions older than the current one that no reader holds."""
        current = self.current()
        if current is None:
            return
        for old in self.names():
            if old >= int(current):
                continue
            try:
                fd = os.open(self.versions / str(old) / "readers.lock", os.O_RDONLY)
            except FileNotFoundError:
                fd = None
            try:
                if fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                trash = self.versions / f".trash-{old}-{os.getpid()}"
                os.replace(self.versions / str(old), trash)
                shutil.rmtree(trash, ignore_errors=True)
            except (BlockingIOError, FileNotFoundError, OSError):
                pass  # a reader still uses it (or another collector got there first)
            finally:
                if fd is not None:
                    os.close(fd)


class OxigraphStore(GraphStore):
    """A persistent pyoxigraph (RocksDB) store in a directory of versions; one writer at a time.

    Reads use the published version (read-only); the first write starts a new version copied
    from it, and close() publishes that version atomically, so readers never see a half-built
    store. Leaving a `with` block by an exception discards the unpublished version."""

    def __init__(self, path):
        self.path = Path(path)
        self.versions = Versions(self.path)
        self._reader = self._writer_lock = self.writing = self.published = None
        self._bulk_loaded = False
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            if self.versions.is_legacy():
                self._store = ox.Store(str(self.path))
            else:
                self._reader = self.versions.open_current()
                self._store = self._reader.store if self._reader else ox.Store()
                self.published = self._reader.name if self._reader else None
        except OSError as exc:
            raise StoreError(f"cannot open store at {self.path}: {exc}") from exc

    @property
    def version_dir(self):
        """The directory of the version being written (or read); None for legacy or empty stores."""
        name = self.writing or (self._reader.name if self._reader else None)
        return self.versions.versions / name if name else None

    def _begin_write(self):
        """Start a new version copied from the published one (no-op for legacy stores)."""
        self._check_open()
        if self.writing or self.versions.is_legacy():
            return
        self._writer_lock = self.versions.lock_writer()
        try:
            name = self.versions.begin()
            data = self.versions.data_dir(name)
            if self._reader is not None:
                self._reader.store.backup(str(data))
            self._store = ox.Store(str(data))
        except OSError as exc:
            os.close(self._writer_lock)
            self._writer_lock = None
            raise StoreError(f"cannot start a new version of {self.path}: {exc}") from exc
        self.writing = name
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def begin_write(self):
        """Take the writer lock and start the new version now (StoreError when another writer has it)."""
        self._begin_write()

    def build_dirs(self):
        """The published version's folder (kept until this writer publishes) and the one being written."""
        published = self.versions.versions / self.published if self.published else None
        return published, (self.versions.versions / self.writing if self.writing else None)

    def replace_graphs_nquads(self, graph_iris, data):
        """Drop the graphs, then load the N-Quads: up to SMALL_LOAD_BYTES in one transaction (a rebuild
        of a few changed documents then needs no compaction), more with a bulk load (RocksDB SST
        ingestion). Never SPARQL text.

        A bulk load is not one transaction, but it goes into the unpublished version: a failure raises
        StoreError and the build discards that version, so readers never see a half-replaced graph."""
        self._begin_write()
        try:
            for iri in graph_iris:
                self._store.remove_graph(ox.NamedNode(iri))
            if data and len(data) <= SMALL_LOAD_BYTES:  # a few changed documents: no SST files to compact
                self._store.load(data, ox.RdfFormat.N_QUADS, lenient=True)
            elif data:
                self._store.bulk_load(data, ox.RdfFormat.N_QUADS, lenient=True)
                self._bulk_loaded = True
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot load the graphs {', '.join(f'<{i}>' for i in graph_iris)}: {exc}") from exc
        return data.count(b"\n") if data else 0

    def load_stream(self, reader):
        """Bulk-load N-Quads read from a file-like object until it ends (graphs not in the store yet:
        nothing is dropped first). Same guarantees as replace_graphs_nquads."""
        self._begin_write()
        try:
            self._store.bulk_load(reader, ox.RdfFormat.N_QUADS, lenient=True)
            self._bulk_loaded = True
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot bulk-load the new graphs: {exc}") from exc

    def remove_graph(self, graph_iri):
        """Delete a named graph in the version being written."""
        self._begin_write()
        try:
            self._store.remove_graph(ox.NamedNode(graph_iri))
        except (ValueError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot remove graph <{graph_iri}>: {exc}") from exc

    def __exit__(self, exc_type, *exc_info):
        self.close(publish=exc_type is None)

    def _check_open(self):
        # Methods use self._store directly and never keep it in a local variable: a traceback
        # holding such a frame would keep the store (and its directory lock) alive after close().
        if self._store is None:
            raise StoreError(f"store at {self.path} is closed")

    def replace_graph(self, graph_iri, triples):
        """Replace the graph in one SPARQL Update (one transaction); return the distinct triple count.

        All triples are converted first, so a bad term or a failing iterable never touches the
        store; DROP and INSERT DATA then commit together, so readers see the old or the new graph."""
        self._check_open()
        convert = TermConverter()
        try:
            graph = convert.iri(graph_iri)
            lines = dict.fromkeys(convert.triple_line(t) for t in triples)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"cannot convert triples for <{graph_iri}>: {exc}") from exc
        self._begin_write()
        update = f"DROP SILENT GRAPH {graph}"
        if lines:
            update += f" ;\nINSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(lines) + "\n} }"
        try:
            self._store.update(update)
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot replace graph <{graph_iri}>: {exc}") from exc
        self._writes = getattr(self, "_writes", 0) + 1
        if self._writes % FLUSH_EVERY == 0:
            self._store.flush()  # write RocksDB's memtables to disk: memory stays flat on big builds
        return len(lines)

    def load(self, path_or_data, fmt=None, graph_iri=None, base_iri=None):
        """Import RDF in one transaction; path_or_data is a path (str or Path) or bytes/str content.

        fmt is a name from RDF_FORMATS, or None to guess from the file extension; triples go to
        graph_iri (default graph if None), quads keep their graphs."""
        self._check_open()
        source = {}
        if isinstance(path_or_data, os.PathLike) or (
            isinstance(path_or_data, str) and "\n" not in path_or_data and os.path.isfile(path_or_data)
        ):
            source["path"] = str(path_or_data)
            fmt = fmt or Path(path_or_data).suffix.lstrip(".")
        else:
            source["input"] = path_or_data
        rdf_format = RDF_FORMATS.get((fmt or "").lower())
        if rdf_format is None:
            raise StoreError(f"unknown RDF format {fmt!r}; use one of {', '.join(sorted(RDF_FORMATS))}")
        self._begin_write()
        try:
            to_graph = ox.NamedNode(graph_iri) if graph_iri else None
            self._store.load(format=rdf_format, to_graph=to_graph, base_iri=base_iri, **source)
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot load {source.get('path', 'data')}: {exc}") from exc

    def query(self, sparql):
        """Run a query with the union of all named graphs as the default graph."""
        self._check_open()
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def update(self, sparql, base_iri=None):
        """Apply a SPARQL Update in one transaction (in the new version); QueryError if invalid."""
        self._begin_write()
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def graphs(self):
        """Return the named graph IRIs, sorted."""
        self._check_open()
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump_nquads(self, fileobj):
        """Write the whole dataset as N-Quads."""
        try:
            self._check_open()
            self._store.dump(fileobj, ox.RdfFormat.N_QUADS)
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot dump store: {exc}") from exc

    def dump_trig(self, fileobj, prefixes=None):
        """Write the whole dataset as TriG, abbreviating IRIs with the given prefixes."""
        prefixes = {name: str(ns) for name, ns in (prefixes or {}).items()}
        try:
            self._check_open()
            self._store.dump(fileobj, ox.RdfFormat.TRIG, prefixes=prefixes)
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot dump store: {exc}") from exc

    def dump_graph_turtle(self, graph_iri, fileobj, prefixes=None):
        """Write one named graph as Turtle, abbreviating IRIs with the given prefixes."""
        prefixes = {name: str(ns) for name, ns in (prefixes or {}).items()}
        try:
            self._check_open()
            self._store.dump(fileobj, ox.RdfFormat.TURTLE,
                             from_graph=ox.NamedNode(graph_iri), prefixes=prefixes)
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot dump graph <{graph_iri}>: {exc}") from exc

    def count(self, graph_iri=None):
        """Count quads in the store or triples in one named graph."""
        self._check_open()
        if graph_iri is None:
            return len(self._store)
        solutions = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph_iri)} {{ ?s ?p ?o }} }}")
        return int(next(iter(solutions))[0].value)

    def close(self, publish=True):
        """Publish the version being written (or discard it), then release stores and locks."""
        if self._store is None:
            return
        try:
            if self.writing and publish and self._bulk_loaded:
                self._store.optimize()  # bulk-loaded SST files make every lookup 2-3x dearer until compacted
            if self.writing:
                self._store.flush()
            elif self.versions.is_legacy():
                self._store.flush()
        except OSError:
            pass
        self._store = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self.writing:
            try:
                self.versions.publish(self.writing) if publish else self.versions.discard(self.writing)
            finally:
                os.close(self._writer_lock)
                self._writer_lock = self.writing = None


def format_results(result, fmt):
    """Serialise a query result to bytes: csv|tsv|json for SELECT/ASK, ttl|nt for CONSTRUCT/DESCRIBE."""
    fmt = fmt.lower()
    graph_result = isinstance(result, ox.QueryTriples)
    try:
        if graph_result:
            if fmt not in GRAPH_FORMATS:
                raise FormatError(f"format {fmt!r} does not fit a CONSTRUCT/DESCRIBE result; use ttl or nt")
            return result.serialize(format=GRAPH_FORMATS[fmt])
        if fmt not in RESULT_FORMATS:
            raise FormatError(f"format {fmt!r} does not fit a SELECT/ASK result; use csv, tsv or json")
        return result.serialize(format=RESULT_FORMATS[fmt])
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"query evaluation failed: {exc}") from exc


def default_result_format(result):
    """Return the default format for a query result: ttl for CONSTRUCT/DESCRIBE, else csv."""
    return "ttl" if isinstance(result, ox.QueryTriples) else "csv"
