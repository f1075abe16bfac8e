"""The ETL pipeline for one document: read, segment, extract, link, map.

process_file is what `budgetkg build` calls per file; it raises InputError for unpublishable input."""

import re

from etl.extract import extract_records
from etl.extract.metadata import MetadataError, extract_metadata
from etl.mapping import document_iri, map_document, short_hash
from etl.projects import link_projects
from etl.blocks import document_blocks
from etl.read import InputError
from etl.files import find_documents  # noqa: F401  (part of this module's interface)
from etl.readers import read_file

MIN_FIGURES = 3


class ExtractionError(InputError):
    """A readable text that cannot be published as a disclosure (no unit, no figures ...)."""


def link_functional_codes(records):
    """Give name-only functional figures the code the same document prints for that name."""
    codes = {}
    coded = [r for r in records if r["kind"] == "figure" and r["item"] == "functional_expenditure"
             and r.get("code")]
    # the general-public-budget tables are the canonical functional listing; others fill gaps
    for r in sorted(coded, key=lambda r: r["source"] != "general_public_budget"):
        codes.setdefault((r["name"], r["level"]), r["code"])
    for r in records:
        if r["kind"] == "figure" and r["item"] == "functional_expenditure" and not r.get("code"):
            code = codes.get((r["name"], r["level"]))
            if code:
                r["code"] = code
    return records


def locate(records, locations):
    """Give each record the Location of its line ordinal (what provenance and warnings print)."""
    for r in records:
        line = r.get("line")
        if line is not None and "location" not in r:
            r["location"] = locations.get(line)
    return records


def process_document(document, base):
    """Run extract and map on a read Document; return the result dict of process_file."""
    lines, blocks, locations = document_blocks(document)
    try:
        meta = extract_metadata(lines)
    except MetadataError as exc:
        raise ExtractionError(document.path, str(exc)) from exc
    meta.update(source_file=document.name, sha256=document.sha256, files=document.files)
    records = link_projects(link_functional_codes(extract_records(blocks)))
    doc = document_iri(base, meta["unit"], meta["year"], meta["phase"])
    for r in records:
        if r.get("project_key"):
            r["project_iri"] = f"{doc}/project/{short_hash(r['project_key'])}"
            if r["kind"] == "legal_ref":
                r["project"] = r["project_iri"]
    figures = [r for r in records if r["kind"] == "figure"]
    if len(figures) < MIN_FIGURES:
        last = next((i + 1 for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), 0)
        end = locations.get(last)
        raise ExtractionError(document.path, f"only {len(figures)} financial figures found "
                              f"(the text ends at {end.describe() if end else 'its start'}; "
                              "truncated or not a disclosure?)")
    locate(records, locations)
    triples, count, warnings = map_document(meta, records, base)
    warnings = locate([r for r in records if r["kind"] == "warning"] + warnings, locations)
    for w in warnings:
        w["message"] = re.sub(r"\s+", " ", w["message"])
    graph = str(document_graph(triples))
    return {"path": document.path, "graph": graph, "triples": triples, "figures": count,
            "warnings": sorted(warnings, key=lambda w: (w.get("line") or 0, w["message"])),
            "meta": {k: meta[k] for k in ("unit", "year", "phase")}}


def document_graph(triples):
    """The named-graph IRI of a mapped document (the subject typed bkg:Disclosure)."""
    from budgetkg.vocab import BKG
    from rdflib.namespace import RDF
    return next(s for s, p, o in triples if p == RDF.type and o == BKG.Disclosure)


def process_file(path, base="https://budgetkg.org/"):
    """Read, extract and map one document file; raise InputError naming the file if it fails."""
    return process_document(read_file(path), base)
