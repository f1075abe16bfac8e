"""Shares printed beside figures ('占 97.2%') become share figures; '占**%' becomes a placeholder."""

from decimal import Decimal

from budgetkg.etl.extract import extract_records
from budgetkg.etl.read import read_document
from budgetkg.etl.segment import segment


def records(examples_dir, name):
    return extract_records(segment(read_document(examples_dir / name)["lines"]))


def test_shares_copy_the_dimensions_of_the_figure_they_follow(examples_dir):
    shares = {(r["item"], r["source"], r.get("exptype"), r["line"]): r["value"]
              for r in records(examples_dir, "000_c5b847b5dca8784f.txt")
              if r["kind"] == "figure" and r["comparison"] == "share"}
    assert shares[("fiscal_appropriation_income", "fiscal_appropriation", None, 66)] == Decimal("97.2")
    assert shares[("income_by_source", "other", None, 66)] == Decimal("2.8")
    assert shares[("basic_expenditure", "all", None, 70)] == Decimal("57.29")
    assert shares[("vehicle_total", "all", None, 96)] == Decimal("100")  # not the 三公 total also printed 6.69
    assert ("three_public_total", "all", None, 96) not in shares
    assert all(r["uom"] == "percent" for r in records(examples_dir, "000_c5b847b5dca8784f.txt")
               if r["kind"] == "figure" and r["comparison"] == "share")


def test_small_business_share_is_not_given_to_the_sme_figure(examples_dir):
    """Regression: '授予小微企业合同金额 0 万元，占…的 0%' has no figure of its own."""
    lines = [r["line"] for r in records(examples_dir, "000_c5b847b5dca8784f.txt")
             if r["kind"] == "figure" and r["comparison"] == "share" and r["item"] == "procurement_sme"]
    assert lines == [124]


def test_template_placeholders_are_recorded_with_their_figure(examples_dir):
    found = [(r["line"], r["item"]) for r in records(examples_dir, "004_075cd51c8785aeb9.txt")
             if r["kind"] == "placeholder"]
    assert found == [(32, "income_by_source"), (32, "income_by_source"),
                     (37, "basic_expenditure"), (37, "project_expenditure")]
