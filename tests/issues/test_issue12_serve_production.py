"""Issue 12: `budgetkg serve` ran Werkzeug's development server (unbounded threads), and an unencoded
`?q=养老保险` got 400. Now it runs waitress, and raw UTF-8 in the request line works."""

import socket
import urllib.parse

import pytest

from conftest import server_process


def raw_get(url, target):
    """Send `GET target` with the target's raw UTF-8 bytes (no percent-encoding); return (status, headers, body)."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(b"GET " + target.encode("utf-8") + b" HTTP/1.1\r\nHost: " + host.encode()
                     + b"\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.fixture(scope="module")
def served(built_store):
    with server_process(built_store, probe="/") as (url, process, log):
        yield url, process, log


def test_unencoded_utf8_query_strings_work(served):
    url, _, _ = served
    status, _, body = raw_get(url, "/search.json?q=养老保险")
    assert status == 200, body[:300]
    assert '"query":"养老保险"' in body.decode("utf-8").replace("\\u517b\\u8001\\u4fdd\\u9669", "养老保险")
    query = 'SELECT%20?x%20{BIND("养老保险"%20AS%20?x)}'
    status, _, body = raw_get(url, f"/sparql?query={query}&format=csv")
    assert status == 200 and body.decode("utf-8").splitlines() == ["x", "养老保险"]
    status, _, _ = raw_get(url, "/search?q=%E5%85%BB%E8%80%81")  # percent-encoded still works
    assert status == 200


def test_served_by_waitress_with_security_headers_and_no_dev_server_warning(served):
    url, process, log = served
    status, headers, _ = raw_get(url, "/")
    assert status == 200 and headers["Server"] == "budgetkg"
    assert headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "threads" in text and "development server" not in text.lower() and "WARNING" not in text
