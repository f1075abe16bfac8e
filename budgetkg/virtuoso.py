"""A private Virtuoso (Debian's virtuoso-opensource) for tests, benchmarks and trials of the remote store.

It gets its own virtuoso.ini and database in a directory, listens on 127.0.0.1 only, is waited for
(bounded), lets the anonymous SPARQL user update (so the Graph Store Protocol works without auth),
and is stopped afterwards. Production servers are set up by their operators (docs/scale-out.md)."""

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SERVER_BINARY, SQL_CLIENT = "virtuoso-t", "isql-vt"
ADMIN_USER, ADMIN_PASSWORD = "dba", "dba"   # Virtuoso's defaults for a new database (loopback only)
STARTUP_TIMEOUT = 90          # seconds to wait for the HTTP listener of a new database
STOP_TIMEOUT = 30             # seconds a stopping server gets before it is killed
POLL_INTERVAL = 0.25
RESULT_ROWS_MAX = 10_000_000  # Virtuoso's shipped ini cuts results at 10,000 rows, silently: raise the cap
BUFFERS, DIRTY_BUFFERS = 20000, 15000  # 8 KB pages kept in memory (about 160 MB)
ANONYMOUS_UPDATE = 'GRANT SPARQL_UPDATE TO "SPARQL";'
INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


class VirtuosoError(RuntimeError):
    """Virtuoso is not installed, did not start, or refused its set-up."""


def installed():
    """The path of virtuoso-t, or None when Virtuoso is not installed."""
    return shutil.which(SERVER_BINARY)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Virtuoso:
    """A running private Virtuoso: its directory, ports and process."""

    directory: Path
    http_port: int
    sql_port: int
    process: subprocess.Popen

    @property
    def sparql_url(self):
        """The SPARQL 1.1 Protocol endpoint (the value for `--store`)."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def log_tail(self, lines=20):
        """The end of Virtuoso's error log, for failure messages."""
        try:
            return "\n".join((self.directory / "virtuoso.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def answers(self):
        """True when the SPARQL endpoint answers an ASK."""
        url = self.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK { }"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def sql(self, statement):
        """Run one SQL statement as the administrator through isql-vt."""
        client = shutil.which(SQL_CLIENT)
        if client is None:
            raise VirtuosoError(f"{SQL_CLIENT} is not installed (package virtuoso-opensource-7-bin)")
        done = subprocess.run([client, f"127.0.0.1:{self.sql_port}", ADMIN_USER, ADMIN_PASSWORD,
                               f"exec={statement}"], capture_output=True, text=True, timeout=STOP_TIMEOUT,
                              check=False)
        if done.returncode != 0 or "Error" in done.stdout:
            raise VirtuosoError(f"{statement} failed: {(done.stdout + done.stderr).strip()}")

    def stop(self):
        """Stop the server (SIGTERM, then SIGKILL after STOP_TIMEOUT seconds)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)


def start(directory, startup_timeout=STARTUP_TIMEOUT):
    """Write virtuoso.ini into directory, start virtuoso-t on free loopback ports and wait until it answers."""
    binary = installed()
    if binary is None:
        raise VirtuosoError(f"{SERVER_BINARY} is not installed (apt-get install virtuoso-opensource-7-bin)")
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    (directory / "virtuoso.ini").write_text(INI.format(
        dir=directory, http_port=http_port, sql_port=sql_port, buffers=BUFFERS, dirty_buffers=DIRTY_BUFFERS,
        max_rows=RESULT_ROWS_MAX), encoding="utf-8")
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(directory / "virtuoso.ini")],
                               cwd=directory, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    server = Virtuoso(directory, http_port, sql_port, process)
    deadline = time.monotonic() + startup_timeout
    while not server.answers():
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise VirtuosoError(f"Virtuoso did not start within {startup_timeout:g} s:\n{server.log_tail()}")
        time.sleep(POLL_INTERVAL)
    try:
        server.sql(ANONYMOUS_UPDATE)
    except (VirtuosoError, subprocess.TimeoutExpired) as exc:
        server.stop()
        raise VirtuosoError(str(exc)) from exc
    return server


@contextlib.contextmanager
def running(directory, startup_timeout=STARTUP_TIMEOUT):
    """Start a private Virtuoso in directory for the duration of a with block."""
    server = start(directory, startup_timeout)
    try:
        yield server
    finally:
        server.stop()
