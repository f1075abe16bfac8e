"""The build state kept with each store version: which source files (path and SHA-256) each published
graph was built from, with which ETL version and base IRI, its quad count and its dump parts.

It is what makes rebuilds incremental: a graph whose files are all given again with the same bytes,
built by the same ETL version under the same base, is left as it is (store, parts and all)."""

import hashlib
import json
from dataclasses import dataclass, field

STATE_FILE = "build-state.json"
STATE_FORMAT = 1
HASH_CHUNK = 1 << 20


def file_sha256(path):
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fileobj:
        for chunk in iter(lambda: fileobj.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class BuildState:
    """graphs: {graph IRI: {"files": [{"path", "sha256"}], "key": [unit, year, phase, level], "etl", "base",
    "stem", "quads", "parts": {part: {"size", "sha256"}}, "name"}}."""
    graphs: dict = field(default_factory=dict)

    @classmethod
    def load(cls, folder):
        """The state saved in a version folder (empty when there is none or it is of another format)."""
        if folder is None:
            return cls()
        try:
            data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if data.get("format") != STATE_FORMAT:
            return cls()
        return cls(graphs=data.get("graphs", {}))

    def save(self, folder):
        """Write the state into a version folder (sorted keys: deterministic bytes)."""
        data = {"format": STATE_FORMAT, "graphs": self.graphs}
        (folder / STATE_FILE).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0),
                                         encoding="utf-8")

    def is_current(self, iri, given, etl, base):
        """True when the graph was built by this ETL version and base from exactly these bytes, all
        given again (given maps resolved paths to SHA-256)."""
        entry = self.graphs[iri]
        return (entry["etl"] == etl and entry["base"] == base
                and all(given.get(f["path"]) == f["sha256"] for f in entry["files"]))

    def graphs_of(self, paths):
        """Graph IRIs built from any of the resolved paths."""
        paths = set(paths)
        return [iri for iri, entry in self.graphs.items() if any(f["path"] in paths for f in entry["files"])]

    def used_stems(self):
        """The file-name stems of every graph's parts."""
        return {entry["stem"] for entry in self.graphs.values()}

    def total_quads(self):
        """Quads of all graphs recorded here."""
        return sum(entry["quads"] for entry in self.graphs.values())
