"""Linked-open-data downloads: dumps written at build time into a store version, served statically.

write_downloads() runs before a new version is published; the blueprint serves the current version's files."""

from budgetkg import vocab
import base64
import hashlib
import json
import shutil
import time
from pathlib import Path

from flask import Blueprint, current_app, render_template_string, send_file

from budgetkg.dumps import graph_file_names, write_atomically
from budgetkg.vocab import STANDARD_PREFIXES
from budgetkg.server.errors import NotFound
from budgetkg.server.twin import respond

bp = Blueprint("downloads", __name__)

from budgetkg.resources import ONTOLOGY_FILE, SHAPES_DIR
MANIFEST = "manifest.json"
MEDIA_TYPES = {".gz": "application/n-quads", ".trig": "application/trig", ".ttl": "text/turtle"}
BKG = str(vocab.BKG)
STATS_QUERIES = {
    "classes": "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class",
    "documents": f"SELECT DISTINCT ?doc WHERE {{ ?doc a <{BKG}Disclosure> }} ORDER BY ?doc",
    "subjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
}


def file_entry(root, path, title, **extra):
    """Describe one written file: relative path, title, media type, size and SHA-256."""
    digest = hashlib.sha256()
    with open(path, "rb") as fileobj:
        for chunk in iter(lambda: fileobj.read(1 << 20), b""):
            digest.update(chunk)
    return {"path": path.relative_to(root).as_posix(), "title": title,
            "media_type": MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
            "size": path.stat().st_size, "sha256": digest.hexdigest(),
            **({"compress_format": "application/gzip"} if path.suffix == ".gz" else {}), **extra}


def dataset_stats(store, triples=None):
    """Counts for the VoID description: triples (counted unless given), classes, documents,
    distinct subjects/properties (SPARQL aggregates, evaluated by the store)."""
    def rows(name):
        return [[term.value for term in solution] for solution in store.query(STATS_QUERIES[name])]

    return {"triples": store.count() if triples is None else triples, "classes": [{"class": c, "entities": int(n)} for c, n in rows("classes")],
            "documents": [doc for (doc,) in rows("documents")],
            "distinct_subjects": int(rows("subjects")[0][0]), "properties": int(rows("properties")[0][0])}


def write_downloads(store, out_dir, ontology=None, shapes_dir=None):
    """Write every dump of the store into out_dir plus manifest.json (sizes, SHA-256, statistics)."""
    from budgetkg.export import export_dataset
    from budgetkg.vocab import PREFIXES

    out_dir = Path(out_dir)
    export_dataset(store, out_dir, echo=lambda message: None)
    write_atomically(out_dir / "budgetkg.trig",
                     lambda f: store.dump_trig(f, {**STANDARD_PREFIXES, **PREFIXES}))
    files = [file_entry(out_dir, out_dir / "budgetkg.nq.gz", "The whole dataset (N-Quads, gzip)"),
             file_entry(out_dir, out_dir / "budgetkg.trig", "The whole dataset (TriG)")]
    names = graph_file_names(store.graphs())
    for iri, name in names.items():
        files.append(file_entry(out_dir, out_dir / "graphs" / name, f"Named graph <{iri}> (Turtle)",
                                graph=iri, triples=store.count(iri)))
    files += static_entries(out_dir, ontology, shapes_dir)
    return write_manifest(out_dir, files, dataset_stats(store))


def static_entries(out_dir, ontology=None, shapes_dir=None):
    """Copy the ontology and the shapes into out_dir; return their manifest entries."""
    files = []
    ontology = Path(ontology or ONTOLOGY_FILE)
    if ontology.is_file():
        (out_dir / "ontology").mkdir(exist_ok=True)
        shutil.copyfile(ontology, out_dir / "ontology" / ontology.name)
        files.append(file_entry(out_dir, out_dir / "ontology" / ontology.name, "The budgetkg ontology (Turtle)"))
    shapes_dir = Path(shapes_dir or SHAPES_DIR)
    for shape in sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []:
        (out_dir / "shapes").mkdir(exist_ok=True)
        shutil.copyfile(shape, out_dir / "shapes" / shape.name)
        files.append(file_entry(out_dir, out_dir / "shapes" / shape.name, f"SHACL shapes {shape.name} (Turtle)"))
    return files


def write_manifest(out_dir, files, stats):
    """Write manifest.json (the file list and the statistics) into out_dir; return it."""
    manifest = {"generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "files": files, "stats": stats}
    write_atomically(Path(out_dir) / MANIFEST, lambda f: f.write(json.dumps(manifest, indent=1).encode("utf-8")))
    return manifest


def current_downloads():
    """Return (downloads directory, manifest) of the published version; NotFound if none."""
    versions = current_app.extensions["budgetkg"]["versions"]
    name = versions.current()
    directory = versions.downloads_dir(name) if name else None
    try:
        return directory, json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (TypeError, OSError, ValueError):
        raise NotFound("no downloads: nothing has been published with `budgetkg build` or `budgetkg load` yet")


PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Downloads · budgetkg</title>
<h1>Downloads</h1><p>Generated {{ m.generated }}; {{ m.stats.triples }} quads.
Described in <a href="{{ url_for('void.void') }}">VoID/DCAT</a>; machine-readable list:
<a href="{{ url_for('downloads.index_json') }}">downloads.json</a>.</p>
<table><tr><th>file</th><th>title</th><th>bytes</th><th>SHA-256</th></tr>
{% for f in m.files %}<tr><td><a href="{{ url_for('downloads.file', path=f.path) }}">{{ f.path }}</a></td>
<td>{{ f.title }}</td><td>{{ f.size }}</td><td><code>{{ f.sha256 }}</code></td></tr>{% endfor %}</table></html>"""


@bp.get("/downloads")
def index():
    """List the dumps (HTML, or JSON by conneg)."""
    _, manifest = current_downloads()
    return respond(manifest, lambda data: render_template_string(PAGE, m=data))


@bp.get("/downloads.json")
def index_json():
    """List the dumps as JSON."""
    _, manifest = current_downloads()
    return respond(manifest, None, force_json=True)


@bp.get("/downloads/<path:path>")
def file(path):
    """Serve one dump with ETag, Last-Modified and Range support."""
    directory, manifest = current_downloads()
    entry = next((f for f in manifest["files"] if f["path"] == path), None)
    if entry is None:
        raise NotFound(f"no download named {path}")
    response = send_file(directory / path, mimetype=entry.get("compress_format", entry["media_type"]),
                         conditional=True,
                         etag=entry["sha256"], max_age=300, download_name=Path(path).name)
    response.headers["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(entry['sha256'])).decode()}:"
    return response
