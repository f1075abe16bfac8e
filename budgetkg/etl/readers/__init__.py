"""Stage 1, read: one reader per file type, registered here by suffix, each returning a Document.

A reader is ``read(path) -> etl.model.Document`` and raises etl.read.InputError naming the file and
the place for input it cannot read. ``register`` adds one (e.g. a plugin); ``read_file`` dispatches."""

from importlib import import_module
from pathlib import Path

from budgetkg.etl.read import InputError

# suffix -> "module:function"; imported on first use so a missing optional package only
# affects its own format.
READERS = {
    ".txt": "budgetkg.etl.readers.text:read_text_file",
    ".text": "budgetkg.etl.readers.text:read_text_file",
    ".md": "budgetkg.etl.readers.text:read_text_file",
    ".pdf": "budgetkg.etl.readers.pdf:read_pdf",
    ".xlsx": "budgetkg.etl.readers.workbook:read_workbook",
    ".xlsm": "budgetkg.etl.readers.workbook:read_workbook",
    ".xls": "budgetkg.etl.readers.workbook:read_workbook",
    ".docx": "budgetkg.etl.readers.docx:read_docx",
    ".doc": "budgetkg.etl.readers.docx:read_docx",  # old binary Word: a clear error unless it is a .docx inside
    ".html": "budgetkg.etl.readers.html:read_html",
    ".htm": "budgetkg.etl.readers.html:read_html",
}


def register(suffix, reader):
    """Register a reader (a callable or a 'module:function' string) for a file suffix."""
    READERS[suffix.lower()] = reader


def supported_suffixes():
    """The file suffixes a reader is registered for, sorted."""
    return sorted(READERS)


def reader_for(path):
    """The reader callable for a path, or None when its type has no reader."""
    spec = READERS.get(Path(path).suffix.lower())
    if spec is None or callable(spec):
        return spec
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)


def read_file(path):
    """Read one file into a Document; raise InputError for unsupported or unreadable files."""
    reader = reader_for(path)
    if reader is None:
        raise InputError(path, f"unsupported file type {Path(path).suffix or '(none)'!r} "
                         f"(read: {', '.join(supported_suffixes())})")
    return reader(Path(path))
