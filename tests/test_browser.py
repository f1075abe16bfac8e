"""Browser test: Debian's headless Chromium loads the workbench, runs an example query, sees the results table.

It also saves screenshots of a unit page, a project page and the workbench to tests/artifacts/ (git-ignored)."""

import os
import re
import shutil
import struct
import subprocess
import urllib.request
from pathlib import Path

import pytest

from conftest import serving

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def chromium():
    """Path of the Chromium binary (BUDGETKG_CHROMIUM, chromium, chromium-browser); skip or fail without one."""
    for name in (os.environ.get("BUDGETKG_CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI"):
        pytest.fail("no chromium on this CI machine: .ci/run installs Debian's chromium package")
    pytest.skip("no chromium: apt-get install chromium")


def run_chromium_logged(tmp_path, url, *flags):
    """Run headless Chromium on url with flags and its log on stderr; return (stdout, stderr)."""
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
               *flags, url]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done.stdout.decode("utf-8"), done.stderr.decode("utf-8", "replace")


def run_chromium(tmp_path, url, *flags):
    """Run headless Chromium on url with flags; return its stdout."""
    return run_chromium_logged(tmp_path, url, *flags)[0]


@pytest.fixture(scope="module")
def served(built_store):
    """`budgetkg serve` on a loopback port over the store built from the examples; yields its URL."""
    with serving(built_store, probe="/query") as url:
        yield url


def png_size(path):
    """(width, height) from a PNG file's header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_workbench_runs_an_example_query_and_shows_the_table(served, tmp_path):
    dom = run_chromium(tmp_path, served + "/query?example=cq01-documents&run=1",
                       "--virtual-time-budget=15000", "--dump-dom")
    table = re.search(r'<table class="data results" id="results-table">(.*?)</table>', dom, re.S)
    assert table, "the workbench did not render a results table:\n" + dom[-3000:]
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    assert len(rows) == 6 and "<th>unit</th>" in rows[0]
    assert re.search(r"5 行 rows", dom)
    for unit in ("乌鲁木齐市社会保险中心", "攀枝花市社会保险事务中心", "昌吉回族自治州社会保险管理局"):
        assert f"<td>{unit}</td>" in table.group(1)
    assert 'class="tok-k">SELECT</span>' in dom  # the editor is highlighted


def test_screenshots_of_a_unit_page_a_project_page_and_the_workbench(served, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {"unit.png": "/unit/9cc18e5b6d8d",
             "project.png": "/doc/c5217a7edb45/2019/final/project/1ea27ea67955",
             "workbench.png": "/query?example=cq10-shared-legal&run=1"}
    for name, path in pages.items():
        target = ARTIFACTS / name
        target.unlink(missing_ok=True)
        html = urllib.request.urlopen(served + path, timeout=30).read().decode("utf-8")
        assert "<h1>" in html
        run_chromium(tmp_path, served + path, "--window-size=1280,2000", "--virtual-time-budget=15000",
                     f"--screenshot={target}")
        assert png_size(target) == (1280, 2000) and target.stat().st_size > 20_000, name
