"""Project mentions outside the performance tables: narrative project descriptions, project
expenditure tables (项目支出情况表) and summary sentences ('项目全年预算数40万元，执行数为40万元')."""

import re

from budgetkg.etl.extract.sentences import line_at, text_units
from budgetkg.etl.normalise import NUMBER, clean_name, parse_decimal, to_wanyuan
from budgetkg.etl.records import warning

# 项目名称：X / 设立的政策依据：… fields of a narrative project description
DESCRIPTION_FIELDS = {
    "项目名称": "name", "项目编码": "code", "设立的政策依据": "policy_basis", "政策依据": "policy_basis",
    "预算安排规模": "budget", "项目承担单位": "implementer", "项目实施单位": "implementer",
    "资金分配情况": "fund_allocation", "资金执行时间": "execution_period", "资金来源": "funding_source_text",
}
FIELD = re.compile(r"^\s*(?:\d+\s*[.、]\s*)?(" + "|".join(DESCRIPTION_FIELDS) + r")\s*[:：]\s*(.*)$")
MONEY = re.compile(rf"({NUMBER})\s*(万元|元)")
SUMMARY = re.compile(rf"^\s*(?:[(（]?\d+[)）.、]\s*)?(?P<name>[^。，,:：]{{2,60}}?)项目(?:绩效目标完成情况综述|绩效情况|执行情况)[。.:：]"
                     rf".*?(?:全年)?预算数\s*(?P<budget>{NUMBER})\s*(?P<bu>万元|元)"
                     rf"(?:[，,]\s*执行数(?:为)?\s*(?P<executed>{NUMBER})\s*(?P<eu>万元|元))?")


def _money_fact(text, line):
    """A money fact {value (万元), printed, printed_unit, line} from the first amount in text."""
    m = MONEY.search(text)
    if not m:
        return None
    return {"value": to_wanyuan(parse_decimal(m.group(1)), m.group(2)), "printed": m.group(1),
            "printed_unit": m.group(2), "line": line}


def _mention(name, line, end_line, section, text, origin, facts):
    """A project_mention record."""
    return {"kind": "project_mention", "name": clean_project_name(name), "printed_name": name.strip(),
            "line": line, "end_line": end_line, "section": section, "text": text[:300],
            "origin": origin, "facts": facts}


def clean_project_name(name):
    """A project name as printed, without markers, quotes' spacing and surrounding punctuation."""
    name = re.sub(r"[★☆*]", "", name or "")
    return clean_name(re.sub(r"\s+", "", name)).strip("。.;；")


def project_descriptions(blocks):
    """Mentions from narrative descriptions: '项目名称：X' followed by labelled fields."""
    records, current, field = [], None, None
    for block in blocks:
        if block["type"] != "paragraph":
            if block["type"] == "heading" and current:
                records.append(current)
                current, field = None, None
            continue
        m = FIELD.match(block["text"])
        if m and DESCRIPTION_FIELDS[m.group(1)] == "name":
            if current:
                records.append(current)
            current = _mention(m.group(2), block["line"], block["line"], block["section"],
                               block["text"], "description", {})
            field = None
            continue
        if current is None:
            continue
        current["end_line"] = block["line"]
        if m:
            field = DESCRIPTION_FIELDS[m.group(1)]
            value = m.group(2).strip()
            if field == "budget":
                fact = _money_fact(value, block["line"])
                if fact:
                    current["facts"]["budget"] = fact
                else:
                    records.append(warning(f"project budget without an amount: {value[:40]!r}",
                                           line=block["line"]))
            elif value:
                current["facts"][field] = {"value": value, "printed": value, "line": block["line"]}
        elif re.match(r"^[^:：。，,]{2,10}[:：]", block["text"]):
            field = None  # another labelled line (补贴人数：…) ends the previous field
        elif field and field != "budget" and field in current["facts"]:
            current["facts"][field]["value"] += "\n" + block["text"].strip()
    if current:
        records.append(current)
    return records


def _is_project_table(table):
    """True for a project expenditure table: a 项目名称 header and amounts, not a performance table."""
    head = " ".join(c for r in table["rows"][:6] for c in r["cells"])
    title = (table.get("title") or "") + head
    return "项目名称" in head and "项目支出" in title and not re.search(r"绩效|指标", title)


def project_table_rows(table):
    """Mentions from a project expenditure table: code columns, function name, project name, total."""
    records = []
    for row in table["rows"]:
        cells = row["cells"]
        texts = [j for j, c in enumerate(cells) if c and parse_decimal(c) is None]
        if len(texts) < 2 or texts[1] != texts[0] + 1:
            continue
        code = "".join(c for c in cells[:texts[0]] if c.isdigit())
        amounts = [(j, c) for j, c in enumerate(cells) if j > texts[1] and parse_decimal(c) is not None]
        if not code or not amounts or len(code) not in (3, 5, 7):
            continue
        unit = table.get("unit") or "万元"
        first = amounts[0][1]
        facts = {"budget": {"value": to_wanyuan(parse_decimal(first), unit), "printed": first.strip(),
                            "printed_unit": unit, "line": row["line"]},
                 "functional_code": {"value": code, "printed": code, "line": row["line"]},
                 "functional_name": {"value": clean_name(cells[texts[0]]), "printed": cells[texts[0]],
                                     "line": row["line"]}}
        records.append(_mention(cells[texts[1]], row["line"], row["line"], table["section"],
                                " | ".join(c for c in cells if c), "expenditure_table", facts))
    return records


def project_summaries(blocks):
    """Mentions from summary sentences: '(1)X项目绩效目标完成情况综述。项目全年预算数40万元，执行数为40万元'."""
    records = []
    for unit in text_units(blocks):
        if unit["type"] != "paragraph":
            continue
        m = SUMMARY.search(unit["text"])
        if not m:
            continue
        line = line_at(unit, m.start("budget"))
        facts = {"budget": _money_fact(m.group("budget") + m.group("bu"), line)}
        if m.group("executed"):
            facts["executed"] = _money_fact(m.group("executed") + m.group("eu"),
                                            line_at(unit, m.start("executed")))
        records.append(_mention(m.group("name"), unit["line"], unit["line"], unit["section"],
                                unit["text"], "summary", facts))
    return records


def extract_project_mentions(blocks):
    """All project mentions outside performance tables, in document order per kind."""
    records = project_descriptions(blocks)
    for block in blocks:
        if block["type"] == "table" and _is_project_table(block):
            records.extend(project_table_rows(block))
    return records + project_summaries(blocks)
