"""The W3C SPARQL 1.1 Protocol tests, driven by tests/w3c_runner.py against the Flask test client.

Every query test must pass; every update test must get a 4xx, since the endpoint is read-only."""

import pytest
from w3c_runner import load_tests, run_test

from conftest import W3C_DIR

MANIFEST = W3C_DIR / "manifest.ttl"
TESTS = {test.name: test for test in load_tests(MANIFEST)} if MANIFEST.is_file() else {}


@pytest.fixture(scope="module")
def w3c_client(make_app, w3c_store):
    """A test client over the store holding the manifest's data graphs."""
    return make_app(w3c_store).test_client()


def test_manifest_has_query_and_update_tests(w3c_manifest):
    assert len(TESTS) == 34
    assert sum(t.is_update for t in TESTS.values()) == 14
    assert all(r.path.startswith("/sparql") and "/sparql/" not in r.path
               for t in TESTS.values() for r in t.requests)


@pytest.mark.parametrize("name", sorted(TESTS))
def test_w3c_protocol(w3c_client, name):
    failures = run_test(w3c_client, TESTS[name])
    assert not failures, "\n".join(failures)
