"""Where a fact was printed, as the pages show it: the provenance properties of the document model.

A fact from text has bkg:sourceLine; from a PDF, Word or HTML table bkg:sourcePage / sourceTable /
sourceRow / sourceColumn; from a workbook bkg:sourceSheet / sourceCell; bkg:sourcePart names the file
of a disclosure built from several files (docs/formats.md). The wording is the one validation findings
use (budgetkg.validate.describe_place), so a figure and its finding read the same place."""

from budgetkg import vocab
from budgetkg.validate import describe_place

BKG = str(vocab.BKG)
# name on the page -> property, in the order the provenance box lists them
PLACE = {"part": BKG + "sourcePart", "page": BKG + "sourcePage", "line": BKG + "sourceLine",
         "table": BKG + "sourceTable", "row": BKG + "sourceRow", "column": BKG + "sourceColumn",
         "sheet": BKG + "sourceSheet", "cell": BKG + "sourceCell"}
INTEGER_PARTS = ("page", "line", "table", "row", "column")
POSITION = ("page", "table", "row", "column", "line")  # document order of facts on a page
SEPARATOR = " / "


def parts_of(values):
    """{'page': 9, 'table': 3, ...} from a mapping of place names to lexical values (strings or numbers);
    integer parts as int, the rest as str, absent or empty ones left out."""
    out = {}
    for name in PLACE:
        value = values.get(name)
        if value is None or value == "":
            continue
        out[name] = int(value) if name in INTEGER_PARTS else str(value)
    return out


def where(parts):
    """The place as one line: 'line 12' for a line of text, otherwise Chinese and English, e.g.
    '第 9 页表 3 第 4 行第 5 列 / page 9, table 3, row 4, column 5'; the file part first; None when unknown."""
    zh, en = describe_place(parts), describe_place(parts, "en")
    if zh is None:
        return f"文件 {parts['part']}{SEPARATOR}file {parts['part']}" if "part" in parts else None
    text = en if set(parts) - {"part"} == {"line"} else f"{zh}{SEPARATOR}{en}"
    return f"{parts['part']}: {text}" if "part" in parts else text


def position(parts):
    """Sort key by document position: file part, then page, table, row, column and line (absent = 0)."""
    return (parts.get("part") or "",) + tuple(parts.get(name) or 0 for name in POSITION)


def optional_patterns(subject):
    """SPARQL OPTIONAL patterns binding ?place_<name> for each provenance property of subject."""
    return " ".join(f"OPTIONAL {{ {subject} <{prop}> ?place_{name} }}" for name, prop in PLACE.items())


def select_variables():
    """The ?place_<name> variables of optional_patterns, for a SELECT clause."""
    return " ".join(f"?place_{name}" for name in PLACE)


def row_parts(row):
    """The place parts of a SELECT row made with optional_patterns."""
    return parts_of({name: row[f"place_{name}"].value for name in PLACE if f"place_{name}" in row})
