"""Totals printed in running text: '本年支出 2498.92 万元，与上年相比，减少 845 万元 …主要原因是…'.

Each amount's label is the text since the previous clause break; changes attach to the last item."""

import re

from budgetkg.etl.extract.labels import change_direction, classify_label, named_change, section_source
from budgetkg.etl.extract.sentences import section_texts, sentences
from budgetkg.etl.normalise import find_amounts
from budgetkg.etl.records import figure

CLAUSE_BREAK = re.compile(r"[,，:：、]|其中|包括")
BUDGET_SUFFIX = re.compile(r"(?:年初预算数|年初预算|全年预算数|调整预算数)$")
REASON = re.compile(r"主要(?:变动)?原因(?:是|为)?\s*[:：]?\s*(.+)")
FUNCTIONAL_MARK = re.compile(r"\((?:类|款|项)\)|\d{7}")


def _label_before(sentence, start, floor):
    """The label of an amount: text after the last clause break before it (not before floor)."""
    head = sentence[floor:start]
    parts = CLAUSE_BREAK.split(head)
    return parts[-1].strip() if parts else head.strip()


def _reason(sentence, following=""):
    """The stated reason in a sentence (or the next one), or None for a missing or placeholder one."""
    m = REASON.search(sentence) or REASON.match(following.lstrip("。；; \n").split("。")[0])
    if not m:
        return None
    reason = m.group(1).strip(" …。.")
    return reason if len(reason) >= 2 and "…" not in m.group(1)[:3] else None


def scan_sentence(sentence, offset, section, line_of, full_text):
    """Figure records for the totals named in one sentence."""
    if "元" not in sentence:  # every money amount ends in a unit of 元
        return []
    records, current, floor = [], None, 0
    end_of_sentence = offset + len(sentence)  # before the rewrite below shortens it
    sentence = sentence.replace("收、支", "收支")
    amounts = list(find_amounts(sentence))
    if not amounts:
        return []
    reason = _reason(sentence, full_text[end_of_sentence:end_of_sentence + 400])
    default_source = section_source(section)
    for value, printed, unit, start, end in amounts:
        label = _label_before(sentence, start, floor)
        floor = end
        if FUNCTIONAL_MARK.search(label):
            current = None
            continue
        kw = dict(line=line_of(offset + start), section=section, text=sentence.strip()[:300],
                  printed=printed, printed_unit=unit)
        direction = change_direction(label)
        if direction and current:
            records.append(figure(current[0], value * direction, source=current[1],
                                  exptype=current[2], comparison="change_vs_previous_year",
                                  reason=reason, **kw))
            continue
        comparison = "value"
        named = named_change(label, sentence[:start])
        if named:
            label, value, comparison = named[0], value * named[1], "change_vs_previous_year"
        elif BUDGET_SUFFIX.search(re.sub(r"\s", "", label)):
            label, comparison = BUDGET_SUFFIX.sub("", re.sub(r"\s", "", label)), "initial_budget"
            if not label and current:
                records.append(figure(current[0], value, source=current[1], exptype=current[2],
                                      comparison=comparison, reason=reason, **kw))
                continue
        if re.sub(r"\s", "", label) in ("决算数", "决算", "执行数") and current:
            records.append(figure(current[0], value, source=current[1], exptype=current[2], **kw))
            continue
        found = classify_label(label)
        if not found:
            current = None
            continue
        item, source, exptype = found
        if source == "all" and default_source and item not in ("income_by_source",):
            source = default_source
        items = ["income_total", "expenditure_total"] if item == "income_expenditure_total" else [item]
        for name in items:
            records.append(figure(name, value, source=source, exptype=exptype, comparison=comparison,
                                  reason=reason if comparison != "value" else None, **kw))
        current = (items[-1], source, exptype)
    return records


def extract_narrative_totals(blocks):
    """Figure records for totals, breakdowns and their changes printed in running text."""
    records = []
    for section, text, line_of in section_texts(blocks):
        for offset, sentence in sentences(text):
            records.extend(scan_sentence(sentence, offset, section, line_of, text))
    return records
