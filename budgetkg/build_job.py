"""One unit of work of `budgetkg build`, run in a worker process: read, extract and map a document
(one file, or several files joined into one disclosure) and write its serialisations to a spool folder.

The worker returns a small, picklable summary; the quads themselves go through files (N-Quads to
bulk-load, and the per-document dump parts: gzip N-Quads, TriG and Turtle), so the parent process
never converts or iterates triples in Python."""

import functools
import gzip
import hashlib
import io
import json
from pathlib import Path

import pyoxigraph as ox

from budgetkg.store import TermConverter

PART_SUFFIXES = {"nq": ".nq", "nq.gz": ".nq.gz", "trig": ".trig", "ttl": ".ttl", "stats": ".stats.json"}
GZIP_LEVEL = 3  # a third faster than 6 on N-Quads, files about 15 % larger


@functools.lru_cache(maxsize=1)
def dump_prefixes():
    """The prefixes written into the Turtle and TriG dumps (one dict: do not change it)."""
    from budgetkg.vocab import STANDARD_PREFIXES
    from budgetkg.vocab import PREFIXES
    return {name: str(ns) for name, ns in {**STANDARD_PREFIXES, **PREFIXES}.items()}


def nquads_bytes(graph, triples):
    """The distinct triples of one document as N-Quads in its named graph (terms validated)."""
    convert, memo = TermConverter(), {}

    def term(value):  # subjects and many objects repeat: convert (and validate) each term once
        text = memo.get(value)
        if text is None:
            text = memo[value] = convert.term(value)
        return text

    g = convert.iri(graph)
    lines = dict.fromkeys(f"{term(s)} {convert.iri(p)} {term(o)} {g} ." for s, p, o in triples)
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b"", len(lines)


def file_facts(data):
    """Size and SHA-256 of bytes written to a file (for the downloads manifest)."""
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def canonical_dataset(nquads):
    """The quads in an in-memory store: literals in the store's canonical form (xsd:decimal "8886.00"
    is kept as "8886"), so the dumps say exactly what the published store answers."""
    dataset = ox.Store()
    if nquads:
        dataset.load(nquads, ox.RdfFormat.N_QUADS)
    return dataset


def dump(dataset, rdf_format, **options):
    """Bytes of a dump of an in-memory dataset."""
    buffer = io.BytesIO()
    dataset.dump(buffer, rdf_format, **options)
    return buffer.getvalue()


def graph_stats(dataset, graph):
    """What the VoID statistics need from one graph, so they add up across graphs without a query over
    the whole store: subjects under the graph's IRI (``{graph}/…``, found in no other graph) are counted,
    the others (units, code concepts, legal documents, shared by many graphs) listed for a union."""
    from budgetkg.stats import graph_stats_from_rows
    def values(sparql):
        return [[term.value for term in row] for row in dataset.query(sparql, use_default_graph_as_union=True)]

    rows = [tuple(row) for row in values("SELECT ?s ?c WHERE { ?s a ?c }")]
    subjects = [s for (s,) in values("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")]
    properties = [p for (p,) in values("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")]
    return graph_stats_from_rows(graph, rows, subjects, properties)


def triples_stats(graph, triples):
    """graph_stats from a document's mapped triples (one pass in Python over its few thousand triples,
    cheaper than querying its dataset)."""
    from rdflib.namespace import RDF

    from budgetkg.stats import graph_stats_from_rows
    typed = [(str(s), str(o)) for s, p, o in triples if p == RDF.type]
    subjects = {str(s) for s, _, _ in triples}
    properties = {str(p) for _, p, _ in triples}
    return graph_stats_from_rows(graph, typed, subjects, properties)


def write_contents(spool, token, contents):
    """Write a document's parts ({part: bytes}) into spool; return {part: {path, size, sha256}}."""
    parts = {}
    for part, data in contents.items():
        path = Path(spool) / f"{token}{PART_SUFFIXES[part]}"
        path.write_bytes(data)
        parts[part] = {"path": str(path), **file_facts(data)}
    return parts


def part_contents(nquads, turtle, trig, stats):
    """{part: bytes} from a document's canonical N-Quads, Turtle, TriG and statistics."""
    return {"nq": nquads, "nq.gz": gzip.compress(nquads, GZIP_LEVEL, mtime=0), "trig": trig, "ttl": turtle,
            "stats": json.dumps(stats, ensure_ascii=False, sort_keys=True).encode("utf-8")}


def write_parts(spool, token, graph, nquads, stats=None):
    """Write a document's N-Quads and its dump parts into spool through an in-memory store (literals
    canonicalised and serialised by pyoxigraph); return {part: {path, size, sha256}}.

    stats: the graph's statistics when the caller has them (else they are queried from the quads)."""
    dataset, prefixes = canonical_dataset(nquads), dump_prefixes()
    contents = part_contents(dump(dataset, ox.RdfFormat.N_QUADS),
                             dump(dataset, ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(graph), prefixes=prefixes),
                             dump(dataset, ox.RdfFormat.TRIG, prefixes=prefixes),
                             stats or graph_stats(dataset, graph))
    return write_contents(spool, token, contents)


def document_parts(spool, token, graph, triples):
    """Write a mapped document's parts; return (quads, parts). The texts are written straight from the
    triples (`budgetkg.dump_text`), or through the store when a literal needs it."""
    from budgetkg.dump_text import NotCanonical, document_texts
    stats = triples_stats(graph, triples)
    try:
        nquads, count, turtle, trig = document_texts(graph, triples, dump_prefixes())
    except NotCanonical:
        nquads, count = nquads_bytes(graph, triples)
        return count, write_parts(spool, token, graph, nquads, stats)
    return count, write_contents(spool, token, part_contents(nquads, turtle, trig, stats))


def warning_entry(warning, document_name):
    """A warning as printed: 'file:line' or 'file: page 3, table 2, row 4', and its message."""
    location = warning.get("location")
    if location is not None:
        where = location.describe()
    elif warning.get("line"):
        where = f"{document_name}:{warning['line']}"
    else:
        where = document_name
    return {"where": where, "message": warning.get("message", str(warning))}


def read_documents(files, join):
    """Read the job's files; return the Document to process (joined when several)."""
    from budgetkg.etl.join import join_documents
    from budgetkg.etl.readers import read_file
    documents = [read_file(path) for path in files]
    return join_documents(documents) if join or len(documents) > 1 else documents[0]


def run_job(job):
    """Process one job {id, files, join, base, spool}; return its outcome as a dict.

    status "ok" (graph, key, quads, figures, warnings, parts), "no-metadata" (a single file whose
    unit, year or phase cannot be found, with the number of its tables: one holding tables may still
    join a disclosure of its folder), "blank" (no figures at all: a blank template) or "error"."""
    from budgetkg.etl.extract.metadata import MetadataError
    from budgetkg.etl.model import Table
    from budgetkg.etl.pipeline import BlankDocumentError, process_document
    from budgetkg.etl.read import InputError

    outcome = {"id": job["id"], "files": job["files"], "join": job["join"]}
    document = None
    try:
        document = read_documents(job["files"], job["join"])
        result = process_document(document, job["base"])
    except BlankDocumentError as exc:
        return {**outcome, "status": "blank", "error": str(exc)}
    except InputError as exc:
        if isinstance(exc.__cause__, MetadataError) and not job["join"]:
            tables = sum(isinstance(block, Table) for block in document.blocks)
            return {**outcome, "status": "no-metadata", "tables": tables, "error": str(exc)}
        return {**outcome, "status": "error", "error": str(exc)}
    except Exception as exc:  # a bug in the ETL must not stop the batch
        return {**outcome, "status": "error",
                "error": f"{', '.join(job['files'])}: unexpected {type(exc).__name__} in the ETL: {exc}"}
    meta = result["meta"]
    try:
        count, parts = document_parts(job["spool"], job["id"], result["graph"], result["triples"])
    except (ValueError, TypeError, SyntaxError) as exc:
        return {**outcome, "status": "error",
                "error": f"{', '.join(job['files'])}: cannot serialise the graph <{result['graph']}>: {exc}"}
    except OSError as exc:
        return {**outcome, "status": "error", "error": f"cannot write to the build spool {job['spool']}: {exc}"}
    return {**outcome, "status": "ok", "graph": result["graph"],
            "key": [meta["unit"], meta["year"], meta["phase"], meta.get("level")], "meta": meta, "quads": count,
            "figures": result["figures"], "parts": parts, "name": document.name,
            "warnings": [warning_entry(w, document.name) for w in result["warnings"]]}
