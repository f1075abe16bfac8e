"""The dataset statistics of the VoID description (triples, entities per class, documents, distinct
subjects and properties), added up from per-graph statistics instead of queried over the whole store.

A graph's subjects under its own IRI (``{graph}`` itself or ``{graph}/…``: observations, projects,
indicators …) are in no other graph, so they are counted; the others (units and their divisions, code
concepts, legal documents) are shared between graphs, so they are listed and united. The sums are
exact: the same numbers as COUNT(DISTINCT …) queries over the union of the graphs."""

import json
from collections import Counter, defaultdict

DISCLOSURE = "https://budgetkg.org/def#Disclosure"


def is_local(graph, subject):
    """True for a subject minted under the graph's IRI."""
    return subject == graph or subject.startswith(graph + "/")


def graph_stats_from_rows(graph, typed, subjects, properties):
    """One graph's statistics from its (subject, class) rows, distinct subjects and properties."""
    local_classes, shared_classes = Counter(), defaultdict(set)
    for subject, cls in set(typed):
        if is_local(graph, subject):
            local_classes[cls] += 1
        else:
            shared_classes[cls].add(subject)
    return {"local_classes": dict(local_classes),
            "shared_classes": {c: sorted(s) for c, s in shared_classes.items()},
            "local_subjects": sum(1 for s in subjects if is_local(graph, s)),
            "shared_subjects": sorted(s for s in subjects if not is_local(graph, s)),
            "properties": sorted(properties),
            "documents": sorted(s for s, c in set(typed) if c == DISCLOSURE)}


def combine(stats_files, triples):
    """The manifest's "stats" from the graphs' statistics files and the total number of quads."""
    classes, shared_classes = Counter(), defaultdict(set)
    local_subjects, shared_subjects, properties, documents = 0, set(), set(), set()
    for path in stats_files:
        stats = json.loads(path.read_text(encoding="utf-8"))
        classes.update(stats["local_classes"])
        for cls, subjects in stats["shared_classes"].items():
            shared_classes[cls].update(subjects)
        local_subjects += stats["local_subjects"]
        shared_subjects.update(stats["shared_subjects"])
        properties.update(stats["properties"])
        documents.update(stats["documents"])
    for cls, subjects in shared_classes.items():
        classes[cls] += len(subjects)
    return {"triples": triples,
            "classes": [{"class": c, "entities": classes[c]} for c in sorted(classes)],
            "documents": sorted(documents),
            "distinct_subjects": local_subjects + len(shared_subjects), "properties": len(properties)}
