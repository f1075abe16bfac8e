"""Staffing and organisation: head counts, internal divisions and the unit's main functions.

Read only from the unit's own staffing statement (机构设置及人员情况 and similar), never from program text."""

import re
from decimal import Decimal

from budgetkg.etl.extract.sentences import line_at, snippet, text_units
from budgetkg.etl.normalise import clean_name
from budgetkg.etl.records import figure, keep_first, warning

STAFF_SECTION = re.compile(r"机构设置|人员情况|人员概况|人员构成|机构和人员|机构与人员|人员编制|机构组成")
ENUMERATOR = r"^\s*(?:\(?[一二三四五六七八九十]+\)|[一二三四五六七八九十]+\s*[、.]|\(?\d+\)|\d+\s*[、.])?\s*"
STAFF_LABEL = re.compile(ENUMERATOR + r"(?:机构设置及人员情况|人员情况|人员概况|人员构成|机构组成|机构设置)\s*[。:.]")
FUNCTIONS_HEADING = re.compile(r"主要职能|基本职能|职能职责|主要职责|部门职责|单位职责")
FUNCTIONS_LABEL = re.compile(ENUMERATOR + r"(?:主要职能|基本职能|主要职责)\s*[。:.]\s*")

COUNT = r"\s*(?:为|是|共|共计|合计)?\s*(\d+)\s*[人名]"
HEADCOUNTS = [
    ("authorized", re.compile(r"编制(?:人数|总数|数)?" + COUNT)),
    ("actual", re.compile(r"实有(?:人数|人员)?" + COUNT)),
    ("in_service", re.compile(r"在职(?:人员|人数|职工)?" + COUNT)),
    ("retired", re.compile(r"(?<![离])退休(?:人员|人数|职工)?" + COUNT)),
    ("retired_cadre", re.compile(r"离休(?:人员|干部|人数)?" + COUNT)),
]
CHANGE_AFTER = re.compile(r"\s*[，,]\s*(?:比上年|较上年|同比)?\s*(增加|减少)\s*(\d+)\s*[人名]")
DIVISION_COUNT = re.compile(r"(?:下设|内设|设有|设置)\s*(?:机构)?\s*(\d+)\s*个\s*(?:内设机构|职能科室|科室|处室|股室|机构|部门|科|处|室|股)")
DIVISION_MIX = re.compile(r"(?:下设|内设)\s*((?:\d+\s*(?:个)?\s*[科处室股部]\s*)+)")
DIVISION_LIST = re.compile(r"分别(?:是|为)\s*:?\s*|(?:内设|下设)(?:机构|科室|处室|股室)?(?:有|包括)?\s*:\s*")
# names before their count: '内设办公室、基础教育科、财务科3个科室'
NAMES_THEN_COUNT = re.compile(r"(?:内设|下设)((?:[\u4e00-\u9fff()]{2,20}、)+[\u4e00-\u9fff()]{2,20}?)(?:等)?\s*"
                              r"(\d+)\s*个\s*(?:内设机构|职能科室|科室|处室|股室|机构|部门)")
NAME_SUFFIX = "科室处股部中心队所站办组"


def is_staffing(unit):
    """True when a text unit is part of the unit's own staffing statement."""
    inner = unit["section"].split(" > ")[-1]
    return bool(STAFF_SECTION.search(inner) or STAFF_LABEL.match(unit["text"]))


def headcount_records(unit):
    """Figure records for the head counts (and printed changes) in one staffing unit."""
    text, records = unit["text"], []
    for item, pattern in HEADCOUNTS:
        for m in pattern.finditer(text):
            records.append(figure(item, Decimal(m.group(1)), uom="person", line=line_at(unit, m.start(1)),
                                  section=unit["section"], text=snippet(text, m.start(1), m.end(1)),
                                  printed=m.group(1), printed_unit="人"))
            change = CHANGE_AFTER.match(text, m.end())
            if change:
                value = Decimal(change.group(2))
                value = -value if change.group(1) == "减少" and value else value
                records.append(figure(item, value, uom="person", line=line_at(unit, change.start(2)),
                                      section=unit["section"], text=snippet(text, m.start(1), m.end(1)),
                                      comparison="change_vs_previous_year", printed=change.group(2),
                                      printed_unit="人"))
    return records


def division_count_record(unit):
    """The number of internal divisions ('下设19个科室', '内设10科1室'), or None."""
    text = unit["text"]
    m = DIVISION_COUNT.search(text) or NAMES_THEN_COUNT.search(text)
    if m:
        value, printed, start = Decimal(m.group(m.lastindex)), m.group(m.lastindex), m.start(m.lastindex)
    else:
        m = DIVISION_MIX.search(text)
        if not m:
            return None
        printed, start = m.group(1).strip(), m.start(1)
        value = sum(Decimal(n) for n in re.findall(r"\d+", printed))
    return figure("divisions", value, uom="count", line=line_at(unit, start), section=unit["section"],
                  text=snippet(text, start, start + len(printed)), printed=printed, printed_unit="个")


def split_names(text):
    """Split a 、-separated list of names, ignoring 、 inside brackets."""
    names, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "(（[【"
        depth -= ch in ")）]】" and depth > 0
        if ch == "、" and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    return names


def split_final_and(name):
    """Split the last list entry 'A科和B室' into two names when both look like division names."""
    m = re.fullmatch(rf"(.+?[{NAME_SUFFIX}])[和及与](.{{2,}}[{NAME_SUFFIX}])", name)
    return [m.group(1), m.group(2)] if m else [name]


def division_records(unit):
    """Division name records from '分别是:办公室、财务科、…' in one staffing unit."""
    text = unit["text"]
    m = DIVISION_LIST.search(text)
    if m:
        end = text.find("。", m.end())
        body, cursor = text[m.end():end if end >= 0 else len(text)], m.end()
    else:
        m = NAMES_THEN_COUNT.search(text)
        if not m:
            return []
        body, cursor = m.group(1), m.start(1)
    names = split_names(body)
    names = names[:-1] + split_final_and(names[-1].strip())
    records = []
    for name in names:
        at = text.find(name.strip(), cursor)
        at = cursor if at < 0 else at
        cleaned = clean_name(name).strip(" ;；，,")
        if cleaned:
            records.append({"kind": "division", "name": cleaned, "line": line_at(unit, at),
                            "section": unit["section"]})
        cursor = at + len(name.strip())
    return records


def duplicate_name_warnings(divisions):
    """Warn about division names printed more than once."""
    seen, warnings = set(), []
    for record in divisions:
        if record["name"] in seen:
            warnings.append(warning(f"division name printed twice: {record['name']}", line=record["line"]))
        seen.add(record["name"])
    return warnings


def strip_functions_label(text):
    """Drop a leading '(一)主要职能。' label from a functions paragraph."""
    return FUNCTIONS_LABEL.sub("", text, count=1).strip()


def functions_record(units):
    """The main-functions text: the paragraphs under the first 主要职能 / 基本职能 heading, joined."""
    groups, current = [], None
    for unit in units:
        if unit["type"] == "heading":
            current = [] if FUNCTIONS_HEADING.search(unit["text"]) else None
            if current is not None:
                groups.append(current)
        elif current is not None and unit["text"].strip():
            current.append(unit)
    for group in groups:
        if group:
            text = "\n".join(strip_functions_label(u["text"]) for u in group)
            return {"kind": "functions", "text": text, "line": group[0]["line"], "section": group[0]["section"]}
    return None


def extract_personnel(blocks):
    """Head counts, division count and names, and main functions from the staffing statement."""
    units = text_units(blocks)
    figures, divisions = [], []
    for unit in units:
        if not is_staffing(unit):
            continue
        figures.extend(headcount_records(unit))
        count = division_count_record(unit)
        if count:
            figures.append(count)
        if not divisions:
            divisions = division_records(unit)
    records = keep_first(figures) + divisions + duplicate_name_warnings(divisions)
    functions = functions_record(units)
    return records + ([functions] if functions else [])
