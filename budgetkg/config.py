"""Settings for budgetkg, read from the environment with sensible defaults.

BUDGETKG_STORE picks the store directory and BUDGETKG_BASE the base IRI of published resources."""

import os
from pathlib import Path

DEFAULT_BASE_IRI = "https://budgetkg.org/"


def default_store_dir():
    """Return the store directory: $BUDGETKG_STORE, else $XDG_DATA_HOME/budgetkg/store."""
    explicit = os.environ.get("BUDGETKG_STORE")
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home).expanduser() / "budgetkg" / "store"


def base_iri():
    """Return the base IRI for minted resources ($BUDGETKG_BASE or the default), ending in a slash."""
    base = os.environ.get("BUDGETKG_BASE") or DEFAULT_BASE_IRI
    return base if base.endswith("/") else base + "/"
