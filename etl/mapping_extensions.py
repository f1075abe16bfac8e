"""Record kinds mapped outside etl/mapping.py: projects, indicators, legal references.

Importing this module registers their handlers with etl.mapping.register."""

import importlib

for _name in ("etl.map_projects", "etl.map_legal", "etl.map_findings", "etl.map_indicators"):
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
