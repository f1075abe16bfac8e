"""The kind of a table (收支总表, 一般公共预算支出表, 三公 …) from its title and header.

The kinds, their title patterns and header words live in etl/data/table_kinds.toml, so a new
template is a data change plus a test; interpret_table dispatches each table on its kind."""

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "table_kinds.toml"
READS = ("summary", "classification", "income", "three_public", "none", "generic")


class TableKindsError(ValueError):
    """The table kinds data file is malformed."""


@dataclass(frozen=True)
class TableKind:
    """One kind of table: its key, title patterns, header words and interpretation."""
    key: str
    titles: tuple
    header: tuple
    reads: str
    header_decides: bool = False


@lru_cache(maxsize=1)
def vocabulary():
    """The parsed data file (kinds, split words, 三公 words)."""
    with open(DATA_FILE, "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def kinds():
    """The table kinds in file order, their title patterns compiled."""
    found = []
    for entry in vocabulary().get("kind", []):
        if entry.get("reads") not in READS:
            raise TableKindsError(f"{DATA_FILE}: kind {entry.get('key')!r} reads {entry.get('reads')!r}, "
                                  f"not one of {', '.join(READS)}")
        found.append(TableKind(key=entry["key"], titles=tuple(re.compile(p) for p in entry.get("title", [])),
                               header=tuple(entry.get("header", [])), reads=entry["reads"],
                               header_decides=bool(entry.get("header_decides"))))
    if not found or found[-1].titles:
        raise TableKindsError(f"{DATA_FILE}: the last kind must be the fallback (no title patterns)")
    return tuple(found)


def _compact(text):
    return re.sub(r"\s+", "", text or "")


def classify_table(title, header_texts=()):
    """The TableKind of a table from its title and (for untitled tables) its header texts."""
    title = _compact(title)
    header = _compact("".join(header_texts))
    for kind in kinds():
        if kind.header_decides and any(word in header for word in kind.header):
            return kind
    for kind in kinds():
        if title and any(p.search(title) for p in kind.titles):
            return kind
    if header:
        for kind in kinds():
            if any(word in header for word in kind.header):
                return kind
    return kinds()[-1]
