"""Issuer codes (机关代字) of official document numbers mapped to issuing bodies: etl/data/issuers.csv.

The table is data, extendable without code changes: one row per code, columns code, body, level."""

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def issuer_table():
    """{code: {"body": ..., "level": ...}} read once from the shipped CSV."""
    text = resources.files("budgetkg.etl").joinpath("data/issuers.csv").read_text(encoding="utf-8")
    table = {}
    for row in csv.DictReader(text.splitlines()):
        code = (row.get("code") or "").strip()
        if code and not code.startswith("#"):
            table[code] = {"body": (row.get("body") or "").strip() or None,
                           "level": (row.get("level") or "").strip() or None}
    return table


def issuer_body(code):
    """The issuing body of an issuer code, from etl/data/issuers.csv; None if unknown."""
    entry = issuer_table().get(code or "")
    return entry["body"] if entry else None


@lru_cache(maxsize=1)
def issuer_bodies():
    """All issuing bodies of the table (the names, not the codes)."""
    return frozenset(entry["body"] for entry in issuer_table().values() if entry["body"])


def known_codes():
    """All issuer codes of the table."""
    return set(issuer_table())
