"""Helpers shared by the readers of structured files (workbooks, Word, HTML): text cleaning, headings
from numbering patterns, table captions from the paragraphs before a table, exact printed numbers,
container sniffing for clear errors, and the finished Document.

The rules mirror the text reader's (etl.segment): a line is a heading when ``heading_level`` says so,
and a table's caption and money unit are read from the few paragraphs printed just before it."""

import hashlib
import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from budgetkg.etl.model import MONEY_UNITS, Document, Heading, Paragraph, assign_sections
from budgetkg.etl.read import InputError, normalise_text
from budgetkg.etl.segment import heading_level

CAPTION_LOOKBACK = 4  # paragraphs before a table searched for its title and unit (as etl.segment)
CAPTION_MAX = 60  # a longer paragraph is not a table title
UNIT = re.compile(r"单位\s*[:：]\s*(%s)" % "|".join(sorted(MONEY_UNITS, key=len, reverse=True)))
SIGNIFICANT_DIGITS = 15  # what a spreadsheet displays of a binary float (0.1+0.2 -> 0.3)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .xls, .doc, or an encrypted OOXML file
OLE_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted .xlsx/.docx holds
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
TOC_ENTRY = re.compile(r"(\u2026{2,}|\.{4,}|\u00b7{4,})\s*\d*\s*$")  # '一、主要职能 ……… 3': a 目录 line


def clean_text(text):
    """A cell's or paragraph's text normalised as the text reader normalises lines (full-width
    digits and punctuation to ASCII, no-break spaces and tabs to spaces), spaces kept as printed; line
    breaks inside it joined (with a space between two ASCII words, else directly: '预算\\n数' -> '预算数')."""
    text = normalise_text(str(text or "")).replace("\u200b", "").replace("\t", " ")
    parts = [p.strip() for p in _LINE_BREAK.split(text)]
    joined = ""
    for part in filter(None, parts):
        glue = " " if joined and _ASCII_WORD.match(joined[-1]) and _ASCII_WORD.match(part[0]) else ""
        joined += glue + part
    return joined


def text_lines(text):
    """The non-empty lines of a multi-line text (a workbook cell, a <br>-split paragraph), cleaned."""
    return [line for line in (clean_text(p) for p in re.split(r"[\r\n]+", str(text or ""))) if line]


def text_block(text, location, tag_level=0):
    """A Heading when the text is numbered like one (第一部分 / 一、/ (一)) or its source marks it as a
    heading (``tag_level``: h2, Word 'Heading 2' ...; capped at 3 as markdown marks are), else a Paragraph."""
    if TOC_ENTRY.search(text):
        return Paragraph(text, location)
    level = heading_level(text) or min(tag_level, 3)
    return Heading(text, level, location) if level else Paragraph(text, location)


def caption_before(blocks):
    """(title, unit) of a table from the paragraphs (or a heading) just before it: the last short one
    naming a 表 (not an 编制单位 line) and the money unit of a '单位：万元' line; ('', None) when there
    are none."""
    title, unit = "", None
    for block in reversed(blocks[-CAPTION_LOOKBACK:]):
        if not isinstance(block, (Paragraph, Heading)):
            break
        text = block.text
        found = UNIT.search(text)
        if found and unit is None:
            unit = found.group(1)
        if not title and "表" in text and not text.startswith("编制") and len(text) < CAPTION_MAX:
            title = text
    return title, unit


def number_text(value, decimals=None, percent=False):
    """The printed text of a stored number: exact, without binary-float artefacts (1237.62, never
    1237.6199999; 0.1+0.2 -> 0.3), integers without '.0'; ``decimals`` fixed places as a number
    format prints them (half away from zero), ``percent`` as 12.5%."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        exact = Decimal(value)
    else:
        try:
            exact = Decimal(format(value, f".{SIGNIFICANT_DIGITS}g"))
        except (InvalidOperation, ValueError, TypeError):
            return clean_text(value)
        if not exact.is_finite():
            return clean_text(value)
    if percent:
        exact *= 100
    if decimals is not None:
        exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
    else:
        exact = exact.normalize()
    text = format(exact, "f")
    if text.startswith("-") and not exact:
        text = text[1:]
    return text + ("%" if percent else "")


def value_text(value, decimals=None, percent=False):
    """The printed text of any stored cell value: numbers by ``number_text``, dates as ISO dates
    (with the time of day when there is one), text cleaned; '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, decimals, percent)
    return clean_text(value)


def sniff_container(path, data, kind, modern):
    """Raise InputError when ``data`` cannot be an Office Open XML file (``modern``: .xlsx, .docx):
    empty, an encrypted (password-protected) file, an old binary Office file, or not a zip at all."""
    if not data:
        raise InputError(path, "empty file")
    if data.startswith(OLE_MAGIC):
        if OLE_ENCRYPTED in data:
            raise InputError(path, f"encrypted (password-protected) {kind}: remove the password and "
                             "save it again to publish it")
        raise InputError(path, f"old binary Office format (a compound file, e.g. .doc), not read: "
                         f"open it and save it as {modern}")
    if not data.startswith(ZIP_MAGIC):
        raise InputError(path, f"not a {kind}: the file is not an Office Open XML ({modern}) zip package")


def read_bytes(path):
    """The bytes of a file; InputError naming it when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc


def finished_document(path, data, format_name, parts):
    """The Document of a structured file from its parts (lists of blocks in reading order: a
    workbook's sheets, or the one body of a Word file or web page); sections restart in each part."""
    path = Path(path)
    blocks = [block for part in parts for block in assign_sections(part)]
    return Document(path=str(path), name=path.name, sha256=hashlib.sha256(data).hexdigest(),
                    format=format_name, blocks=blocks)
