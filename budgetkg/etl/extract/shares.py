"""Shares printed right after a figure ('2433.62 万元，占 97.2%') and unfilled '占**%' placeholders.

Runs after the other extractors: a share record copies the dimensions of the figure it follows."""

import re
from decimal import Decimal

from budgetkg.etl.extract.keyfigures import LABELS
from budgetkg.etl.extract.labels import classify_label
from budgetkg.etl.extract.sentences import section_texts
from budgetkg.etl.normalise import find_amounts
from budgetkg.etl.records import figure

# after an amount: optional comma, optional 占[…的], then a percentage or a placeholder ('占**%';
# segmentation strips '**' as markdown emphasis, so '占%' is a placeholder too)
SHARE = re.compile(r"\s*(?:[，,]\s*)?(占(?:[^，,。；;%\d*]{0,16}的)?)?\s*(-?\d+(?:\.\d+)?|\**)\s*%")
DIMENSIONS = ("item", "source", "code", "name", "level", "exptype")
CLAUSE_BREAK = re.compile(r"[，,；;。:：、]|其中")


def _figures_by_place(records):
    """Index the value figures by (line, printed number), one per distinct dimension set, in order."""
    index = {}
    for r in records:
        if r["kind"] == "figure" and r["comparison"] == "value" and r["uom"] == "wanyuan":
            found = index.setdefault((r["line"], r["printed"]), [])
            if all(any(r[k] != f[k] for k in DIMENSIONS) for f in found):
                found.append(r)
    return index


def _choose(parts, label):
    """The figure among ``parts`` (same line, same printed number) that ``label`` names, or None."""
    label = re.sub(r"\s+", "", label)
    found = classify_label(label)
    if found:
        named = [p for p in parts if (p["item"], p["exptype"]) == (found[0], found[2])]
        if len(named) > 1:
            named = [p for p in named if p["source"] == found[1]]
    else:
        keyed = [item for item, _, pattern in LABELS if re.search(pattern, label)]
        if keyed:  # a key-figure label; item None marks one that is never recorded (小微企业)
            named = [p for p in parts if p["item"] == keyed[0]]
        else:
            named = [p for p in parts if p["name"] and p["name"] in label] or parts
    return named[0] if len(named) == 1 else None


def _share_record(part, pct, line, section, text):
    """A figure record for the share printed after ``part``, with the part's dimensions."""
    return figure(part["item"], Decimal(pct), uom="percent", line=line, section=section, text=text,
                  source=part["source"], code=part["code"], name=part["name"], level=part["level"],
                  exptype=part["exptype"], comparison="share", printed=pct, printed_unit="%")


def placeholder(printed, *, line, section, text, item=None):
    """Build one placeholder record: template text printed where a number was meant."""
    return {"kind": "placeholder", "printed": printed, "item": item, "line": line,
            "section": section, "text": text}


def extract_shares(blocks, records):
    """Share figures and placeholder records for every '占 N%' printed after a recorded figure."""
    index, found = _figures_by_place(records), []
    for section, text, line_of in section_texts(blocks):
        for _value, printed, _unit, start, end in find_amounts(text):
            m = SHARE.match(text, end)
            number = m and m.group(2)[:1] not in ("", "*")
            if not m or not (m.group(1) or (number and text[end:m.start(2)].strip())):
                continue  # a share needs 占 or a comma: '万元 12%' is not one
            label = CLAUSE_BREAK.split(text[max(0, start - 60):start])[-1]
            part = _choose(index.get((line_of(start), printed), []), label)
            snippet = text[max(0, start - 40):m.end()].strip()
            if not number:
                found.append(placeholder(text[m.start(1):m.end()].strip(), line=line_of(m.start(2)),
                                         section=section, text=snippet, item=part and part["item"]))
            elif part is not None:
                found.append(_share_record(part, m.group(2), line_of(m.start(2)), section, snippet))
    return found
