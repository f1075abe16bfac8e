"""Issue 12: VoID and the service description took their URLs from the Host header. Now a configured
BASE_URL is used (and may be cached); without it, descriptions built from Host are never stored."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from budgetkg.server import create_app
from budgetkg.server.security import SettingError

DATASET = ".well-known/void#budgetkg"


def void_endpoint(response, base):
    return Graph().parse(data=response.data, format="turtle").value(URIRef(base + DATASET), VOID.sparqlEndpoint)


def test_configured_base_url_wins_over_a_forged_host(make_app, built_store):
    client = make_app(built_store, BASE_URL="https://data.example.org/kg").test_client()
    for path in ("/.well-known/void", "/sparql"):
        response = client.get(path, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
        assert b"evil.example" not in response.data and b"https://data.example.org/kg/sparql" in response.data
        assert response.headers["Cache-Control"].startswith("public")
    void = client.get("/.well-known/void", headers={"Host": "evil.example"})
    assert void_endpoint(void, "https://data.example.org/kg/") == URIRef("https://data.example.org/kg/sparql")


def test_without_base_url_host_derived_descriptions_are_not_stored(client):
    for path in ("/.well-known/void", "/sparql"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store" and "Host" in response.headers["Vary"]


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data.example.org", "ftp://x/"])
def test_base_url_must_be_an_absolute_http_url(tmp_path, value):
    with pytest.raises(SettingError):
        create_app({"STORE": str(tmp_path / "store"), "BASE_URL": value})
