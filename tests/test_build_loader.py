"""The build's store writer (`budgetkg.build_loader`): new graphs go into one streaming bulk load,
replaced graphs into batches; everything is in the store after drain(), in the order handed over; a
failing load is raised in the build's thread instead of hanging it. Real pyoxigraph stores."""

import threading

import pytest

from budgetkg.build_loader import ChunkReader, StoreWriter
from budgetkg.store import OxigraphStore, StoreError

G1, G2 = "https://budgetkg.org/doc/a", "https://budgetkg.org/doc/b"


def nquads(graph, *objects):
    return "".join(f'<{graph}/s> <https://budgetkg.org/def#p> "{o}" <{graph}> .\n' for o in objects).encode()


def values(store, graph):
    return sorted(row[0].value for row in store.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))


class Spy:
    """A store wrapper that records which path each load took."""

    def __init__(self, store):
        self.store, self.calls = store, []

    def load_stream(self, reader):
        self.calls.append("stream")
        return self.store.load_stream(reader)

    def replace_graphs_nquads(self, graphs, data):
        self.calls.append(("batch", tuple(graphs)))
        return self.store.replace_graphs_nquads(graphs, data)


def test_new_graphs_stream_and_replaced_graphs_batch(tmp_path):
    with OxigraphStore(tmp_path / "s") as store:
        store.begin_write()
        store.replace_graphs_nquads([G2], nquads(G2, "old"))
        spy = Spy(store)
        with StoreWriter(spy, store.graphs(), batch_bytes=1) as writer:
            writer.add(G1, nquads(G1, "x", "y"))
            writer.add(G2, nquads(G2, "new"))
            writer.drain()
            assert values(store, G1) == ["x", "y"]
            assert values(store, G2) == ["new"]
        assert spy.calls == ["stream", ("batch", (G2,))]


def test_a_streamed_graph_added_again_is_replaced(tmp_path):
    with OxigraphStore(tmp_path / "s") as store:
        store.begin_write()
        with StoreWriter(store, []) as writer:
            writer.add(G1, nquads(G1, "first"))
            writer.add(G1, nquads(G1, "second"))
        assert values(store, G1) == ["second"]


def test_a_store_without_a_stream_gets_batches(tmp_path):
    class BatchesOnly:
        def __init__(self, store):
            self.store, self.graphs = store, []

        def replace_graphs_nquads(self, graphs, data):
            self.graphs.append(tuple(graphs))
            return self.store.replace_graphs_nquads(graphs, data)

    with OxigraphStore(tmp_path / "s") as store:
        store.begin_write()
        only = BatchesOnly(store)
        with StoreWriter(only, [], batch_bytes=1 << 20) as writer:
            writer.add(G1, nquads(G1, "x"))
            writer.add(G2, nquads(G2, "y"))
        assert only.graphs == [(G1, G2)]
        assert values(store, G2) == ["y"]


def test_a_failing_stream_is_raised_not_hung():
    class FailingStore:
        """Reads a little of the stream, then fails as a full disk would."""

        def load_stream(self, reader):
            reader.read(10)
            raise StoreError("cannot bulk-load the new graphs: No space left on device")

    writer = StoreWriter(FailingStore(), [])
    outcome = {}

    def build_thread():
        try:
            for i in range(200):  # far more than the stream's queue holds
                writer.add(f"{G2}{i}", nquads(f"{G2}{i}", "z" * 1000))
            writer.drain()
        except StoreError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=build_thread, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the build thread hung on a failed load"
    assert "No space left" in str(outcome["error"])
    writer.close(cancel=True)


@pytest.mark.parametrize("size", [1, 7, 4096, -1])
def test_chunk_reader_gives_every_byte_in_order(size):
    import queue
    chunks = queue.Queue()
    for chunk in (b"abc", b"", b"defgh", b"i" * 10000):
        chunks.put(chunk)
    chunks.put(None)
    reader, out = ChunkReader(chunks), b""
    while True:
        data = reader.read(size)
        if not data:
            break
        assert size < 0 or len(data) <= size
        out += data
    assert out == b"abcdefgh" + b"i" * 10000
