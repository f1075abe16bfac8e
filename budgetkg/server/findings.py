"""Validation findings of one document graph for its page, from budgetkg.validate (the shapes issue).

SHACL takes seconds, so it runs in a killable subprocess in the background, cached per store version."""

import json
import subprocess
import sys
import threading

from flask import current_app

from budgetkg.server import data, links, places

_LOCK = threading.Lock()
_STATE = {}


def available():
    """True when budgetkg.validate offers validate_graph."""
    try:
        from budgetkg.validate import validate_graph  # noqa: F401
    except ImportError:
        return False
    return True


def validate_in_subprocess(entry, body, graph_iri, timeout):
    """Run `python -m server.findings IRI` on the graph's N-Triples; fill entry with the outcome."""
    try:
        done = subprocess.run([sys.executable, "-m", "budgetkg.server.findings", graph_iri], input=body,
                              capture_output=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or "failed")
        entry.update(status="done", items=json.loads(done.stdout))
    except subprocess.TimeoutExpired:
        entry.update(status="failed", error=f"validation took longer than {timeout:g} s and was stopped")
    except Exception as exc:  # noqa: BLE001 - shown on the page instead of the findings
        entry.update(status="failed", error=f"validation could not run: {exc}")


def findings(graph_iri):
    """{"status": unavailable|pending|done|failed, "items": [...]} for one document, started on first call."""
    if not available():
        return {"status": "unavailable", "items": []}
    config = current_app.config
    key = (config["STORE"], data.current_version(), graph_iri)
    with _LOCK:
        entry = _STATE.get(key)
        if entry is None:
            entry = _STATE[key] = {"status": "pending", "items": [], "thread": None}
    if entry["thread"] is None:
        body = data.run(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {data.iri(graph_iri)} {{ ?s ?p ?o }} }}",
                        "nt", max_rows=10_000_000)[2]
        thread = threading.Thread(target=validate_in_subprocess, daemon=True,
                                  args=(entry, body, graph_iri, max(60.0, 4 * config["QUERY_TIMEOUT"])))
        with _LOCK:
            if entry["thread"] is None:
                entry["thread"] = thread
                thread.start()
    entry["thread"].join(config["FINDINGS_WAIT"])
    items = sorted((display(item) for item in entry["items"]), key=lambda i: places.position(i["place"]))
    links.resolve_labels([i["focus"] for i in items if i.get("focus")])
    for item in items:
        item["focus_href"] = links.href(item["focus"]) if item.get("focus") else None
        item["focus_label"] = links.label(item["focus"]) if item.get("focus") else None
    return {"status": entry["status"], "items": items, "error": entry.get("error")}


def display(finding):
    """The fields of a finding the page shows."""
    return {"severity": finding.get("severity"), "message": finding.get("message_zh") or finding.get("message_en"),
            "message_en": finding.get("message_en"), "line": finding.get("line"), "focus": finding.get("focus"),
            "value": finding.get("value"), "section": finding.get("section"), **finding_place(finding)}


def finding_place(finding):
    """Where a finding's focus is printed: its place parts (the line included) and the place as text."""
    parts = places.parts_of({**(finding.get("place") or {}), "line": finding.get("line")})
    return {"place": parts, "where": places.where(parts)}


def main(graph_iri):
    """Validate the N-Triples on stdin as graph_iri; print the findings as JSON."""
    from rdflib import Graph

    from budgetkg.validate import validate_graph
    graph = Graph().parse(data=sys.stdin.buffer.read().decode("utf-8"), format="nt")
    found, _, _ = validate_graph(graph, graph_iri)
    json.dump(found, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
