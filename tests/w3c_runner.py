"""A small runner for the W3C SPARQL 1.1 Protocol test manifest, driving a Flask test client.

Query tests must pass as the manifest says; update tests must get a 4xx, since the endpoint is read-only."""

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
DATA_GRAPH = "http://kasei.us/2009/09/sparql/data/{}.rdf"


@dataclass
class Request:
    """One HTTP request of a test and what its response must be."""

    method: str
    path: str
    headers: dict
    body: bytes | None
    statuses: list
    fmt: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    """One manifest entry: its name, whether it is an update test, and its requests in order."""

    name: str
    is_update: bool
    requests: list


def load_tests(manifest_path, endpoint="/sparql"):
    """Read the manifest (rdflib) into ProtocolTests, with /sparql/ replaced by the endpoint path."""
    graph = Graph().parse(Path(manifest_path), format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = [read_request(graph, node, endpoint)
                    for node in Collection(graph, graph.value(action, HT.requests))]
        name = str(entry).rsplit("#", 1)[-1]
        is_update = "update" in name or any(
            h.get("content-type", "").startswith("application/sparql-update") or
            (r.body or b"").startswith(b"update=") or "update=" in r.path for r in requests for h in [r.headers])
        tests.append(ProtocolTest(name, is_update, requests))
    return tests


def read_request(graph, node, endpoint):
    """One ht:Request node as a Request."""
    headers = {}
    header_list = graph.value(node, HT.headers)
    for header in Collection(graph, header_list) if header_list else []:
        headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
    response = graph.value(node, HT.resp)
    statuses = sorted(str(s).rsplit("#", 1)[-1] for s in graph.objects(response, MF.expectedStatus))
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    path = str(graph.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    return Request(str(graph.value(node, HT.methodName)), endpoint + path[len("/sparql/"):], headers, body,
                   statuses, fmt and str(fmt), None if boolean is None else boolean.toPython())


def status_ok(status, expected):
    """True when the status falls in one of the expected classes (StatusCode2xx, StatusCode4xx, ...)."""
    return any(name == f"StatusCode{status // 100}xx" for name in expected)


def check_body(request, response):
    """Return an error message if the body does not match the expected format / boolean, else None."""
    ctype = response.headers.get("Content-Type", "").split(";")[0].strip()
    data = response.get_data()
    if request.fmt == "boolean":
        if ctype not in ("application/sparql-results+json", "application/sparql-results+xml"):
            return f"boolean result in {ctype}"
        value = json.loads(data)["boolean"] if ctype.endswith("json") else b"<boolean>true</boolean>" in data
        if request.boolean is not None and value != request.boolean:
            return f"expected boolean {request.boolean}, got {value}"
    elif request.fmt == "tabular":
        if ctype not in ("application/sparql-results+json", "application/sparql-results+xml",
                         "text/csv", "text/tab-separated-values"):
            return f"tabular result in {ctype}"
    elif request.fmt == "RDF":
        formats = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}
        if ctype not in formats:
            return f"RDF result in {ctype}"
        Graph().parse(data=data, format=formats[ctype])
    return None


def run_test(client, test):
    """Run a test's requests in order; return a list of failure messages (empty when it passes)."""
    failures = []
    for request in test.requests:
        headers = dict(request.headers)
        content_type = headers.pop("content-type", None)
        kwargs = {"headers": headers}
        if request.body is not None:
            kwargs["data"] = request.body
        if content_type:
            kwargs["content_type"] = content_type
        response = client.open(request.path, method=request.method, **kwargs)
        status = response.status_code
        if test.is_update:
            if not 400 <= status < 500:
                failures.append(f"{request.method} {unquote(request.path)}: update got {status}, not 4xx")
            return failures  # the later requests check the update's effect, which was refused
        if not status_ok(status, request.statuses):
            failures.append(f"{request.method} {unquote(request.path)}: status {status}, expected "
                            f"{request.statuses}: {response.get_data(as_text=True)[:200]}")
            continue
        if status < 300:
            problem = check_body(request, response)
            if problem:
                failures.append(f"{request.method} {unquote(request.path)}: {problem}")
    return failures


def data_files(manifest_path):
    """The data files and their graph IRIs: dataN.nt -> http://kasei.us/.../dataN.rdf."""
    folder = Path(manifest_path).parent
    return {path: DATA_GRAPH.format(path.stem) for path in sorted(folder.glob("data*.nt"))}

