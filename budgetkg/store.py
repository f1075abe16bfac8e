"""The graph store: one named graph per published document, queried with SPARQL 1.1.

GraphStore is the interface (a remote SPARQL store can implement it later); OxigraphStore is on disk."""

import os
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


class OxigraphStore(GraphStore):
    """A persistent pyoxigraph (RocksDB) store in a directory; one writer process at a time."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open store at {self.path}: {exc}") from exc

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
        update = f"DROP SILENT GRAPH {graph}"
        if lines:
            update += f" ;\nINSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(lines) + "\n} }"
        try:
            self._store.update(update)
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot replace graph <{graph_iri}>: {exc}") from exc
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
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))

    def close(self):
        """Flush and drop the pyoxigraph store so its directory lock is released."""
        if self._store is not None:
            try:
                self._store.flush()
            except OSError:
                pass
            self._store = None


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
