"""Which files a build reads: folders expanded into the files a reader is registered for.

Kept apart from budgetkg.etl.pipeline (and its extractors) so a build that finds nothing to do stays quick."""

from pathlib import Path

from budgetkg.etl.read import InputError
from budgetkg.etl.readers import supported_suffixes


def find_documents(paths, skipped=None):
    """Expand files and folders into a sorted list of files a reader is registered for.

    Files in folders of other types are appended to ``skipped`` as (path, reason) when it is given;
    a file named directly is always returned (its reader, or the lack of one, reports on it)."""
    found, suffixes = [], set(supported_suffixes())
    for path in map(Path, paths):
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if not p.is_file() or p.name.startswith("."):
                    continue
                if p.suffix.lower() in suffixes:
                    found.append(p)
                elif skipped is not None:
                    skipped.append((p, f"unsupported file type {p.suffix or '(none)'!r}"))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(path, "no such file or directory")
    return sorted(set(found))
