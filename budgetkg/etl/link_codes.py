"""Codes for classification items printed by name only, wherever the document (or the national
classification) allows it.

In order: the code whose 类/款/项 name path the document's tables print ("社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老
保险缴费支出（项）" gets 2080505 when a table prints 208 / 20805 / 2080505 with those names); the code
the same document prints for the same name and level; for a 类
item, the national 类 list shipped as data (etl/data/functional_classes.csv, economic_classes.csv)."""

import csv
import re
from functools import lru_cache
from importlib import resources

CLASSIFIED = ("functional_expenditure", "economic_expenditure")
CODE_DIGITS = {1: 3, 2: 5, 3: 7}  # 类 / 款 / 项
NAME_NOISE = re.compile(r"[\s()（）“”\"'‘’]")
VARIANTS = str.maketrans({"它": "他"})  # 其它 and 其他 are one word
OPTIONAL_SUFFIX = "支出"  # '社会保障和就业（类）' names 社会保障和就业支出


def name_key(name):
    """A printed name as compared: spaces, brackets and quotes removed, 其它 written 其他."""
    return NAME_NOISE.sub("", name or "").translate(VARIANTS)


def _rows(path):
    text = resources.files("budgetkg.etl").joinpath(path).read_text(encoding="utf-8")
    return csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))


@lru_cache(maxsize=1)
def national_classes():
    """{item: {name key: code}} of the national 类 names (functional; economic, department scheme)."""
    functional, economic = {}, {}
    for row in _rows("data/functional_classes.csv"):
        for name in [row["name"]] + [n for n in (row.get("former_names") or "").split("|") if n]:
            functional.setdefault(name_key(name), row["code"])
    for row in _rows("data/economic_classes.csv"):
        if row["scheme"] == "department":
            economic.setdefault(name_key(row["name"]), row["code"])
    return {"functional_expenditure": functional, "economic_expenditure": economic}


def national_class(item, name):
    """The national 类 code of a name ('社会保障和就业支出' or '社会保障和就业' -> '208'), or None."""
    table = national_classes().get(item, {})
    key = name_key(name)
    return table.get(key) or table.get(key + OPTIONAL_SUFFIX)


def _is_classified(record):
    return record["kind"] == "figure" and record["item"] in CLASSIFIED


def _printed_names(records):
    """{(item, code): name key} of the coded items the document prints (the general-public-budget
    tables first: they are the canonical listing)."""
    names = {}
    coded = [r for r in records if _is_classified(r) and r.get("code") and r.get("name")]
    for r in sorted(coded, key=lambda r: r["source"] != "general_public_budget"):
        names.setdefault((r["item"], r["code"]), name_key(r["name"]))
    return names


def _ancestor_matches(item, code, name, names):
    """Whether the document's (or, for a 类, the national) name of code is name."""
    printed = names.get((item, code))
    if printed is not None:
        return printed == name or printed == name + OPTIONAL_SUFFIX
    return len(code) == 3 and national_class(item, name) == code


def code_of_path(item, path, names):
    """The one code whose name path (类, 款, 项 as the document names them) is path, else None."""
    if not path or len(path) not in CODE_DIGITS:
        return None
    keys = [name_key(n) for n in path]
    digits = CODE_DIGITS[len(path)]
    candidates = {code for (it, code), name in names.items()
                  if it == item and len(code) == digits and name == keys[-1]
                  and all(_ancestor_matches(item, code[:CODE_DIGITS[k + 1]], keys[k], names)
                          for k in range(len(keys) - 1))}
    return candidates.pop() if len(candidates) == 1 else None


def link_functional_codes(records):
    """Give name-only classification figures a code: the same document's code for the same 类/款/项
    name path, else for the same name and level, else (a 类) the national 类 code. In place; returns records."""
    codes = {}
    coded = [r for r in records if _is_classified(r) and r.get("code")]
    for r in sorted(coded, key=lambda r: r["source"] != "general_public_budget"):
        codes.setdefault((r["item"], r["name"], r["level"]), r["code"])
    names = _printed_names(records)
    for r in records:
        if not _is_classified(r) or r.get("code"):
            continue
        code = (code_of_path(r["item"], r.get("path"), names)
                or codes.get((r["item"], r["name"], r["level"]))
                or (national_class(r["item"], r["name"] or "") if r["level"] == 1 else None))
        if code:
            r["code"] = code
    return records
