"""Shared pytest fixtures: repository paths, a click runner and a store built from the examples.

The built store is session-scoped and read-only for tests; tests that write build their own store."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetkg.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def examples_dir():
    """The five example disclosures shipped with the repository."""
    return REPO / "examples"


@pytest.fixture(scope="session")
def seeds_dir():
    """The shared seed documents next to the repository (skipped when absent)."""
    path = REPO.parent / "shared" / "seeds"
    if not path.is_dir():
        pytest.skip(f"no seed documents at {path}")
    return path


@pytest.fixture
def runner():
    """A click CliRunner (stdout and stderr captured separately)."""
    return CliRunner()


@pytest.fixture(scope="session")
def built_store_run(tmp_path_factory, examples_dir):
    """Build all examples into a fresh store with `budgetkg build`; return (store dir, run result)."""
    store_dir = tmp_path_factory.mktemp("built") / "store"
    result = CliRunner().invoke(main, ["build", str(examples_dir), "--store", str(store_dir)])
    if result.exit_code != 0:
        pytest.fail(f"budgetkg build failed ({result.exit_code}):\n{result.output}", pytrace=False)
    return store_dir, result


@pytest.fixture(scope="session")
def built_store(built_store_run):
    """The directory of a store holding every example; do not write to it."""
    return built_store_run[0]
