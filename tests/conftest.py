"""Shared pytest fixtures: repository paths, a click runner and a store built from the examples.

The built store is session-scoped and read-only for tests; tests that write build their own store."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
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


# --- server fixtures ---------------------------------------------------------------------------------

W3C_DIR = REPO.parent / "shared" / "w3c" / "sparql11-protocol"


@pytest.fixture(scope="session")
def make_app():
    """Factory for server apps over a store (settings as keyword arguments); pools stop at session end."""
    from budgetkg.server import create_app

    apps = []

    def make(store_dir, **settings):
        app = create_app({"STORE": str(store_dir), "WORKERS": 2, "QUERY_TIMEOUT": 20,
                          "TESTING": True, **settings})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["budgetkg"]["close"]()


@pytest.fixture(scope="session")
def app(make_app, built_store):
    """The server app over the store built from the examples (read-only)."""
    return make_app(built_store)


@pytest.fixture
def client(app):
    """A Flask test client of the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def w3c_manifest():
    """The W3C SPARQL 1.1 Protocol manifest (skipped when ../shared/w3c is absent)."""
    path = W3C_DIR / "manifest.ttl"
    if not path.is_file():
        pytest.skip(f"no W3C protocol tests at {W3C_DIR}")
    return path


@pytest.fixture(scope="session")
def w3c_store(tmp_path_factory, w3c_manifest):
    """A store holding data1..3.nt as the named graphs the manifest expects, loaded with `budgetkg load`."""
    from w3c_runner import data_files

    store_dir = tmp_path_factory.mktemp("w3c") / "store"
    for path, graph in data_files(w3c_manifest).items():
        result = CliRunner().invoke(main, ["load", str(path), "--graph", graph, "--store", str(store_dir)])
        if result.exit_code != 0:
            pytest.fail(f"budgetkg load failed:\n{result.output}", pytrace=False)
    return store_dir


# --- page fixtures (issue 6) -------------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"
INLINE_TTL = f"""@prefix bkg: <https://budgetkg.org/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://budgetkg.org/unit/evil> a bkg:BudgetUnit ; skos:prefLabel "养老保险中心{SCRIPT}"@zh .
<https://budgetkg.org/doc/evil/2024/budget> a bkg:Disclosure ; bkg:budgetUnit <https://budgetkg.org/unit/evil> ;
  bkg:fiscalYear "2024"^^xsd:gYear ; bkg:phase <https://budgetkg.org/code/phase/budget> ;
  rdfs:label "evil 2024 {SCRIPT}" ; bkg:mainFunctions "负责{SCRIPT}养老保险" ;
  bkg:hasProject <https://budgetkg.org/doc/evil/2024/budget/project/p1> .
<https://budgetkg.org/doc/evil/2024/budget/project/p1> a bkg:Project ; skos:prefLabel "养老保险项目{SCRIPT}"@zh ;
  prov:wasDerivedFrom <https://budgetkg.org/doc/evil/2024/budget> ; bkg:sourceLine 7 ;
  bkg:sourceText "项目 {SCRIPT} 原文" ; bkg:legalBasis <https://budgetkg.org/legal/evil> .
<https://budgetkg.org/legal/evil> a eli:LegalResource ; eli:title "关于{SCRIPT}的通知" ; eli:id_local "恶发〔2024〕1号" .
"""


@pytest.fixture(scope="session")
def inline_store(tmp_path_factory):
    """A store holding one small inline Turtle graph whose literals contain <script>, loaded with `budgetkg load`."""
    folder = tmp_path_factory.mktemp("inline")
    (folder / "evil.ttl").write_text(INLINE_TTL, encoding="utf-8")
    store_dir = folder / "store"
    result = CliRunner().invoke(main, ["load", str(folder / "evil.ttl"), "--graph",
                                       "https://budgetkg.org/doc/evil/2024/budget", "--store", str(store_dir)])
    if result.exit_code != 0:
        pytest.fail(f"budgetkg load failed:\n{result.output}", pytrace=False)
    return store_dir


@pytest.fixture(scope="session")
def inline_app(make_app, inline_store):
    """The server app over the inline <script> store."""
    return make_app(inline_store)


@pytest.fixture
def inline_client(inline_app):
    """A test client of the app over the inline <script> store."""
    return inline_app.test_client()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server_process(store_dir, probe="/", gunicorn_processes=0, **settings):
    """Run `budgetkg serve` (or, with gunicorn_processes, the app in that many gunicorn processes) on a
    free loopback port over store_dir with settings (as BUDGETKG_<NAME>); yield (base URL, process, path
    of its stderr log), then stop it."""
    import tempfile
    port = free_port()
    env = {**os.environ, "BUDGETKG_QUERY_TIMEOUT": "20", "BUDGETKG_WORKERS": "2", "BUDGETKG_STORE": str(store_dir),
           **{f"BUDGETKG_{name}": str(value) for name, value in settings.items()}}
    log = tempfile.NamedTemporaryFile(prefix="budgetkg-serve-", suffix=".log", delete=False)
    command = ([sys.executable, "-m", "gunicorn", "--workers", str(gunicorn_processes), "--worker-class", "gthread",
                "--threads", "4", "--bind", f"127.0.0.1:{port}", "budgetkg.server:create_app()"]
               if gunicorn_processes else
               [sys.executable, "-c", "from budgetkg.cli import main; main()", "serve",
                "--store", str(store_dir), "--host", "127.0.0.1", "--port", str(port)])
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + probe, timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"server did not start: {Path(log.name).read_text()}", pytrace=False)
            time.sleep(0.2)
    try:
        yield url, process, Path(log.name)
    finally:
        process.terminate()
        process.wait(10)
        log.close()
        Path(log.name).unlink(missing_ok=True)


@contextlib.contextmanager
def serving(store_dir, probe="/", **settings):
    """Run `budgetkg serve` on a free loopback port over store_dir; yield its base URL, then stop it."""
    with server_process(store_dir, probe, **settings) as (url, _, _):
        yield url


# --- remote store (issue 13): a private Virtuoso on loopback ----------------------------------------

@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso started for the session (own ini, ports and database), stopped afterwards."""
    from budgetkg import virtuoso as vt

    if vt.installed() is None:
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource-7-bin; .ci/run does)")
    try:
        server = vt.start(tmp_path_factory.mktemp("virtuoso"))
    except vt.VirtuosoError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_store(virtuoso, examples_dir):
    """The examples built into the private Virtuoso with `budgetkg build --store http://…`; return its URL."""
    result = CliRunner().invoke(main, ["build", str(examples_dir), "--store", virtuoso.sparql_url])
    if result.exit_code != 0:
        pytest.fail(f"budgetkg build into Virtuoso failed ({result.exit_code}):\n{result.output}", pytrace=False)
    return virtuoso.sparql_url
