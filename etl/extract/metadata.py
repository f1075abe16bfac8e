"""Document metadata: the budget unit's full name, the fiscal year and the phase.

Found from the title, the 编制部门 line, part headings or running text, in that order of trust."""

import re
from bisect import bisect_right
from collections import Counter
from itertools import accumulate

from etl.normalise import clean_name

ORG_SUFFIX = (r"(?:管理局|事务中心|服务中心|中心|局|厅|委员会|委|办公室|办|院|所|站|队|馆|会|处|"
              r"社|校|部|署|司|集团|公司|政府|医院|学校|学|园|场|台|镇|乡|街道|团|宫|厂|库|段)")
ORG_NAME = rf"[\u4e00-\u9fff()]{{2,40}}?{ORG_SUFFIX}"
YEAR_OF_ACCOUNT = re.compile(r"((?:19|20)\d{2})\s*年度")
TITLE_UNIT = re.compile(r"\s*([\u4e00-\u9fff()]{2,40}?)\s*(?:20|19)\d{2}\s*年\s*度?\s*(?:部门|单位)\s*(?:决算|预算)")
TITLE_STOP = re.compile(r"^[\s#*]*(目\s*录|第\s*[一1]\s*部分)")
YEAR_PHASE = re.compile(r"(20\d{2}|19\d{2})\s*年\s*(?:度)?\s*(?:部门|单位)?\s*(决算|预算)")
UNIT_PATTERNS = [  # (pattern, words one of which a line must contain to match it)
    (re.compile(rf"编制(?:部门|单位)\s*:\s*({ORG_NAME})(?:\s|$|单位)"), ("编制",)),
    (re.compile(rf"第\s*[一二三四五六七八九十\d]+\s*部分\s*({ORG_NAME})\s*(?:单位|部门)?概况"), ("概况",)),
    (re.compile(rf"纳入({ORG_NAME})\s*\d{{4}}\s*年度?\s*部门(?:决算|预算)"), ("纳入",)),
    (re.compile(rf"关于({ORG_NAME})\s*\d{{4}}\s*年"), ("关于",)),
    (re.compile(rf"^({ORG_NAME})(?:无下属|下设|下属|编制数|实有人数|\s*\d{{4}}\s*年度?\s*[,，]?\s*实有人数)"),
     ("下设", "下属", "编制数", "实有人数")),
    (re.compile(rf"\d{{4}}\s*年度?\s*[,，]?\s*({ORG_NAME})\s*(?:机关运行经费|政府采购)"), ("机关运行经费", "政府采购")),
]


class MetadataError(ValueError):
    """The text does not say which unit, year or phase it discloses."""


def title_text(lines, limit=12):
    """Join the leading lines before the table of contents or the first part heading."""
    parts = []
    for line in lines[:limit]:
        if TITLE_STOP.match(line):
            break
        if line.strip():
            parts.append(line.replace("**", "").strip().lstrip("#").strip())
    return "".join(parts)


def _unit_from_title(title):
    """The unit name printed before the year in a title such as 'X 2023 年度部门决算公开说明'
    (any name when the title goes on to say 部门/单位 决算/预算)."""
    m = (re.match(rf"\s*({ORG_NAME})\s*(?:20|19)\d{{2}}\s*年", title)
         or TITLE_UNIT.match(title))
    return clean_name(m.group(1)) if m else None


def find_unit(lines, title):
    """Return the unit's full name: the title first, else the most often printed candidate."""
    unit = _unit_from_title(title)
    if unit:
        return unit
    votes = Counter()
    stripped = [line.strip() for line in lines]
    text = "\n".join(stripped)
    starts = list(accumulate((len(line) + 1 for line in stripped), initial=0))
    for weight, (pattern, words) in zip(range(len(UNIT_PATTERNS), 0, -1), UNIT_PATTERNS):
        hinted = sorted({bisect_right(starts, m.start()) - 1
                         for m in re.finditer("|".join(words), text)})
        for index in hinted:
            for m in pattern.finditer(stripped[index]):
                name = clean_name(m.group(1))
                if not re.match(r"^(本|我|该|部门|单位|本部门|本单位|市|区|县)", name):
                    votes[name] += weight
    if not votes:
        return None
    best = max(votes.items(), key=lambda kv: (kv[1], len(kv[0])))
    return best[0]


def phase_by_vocabulary(text):
    """'final' when 决算 is a common word of the text, 'budget' when only 预算 is; None if neither.

    Final accounts say 决算 about as often as 预算 (一般公共预算…决算); budgets hardly ever say 决算."""
    final, budget = text.count("决算"), text.count("预算")
    if final >= 3 and final >= 0.2 * budget:
        return "final"
    return "budget" if budget >= 3 else None


def find_year_and_phase(lines, title):
    """Return (year, phase) from the title, else the most frequent 'YYYY年度部门决算/预算' (or
    'YYYY年度') and the document's vocabulary."""
    m = YEAR_PHASE.search(title.replace(" ", ""))
    if m:
        return int(m.group(1)), "final" if m.group(2) == "决算" else "budget"
    text = "\0".join(lines).replace(" ", "")  # NUL matches no pattern: no match spans two lines
    votes = (Counter(int(m.group(1)) for m in YEAR_PHASE.finditer(text))
             or Counter(int(year) for year in YEAR_OF_ACCOUNT.findall(text)))
    year = votes.most_common(1)[0][0] if votes else None
    return year, phase_by_vocabulary(text)


def extract_metadata(lines):
    """Return {"unit", "year", "phase", "title"}; raise MetadataError naming what is missing."""
    title = title_text(lines)
    unit = find_unit(lines, title)
    year, phase = find_year_and_phase(lines, title)
    missing = [name for name, value in (("budget unit name", unit), ("fiscal year", year),
                                        ("phase (预算/决算)", phase)) if not value]
    if missing:
        raise MetadataError("not a budget or final-account disclosure: no " + ", no ".join(missing)
                            + " found")
    return {"unit": unit, "year": year, "phase": phase, "title": title}
