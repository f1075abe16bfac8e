"""Key figures from running text: "三公" expenses, agency operating costs, procurement, state assets.

Sentences are split into clauses; each money amount is bound to the nearest item label before it."""

import re
from budgetkg.etl.normalise import NUMBER, find_amounts, parse_decimal, to_wanyuan
from budgetkg.etl.extract.sentences import line_at, sentence_spans, snippet, text_units
from budgetkg.etl.records import figure, keep_first

CLAUSE_SEP = re.compile(r"[，；;。:]|(?<!\d),|,(?!\d)")
MONEY = rf"({NUMBER})\s*(万元|亿元|千元|元)"

# (item or None for a sub-item that must not be bound, family, label pattern); longest first.
LABELS = [
    ("vehicle_total", "three_public", r"公务用车购置及运行(?:维护)?(?:费|经费)?"),
    ("vehicle_purchase", "three_public", r"公务用车购置(?:费|经费|支出)?(?![数及])"),
    ("vehicle_operation", "three_public", r"公务用车运行(?:维护)?(?:费|经费)?"),
    ("overseas", "three_public", r"因公出国\(境\)(?:经?费)?"),
    (None, "three_public", r"(?:国内|外事|外宾)(?:公务)?接待(?:费|经费)?"),
    ("reception", "three_public", r"公务接待(?:费|经费)"),
    ("three_public_total", "three_public", r"[“\"]?三公[”\"]?经费"),
    ("operating_costs", "operating", r"机关运行经费"),
    ("procurement_goods", "procurement", r"政府采购货物(?:支出|预算|合同)?"),
    ("procurement_works", "procurement", r"政府采购工程(?:支出|预算|合同)?"),
    ("procurement_services", "procurement", r"政府采购服务(?:支出|预算|合同)?"),
    (None, "procurement", r"(?:授予|面向)小微企业[^，。；:]{0,20}?金额"),
    ("procurement_sme", "procurement", r"(?:授予|面向)中小企业[^，。；:]{0,20}?金额"),
    ("procurement_total", "procurement", r"政府采购(?:支出总额|预算总额|总额|支出|预算)?"),
]
LABEL_RE = re.compile("|".join(f"({pattern})" for _, _, pattern in LABELS))

CHANGE_CUE = re.compile(r"比上年|比\s*\d{4}\s*年|较上年|与上年相比|同比")
CHANGE_WORD = re.compile(r"(增加|增长|上升|减少|下降|降低|节约)\)?\s*$")
DIRECTION = re.compile(r"(增加|增长|上升)|(减少|下降|降低|节约)")
BUDGET_CUE = re.compile(r"年初预算|全年预算|预算数")
PREVIOUS_CUE = re.compile(r"上年(?:决算|预算|执行)?数?\s*(?:为|是)?\s*$")
REASON = re.compile(r"主要原因(?:是|为|在于)?\s*:?\s*")
PLACEHOLDER = re.compile(r"^\s*(?:…|\.\.\.|。|\s)*$")

HOUSE_AREA = re.compile(rf"房屋(?:建筑)?(?:面积)?\s*(?:共|为|合计)?\s*({NUMBER})\s*\(?\s*(?:平方米|㎡|m²|m2)\s*\)?")
VEHICLE_COUNT = re.compile(r"车辆\s*(?:共|为|合计)?\s*(\d+)\s*辆")
FIXED_ASSETS = re.compile(rf"固定资产(?:账面)?(?:原值|总额|总值)\s*(?:为|共|合计)?\s*{MONEY}")
WORTH = re.compile(rf"^\s*[，,；;]?\s*(?:总)?(?:账面)?(?:价值|原值)\s*(?:为|共|合计)?\s*{MONEY}")


def in_glossary(unit):
    """True when the unit belongs to the 名词解释 part of the document."""
    return "名词解释" in unit["section"].split(" > ")[0]


def clause_spans(text, start, end):
    """Yield (start, end) of each clause of text[start:end], split at ，；: and non-numeric commas."""
    for m in CLAUSE_SEP.finditer(text, start, end):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < end:
        yield start, end


def unit_families(unit):
    """Which label families may be bound in this unit: 三公 and procurement need their own scope."""
    where = unit["section"] + unit["text"]
    families = {"operating"}
    if "三公" in where:
        families.add("three_public")
    if "采购" in unit["section"] or re.search(r"政府采购(?:支出总额|预算)", unit["text"]):
        families.add("procurement")
    return families


def classify(prefix, sentence):
    """Return (comparison, sign) for an amount from the clause text printed before it."""
    if CHANGE_CUE.search(prefix) or CHANGE_WORD.search(prefix):
        words = DIRECTION.findall(prefix)
        return "change_vs_previous_year", (-1 if words and words[-1][1] else 1)
    if BUDGET_CUE.search(prefix) and ("决算" in sentence or "全年预算" in prefix or "年初预算" in prefix):
        return "initial_budget", 1
    if PREVIOUS_CUE.search(prefix):
        return "previous_year", 1
    return "value", 1


def clean_reason(text):
    """Trim a reason; None for template placeholders such as '…'."""
    text = text.strip().rstrip("。；;，, ")
    if PLACEHOLDER.match(text) or text.startswith(("…", "...")):
        return None
    return text


def reason_after(text, start, end):
    """The reason printed after an amount: '主要原因是…' up to 。 (or the next sentence's)."""
    m = REASON.search(text, start, end)
    if m and not any(True for _ in find_amounts(text[start:m.start()])):
        tail = text[m.end():end]
    else:
        rest = text[end:].lstrip()
        m = REASON.match(rest)
        if not m:
            return None
        tail = rest[m.end():].split("。")[0]
    for sep in re.finditer(r"[；;]", tail):
        following = re.split(r"[，；;。]", tail[sep.end():])[0]
        if LABEL_RE.search(following) or any(True for _ in find_amounts(following)):
            tail = tail[:sep.start()]
            break
    return clean_reason(tail.split("。")[0])


def label_matches(clause):
    """Item labels in a clause as (start, end, item, family)."""
    found = []
    for m in LABEL_RE.finditer(clause):
        index = m.lastindex - 1
        found.append((m.start(), m.end(), LABELS[index][0], LABELS[index][1]))
    return found


def bound_amounts(text):
    """Yield (item, family, amount tuple, clause_start, prefix, sentence span) for labelled amounts."""
    for s_start, s_end in sentence_spans(text):
        carry = None
        for c_start, c_end in clause_spans(text, s_start, s_end):
            clause = text[c_start:c_end]
            labels = label_matches(clause)
            previous_end, first = 0, True
            for amount in find_amounts(clause):
                own = [lab for lab in labels if lab[1] <= amount[3] and lab[0] >= previous_end]
                label = own[-1] if own else (carry if first else None)
                if label and label[2]:
                    prefix = clause[(own[-1][1] if own else previous_end):amount[3]]
                    yield label[2], label[3], amount, c_start, prefix, (s_start, s_end)
                previous_end, first = amount[4], False
            if labels:
                carry = labels[-1]


def money_figures(unit):
    """Figure records for the money items labelled in one text unit."""
    text, families, records = unit["text"], unit_families(unit), []
    if not LABEL_RE.search(text):  # no label anywhere, nothing to bind (one scan, not one per clause)
        return records
    for item, family, amount, c_start, prefix, (s_start, s_end) in bound_amounts(text):
        if family not in families:
            continue
        value, printed, printed_unit, a_start, a_end = amount
        comparison, sign = classify(prefix, text[s_start:s_end])
        reason = None
        if comparison == "change_vs_previous_year":
            value = -value if sign < 0 and value != 0 else value
            reason = reason_after(text, c_start + a_end, s_end)
        records.append(figure(item, value, line=line_at(unit, c_start + a_start),
                              section=unit["section"], text=snippet(text, c_start + a_start, c_start + a_end),
                              comparison=comparison, reason=reason, printed=printed,
                              printed_unit=printed_unit))
    return records


def asset_scope(unit):
    """True when the unit reports state assets (an assets section, or a dated holdings sentence)."""
    return "资产" in unit["section"] or bool(re.search(r"截[至止]", unit["text"]))


def worth_after(text, end):
    """The money 'value' (价值 X 万元) printed right after a holding; (Decimal, printed, unit, offset)."""
    m = WORTH.match(text[end:])
    if not m:
        return None
    return to_wanyuan(parse_decimal(m.group(1)), m.group(2)), m.group(1), m.group(2), end + m.start(1)


def is_breakdown(text, offset):
    """True when a holding is printed after 其中 in its sentence (a breakdown, not the total)."""
    for s_start, s_end in sentence_spans(text):
        if s_start <= offset < s_end:
            return "其中" in text[s_start:offset]
    return False


def asset_figures(unit):
    """Figure records for fixed assets, buildings (area, value) and vehicles (count, value)."""
    text, records = unit["text"], []

    def add(item, value, offset, printed, uom="wanyuan", printed_unit=None):
        records.append(figure(item, value, uom=uom, line=line_at(unit, offset), section=unit["section"],
                              text=snippet(text, offset, offset + len(printed)), printed=printed,
                              printed_unit=printed_unit))

    for m in FIXED_ASSETS.finditer(text):
        add("fixed_assets_value", to_wanyuan(parse_decimal(m.group(1)), m.group(2)), m.start(1),
            m.group(1), printed_unit=m.group(2))
    for pattern, count_item, uom, value_item in ((HOUSE_AREA, "house_area", "square_metre", "house_value"),
                                                 (VEHICLE_COUNT, "vehicle_count", "vehicle", "vehicle_value")):
        for m in pattern.finditer(text):
            if is_breakdown(text, m.start()):
                continue
            add(count_item, parse_decimal(m.group(1)), m.start(1), m.group(1), uom=uom,
                printed_unit="平方米" if uom == "square_metre" else "辆")
            worth = worth_after(text, m.end())
            if worth:
                add(value_item, worth[0], worth[3], worth[1], printed_unit=worth[2])
    return records


def extract_key_figures(blocks):
    """Key money and asset figures printed in the running text, each reported value once."""
    records = []
    for unit in text_units(blocks):
        if in_glossary(unit):
            continue
        records.extend(money_figures(unit))
        if asset_scope(unit):
            records.extend(asset_figures(unit))
    return keep_first(records)

