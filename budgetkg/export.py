"""`budgetkg export`: the whole store as gzipped N-Quads and one Turtle file per document graph.

Used by the CLI and by the server's downloads (nothing imports budgetkg.cli)."""

import gzip

from budgetkg.dumps import EXPORT_FILE, graph_file_names, write_atomically
from budgetkg.vocab import PREFIXES, STANDARD_PREFIXES


def export_dataset(store, out_dir, echo=print):
    """Write budgetkg.nq.gz (everything) and graphs/*.ttl (one per named graph) into out_dir."""
    prefixes = {**STANDARD_PREFIXES, **PREFIXES}
    graph_dir = out_dir / "graphs"
    graph_dir.mkdir(parents=True, exist_ok=True)

    def write_nquads(fileobj):
        with gzip.GzipFile(filename="budgetkg.nq", fileobj=fileobj, mode="wb", mtime=0) as gz:
            store.dump_nquads(gz)

    write_atomically(out_dir / EXPORT_FILE, write_nquads)
    echo(f"wrote {out_dir / EXPORT_FILE} ({store.count()} quads)")
    for iri, name in graph_file_names(store.graphs()).items():
        write_atomically(graph_dir / name, lambda f, iri=iri: store.dump_graph_turtle(iri, f, prefixes))
        echo(f"wrote {graph_dir / name} ({store.count(iri)} triples) <{iri}>")
