"""Functional-classification items printed in running text, coded or by 类/款/项 names.

'2080101 行政运行 123.45 万元' and '社会保障和就业支出(类)人力资源和社会保障管理事务(款)行政运行(项):支出决算数为3,456.78万元'."""

import re

from budgetkg.etl.extract.labels import change_direction, section_source
from budgetkg.etl.extract.sentences import section_texts, sentences
from budgetkg.etl.normalise import NUMBER, clean_name, find_amounts
from budgetkg.etl.records import figure

CODED = re.compile(rf"(?<![\d.])(2\d{{2}}(?:\d{{2}}){{0,2}})\s*([\u4e00-\u9fff()、]+?)\s*({NUMBER})\s*(万元|元)")
NAME = r"[^\s\d。；;，,:：()]+"
NAMED = re.compile(rf"({NAME})\s*\(类\)\s*(?:支出)?\s*(?:({NAME})\s*\(款\)\s*(?:({NAME})\s*\(项\))?)?")
LEADING_ENUM = re.compile(r"^[.、\s]+")


def _level_of(code):
    """类/款/项 level (1, 2, 3) of a 3/5/7-digit functional code."""
    return {3: 1, 5: 2, 7: 3}[len(code)]


def _coded_items(sentence, offset, section, line_of, source):
    """Records for '2080101 行政运行 123.45 万元' style items."""
    records = []
    for m in CODED.finditer(sentence):
        from budgetkg.etl.normalise import parse_decimal, to_wanyuan
        value = to_wanyuan(parse_decimal(m.group(3)), m.group(4))
        records.append(figure("functional_expenditure", value, code=m.group(1),
                              name=clean_name(m.group(2)), level=_level_of(m.group(1)),
                              source=source, printed=m.group(3), printed_unit=m.group(4),
                              line=line_of(offset + m.start()), section=section,
                              text=sentence.strip()[:300]))
    return records


def _named_items(sentence, offset, section, line_of, source, reason):
    """Records for '…(类)…(款)…(项): 支出决算数为 X 万元，比上年增加 Y 万元' style items."""
    if "(类)" not in sentence:  # cheap test first: NAMED backtracks over every long run of text
        return []
    m = NAMED.search(sentence)
    if not m or CODED.search(sentence):
        return []
    names = [LEADING_ENUM.sub("", m.group(1))] + [g for g in m.groups()[1:] if g]
    level = len(names)
    records, first = [], True
    for value, printed, unit, start, _ in find_amounts(sentence[m.end():]):
        kw = dict(name=clean_name(names[-1]), level=level, source=source, printed=printed,
                  printed_unit=unit, line=line_of(offset + m.end() + start), section=section,
                  text=sentence.strip()[:300])
        if first:
            records.append(figure("functional_expenditure", value, **kw))
            first = False
            continue
        label = sentence[m.end():m.end() + start]
        direction = change_direction(re.split(r"[,，]", label)[-1])
        if direction:
            records.append(figure("functional_expenditure", value * direction,
                                  comparison="change_vs_previous_year", reason=reason, **kw))
    for record in records:
        record["path"] = [clean_name(n) for n in names]
    return records


def extract_functional_narrative(blocks):
    """Functional-classification figures printed in running text."""
    from budgetkg.etl.extract.narrative import _reason
    records = []
    for section, text, line_of in section_texts(blocks):
        source = section_source(section) or "all"
        for offset, sentence in sentences(text):
            records.extend(_coded_items(sentence, offset, section, line_of, source))
            end = offset + len(sentence)
            reason = _reason(sentence, text[end:end + 400])
            records.extend(_named_items(sentence, offset, section, line_of, source, reason))
    return records
