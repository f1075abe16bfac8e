"""Page furniture shared by the paged readers (PDF, and text paged by form feeds): page numbers,
running headers/footers repeated on many pages, and a table of contents' dot leaders."""

import re
from collections import Counter

PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
LEADER = re.compile(r"(?:…{2,}|\.{6,}|·{4,}|-{6,})\s*\d*\s*$")
MIN_PAGES = 3  # fewer pages: no line can be told to repeat


def masked(text):
    """A margin line with its numbers masked, so '第3页' on page 3 and '第4页' on page 4 are one line."""
    return re.sub(r"\d+", "#", text)


def repeated_margins(pages, share):
    """The masked margin texts found on at least ``share`` of the pages; ``pages`` holds, per page,
    the texts printed in its margins."""
    counts = Counter()
    for texts in pages:
        counts.update({masked(t) for t in texts})
    if len(pages) < MIN_PAGES:
        return set()
    return {t for t, n in counts.items() if n >= share * len(pages)}


def is_furniture(text, repeated):
    """Whether a margin line is a page number or one of the repeated running lines."""
    return bool(PAGE_NUMBER.match(text)) or masked(text) in repeated
