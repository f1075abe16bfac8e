"""Plain-dict record shapes handed from extraction to mapping.

A record is a dict; these helpers build them so every extractor emits the same keys."""

from decimal import Decimal


def figure(item, value, *, uom="wanyuan", line, section="", text="", source="all",
           code=None, name=None, level=None, exptype=None, comparison="value",
           reason=None, printed=None, printed_unit=None, column=None):
    """Build one figure record: a number the document prints, with where it was printed.

    item: key of budgetkg.codes.ITEMS; value: Decimal in the unit ``uom`` (money in 万元);
    source / exptype / comparison: keys of the code lists; code/name/level: classification
    (functional or economic code, printed name, 类/款/项 level); line/section/text: provenance,
    with column (1-based) the table column of a number read from a table."""
    if not isinstance(value, Decimal):
        raise TypeError(f"figure value must be Decimal, got {type(value).__name__}")
    return {
        "kind": "figure", "item": item, "value": value, "uom": uom, "source": source,
        "code": code, "name": name, "level": level, "exptype": exptype,
        "comparison": comparison, "reason": reason,
        "printed": printed if printed is not None else str(value),
        "printed_unit": printed_unit, "line": line, "section": section, "text": text,
        **({"column": column} if column is not None else {}),
    }


def warning(message, *, line=None):
    """Build one warning record: something the extractor could not read."""
    return {"kind": "warning", "message": message, "line": line}


def keep_first(records):
    """Drop later repeats of an (item, comparison) figure with the same value; keep conflicting ones.

    The map stage warns about conflicting values, naming both lines."""
    kept, seen = [], {}
    for record in records:
        key = (record["item"], record["comparison"])
        if key not in seen:
            seen[key] = record
            kept.append(record)
        elif record["value"] != seen[key]["value"]:
            kept.append(record)
    return kept
