"""Stage 1, read: bytes on disk to normalised text lines, with the original lines kept.

Detects UTF-8 (with or without BOM), UTF-16 with BOM and GB18030/GBK; removes Word bookmark noise."""

import hashlib
import re
from pathlib import Path

BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")
# Full-width ASCII (U+FF01..U+FF5E) to ASCII, except the Chinese comma, semicolon, ! and ?,
# which are sentence punctuation rather than number or bracket syntax.
_KEEP = {"，", "；", "！", "？"}
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP}
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20})
_FULLWIDTH_CHARS = {chr(k): chr(v) for k, v in _FULLWIDTH.items()}
_FULLWIDTH_RE = re.compile("[%s]" % re.escape("".join(_FULLWIDTH_CHARS)))  # 7x str.translate on CJK
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # below 32, except \t \n \r \f
_TEX = [(re.compile(r"\\geq?\b[^\S\n]*"), "≥"), (re.compile(r"\\leq?\b[^\S\n]*"), "≤")]


class InputError(Exception):
    """A document that cannot be read at all; the message names the file and the problem."""

    def __init__(self, path, message, line=None):
        self.path, self.line = str(path), line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def decode_bytes(data, path="<bytes>"):
    """Decode document bytes, returning (text, encoding name); raise InputError for binary data."""
    if not data.strip():
        raise InputError(path, "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary file (NUL bytes), not a text document")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = "utf-8-bom" if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else encoding
        name = "utf-8" if name == "utf-8-sig" else name
        controls = len(_CONTROL_RE.findall(text, 0, 4096))
        if controls > len(text[:4096]) * 0.01 + 2:
            raise InputError(path, "binary file (control characters), not a text document")
        return text, name
    raise InputError(path, "unknown text encoding (tried UTF-8, UTF-16, GB18030)")


def normalise_line(line):
    """Normalise one line: bookmarks removed, full-width digits and brackets made ASCII, TeX ≥ ≤."""
    return normalise_text(BOOKMARK.sub("", line)).rstrip("\r\n")


def normalise_text(text):
    """normalise_line over a whole text at once (no rule crosses a line break)."""
    text = _FULLWIDTH_RE.sub(lambda m: _FULLWIDTH_CHARS[m.group()], text)
    if "\\" in text:
        for pattern, repl in _TEX:
            text = pattern.sub(repl, text)
    return text


def read_text(text, path="<text>", encoding="utf-8", sha256=None):
    """Split decoded text into a document dict: raw lines and normalised lines, 1-based by index+1."""
    raw = BOOKMARK.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = normalise_text(raw).split("\n")  # one pass over the text: lines stay aligned
    return {
        "path": str(path),
        "name": Path(str(path)).name,
        "sha256": sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "encoding": encoding,
        "raw_lines": raw.split("\n"),
        "lines": lines,
    }


def read_document(path):
    """Read one document file into a document dict; raise InputError if it is not readable text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    text, encoding = decode_bytes(data, path)
    return read_text(text, path, encoding, hashlib.sha256(data).hexdigest())
