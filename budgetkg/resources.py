"""Package data found with importlib.resources, so a checkout, an editable install and a wheel all
read the same files: the SHACL shapes, the ontology, the competency questions and the ETL's data."""

from importlib import resources
from pathlib import Path


def package_path(*parts):
    """The path of a file or folder inside the installed budgetkg package."""
    return Path(str(resources.files("budgetkg").joinpath(*parts)))


SHAPES_DIR = package_path("shapes")
ONTOLOGY_FILE = package_path("ontology", "budgetkg.ttl")
QUERIES_DIR = package_path("queries")
ETL_DATA_DIR = package_path("etl", "data")
