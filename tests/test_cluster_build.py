"""Many build workers, one scale-out store (issue 13): the ETL mapped over a local Dask cluster (two worker
processes on 127.0.0.1) and published into the private Virtuoso; the graphs equal the embedded build's."""

import csv
import io
import shutil
from pathlib import Path

import pytest

from budgetkg.cli import main
from budgetkg.cluster import build_on_cluster
from budgetkg.remote_store import RemoteStore
from budgetkg.store import OxigraphStore

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install -e '.[test]')")
QUERY = Path(__file__).resolve().parents[1] / "queries" / "cq03-functional.rq"
BASE = "https://budgetkg.org/"


@pytest.fixture(scope="module")
def dask_client():
    """A LocalCluster of two worker processes bound to 127.0.0.1 (no dashboard), closed afterwards."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=40)
    client = distributed.Client(cluster, timeout=60)
    yield client
    client.close()
    cluster.close()


def test_cluster_build_publishes_every_document_into_virtuoso(dask_client, virtuoso_store, built_store,
                                                              examples_dir, tmp_path, runner):
    batch = tmp_path / "batch"
    batch.mkdir()
    documents = sorted(examples_dir.glob("*.txt"))
    for path in documents:
        shutil.copy(path, batch / path.name)
    shutil.copy(documents[0], batch / "zz_same_disclosure_again.txt")
    (batch / "0_not_a_disclosure.txt").write_text("会议通知\n请各单位准时参加。\n", encoding="utf-8")
    paths = sorted(batch.glob("*.txt"))

    outcomes = build_on_cluster(dask_client, paths, RemoteStore(virtuoso_store), BASE)

    assert len(dask_client.scheduler_info()["workers"]) == 2
    by_name = {Path(o.path).name: o for o in outcomes}
    assert [Path(o.path).name for o in outcomes] == [p.name for p in paths]
    assert "0_not_a_disclosure.txt" in by_name["0_not_a_disclosure.txt"].error
    assert "the same disclosure as" in by_name["zz_same_disclosure_again.txt"].error
    published = [o for o in outcomes if o.error is None]
    assert len(published) == len(documents)
    with OxigraphStore(built_store) as embedded:
        assert {o.graph: o.triples for o in published} == {g: embedded.count(g) for g in embedded.graphs()}
    remote = RemoteStore(virtuoso_store)
    assert {o.graph: remote.count(o.graph) for o in published} == {o.graph: o.triples for o in published}
    rows = {}
    for store in (built_store, virtuoso_store):
        result = runner.invoke(main, ["query", str(QUERY), "--store", str(store), "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows[store] = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows[built_store]) > 1 and rows[virtuoso_store] == rows[built_store]
