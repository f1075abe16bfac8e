"""The downloads of a store version written by `budgetkg build` or `budgetkg remove`, from parts.

Graphs built in this run already have their parts; unchanged ones get the previous version's (hard
links); graphs the build state does not know (brought in with `budgetkg load`) are dumped from the
store. The whole-dataset dumps are the parts concatenated; the manifest takes sizes and SHA-256s
from the build state, so no per-document file is read again."""

from pathlib import Path

import pyoxigraph as ox

from budgetkg.dumps import (EXPORT_FILE, TRIG_FILE, PartsLayout, adopt_parts, carry_parts, concatenate,
                            graph_file_stem, unique_stem)

PART_TITLES = {"ttl": "Named graph <{iri}> (Turtle)"}
STATS_STEPS = 1


def dump_graph_parts(store, iri, layout, stem):
    """Write one graph's parts from the store; return their {part: {size, sha256}}."""
    import io

    from budgetkg.build_job import write_parts

    turtle = io.BytesIO()
    store.dump_graph_turtle(iri, turtle)  # the GraphStore interface's per-graph dump
    graph = ox.NamedNode(iri)
    nquads = ox.serialize((ox.Quad(t.subject, t.predicate, t.object, graph)
                           for t in ox.parse(turtle.getvalue(), ox.RdfFormat.TURTLE)), format=ox.RdfFormat.N_QUADS)
    spooled = write_parts(layout.parts, f"{stem}.spool", iri, nquads)
    Path(spooled.pop("nq")["path"]).unlink()
    adopt_parts(layout, stem, spooled)
    return {part: {"size": facts["size"], "sha256": facts["sha256"]} for part, facts in spooled.items()}, nquads.count(b"\n")


def graph_entries(store, state, layout, previous, fresh, step):
    """Make sure every graph has its parts in layout; return {iri: entry} of all graphs, sorted."""
    entries = {}
    for iri in sorted(state.graphs):
        entry = state.graphs[iri]
        if iri not in fresh:
            if previous is not None and previous.has(entry["stem"]):
                carry_parts(previous, layout, entry["stem"])
            else:
                entry["parts"], entry["quads"] = dump_graph_parts(store, iri, layout, entry["stem"])
        entries[iri] = entry
        step(1)
    used = state.used_stems()
    for iri in store.graphs():
        if iri in entries:
            continue
        stem = graph_file_stem(iri)
        stem = unique_stem(stem, iri, used)
        used.add(stem)
        parts, quads = dump_graph_parts(store, iri, layout, stem)
        entries[iri] = {"stem": stem, "parts": parts, "quads": quads}
        step(1)
    return dict(sorted(entries.items()))


def publish_dumps(store, state, previous_dir, fresh, reporter):
    """Write the version's downloads and build state; return the number of quads published.

    A backend without a version folder (``build_dirs()`` gives None) keeps no dumps."""
    from budgetkg.stats import combine
    from budgetkg.server.downloads import static_entries, write_manifest

    _, version_dir = store.build_dirs()
    if version_dir is None:
        return state.total_quads()
    layout = PartsLayout(version_dir)
    layout.make()
    previous = PartsLayout(previous_dir) if previous_dir is not None else None
    extra = len(store.graphs()) - len(state.graphs)
    steps = len(state.graphs) + max(extra, 0) + 2 * (len(state.graphs) + max(extra, 0)) + STATS_STEPS
    with reporter.progress("writing downloads", steps) as step:
        entries = graph_entries(store, state, layout, previous, fresh, step)
        stems = [entry["stem"] for entry in entries.values()]
        whole = {
            EXPORT_FILE: concatenate([layout.paths(s)["nq.gz"] for s in stems], layout.downloads / EXPORT_FILE, step),
            TRIG_FILE: concatenate([layout.paths(s)["trig"] for s in stems], layout.downloads / TRIG_FILE, step),
        }
        files = [{"path": EXPORT_FILE, "title": "The whole dataset (N-Quads, gzip)", "media_type": "application/n-quads",
                  **whole[EXPORT_FILE], "compress_format": "application/gzip"},
                 {"path": TRIG_FILE, "title": "The whole dataset (TriG)", "media_type": "application/trig",
                  **whole[TRIG_FILE]}]
        for iri, entry in entries.items():
            files.append({"path": f"graphs/{entry['stem']}.ttl", "title": PART_TITLES["ttl"].format(iri=iri),
                          "media_type": "text/turtle", **entry["parts"]["ttl"], "graph": iri,
                          "triples": entry["quads"]})
        files += static_entries(layout.downloads)
        total = sum(entry["quads"] for entry in entries.values())
        write_manifest(layout.downloads, files, combine([layout.paths(s)["stats"] for s in stems], total))
        step(STATS_STEPS)
    state.save(version_dir)
    return total


def published_quads(store):
    """Quads of the published version, from its manifest (no count over the store when there is one)."""
    import json

    published_dir, _ = store.build_dirs()
    try:
        manifest = json.loads((PartsLayout(published_dir).downloads / "manifest.json").read_text(encoding="utf-8"))
        return int(manifest["stats"]["triples"])
    except (TypeError, OSError, ValueError, KeyError):
        return store.count()
