"""Building on a cluster: the per-document ETL mapped over a Dask cluster, each result published into one store.

Workers only read files and map them to N-Quads (no store access); the caller publishes each document's
graph as its result arrives, so a national build is many Dask workers in front of one scale-out store
(docs/scale-out.md). A document that fails is reported and the rest of the batch is still published."""

from dataclasses import dataclass, field

from budgetkg.store import StoreError, TermConverter

RESULT_TIMEOUT = 600  # seconds to wait for the next document of a batch before giving up on the batch


@dataclass
class Outcome:
    """What happened to one document: published (graph, triple count) or failed (error)."""

    path: str
    graph: str | None = None
    triples: int = 0
    error: str | None = None
    warnings: list = field(default_factory=list)


def document_nquads(path, base):
    """Read, extract and map one document (runs on a worker); return its graph IRI and N-Quads, or an error."""
    from budgetkg.etl.pipeline import process_file
    from budgetkg.etl.read import InputError

    try:
        result = process_file(path, base=base)
    except InputError as exc:
        return {"path": str(path), "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a bug in the ETL must not stop the batch
        return {"path": str(path), "error": f"{path}: unexpected {type(exc).__name__} in the ETL: {exc}"}
    convert = TermConverter()
    graph = convert.iri(result["graph"])
    lines = dict.fromkeys(f"{convert.triple_line(t)[:-2]} {graph} ." for t in result["triples"])
    return {"path": str(path), "graph": result["graph"], "nquads": ("\n".join(lines) + "\n").encode("utf-8"),
            "warnings": result.get("warnings", [])}


def publish(store, result):
    """Publish one worker result into the store (replace_graph_nquads: one atomic swap per document)."""
    if result.get("error"):
        return Outcome(result["path"], error=result["error"])
    try:
        count = store.replace_graph_nquads(result["graph"], result["nquads"])
    except StoreError as exc:
        return Outcome(result["path"], result["graph"], error=f"{result['path']}: {exc}")
    return Outcome(result["path"], result["graph"], count, warnings=result["warnings"])


def build_on_cluster(client, paths, store, base, timeout=RESULT_TIMEOUT):
    """Map document_nquads over the paths on a dask.distributed Client and publish the results in path order
    (the workers run ahead in parallel; publishing in order keeps the outcome deterministic).

    Returns one Outcome per path. A second file of the same disclosure is refused, as in `budgetkg build`."""
    futures = client.map(document_nquads, [str(p) for p in paths], base=base, pure=False)
    outcomes, published = [], {}
    for future in futures:
        result = future.result(timeout=timeout)
        future.release()
        earlier = published.get(result.get("graph"))
        if earlier is not None:
            outcomes.append(Outcome(result["path"], result["graph"], error=(
                f"{result['path']}: the same disclosure as {earlier}, published earlier in this build; "
                "not published (a disclosure is one file: join the files)")))
            continue
        outcomes.append(publish(store, result))
        if outcomes[-1].error is None:
            published[outcomes[-1].graph] = outcomes[-1].path
    return outcomes
