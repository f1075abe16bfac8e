"""Record kinds mapped outside etl/mapping.py: projects, indicators, legal references.

Importing this module registers their handlers with etl.mapping.register."""

import importlib

for _name in ("budgetkg.etl.map_projects", "budgetkg.etl.map_legal", "budgetkg.etl.map_findings", "budgetkg.etl.map_indicators"):
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
