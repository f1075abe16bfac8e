"""Stage 3, extract: blocks to plain record dicts.

One module per kind of fact; each takes blocks and returns records."""

from budgetkg.etl.extract.functional import extract_functional_narrative
from budgetkg.etl.extract.glossary import extract_glossary
from budgetkg.etl.extract.keyfigures import extract_key_figures
from budgetkg.etl.extract.legal import extract_legal_refs
from budgetkg.etl.extract.narrative import extract_narrative_totals
from budgetkg.etl.extract.performance import extract_performance
from budgetkg.etl.extract.personnel import extract_personnel
from budgetkg.etl.extract.projects import extract_project_mentions
from budgetkg.etl.extract.shares import extract_shares
from budgetkg.etl.extract.tables import interpret_table


def extract_records(blocks):
    """All records of a segmented document, in document order per extractor."""
    records = []
    for block in blocks:
        if block["type"] == "table":
            records.extend(interpret_table(block))
    records.extend(extract_narrative_totals(blocks))
    records.extend(extract_functional_narrative(blocks))
    records.extend(extract_personnel(blocks))
    records.extend(extract_key_figures(blocks))
    records.extend(extract_glossary(blocks))
    records.extend(extract_project_mentions(blocks))
    records.extend(extract_performance(blocks))
    records.extend(extract_legal_refs(blocks))
    records.extend(extract_shares(blocks, records))
    return records
