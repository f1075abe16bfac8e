"""Per-document dump parts and the dataset dumps made from them, for incremental builds.

Each published document has three parts in the store version being written: ``parts/<name>.nq.gz``
(one gzip member of N-Quads), ``parts/<name>.trig`` (TriG, with its own @prefix lines) and
``downloads/graphs/<name>.ttl`` (Turtle). A document that did not change keeps its parts (hard links
to the previous version's files); the whole-dataset dumps ``budgetkg.nq.gz`` and ``budgetkg.trig``
are the parts concatenated in graph order (gzip members concatenate into one valid gzip file; TriG
allows prefix directives between graphs), so no dump re-serialises an unchanged document."""

import hashlib
import os
import re
import shutil
from urllib.parse import urlsplit

EXPORT_FILE = "budgetkg.nq.gz"
TRIG_FILE = "budgetkg.trig"
PARTS_DIR = "parts"
DOWNLOADS_DIR = "downloads"
GRAPHS_DIR = "graphs"
COPY_CHUNK = 1 << 20


def graph_file_stem(iri):
    """A file name (without suffix) for a graph IRI: its path, query and fragment, '/' -> '_'."""
    parts = urlsplit(iri)
    raw = "_".join(p for p in (parts.path.strip("/"), parts.query, parts.fragment) if p)
    return re.sub(r"[^A-Za-z0-9._-]+", "_", raw.replace("/", "_")).strip("._") or "graph"


def unique_stem(stem, iri, used):
    """The stem, or the stem with a hash of the IRI when another graph has it already."""
    return stem if stem not in used else f"{stem}-{hashlib.sha1(iri.encode('utf-8')).hexdigest()[:8]}"


def graph_file_names(graph_iris):
    """Map each graph IRI to a deterministic, unique file name (path part, '/' -> '_')."""
    names, used = {}, set()
    for iri in sorted(graph_iris):
        name = unique_stem(graph_file_stem(iri), iri, used)
        used.add(name)
        names[iri] = name + ".ttl"
    return names


def write_atomically(target, write):
    """Write a file through a temporary sibling and rename it, so readers never see half a file."""
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as fileobj:
        write(fileobj)
    os.replace(tmp, target)


class PartsLayout:
    """Where one store version keeps its dump parts and downloads."""

    def __init__(self, version_dir):
        self.root = version_dir
        self.parts = version_dir / PARTS_DIR
        self.downloads = version_dir / DOWNLOADS_DIR
        self.graphs = self.downloads / GRAPHS_DIR

    def make(self):
        """Create the folders."""
        for folder in (self.parts, self.graphs):
            folder.mkdir(parents=True, exist_ok=True)

    def paths(self, stem):
        """{part: path} of one graph's parts."""
        return {"nq.gz": self.parts / f"{stem}.nq.gz", "trig": self.parts / f"{stem}.trig",
                "ttl": self.graphs / f"{stem}.ttl", "stats": self.parts / f"{stem}.stats.json"}

    def has(self, stem):
        """True when every part of the graph exists."""
        return all(p.is_file() for p in self.paths(stem).values())


def adopt_parts(layout, stem, spooled):
    """Move a worker's spooled parts ({part: {path ...}}) into place."""
    for part, target in layout.paths(stem).items():
        os.replace(spooled[part]["path"], target)


def carry_parts(previous, layout, stem):
    """Give an unchanged graph its parts of the previous version (hard links; copies if need be)."""
    for part, target in layout.paths(stem).items():
        source, tmp = previous.paths(stem)[part], target.with_name(target.name + ".link")
        tmp.unlink(missing_ok=True)
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)


def remove_parts(layout, stem):
    """Delete a graph's parts (an unpublished graph)."""
    for path in layout.paths(stem).values():
        path.unlink(missing_ok=True)


def concatenate(sources, target, progress=None):
    """Concatenate files into target (atomically); return {size, sha256} of the result."""
    digest, size = hashlib.sha256(), 0

    def write(out):
        nonlocal size
        for source in sources:
            with open(source, "rb") as part:
                for chunk in iter(lambda: part.read(COPY_CHUNK), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if progress:
                progress(1)

    write_atomically(target, write)
    return {"size": size, "sha256": digest.hexdigest()}
