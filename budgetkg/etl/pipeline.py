"""The ETL pipeline for one document: read, segment, extract, link, map.

process_file is what `budgetkg build` calls per file; it raises InputError for unpublishable input."""

import re

from budgetkg.etl.extract import extract_records
from budgetkg.etl.extract.contents import check_contents
from budgetkg.etl.extract.metadata import MetadataError, extract_metadata, is_template, title_text, title_year_and_phase
from budgetkg.etl.link_codes import link_functional_codes  # noqa: F401  (re-exported)
from budgetkg.etl.mapping import document_iri, map_document, short_hash
from budgetkg.etl.projects import link_projects
from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.read import InputError
from budgetkg.etl.files import find_documents  # noqa: F401  (part of this module's interface)
from budgetkg.etl.readers import read_file

MIN_FIGURES = 3


class ExtractionError(InputError):
    """A readable text that cannot be published as a disclosure (no unit, no figures ...)."""


class BlankDocumentError(ExtractionError):
    """A document that holds no figures at all: a blank template (tables without amounts, or a
    placeholder unit). Not an error of the input: `budgetkg build` reports it and goes on."""




def locate(records, locations):
    """Give each record the Location of its line ordinal (what provenance and warnings print)."""
    for r in records:
        line = r.get("line")
        if line is not None and "location" not in r:
            r["location"] = locations.get(line)
    return records


def _no_figures_error(document, blocks, title):
    """The ExtractionError of a document without a single figure: a blank template when it has tables
    (none holding an amount) or names a placeholder unit, else None (the caller says why)."""
    tables = sum(1 for b in blocks if b["type"] == "table")
    if not tables and not is_template(title):
        return None
    what = f"{tables} table(s), none with an amount" if tables else "no tables"
    return BlankDocumentError(document.path, f"no figures: a blank template? ({what}; title "
                              f"{title[:60]!r})" if title else f"no figures: a blank template? ({what})")


def _too_few_figures(document, lines, locations, figures):
    """The ExtractionError of a document with fewer figures than a disclosure prints."""
    last = next((i + 1 for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), 0)
    end = locations.get(last)
    where = ("its start" if end is None else f"line {end.line}" if end.page is None and end.line
             else end.describe().split(": ", 1)[-1])
    return ExtractionError(document.path, f"only {len(figures)} financial figures found "
                           f"(the text ends at {where}; "
                           "truncated or not a disclosure?)")


def publishable(records, title):
    """Whether the records are a disclosure's: MIN_FIGURES figures, or (a partial document: only a
    三公 table, or a 项目支出绩效自评表 on its own) a title naming the year and at least one figure or
    performance indicator."""
    figures = sum(1 for r in records if r["kind"] == "figure")
    if figures >= MIN_FIGURES:
        return True
    indicators = any(r["kind"] == "indicator" for r in records)
    return bool(title_year_and_phase(title)[0]) and (figures > 0 or indicators)


def process_document(document, base):
    """Run extract and map on a read Document; return the result dict of process_file."""
    lines, blocks, locations = document_blocks(document)
    records = extract_records(blocks)
    title = title_text(lines)
    if not any(r["kind"] in ("figure", "indicator") for r in records):
        blank = _no_figures_error(document, blocks, title)
        if blank is not None:
            raise blank
    try:
        meta = extract_metadata(lines)
    except MetadataError as exc:
        raise ExtractionError(document.path, str(exc)) from exc
    meta.update(source_file=document.name, sha256=document.sha256, files=document.files)
    figures = [r for r in records if r["kind"] == "figure"]
    if not publishable(records, meta["title"]):
        raise _too_few_figures(document, lines, locations, figures)
    records = link_projects(link_functional_codes(records)) + check_contents(lines)
    doc = document_iri(base, meta["unit"], meta["year"], meta["phase"], meta["level"])
    for r in records:
        if r.get("project_key"):
            r["project_iri"] = f"{doc}/project/{short_hash(r['project_key'])}"
            if r["kind"] == "legal_ref":
                r["project"] = r["project_iri"]
    locate(records, locations)
    triples, count, warnings = map_document(meta, records, base)
    warnings = locate([r for r in records if r["kind"] == "warning"] + warnings, locations)
    for w in warnings:
        w["message"] = re.sub(r"\s+", " ", w["message"])
    graph = str(document_graph(triples))
    return {"path": document.path, "graph": graph, "triples": triples, "figures": count,
            "warnings": sorted(warnings, key=lambda w: (w.get("line") or 0, w["message"])),
            "meta": {k: meta[k] for k in ("unit", "year", "phase", "level")}}


def document_graph(triples):
    """The named-graph IRI of a mapped document (the subject typed bkg:Disclosure)."""
    from budgetkg.vocab import BKG
    from rdflib.namespace import RDF
    return next(s for s, p, o in triples if p == RDF.type and o == BKG.Disclosure)


def process_file(path, base="https://budgetkg.org/"):
    """Read, extract and map one document file; raise InputError naming the file if it fails."""
    return process_document(read_file(path), base)
