"""Document metadata: the budget unit's full name, the fiscal year, the phase and the level.

Found as real documents print them, in this order of trust: the cover ('预算主管部门：…', '预算单位：…',
'部门名称：…'), the title ('X 2023 年度部门决算', '上海市普陀区2025年区级部门预算'), the 编制部门/编制单位
line above the tables, part headings and running text. A year printed as a comparison ('比2024年预算
执行数增加…', '与2024年预算持平') never counts. The template wording is data: etl/data/metadata_words.csv."""

import csv
import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from importlib import resources
from itertools import accumulate

from budgetkg.etl.normalise import clean_name

ORG_SUFFIX = (r"(?:管理局|事务中心|服务中心|中心|局|厅|委员会|委|办公室|办|院|所|站|队|馆|会|处|"
              r"社|校|部|署|司|集团|公司|政府|医院|学校|学|园|场|台|镇|乡|街道|团|宫|厂|库|段)")
# a name starts with a Chinese character and may hold digits (第1中学, 第2人民医院)
ORG_NAME = rf"[\u4e00-\u9fff(][\u4e00-\u9fff()\d]{{1,39}}?{ORG_SUFFIX}"
YEAR = r"((?:19|20)\d{2})\s*年"
SCOPE = r"(?:[\u4e00-\u9fff]{1,2}级)"  # 区级 / 市级 / 本级: the title of a government's collection
YEAR_OF_ACCOUNT = re.compile(r"((?:19|20)\d{2})\s*年度")
TITLE_UNIT = re.compile(rf"\s*([\u4e00-\u9fff()\d]{{2,40}}?)\s*(?:20|19)\d{{2}}\s*年\s*度?\s*(?:部门|单位)\s*(?:决算|预算)")
TITLE_STOP = re.compile(r"^[\s#*]*(目\s*录|第\s*[一1]\s*部分)")
YEAR_PHASE = re.compile(rf"{YEAR}\s*(?:度)?\s*{SCOPE}?\s*(部门|单位)?\s*(决算|预算)")
TITLE_MAX_LINES = 12
COVER_MAX_LINES = 30  # a cover label is looked for in the document's first lines
UNIT_PATTERNS = [  # (pattern, words one of which a line must contain to match it)
    (re.compile(rf"第\s*[一二三四五六七八九十\d]+\s*部分\s*({ORG_NAME})\s*(?:单位|部门)?概况"), ("概况",)),
    (re.compile(rf"纳入({ORG_NAME})\s*\d{{4}}\s*年度?\s*部门(?:决算|预算)"), ("纳入",)),
    (re.compile(rf"关于({ORG_NAME})\s*\d{{4}}\s*年"), ("关于",)),
    (re.compile(rf"^({ORG_NAME})(?:无下属|下设|下属|编制数|实有人数|\s*\d{{4}}\s*年度?\s*[,，]?\s*实有人数)"),
     ("下设", "下属", "编制数", "实有人数")),
    (re.compile(rf"\d{{4}}\s*年度?\s*[,，]?\s*({ORG_NAME})\s*(?:机关运行经费|政府采购)"), ("机关运行经费", "政府采购")),
]
NOT_A_NAME = re.compile(r"^(本|我|该|部门|单位|本部门|本单位|市|区|县)|\d{3,}|年")


class MetadataError(ValueError):
    """The text does not say which unit, year or phase it discloses."""


@lru_cache(maxsize=1)
def words():
    """{kind: [(word, value), ...]} from etl/data/metadata_words.csv, longest words first."""
    text = resources.files("budgetkg.etl").joinpath("data/metadata_words.csv").read_text(encoding="utf-8")
    table = {}
    for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
        table.setdefault(row["kind"].strip(), []).append((row["word"].strip(), (row.get("value") or "").strip()))
    return {kind: sorted(pairs, key=lambda p: -len(p[0])) for kind, pairs in table.items()}


def _alternatives(kind):
    return "|".join(re.escape(word) for word, _ in words()[kind])


@lru_cache(maxsize=1)
def _patterns():
    """Regular expressions built from the vocabulary."""
    label = rf"^\s*({_alternatives('cover_label')})\s*:\s*(\S.*?)\s*$"
    table = rf"({_alternatives('table_label')})\s*:\s*({ORG_NAME})(?:\s|$|单位)"
    comparison = re.compile(rf"(?:{_alternatives('comparison_prefix')})\s*$")
    after = re.compile(rf"^\s*(?:{_alternatives('comparison_suffix')})")
    placeholder = re.compile(_alternatives("placeholder"))
    return re.compile(label), re.compile(table), comparison, after, placeholder


def _value(kind, word):
    return dict(words()[kind]).get(word)


def title_text(lines, limit=TITLE_MAX_LINES):
    """Join the leading lines before the table of contents, the first part heading or the first table
    row (a tab-separated line), without the cover labels ('预算主管部门：…')."""
    label = _patterns()[0]
    parts = []
    for line in lines[:limit]:
        if TITLE_STOP.match(line) or "\t" in line:
            break
        if line.strip() and not label.match(line) and not _patterns()[1].search(line):
            parts.append(line.replace("**", "").strip().lstrip("#").strip())
    return "".join(parts)


def cover_unit(lines):
    """(unit, level) from a cover line '预算主管部门：上海市普陀区财政局' / '预算单位：…', or (None, None)."""
    label = _patterns()[0]
    for line in lines[:COVER_MAX_LINES]:
        m = label.match(line)
        if m and not _patterns()[4].search(m.group(2)):
            name = clean_name(re.split(r"\s{2,}|\t", m.group(2))[0])
            if len(name) >= 2 and not NOT_A_NAME.search(name):
                return name, _value("cover_label", m.group(1))
    return None, None


def _unit_from_title(title):
    """The unit name printed before the year in a title such as 'X 2023 年度部门决算公开说明'
    (any name when the title goes on to say 部门/单位 决算/预算). A title that says 区级/市级 names the
    government whose collection it heads, not the unit: no name then."""
    if re.search(rf"(?:19|20)\d{{2}}\s*年\s*度?\s*{SCOPE}", title):
        return None
    m = (re.match(rf"\s*({ORG_NAME})\s*(?:20|19)\d{{2}}\s*年", title)
         or TITLE_UNIT.match(title))
    if not m or _patterns()[4].search(m.group(1)):
        return None
    name = clean_name(m.group(1))
    return None if NOT_A_NAME.search(name) else name


def _table_label_votes(lines):
    """Votes for the unit of the 编制部门/编制单位 lines above the tables: {name: count}, {name: level}."""
    votes, levels = Counter(), {}
    for line in lines:
        if "编制" not in line:
            continue
        for m in _patterns()[1].finditer(line.strip()):
            name = clean_name(m.group(2))
            if not NOT_A_NAME.search(name) and not _patterns()[4].search(name):
                votes[name] += 1
                levels.setdefault(name, _value("table_label", m.group(1)))
    return votes, levels


def find_unit(lines, title):
    """Return the unit's full name: the cover, the title, the 编制部门 lines, else the most often
    printed candidate of the running text."""
    unit = cover_unit(lines)[0] or _unit_from_title(title)
    if unit:
        return unit
    table_votes, _ = _table_label_votes(lines)
    if table_votes:
        return max(table_votes.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    votes = Counter()
    stripped = [line.strip() for line in lines]
    text = "\n".join(stripped)
    starts = list(accumulate((len(line) + 1 for line in stripped), initial=0))
    for weight, (pattern, hints) in zip(range(len(UNIT_PATTERNS), 0, -1), UNIT_PATTERNS):
        hinted = sorted({bisect_right(starts, m.start()) - 1
                         for m in re.finditer("|".join(hints), text)})
        for index in hinted:
            for m in pattern.finditer(stripped[index]):
                name = clean_name(m.group(1))
                if not NOT_A_NAME.search(name) and not _patterns()[4].search(name):
                    votes[name] += weight
    if not votes:
        return None
    return max(votes.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


def phase_by_vocabulary(text):
    """'final' when 决算 is a common word of the text, 'budget' when only 预算 is; None if neither.

    Final accounts say 决算 about as often as 预算 (一般公共预算…决算); budgets hardly ever say 决算."""
    final, budget = text.count("决算"), text.count("预算")
    if final >= 3 and final >= 0.2 * budget:
        return "final"
    return "budget" if budget >= 3 else None


def is_comparison(text, start, end):
    """Whether the year printed at text[start:end] is a comparison ('比2024年预算执行数', '与2024年…')."""
    _, _, before, after, _ = _patterns()
    return bool(before.search(text[max(0, start - 4):start]) or after.match(text[end:end + 6]))


def title_year_and_phase(title):
    """(year, phase) a title names: 'X2025年区级部门预算', '2024年度部门决算', or a table title such as
    '2024年“三公”经费预算表' / '2023年度项目支出绩效自评表' (its year and its phase word); else (None, None)."""
    title = title.replace(" ", "")
    m = next((m for m in YEAR_PHASE.finditer(title) if not is_comparison(title, m.start(), m.end())), None)
    if m:
        return int(m.group(1)), _value("phase_word", m.group(3))
    m = next((m for m in re.finditer(YEAR, title) if not is_comparison(title, m.start(), m.end())), None)
    if m:
        phases = [value for word, value in words()["phase_word"] if word in title[m.end():]]
        if phases:
            return int(m.group(1)), phases[0]
    return None, None


def find_year_and_phase(lines, title):
    """Return (year, phase) from the title, else the most frequent 'YYYY年度部门决算/预算' (or
    'YYYY年度') that is not a comparison, and the document's vocabulary."""
    year, phase = title_year_and_phase(title)
    if year:
        return year, phase
    text = "\0".join(lines).replace(" ", "")  # NUL matches no pattern: no match spans two lines
    votes = (Counter(int(m.group(1)) for m in YEAR_PHASE.finditer(text)
                     if not is_comparison(text, m.start(), m.end()))
             or Counter(int(m.group(1)) for m in YEAR_OF_ACCOUNT.finditer(text)
                        if not is_comparison(text, m.start(), m.end())))
    year = votes.most_common(1)[0][0] if votes else None
    return year, phase_by_vocabulary(text)


def find_level(lines, title):
    """'department' (部门预算/部门决算) or 'unit' (单位预算/单位决算, a 预算单位 cover): the cover label,
    else the title's 部门/单位, else the 编制部门/编制单位 lines; 'department' when nothing says."""
    _, level = cover_unit(lines)
    if level:
        return level
    m = YEAR_PHASE.search(title.replace(" ", ""))
    if m and m.group(2):
        return _value("level_word", m.group(2))
    votes, levels = _table_label_votes(lines)
    if votes:
        return levels[max(votes.items(), key=lambda kv: (kv[1], len(kv[0])))[0]]
    return "department"


def is_template(title):
    """Whether a title names a placeholder unit ('上海市 XX 局 2024 年度部门决算'): a blank template."""
    return bool(_patterns()[4].search(title))


def extract_metadata(lines):
    """Return {"unit", "year", "phase", "level", "title"}; raise MetadataError naming what is missing."""
    title = title_text(lines)
    unit = find_unit(lines, title)
    year, phase = find_year_and_phase(lines, title)
    missing = [name for name, value in (("budget unit name", unit), ("fiscal year", year),
                                        ("phase (预算/决算)", phase)) if not value]
    if missing:
        raise MetadataError("not a budget or final-account disclosure: no " + ", no ".join(missing)
                            + " found")
    return {"unit": unit, "year": year, "phase": phase, "level": find_level(lines, title), "title": title}
