"""The competency questions (queries/cq01-cq06) on the graph built from the five examples.

Each query's CSV has exactly the columns the issue names; rows are checked against the printed text."""

import csv
import io
from pathlib import Path

import pytest

from budgetkg.cli import main

QUERIES = Path(__file__).resolve().parents[1] / "queries"
UNITS = {"新疆维吾尔自治区社会保险管理局", "乌鲁木齐市社会保险中心", "新疆维吾尔自治区喀什地区社会保险管理局",
         "昌吉回族自治州社会保险管理局", "攀枝花市社会保险事务中心"}


def run(runner, store, name):
    """Run one competency question through the CLI and return (header, rows as dicts)."""
    result = runner.invoke(main, ["query", str(QUERIES / name), "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    return reader.fieldnames, list(reader)


def test_cq01_documents(runner, built_store):
    header, rows = run(runner, built_store, "cq01-documents.rq")
    assert header == ["unit", "year", "phase"]
    assert {(r["unit"], r["year"], r["phase"]) for r in rows} == {
        ("新疆维吾尔自治区社会保险管理局", "2019", "final"), ("乌鲁木齐市社会保险中心", "2023", "final"),
        ("新疆维吾尔自治区喀什地区社会保险管理局", "2021", "budget"),
        ("昌吉回族自治州社会保险管理局", "2020", "budget"), ("攀枝花市社会保险事务中心", "2019", "final")}
    assert len(rows) == 5


def test_cq02_totals(runner, built_store):
    header, rows = run(runner, built_store, "cq02-totals.rq")
    assert header == ["unit", "year", "phase", "item", "amount"]
    got = {(r["unit"], r["item"]): r["amount"] for r in rows}
    assert len(got) == len(rows), "one row per unit and item"
    assert got[("乌鲁木齐市社会保险中心", "income_total")] == "10938.34"
    assert got[("乌鲁木齐市社会保险中心", "basic_expenditure")] == "5631.87"
    assert got[("新疆维吾尔自治区社会保险管理局", "project_expenditure")] == "1067.17"
    assert got[("新疆维吾尔自治区喀什地区社会保险管理局", "personnel_expenditure")] == "819.58"
    assert got[("昌吉回族自治州社会保险管理局", "public_expenditure")] == "94.69"
    assert got[("攀枝花市社会保险事务中心", "income_total")] == "1265.78"
    assert {r["unit"] for r in rows} == UNITS
    assert all("," not in r["amount"] for r in rows)


def test_cq03_functional(runner, built_store):
    header, rows = run(runner, built_store, "cq03-functional.rq")
    assert header == ["unit", "year", "phase", "code", "name", "amount"]
    per_unit = {}
    for r in rows:
        per_unit.setdefault(r["unit"], []).append((r["code"], r["name"], r["amount"]))
    assert {u: len(v) for u, v in per_unit.items()} == {
        "新疆维吾尔自治区社会保险管理局": 6, "乌鲁木齐市社会保险中心": 9,
        "新疆维吾尔自治区喀什地区社会保险管理局": 5, "昌吉回族自治州社会保险管理局": 3,
        "攀枝花市社会保险事务中心": 6}
    assert ("2080101", "行政运行", "1089.74") in per_unit["新疆维吾尔自治区社会保险管理局"]
    assert ("", "行政运行", "3850.59") in per_unit["乌鲁木齐市社会保险中心"]
    assert ("2080108", "信息化建设", "77") in per_unit["昌吉回族自治州社会保险管理局"]
    assert ("", "住房公积金", "82.42") in per_unit["攀枝花市社会保险事务中心"]
    assert ("", "社会保险经办机构", "816.51") in per_unit["新疆维吾尔自治区喀什地区社会保险管理局"]


def test_cq04_economic(runner, built_store):
    header, rows = run(runner, built_store, "cq04-economic.rq")
    assert header == ["unit", "year", "phase", "code", "name", "amount"]
    counts = {}
    for r in rows:
        counts[r["unit"]] = counts.get(r["unit"], 0) + 1
        assert len(r["code"]) == 5
    assert counts == {"新疆维吾尔自治区喀什地区社会保险管理局": 21, "昌吉回族自治州社会保险管理局": 25}
    assert {"unit": "昌吉回族自治州社会保险管理局", "year": "2020", "phase": "budget", "code": "30106",
            "name": "伙食补助费", "amount": "79.38"} in rows


def test_cq05_personnel(runner, built_store):
    header, rows = run(runner, built_store, "cq05-personnel.rq")
    assert header == ["unit", "year", "item", "count"]
    got = {(r["unit"], r["item"]): r["count"] for r in rows}
    assert got[("昌吉回族自治州社会保险管理局", "authorized")] == "72"
    assert got[("乌鲁木齐市社会保险中心", "actual")] == "435"
    assert got[("新疆维吾尔自治区喀什地区社会保险管理局", "retired_cadre")] == "0"
    assert len(got) == len(rows) == 21


def test_cq06_key_figures(runner, built_store):
    header, rows = run(runner, built_store, "cq06-key-figures.rq")
    assert header == ["unit", "year", "phase", "item", "amount"]
    got = {(r["unit"], r["item"]): r["amount"] for r in rows}
    assert len(got) == len(rows) == 50
    assert got[("新疆维吾尔自治区社会保险管理局", "procurement_total")] == "366.75"
    assert got[("乌鲁木齐市社会保险中心", "procurement_works")] == "9.98"
    assert got[("昌吉回族自治州社会保险管理局", "three_public_total")] == "10.02"
    assert got[("攀枝花市社会保险事务中心", "reception")] == "0.3"


BEFORE = Path(__file__).resolve().parents[1] / "bench" / "questions_before"


@pytest.mark.parametrize("name", sorted(p.name for p in BEFORE.glob("cq*.rq")))
def test_rewritten_questions_answer_exactly_as_before(runner, built_store, name):
    """The questions select on bkg:canonical and per-document graphs now; the texts they replaced
    (bench/questions_before/) must still give byte-identical CSV on the seeds."""
    old = runner.invoke(main, ["query", str(BEFORE / name), "--store", str(built_store), "--format", "csv"])
    new = runner.invoke(main, ["query", str(QUERIES / name), "--store", str(built_store), "--format", "csv"])
    assert old.exit_code == new.exit_code == 0, old.output + new.output
    assert new.stdout == old.stdout
    assert new.stdout.count("\n") > 1
