"""One disclosure in several files: group the files of one build by unit, year, phase and level, and join
each group into one Document.

Many units publish the explanation (说明) and the tables (公开表) of one disclosure as separate files.
Rules (pure functions; `budgetkg build` applies them to the files it is given together):

* the files whose metadata (``etl.extract.metadata``) names the same unit, year, phase and level
  (部门 / 单位: a 部门预算 and a 单位预算 of one unit and year are two disclosures) form one group;
* a file whose metadata cannot be found alone but which holds tables (e.g. the 公开表 without a
  title) joins the group of its folder when exactly one disclosure is given from that folder;
  otherwise it stays alone (and fails as before, naming the file). `budgetkg build` passes only such
  files as keyless, so a stray text without tables is never joined to a disclosure;
* a group's blocks are concatenated in file-name order; the joined Document has no ``lines`` (the
  blocks stage numbers virtual lines) and lists every file in ``files``, so provenance names the
  file each fact comes from (``bkg:sourcePart``) beside its line, page or cell."""

import hashlib
from collections import defaultdict
from pathlib import Path

from budgetkg.etl.blocks import document_blocks
from budgetkg.etl.extract.metadata import MetadataError, extract_metadata
from budgetkg.etl.model import Document

JOINED_FORMAT = "joined"
NAME_SEPARATOR = " + "


def disclosure_key(document):
    """(unit, year, phase, level) of a read Document, or None when its text does not say."""
    try:
        meta = extract_metadata(document_blocks(document)[0])
    except MetadataError:
        return None
    return meta["unit"], meta["year"], meta["phase"], meta.get("level")


def file_order(path):
    """Sort key of the files of one group: file name, then the whole path."""
    path = Path(path)
    return path.name, str(path)


def group_files(keys):
    """Group files by disclosure: ``keys`` maps each path to its key (or None when unknown).

    Returns (groups, alone): ``groups`` maps each key to its paths in file-name order (files without
    a key added where their folder holds exactly one key); ``alone`` lists the files without a key
    that could not be placed."""
    groups, alone = defaultdict(list), []
    for path, key in keys.items():
        if key is not None:
            groups[key].append(path)
    by_folder = defaultdict(set)
    for key, paths in groups.items():
        for path in paths:
            by_folder[Path(path).parent].add(key)
    for path, key in keys.items():
        if key is None:
            candidates = by_folder.get(Path(path).parent, set())
            if len(candidates) == 1:
                groups[next(iter(candidates))].append(path)
            else:
                alone.append(path)
    return {key: sorted(paths, key=file_order) for key, paths in groups.items()}, sorted(alone, key=file_order)


def join_documents(documents):
    """One Document of several read files of the same disclosure (one Document is returned as is).

    Blocks follow each other in file-name order; the SHA-256 is that of the files' SHA-256s in that
    order, so it changes when any file does."""
    documents = sorted(documents, key=lambda d: file_order(d.path))
    if len(documents) == 1:
        return documents[0]
    digest = hashlib.sha256("\n".join(d.sha256 for d in documents).encode("ascii")).hexdigest()
    pages = [d.pages for d in documents if d.pages is not None]
    return Document(path=documents[0].path, name=NAME_SEPARATOR.join(d.name for d in documents),
                    sha256=digest, format=JOINED_FORMAT,
                    blocks=[block for d in documents for block in d.blocks], lines=None,
                    files=[name for d in documents for name in d.files], pages=sum(pages) if pages else None)
