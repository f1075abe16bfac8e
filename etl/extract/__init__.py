"""Stage 3, extract: blocks to plain record dicts.

One module per kind of fact; each takes blocks and returns records."""

from etl.extract.functional import extract_functional_narrative
from etl.extract.narrative import extract_narrative_totals
from etl.extract.tables import interpret_table


def _optional_extractors():
    """Extractors of narrative facts (personnel, key figures, glossary), when present."""
    found = []
    for module, name in (("personnel", "extract_personnel"), ("keyfigures", "extract_key_figures"),
                         ("glossary", "extract_glossary")):
        try:
            found.append(getattr(__import__(f"etl.extract.{module}", fromlist=[name]), name))
        except (ImportError, AttributeError):
            pass
    return found


def extract_records(blocks):
    """All records of a segmented document, in document order per extractor."""
    records = []
    for block in blocks:
        if block["type"] == "table":
            records.extend(interpret_table(block))
    records.extend(extract_narrative_totals(blocks))
    records.extend(extract_functional_narrative(blocks))
    for extractor in _optional_extractors():
        records.extend(extractor(blocks))
    return records
