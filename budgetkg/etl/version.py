"""The ETL version: what decides whether a document built earlier must be extracted again.

``etl_version()`` hashes the sources of the extraction (every file of the ``etl`` package, its data
files, and the vocabulary and code-list modules the mapping uses) together with ``ETL_FORMAT``, a
number to bump by hand when the output changes for a reason the sources do not show. An incremental
build re-extracts a document whose bytes or whose ETL version differ from the published one."""

import hashlib
from functools import lru_cache
from pathlib import Path

ETL_FORMAT = 1
PACKAGE = Path(__file__).resolve().parent
SOURCE_SUFFIXES = {".py", ".csv", ".txt", ".json", ".toml", ".tsv", ".yaml", ".yml"}
MAPPING_MODULES = ("vocab.py", "codes.py")  # budgetkg modules whose terms the mapping writes


def source_files():
    """The files whose contents make up the ETL version, in a fixed order."""
    files = sorted(p for p in PACKAGE.rglob("*")
                   if p.is_file() and p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts)
    mapping = [PACKAGE.parent / name for name in MAPPING_MODULES]
    return files + [p for p in mapping if p.is_file()]


@lru_cache(maxsize=1)
def etl_version():
    """'<ETL_FORMAT>-<16 hex digits>': the format number and a SHA-256 of the ETL's sources."""
    digest = hashlib.sha256(str(ETL_FORMAT).encode("ascii"))
    for path in source_files():
        digest.update(path.relative_to(PACKAGE.parent).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{ETL_FORMAT}-{digest.hexdigest()[:16]}"
