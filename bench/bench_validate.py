"""Benchmark `budgetkg validate`: per-document parallel validation against one plain pySHACL run.

Both run in the same process tree on the same graphs (the seeds, then generated corpora); ratios only."""

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rdflib import Graph  # noqa: E402

from budgetkg import validate_sparql  # noqa: E402
from budgetkg.validate import ONTOLOGY_FILE, run_shacl, shapes_graph, validate_items  # noqa: E402
from budgetkg.etl.pipeline import find_documents, process_file  # noqa: E402


def items_for(paths):
    """(graph IRI, N-Triples, "nt") for each document, as `budgetkg validate --store` gets them."""
    items = []
    for path in paths:
        result = process_file(path)
        graph = Graph()
        for triple in result["triples"]:
            graph.add(triple)
        items.append((result["graph"], graph.serialize(format="nt"), "nt"))
    return items


def timed(function, *args):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def whole_graph(items, cached):
    """Plain pySHACL once over the merged graph of every document plus the ontology."""
    validate_sparql.enable(cached)
    try:
        merged = Graph().parse(ONTOLOGY_FILE, format="turtle")
        for _iri, data, fmt in items:
            merged.parse(data=data, format=fmt)
        return run_shacl(merged, shapes_graph())
    finally:
        validate_sparql.enable(False)


def measure(label, items, with_cached=True, with_uncached=True):
    """One row: per-document parallel, whole graph with the parse cache, plain whole graph; ratios."""
    parallel, result = timed(validate_items, items, 2)
    cached = timed(whole_graph, items, True)[0] if with_cached else None
    plain = timed(whole_graph, items, False)[0] if with_uncached else None
    row = {"label": label, "documents": len(items), "parallel": parallel, "whole_cached": cached,
           "whole_plain": plain, "findings": len(result.findings)}

    def versus(seconds):
        return f"{seconds:7.1f}s ({seconds / parallel:4.1f}x)" if seconds else "    n/a"
    print(f"{label:<14} {len(items):>4} docs  parallel {parallel:7.1f}s  whole+cache {versus(cached)}  "
          f"plain whole {versus(plain)}  {parallel / len(items):5.2f}s/doc  {row['findings']} findings",
          flush=True)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,20,40", help="generated corpus sizes (documents)")
    parser.add_argument("--plain-up-to", type=int, default=20,
                        help="run the uncached whole-graph baseline only up to this many documents")
    parser.add_argument("--whole-up-to", type=int, default=10**9,
                        help="run any whole-graph baseline only up to this many documents (it grows faster "
                             "than linearly); larger sizes measure the per-document run alone, for linearity")
    parser.add_argument("--skip-seeds", action="store_true", help="do not measure the seeds")
    args = parser.parse_args(argv)
    rows = [] if args.skip_seeds else [measure("seeds", items_for(find_documents([REPO / "examples"])))]
    from generate_corpus import generate

    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            paths = generate(Path(tmp) / str(size), size, seed=size)
            whole = size <= args.whole_up_to
            rows.append(measure(f"corpus-{size}", items_for(paths), whole, whole and size <= args.plain_up_to))
    corpus = [row for row in rows if row["label"].startswith("corpus")]
    if len(corpus) < 2:
        return
    base, last = corpus[0], corpus[-1]
    print(f"linearity: {last['documents'] / base['documents']:.1f}x documents took "
          f"{last['parallel'] / base['parallel']:.2f}x the time (per-document parallel)")


if __name__ == "__main__":
    main()
