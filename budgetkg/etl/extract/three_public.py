"""The “三公”经费 / 机关运行经费 table: one data row under two to four header levels.

Each number's item comes from the innermost header text of its column that names one (合计 / 小计
stand for the header above them: “三公”经费 > 合计 is the total, 公务用车购置及运行维护费 > 小计 the
vehicle total); its comparison from the 预算数 / 决算数 sub-columns (in a 决算 table, 预算数 is the
initial budget). The words are data (etl/data/table_kinds.toml, [three_public])."""

from budgetkg.etl.extract.headers import squeeze, values
from budgetkg.etl.extract.table_kinds import vocabulary
from budgetkg.etl.records import figure


def _words():
    return vocabulary()["three_public"]


def column_item(path, title=""):
    """The figure item a 三公 table column holds, from its header path (the table's title standing
    above a bare 合计); None if it names none."""
    items = _words()["items"]
    for text in reversed((title,) + tuple(path) if title else tuple(path)):
        text = squeeze(text)
        for item, word in items:
            if word in text:
                return item
    return None


def _says(path, words):
    return any(w in squeeze(text) for text in path for w in words)


def column_comparison(path, has_final):
    """'value' or 'initial_budget': a 预算数 column beside 决算数 columns is the initial budget."""
    words = _words()
    if _says(path, words["final"]):
        return "value"
    if has_final and _says(path, words["budget"]):
        return "initial_budget"
    return "value"


def _is_total_row(value):
    """True for the table's own row: no row label, or a total label (合计)."""
    return not value.name or any(w in value.name for w in _words()["totals"])


def three_public_figures(view, source):
    """Figure records of one 三公 / 机关运行经费 block; each carries its (1-based) grid column."""
    found = [v for v in values(view) if _is_total_row(v)]
    has_final = any(_says(p, _words()["final"]) for p in view.columns[view.first:view.end])
    records = []
    for v in found:
        item = column_item(v.path) or column_item(v.path, view.title)
        if item is None:
            continue
        record = figure(item, v.amount, source=source, comparison=column_comparison(v.path, has_final),
                        printed=v.printed, printed_unit=v.printed_unit, line=v.row.line,
                        section=view.section, text=" > ".join(v.path)[:300])
        record["column"] = v.column + 1
        records.append(record)
    return records
